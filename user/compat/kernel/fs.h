/*
 * user/compat/kernel/fs.h - lets xv6 programs that write
 * #include "kernel/fs.h" build unchanged: Pagoda keeps these definitions in
 * include/uapi/pagoda/fs.h.
 */
#ifndef _USER_COMPAT_KERNEL_FS_H
#define _USER_COMPAT_KERNEL_FS_H

#include "uapi/pagoda/fs.h"

#endif /* _USER_COMPAT_KERNEL_FS_H */
