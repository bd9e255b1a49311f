/*
 * user/compat/kernel/param.h - lets xv6 programs that write
 * #include "kernel/param.h" build unchanged: Pagoda keeps these definitions in
 * include/uapi/pagoda/param.h.
 */
#ifndef _USER_COMPAT_KERNEL_PARAM_H
#define _USER_COMPAT_KERNEL_PARAM_H

#include "uapi/pagoda/param.h"

#endif /* _USER_COMPAT_KERNEL_PARAM_H */
