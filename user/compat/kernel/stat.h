/*
 * user/compat/kernel/stat.h - lets xv6 programs that write
 * #include "kernel/stat.h" build unchanged: Pagoda keeps these definitions in
 * include/uapi/pagoda/stat.h.
 */
#ifndef _USER_COMPAT_KERNEL_STAT_H
#define _USER_COMPAT_KERNEL_STAT_H

#include "uapi/pagoda/stat.h"

#endif /* _USER_COMPAT_KERNEL_STAT_H */
