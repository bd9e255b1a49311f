/*
 * uapi/pagoda/types.h - fixed-width integer types shared by the kernel, user
 * programs and host tools (mkfs). Names follow xv6 (uint, uint64, ...) so that
 * xv6 course programs compile unchanged, plus Linux's u8..u64.
 */
#ifndef _UAPI_PAGODA_TYPES_H
#define _UAPI_PAGODA_TYPES_H

typedef unsigned int uint;
typedef unsigned short ushort;
typedef unsigned char uchar;

typedef unsigned char uint8;
typedef unsigned short uint16;
typedef unsigned int uint32;
typedef unsigned long long uint64;

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;

typedef uint64 pde_t;

#endif /* _UAPI_PAGODA_TYPES_H */
