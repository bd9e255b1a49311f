/*
 * user/compat/kernel/mman.h - the mmap() family's flags and MAP_FAILED for
 * user programs (#include "kernel/mman.h"): Pagoda keeps them in
 * include/uapi/pagoda/mman.h. (xv6 has no such header; its mmap lab takes
 * the flags from kernel/fcntl.h, which has them too.)
 */
#ifndef _USER_COMPAT_KERNEL_MMAN_H
#define _USER_COMPAT_KERNEL_MMAN_H

#include "uapi/pagoda/mman.h"

#endif /* _USER_COMPAT_KERNEL_MMAN_H */
