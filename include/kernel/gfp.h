/*
 * kernel/gfp.h - "get free pages" flags and the page allocator's entry
 * points, under Linux's names and with Linux's bit values.
 *
 * A gfp_t is a bit mask that tells the allocator three things:
 *
 *   where from   zone modifiers: __GFP_DMA (only ZONE_DMA), __GFP_HIGHMEM
 *                (64-bit kernels have no highmem: it means ZONE_NORMAL);
 *                none = ZONE_NORMAL, falling back to ZONE_DMA
 *   what kind    mobility: __GFP_MOVABLE (user pages: reached only through
 *                page tables, could be migrated), __GFP_RECLAIMABLE (caches
 *                that a shrinker can drop), neither = unmovable; this picks
 *                the migratetype and so the pageblocks the page comes from
 *   how hard     __GFP_DIRECT_RECLAIM (the caller may sleep and reclaim),
 *                __GFP_KSWAPD_RECLAIM (may wake kswapd), __GFP_IO/__GFP_FS
 *                (reclaim may start I/O / call into the file system),
 *                __GFP_HIGH (may dip below the min watermark), __GFP_NOWARN,
 *                __GFP_NORETRY, __GFP_MEMALLOC (ignore watermarks entirely)
 *
 * plus __GFP_ZERO (clear the pages). Callers use the combinations below:
 *
 *   GFP_KERNEL            kernel data; may sleep, reclaim, do I/O
 *   GFP_ATOMIC            interrupt handlers, spinlock holders: never
 *                         sleeps, may use part of the reserve below min
 *   GFP_NOWAIT            never sleeps, no reserve
 *   GFP_NOIO / GFP_NOFS   may sleep, but reclaim must not start I/O (block
 *                         layer) / must not re-enter the file system
 *   GFP_USER              memory a user process asks for, for kernel use
 *   GFP_HIGHUSER_MOVABLE  user pages: movable
 *   GFP_DMA               for the (pretend) device that reaches only the low
 *                         16 MiB of RAM (see mm/mm_init.c, dma_limit=)
 *
 * Pagoda has no reclaim yet: __GFP_DIRECT_RECLAIM and __GFP_KSWAPD_RECLAIM
 * reach the documented hooks in mm/page_alloc.c (mm/vmscan.c) where kswapd
 * and direct reclaim will plug in (planned, with the reclaim lab).
 *
 * See: Linux include/linux/gfp_types.h (same names and values), mm/page_alloc.c,
 * labs/buddy/README.md.
 */
#ifndef _KERNEL_GFP_H
#define _KERNEL_GFP_H

#include <kernel/types.h>

typedef unsigned int gfp_t;

/* zone modifiers (the low four bits: GFP_ZONEMASK) */
#define __GFP_DMA 0x01u
#define __GFP_HIGHMEM 0x02u
#define __GFP_MOVABLE 0x08u /* also a zone modifier in Linux (ZONE_MOVABLE) */
#define GFP_ZONEMASK (__GFP_DMA | __GFP_HIGHMEM | __GFP_MOVABLE)
/* mobility */
#define __GFP_RECLAIMABLE 0x10u
#define GFP_MOVABLE_MASK (__GFP_RECLAIMABLE | __GFP_MOVABLE)
/* watermarks and reserves */
#define __GFP_HIGH 0x20u
#define __GFP_MEMALLOC 0x20000u
#define __GFP_NOMEMALLOC 0x80000u
/* reclaim */
#define __GFP_IO 0x40u
#define __GFP_FS 0x80u
#define __GFP_DIRECT_RECLAIM 0x400u
#define __GFP_KSWAPD_RECLAIM 0x800u
#define __GFP_RECLAIM (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define __GFP_RETRY_MAYFAIL 0x4000u
#define __GFP_NORETRY 0x10000u
/* action modifiers */
#define __GFP_ZERO 0x100u
#define __GFP_NOWARN 0x2000u
#define __GFP_HARDWALL 0x100000u /* cpuset wall: Linux's, no effect in Pagoda */
#define __GFP_BITS_MASK 0x1fffffu

#define GFP_ATOMIC (__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_NOWAIT (__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO (__GFP_RECLAIM)
#define GFP_NOFS (__GFP_RECLAIM | __GFP_IO)
#define GFP_USER (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA __GFP_DMA
#define GFP_HIGHUSER (GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)

/* The largest order the buddy allocator hands out: 2^10 pages = 4 MiB. */
#define MAX_PAGE_ORDER 10
#define NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1)
/* Above this order an allocation is "costly": no retries (Linux's value). */
#define PAGE_ALLOC_COSTLY_ORDER 3

struct page;

/*
 * alloc_pages - allocate 2^@order physically contiguous, naturally aligned
 * pages.
 * Context: may sleep if @gfp has __GFP_DIRECT_RECLAIM (Pagoda does not sleep
 * yet); GFP_ATOMIC and GFP_NOWAIT never sleep and may be used with
 * spinlocks held or in interrupt handlers.
 * Return: the first page's struct page (its refcount is 1), or NULL.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order);
#define alloc_page(gfp) alloc_pages((gfp), 0)
/*
 * __free_pages - drop a reference to a block from alloc_pages(); the last
 * reference gives the 2^@order pages back.
 */
void __free_pages(struct page *page, unsigned int order);
#define __free_page(page) __free_pages((page), 0)

/* The same through direct-map addresses. Return: the address, or 0. */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
unsigned long get_zeroed_page(gfp_t gfp);
/* Free what __get_free_pages() returned; @addr 0 does nothing. */
void free_pages(unsigned long addr, unsigned int order);
#define __get_free_page(gfp) __get_free_pages((gfp), 0)
#define free_page(addr) free_pages((addr), 0)

/*
 * alloc_pages_exact - @size bytes of physically contiguous pages: the
 * smallest 2^order block, with the pages past PAGE_ALIGN(@size) given back.
 * free_pages_exact frees it (same @size). Return: the address, or NULL.
 */
void *alloc_pages_exact(size_t size, gfp_t gfp);
void free_pages_exact(void *virt, size_t size);

/* Free pages (buddy free lists and per-CPU lists) and pages managed, all zones. */
unsigned long nr_free_pages(void);
unsigned long totalram_pages(void);

#endif /* _KERNEL_GFP_H */
