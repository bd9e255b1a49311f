/*
 * user/compat/kernel/fcntl.h - lets xv6 programs that write
 * #include "kernel/fcntl.h" build unchanged: open()'s flags
 * (include/uapi/pagoda/fcntl.h, xv6's values) and, as xv6's mmap lab has
 * them here, the PROT_* and MAP_* flags of mmap() (Linux's values, the same
 * as the lab's). Not MAP_FAILED: the lab's programs define it themselves;
 * kernel/mman.h has it for everyone else.
 */
#ifndef _USER_COMPAT_KERNEL_FCNTL_H
#define _USER_COMPAT_KERNEL_FCNTL_H

#include "uapi/pagoda/fcntl.h"
#include "uapi/pagoda/mman-common.h"

#endif /* _USER_COMPAT_KERNEL_FCNTL_H */
