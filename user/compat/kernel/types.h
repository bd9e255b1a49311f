/*
 * user/compat/kernel/types.h - lets xv6 programs that write
 * #include "kernel/types.h" build unchanged: Pagoda keeps these definitions in
 * include/uapi/pagoda/types.h.
 */
#ifndef _USER_COMPAT_KERNEL_TYPES_H
#define _USER_COMPAT_KERNEL_TYPES_H

#include "uapi/pagoda/types.h"

#endif /* _USER_COMPAT_KERNEL_TYPES_H */
