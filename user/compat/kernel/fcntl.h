/*
 * user/compat/kernel/fcntl.h - lets xv6 programs that write
 * #include "kernel/fcntl.h" build unchanged: Pagoda keeps these definitions in
 * include/uapi/pagoda/fcntl.h.
 */
#ifndef _USER_COMPAT_KERNEL_FCNTL_H
#define _USER_COMPAT_KERNEL_FCNTL_H

#include "uapi/pagoda/fcntl.h"

#endif /* _USER_COMPAT_KERNEL_FCNTL_H */
