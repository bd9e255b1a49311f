/*
 * mm/internal.h - what the files of mm/ share and nobody else needs: the
 * page allocator's ALLOC_* flags and allocation context, the boot hand-over
 * from memblock, and the reclaim hooks.
 *
 * See: mm/page_alloc.c, mm/mm_init.c, mm/memblock.c, mm/vmscan.c.
 */
#ifndef _MM_INTERNAL_H
#define _MM_INTERNAL_H

#include <kernel/mm.h>

/*
 * ALLOC_* flags: how far an allocation may go, derived from its gfp by the
 * page allocator (Linux's names and values). The low bits pick the
 * watermark to check.
 */
#define ALLOC_WMARK_MIN WMARK_MIN
#define ALLOC_WMARK_LOW WMARK_LOW
#define ALLOC_WMARK_HIGH WMARK_HIGH
#define ALLOC_NO_WATERMARKS 0x04 /* __GFP_MEMALLOC: don't check watermarks at all */
#define ALLOC_WMARK_MASK (ALLOC_NO_WATERMARKS - 1)
#define ALLOC_NON_BLOCK 0x10   /* cannot sleep (no direct reclaim): a bit more reserve */
#define ALLOC_MIN_RESERVE 0x20 /* __GFP_HIGH: may use half of the reserve below min */
#define ALLOC_CMA 0x80	       /* movable: may use CMA pageblocks */
#define ALLOC_KSWAPD 0x800     /* may wake kswapd */

/* What one allocation asks for, worked out once from its gfp. */
struct alloc_context {
	struct zonelist *zonelist;
	struct zoneref *preferred_zoneref; /* the first zone it may use */
	int migratetype;
	enum zone_type highest_zoneidx; /* the zonelist is walked from here down */
};

/* mm/mm_init.c: zones, mem_map, memblock -> buddy, watermarks (after memblock is filled) */
void mm_core_init(phys_addr_t dma_limit);
#define DMA_LIMIT_DEFAULT (16UL << 20)

/* mm/page_alloc.c */
/* Boot: give a 2^@order block of memblock-free RAM to the buddy allocator. */
void memblock_free_pages(struct page *page, unsigned long pfn, unsigned int order);
/* Boot: the per-CPU lists of @zone, sized from its managed pages. */
void zone_pcp_init(struct zone *zone);
/* Boot: the zone's free lists, empty. */
void zone_init_free_lists(struct zone *zone);
/* "GFP_KERNEL|__GFP_ZERO" for @gfp into @buf. Return: @buf. */
const char *format_gfp(gfp_t gfp, char *buf, size_t size);
/* Free pages of @zone on per-CPU lists (unlocked sum, for reports). */
unsigned long zone_pcp_pages(struct zone *zone);
int int_sqrt_ul(unsigned long x);

/*
 * Anti-fragmentation counters, for /proc/pagetypeinfo's readers, tests and
 * the fragmentation benchmark: allocations served by another migratetype's
 * free list, and pageblocks that changed type by being stolen.
 */
extern unsigned long nr_alloc_fallbacks, nr_pageblocks_stolen;

/*
 * mm/vmscan.c: reclaim, not written yet: the page allocator's two hooks,
 * which only count how often they are called (see mm/vmscan.c).
 */
void wakeup_kswapd(struct zone *zone, gfp_t gfp, int order, enum zone_type highest_zoneidx);
unsigned long try_to_free_pages(struct zonelist *zonelist, int order, gfp_t gfp);
extern unsigned long kswapd_wakeups, direct_reclaim_stalls;

#endif /* _MM_INTERNAL_H */
