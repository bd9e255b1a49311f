/*
 * mm/vmscan.c - page reclaim: where kswapd and direct reclaim will live.
 *
 * There is no reclaim yet: no LRU lists, no kswapd, no swap, and the pages
 * of mm/filemap.c's small page cache stay until their last mapping goes
 * away. So these are only the two documented hooks the page allocator
 * calls (mm/page_alloc.c, __alloc_pages_slowpath), counting how often they
 * would have run:
 *
 *   wakeup_kswapd      an allocation found a zone below its low watermark:
 *                      kswapd should free pages in the background until
 *                      the zone is above high again
 *   try_to_free_pages  an allocation that may sleep found every zone below
 *                      min: it reclaims itself ("direct reclaim", a stall)
 *                      and returns the pages it freed
 *
 * Reclaim (LRU lists, kswapd, shrinkers) and its lab, reclaim, are planned
 * (README.md, "What Pagoda is"); they will replace both.
 *
 * See: Documentation/mm/reclaim.md; Linux mm/vmscan.c.
 */
#include "internal.h"

unsigned long kswapd_wakeups, direct_reclaim_stalls;

void wakeup_kswapd(struct zone *zone, gfp_t gfp, int order, enum zone_type highest_zoneidx)
{
	__atomic_fetch_add(&kswapd_wakeups, 1, __ATOMIC_RELAXED);
}

unsigned long try_to_free_pages(struct zonelist *zonelist, int order, gfp_t gfp)
{
	__atomic_fetch_add(&direct_reclaim_stalls, 1, __ATOMIC_RELAXED);
	return 0; /* nothing reclaimable yet */
}
