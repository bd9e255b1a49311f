/*
 * uapi/pagoda/mman-common.h - the flag values of mmap(), mprotect() and
 * msync(), Linux's (POSIX names), and nothing else.
 *
 * Apart from uapi/pagoda/mman.h (which adds MAP_FAILED) so that
 * kernel/fcntl.h can offer these flags to programs written for xv6's mmap
 * lab, which take PROT_* and MAP_* from there and define MAP_FAILED
 * themselves, as ((char *) -1): a second, different definition would not
 * compile.
 */
#ifndef _UAPI_PAGODA_MMAN_COMMON_H
#define _UAPI_PAGODA_MMAN_COMMON_H

#define PROT_NONE 0x0
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON MAP_ANONYMOUS

#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

#endif /* _UAPI_PAGODA_MMAN_COMMON_H */
