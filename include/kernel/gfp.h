/*
 * kernel/gfp.h - "get free pages" flags and the page allocator's entry
 * points (Linux's names). The physical-memory issue replaces the simple
 * allocator behind them with the zoned buddy allocator; callers don't change.
 */
#ifndef _KERNEL_GFP_H
#define _KERNEL_GFP_H

#include <kernel/types.h>

typedef unsigned int gfp_t;

#define __GFP_DMA 0x01u
#define __GFP_HIGH 0x20u
#define __GFP_IO 0x40u
#define __GFP_FS 0x80u
#define __GFP_ZERO 0x100u
#define __GFP_DIRECT_RECLAIM 0x400u
#define __GFP_KSWAPD_RECLAIM 0x800u
#define __GFP_NOWARN 0x2000u
#define __GFP_NORETRY 0x10000u
#define __GFP_MOVABLE 0x08u

#define __GFP_RECLAIM (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define GFP_ATOMIC (__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_NOWAIT (__GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_USER GFP_KERNEL
#define GFP_HIGHUSER_MOVABLE (GFP_USER | __GFP_MOVABLE)
#define GFP_DMA __GFP_DMA

/* Allocate 2^order contiguous pages; return the direct-map address or 0. */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned int order);
#define __get_free_page(gfp) __get_free_pages((gfp), 0)
#define free_page(addr) free_pages((addr), 0)

/* counters for /proc/meminfo-like reports and tests */
unsigned long nr_free_pages(void);
unsigned long totalram_pages(void);

#endif /* _KERNEL_GFP_H */
