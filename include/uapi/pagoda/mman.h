/*
 * uapi/pagoda/mman.h - mmap(), munmap(), mprotect(), msync(): their flags
 * (uapi/pagoda/mman-common.h, Linux's values with POSIX names) and
 * MAP_FAILED, what mmap() returns when it fails.
 */
#ifndef _UAPI_PAGODA_MMAN_H
#define _UAPI_PAGODA_MMAN_H

#include "mman-common.h"

#define MAP_FAILED ((void *)-1)

#endif /* _UAPI_PAGODA_MMAN_H */
