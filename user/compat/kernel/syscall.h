/*
 * user/compat/kernel/syscall.h - lets xv6 programs that write
 * #include "kernel/syscall.h" build unchanged: Pagoda keeps these definitions in
 * include/uapi/pagoda/syscall.h.
 */
#ifndef _USER_COMPAT_KERNEL_SYSCALL_H
#define _USER_COMPAT_KERNEL_SYSCALL_H

#include "uapi/pagoda/syscall.h"

#endif /* _USER_COMPAT_KERNEL_SYSCALL_H */
