/*
 * uapi/pagoda/mman.h - mmap(), munmap(), mprotect(), msync() flags, with
 * Linux's values (POSIX names).
 */
#ifndef _UAPI_PAGODA_MMAN_H
#define _UAPI_PAGODA_MMAN_H

#define PROT_NONE 0x0
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON MAP_ANONYMOUS

#define MAP_FAILED ((void *)-1)

#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

#endif /* _UAPI_PAGODA_MMAN_H */
