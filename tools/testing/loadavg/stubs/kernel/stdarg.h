/* tools/testing/loadavg/stubs/kernel/stdarg.h - the host's <stdarg.h> for kernel sources. */
#ifndef _KERNEL_STDARG_H
#define _KERNEL_STDARG_H

#include <stdarg.h>

#endif /* _KERNEL_STDARG_H */
