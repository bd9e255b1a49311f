/*
 * mm/page_alloc.c - the zoned buddy allocator: physical pages in blocks of
 * 2^order, grouped by migratetype, with per-CPU lists and watermarks.
 *
 * The buddy system. Each zone keeps free memory as naturally aligned blocks
 * of 2^order pages, order 0..MAX_PAGE_ORDER (4 KiB .. 4 MiB), one free list
 * per order (and per migratetype, below). Two blocks of order n are buddies
 * when they are the two halves of one aligned block of order n+1; the
 * buddy of the block at frame pfn is at pfn ^ (1 << n):
 *
 *   order 2 block at pfn 8:   [8 9 10 11]        its buddy: pfn 12 [12 13 14 15]
 *   both free -> merge:       [8 9 10 11 12 13 14 15]   order 3 at pfn 8 & 12 = 8
 *
 *   allocation (order n):  take a block from the first non-empty list of
 *                          order >= n; split it in halves, giving back the
 *                          upper halves, until it is order n   (expand)
 *   free (order n):        while the buddy is free, of the same order and
 *                          in the same zone, take it off its list and merge;
 *                          put the result on its list        (__free_one_page)
 *
 * A free block's head page has PG_buddy and its order in page->private;
 * that is all "is my buddy free?" needs (page_is_buddy).
 *
 * Anti-fragmentation. A block that the kernel allocated (unmovable) stays put
 * for its lifetime; one stray unmovable page in every 2 MiB is enough to
 * make every large allocation fail. So memory is grouped into pageblocks of
 * 2^pageblock_order pages, each tagged with a migratetype, and each order's
 * free list is split by migratetype. An allocation first looks only at the
 * lists of its own type (__rmqueue_smallest); when they are all empty it
 * falls back to another type (__rmqueue_fallback), preferring to take the
 * largest free block there and, if the block is large or most of its
 * pageblock is free, to steal the whole pageblock, so that types stay
 * clustered. The fallback order per type:
 *
 *   UNMOVABLE   -> RECLAIMABLE, MOVABLE
 *   MOVABLE     -> RECLAIMABLE, UNMOVABLE
 *   RECLAIMABLE -> UNMOVABLE, MOVABLE
 *   CMA pageblocks serve only MOVABLE allocations; ISOLATE ones nobody.
 *
 * Per-CPU lists. Order-0 allocations and frees go through a small per-CPU,
 * per-zone cache (struct per_cpu_pages): an empty list is refilled with
 * pcp->batch pages under one zone->lock acquisition (rmqueue_bulk); a list
 * above pcp->high gives pcp->batch pages back (free_pcppages_bulk). So
 * most order-0 operations touch no shared lock, and an allocation that
 * finds a page on its list does nothing else (__alloc_pages). Pages on
 * these lists count as free in nr_free_pages() (not in the zone's
 * NR_FREE_PAGES, as in Linux); the slow path drains them before giving up
 * (drain_all_pages).
 *
 * Watermarks (from min_free_kbytes, see setup_per_zone_wmarks). The fast
 * path (get_page_from_freelist with ALLOC_WMARK_LOW) takes a block from a
 * zone's buddy lists, or a batch for a per-CPU list, only if the zone keeps
 * more than its low watermark free (a per-CPU list hit is not checked
 * again: see __alloc_pages). The
 * slow path wakes kswapd, then tries again down to min; __GFP_HIGH may use
 * half the reserve below min and an allocation that cannot sleep
 * (GFP_ATOMIC) a quarter more; __GFP_MEMALLOC ignores watermarks. Then
 * direct reclaim, a drain of the per-CPU lists, and a failure with one
 * warning line.
 *
 * Errors. An order above MAX_PAGE_ORDER or a request that cannot be served
 * returns NULL (with a warning unless __GFP_NOWARN). Freeing memory that is
 * not a page of RAM, a reserved page, a page that is already free, a tail
 * page of a block, or a block with the wrong order is a kernel bug: it
 * panics naming the page (checks always on: they cost a load or two).
 * Freed pages are filled with PAGE_POISON (page_poisoning, boot argument
 * page_poison=0 turns it off) so a use after free reads garbage.
 *
 * Locking: zone->lock protects the free lists, the zone's counters and the
 * pageblock migratetypes. A CPU's per-CPU lists are touched only by that
 * CPU, with its interrupts off (pcp_local_lock); other CPUs' lists are
 * drained by asking their owners (drain_all_pages, an IPI). Order:
 * interrupts off for the per-CPU list, then zone->lock. Nothing here sleeps.
 *
 * This file is the buddy lab: the regions between "LAB buddy" markers (the
 * free lists, merging, splitting, fallback) are what its students write.
 *
 * See: Linux mm/page_alloc.c (same names), Documentation/mm/physical_memory.rst,
 * include/kernel/mmzone.h, labs/buddy/README.md.
 */
#include <kernel/mm.h>
#include <kernel/gfp.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/irqflags.h>
#include <kernel/spinlock.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/lab.h>
#include "internal.h"

struct pglist_data contig_page_data;
bool page_group_by_mobility_disabled;
bool page_poisoning = true;

int min_free_kbytes = 1024;
int user_min_free_kbytes = -1;
/* a lower zone keeps 1/ratio of the higher zones' memory from their allocations */
int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES] = {256, 32};
unsigned long totalreserve_pages;
unsigned long nr_alloc_fallbacks, nr_pageblocks_stolen;

const char *const migratetype_names[MIGRATE_TYPES] = {
    "Unmovable", "Movable", "Reclaimable", "CMA", "Isolate",
};

/* FPI_*: how a block is freed */
#define FPI_NONE 0
#define FPI_SKIP_POISON 0x1 /* boot hand-over: the memory holds nothing */

/* ---- pageblock migratetypes ---------------------------------------------- */

/* The byte holding the migratetype of the pageblock of @page (frame @pfn). */
static inline u8 *pfnblock_slot(const struct page *page, unsigned long pfn)
{
	struct zone *zone = page_zone(page);
	unsigned long base = ALIGN_DOWN(zone->zone_start_pfn, pageblock_nr_pages);

	return &zone->pageblock_flags[(pfn - base) >> pageblock_order];
}

static u8 *pageblock_slot(const struct page *page)
{
	return pfnblock_slot(page, page_to_pfn(page));
}

/* get_pageblock_migratetype() when the caller knows the pfn already. */
static inline int get_pfnblock_migratetype(const struct page *page, unsigned long pfn)
{
	return READ_ONCE(*pfnblock_slot(page, pfn));
}

int get_pageblock_migratetype(const struct page *page)
{
	return READ_ONCE(*pageblock_slot(page));
}

void set_pageblock_migratetype(struct page *page, int migratetype)
{
	if (page_group_by_mobility_disabled && migratetype < MIGRATE_PCPTYPES)
		migratetype = MIGRATE_UNMOVABLE;
	WRITE_ONCE(*pageblock_slot(page), (u8)migratetype);
}

/* Set every pageblock of the 2^order block at @page (order >= pageblock_order). */
static inline void change_pageblock_range(struct page *page, unsigned int order, int migratetype)
{
	for (unsigned long n = 1UL << (order - pageblock_order); n > 0; n--) {
		set_pageblock_migratetype(page, migratetype);
		page += pageblock_nr_pages;
	}
}

/* ---- gfp -> zone, migratetype --------------------------------------------- */

enum zone_type gfp_zone(gfp_t gfp)
{
	/* no highmem on a 64-bit kernel; __GFP_HIGHMEM/__GFP_MOVABLE mean Normal */
	return (gfp & __GFP_DMA) ? ZONE_DMA : ZONE_NORMAL;
}

int gfp_migratetype(gfp_t gfp)
{
	/*
	 * __GFP_MOVABLE is 0x08 and __GFP_RECLAIMABLE 0x10: shifted, the enum
	 * values. Both set is a caller bug; movable is the safe read.
	 */
	static const u8 mt[4] = {MIGRATE_UNMOVABLE, MIGRATE_MOVABLE, MIGRATE_RECLAIMABLE,
				 MIGRATE_MOVABLE};

	if (unlikely(page_group_by_mobility_disabled))
		return MIGRATE_UNMOVABLE;
	return mt[(gfp & GFP_MOVABLE_MASK) >> 3];
}

static const struct {
	gfp_t mask;
	const char *name;
} gfp_names[] = {
    {GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE"},
    {GFP_HIGHUSER, "GFP_HIGHUSER"},
    {GFP_USER, "GFP_USER"},
    {GFP_KERNEL, "GFP_KERNEL"},
    {GFP_NOFS, "GFP_NOFS"},
    {GFP_ATOMIC, "GFP_ATOMIC"},
    {GFP_NOIO, "GFP_NOIO"},
    {GFP_NOWAIT, "GFP_NOWAIT"},
    {__GFP_DMA, "GFP_DMA"},
    {__GFP_HIGHMEM, "__GFP_HIGHMEM"},
    {__GFP_MOVABLE, "__GFP_MOVABLE"},
    {__GFP_RECLAIMABLE, "__GFP_RECLAIMABLE"},
    {__GFP_HIGH, "__GFP_HIGH"},
    {__GFP_IO, "__GFP_IO"},
    {__GFP_FS, "__GFP_FS"},
    {__GFP_ZERO, "__GFP_ZERO"},
    {__GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM"},
    {__GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM"},
    {__GFP_NOWARN, "__GFP_NOWARN"},
    {__GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL"},
    {__GFP_NORETRY, "__GFP_NORETRY"},
    {__GFP_MEMALLOC, "__GFP_MEMALLOC"},
    {__GFP_NOMEMALLOC, "__GFP_NOMEMALLOC"},
    {__GFP_HARDWALL, "__GFP_HARDWALL"},
};

const char *format_gfp(gfp_t gfp, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < ARRAY_SIZE(gfp_names) && gfp; i++) {
		if ((gfp & gfp_names[i].mask) != gfp_names[i].mask)
			continue;
		len += snprintf(buf + MIN(len, size - 1), size - MIN(len, size - 1), "%s%s",
				len ? "|" : "", gfp_names[i].name);
		gfp &= ~gfp_names[i].mask;
	}
	if (gfp)
		len += snprintf(buf + MIN(len, size - 1), size - MIN(len, size - 1), "%s0x%x",
				len ? "|" : "", gfp);
	if (!len)
		snprintf(buf, size, "0");
	return buf;
}

/* ---- free lists ----------------------------------------------------------- */

static inline void set_buddy_order(struct page *page, unsigned int order)
{
	page->private = order;
	page->flags |= 1UL << PG_buddy;
}

/* LAB buddy: BEGIN task 1: the free lists of a zone */
static inline void add_to_free_list(struct page *page, struct zone *zone, unsigned int order,
				    int migratetype)
{
	struct free_area *area = &zone->free_area[order];

	set_buddy_order(page, order);
	list_add(&page->lru, &area->free_list[migratetype]);
	area->nr_free++;
}

static inline void del_page_from_free_list(struct page *page, struct zone *zone, unsigned int order)
{
	list_del(&page->lru);
	page->flags &= ~(1UL << PG_buddy);
	page->private = 0;
	zone->free_area[order].nr_free--;
}

/* Move a free block to another migratetype's list of the same order. */
static inline void move_to_free_list(struct page *page, struct zone *zone, unsigned int order,
				     int migratetype)
{
	list_move(&page->lru, &zone->free_area[order].free_list[migratetype]);
}

static inline struct page *get_page_from_free_area(struct free_area *area, int migratetype)
{
	return list_first_entry_or_null(&area->free_list[migratetype], struct page, lru);
}
/* LAB buddy: ELSE
 * static inline void add_to_free_list(struct page *page, struct zone *zone, unsigned int order,
 * 				    int migratetype)
 * {
 * 	LAB_TODO("buddy", "add_to_free_list()");
 * }
 *
 * static inline void del_page_from_free_list(struct page *page, struct zone *zone,
 * 					   unsigned int order)
 * {
 * 	LAB_TODO("buddy", "del_page_from_free_list()");
 * }
 *
 * static inline void move_to_free_list(struct page *page, struct zone *zone, unsigned int order,
 * 				     int migratetype)
 * {
 * 	LAB_TODO("buddy", "move_to_free_list()");
 * }
 *
 * static inline struct page *get_page_from_free_area(struct free_area *area, int migratetype)
 * {
 * 	LAB_TODO("buddy", "get_page_from_free_area()");
 * }
 */
/* LAB buddy: END */

/* NR_FREE_PAGES (and NR_FREE_CMA_PAGES for CMA blocks) change by @nr. */
static inline void __mod_zone_freepage_state(struct zone *zone, long nr, int migratetype)
{
	zone->vm_stat[NR_FREE_PAGES] += nr;
	if (is_migrate_cma(migratetype))
		zone->vm_stat[NR_FREE_CMA_PAGES] += nr;
}

/* ---- reports ---------------------------------------------------------------- */

const char *page_flags_str(const struct page *page, char *buf, size_t size)
{
	static const char *const names[NR_PAGEFLAGS] = {
	    [PG_reserved] = "reserved",
	    [PG_buddy] = "buddy",
	    [PG_slab] = "slab",
	    [PG_large_kmalloc] = "large_kmalloc",
	};
	unsigned long flags = page->flags, zone = flags >> ZONES_PGSHIFT;
	unsigned long unknown = flags & ~(~0UL << ZONES_PGSHIFT) & ~((1UL << NR_PAGEFLAGS) - 1);
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < NR_PAGEFLAGS && n < size; i++)
		if (flags & (1UL << i))
			n += snprintf(buf + n, size - n, "%s%s", n ? "|" : "", names[i]);
	if (unknown && n < size)
		n += snprintf(buf + n, size - n, "%sunknown 0x%lx", n ? "|" : "", unknown);
	if (n < size)
		snprintf(buf + n, size - n, "%szone %s", n ? ", " : "",
			 zone < MAX_NR_ZONES ? contig_page_data.node_zones[zone].name : "?");
	return buf;
}

/* ---- freeing: merge with buddies ------------------------------------------ */

static inline unsigned long __find_buddy_pfn(unsigned long pfn, unsigned int order)
{
	return pfn ^ (1UL << order);
}

/*
 * Is @buddy the free head of an order-@order block that may merge with
 * @page? It must be free (PG_buddy) with exactly that order, and in the
 * same zone (a zone boundary is never crossed).
 */
static inline bool page_is_buddy(struct page *page, struct page *buddy, unsigned int order)
{
	return PageBuddy(buddy) && buddy_order(buddy) == order &&
	       page_zonenum(buddy) == page_zonenum(page);
}

static inline bool migratetype_is_mergeable(int mt)
{
	return mt < MIGRATE_PCPTYPES;
}

/*
 * __free_one_page - put the free 2^@order block at @page (frame @pfn) on
 * @zone's free lists, merging it with its buddy as long as the buddy is free.
 * Context: zone->lock held. The caller accounts NR_FREE_PAGES.
 */
static void __free_one_page(struct page *page, unsigned long pfn, struct zone *zone,
			    unsigned int order, int migratetype)
{
	/* LAB buddy: BEGIN task 2: merge with free buddies */
	while (order < MAX_PAGE_ORDER) {
		unsigned long buddy_pfn = __find_buddy_pfn(pfn, order);
		struct page *buddy;

		if (!pfn_valid(buddy_pfn))
			break;
		buddy = page + ((long)buddy_pfn - (long)pfn);
		if (!page_is_buddy(page, buddy, order))
			break;
		/*
		 * Two whole pageblocks: don't merge a CMA or isolated one with
		 * an ordinary one, or the merged block would sit on the wrong list.
		 */
		if (order >= pageblock_order) {
			int buddy_mt = get_pageblock_migratetype(buddy);

			if (buddy_mt != migratetype && (!migratetype_is_mergeable(migratetype) ||
							!migratetype_is_mergeable(buddy_mt)))
				break;
		}
		del_page_from_free_list(buddy, zone, order);
		pfn &= buddy_pfn; /* the lower of the two is the merged block's head */
		page = pfn_to_page(pfn);
		order++;
	}
	add_to_free_list(page, zone, order, migratetype);
	/* LAB buddy: ELSE
	 * LAB_TODO("buddy", "__free_one_page()");
	 */
	/* LAB buddy: END */
}

/*
 * Report a bad free and stop: the caller's bug must not corrupt the lists.
 * Works out what the frame is (free, a tail of an allocated block, ...).
 */
static void __noreturn bad_free(struct page *page, unsigned int order, const char *what)
{
	char fbuf[64];
	unsigned long pfn = page_to_pfn(page);

	if (!what && page_ref_count(page) <= 0) {
		what = "double free (the page is already free)";
		for (unsigned o = 1; o <= MAX_PAGE_ORDER; o++) {
			unsigned long head_pfn = pfn & ~((1UL << o) - 1);
			struct page *head = pfn_to_page(head_pfn);

			if (!pfn_valid(head_pfn))
				break;
			if (PageBuddy(head) && buddy_order(head) >= o)
				break; /* inside a free block: a double free */
			if (page_ref_count(head) > 0 && !PageBuddy(head) && head->private >= o) {
				panic("free_pages: page 0x%llx (pfn 0x%lx) is a tail page of the "
				      "order-%lu block at 0x%llx: free the block's first page",
				      PFN_PHYS(pfn), pfn, head->private, PFN_PHYS(head_pfn));
			}
		}
	}
	if (!what)
		what = "bad page state";
	panic("free_pages: %s: page 0x%llx (pfn 0x%lx, order %u) refcount %d flags 0x%lx (%s) "
	      "private %lu",
	      what, PFN_PHYS(pfn), pfn, order, page_ref_count(page), page->flags,
	      page_flags_str(page, fbuf, sizeof(fbuf)), page->private);
}

/*
 * Checks and preparation before a block goes back: the head must have been
 * allocated with this order, every tail page must look allocated-and-unused.
 */
static __always_inline void free_pages_prepare(struct page *page, unsigned int order, int fpi_flags)
{
	if (unlikely(page->private != order)) {
		panic("free_pages: page 0x%llx was allocated with order %lu but freed with "
		      "order %u",
		      PFN_PHYS(page_to_pfn(page)), page->private, order);
	}
	for (unsigned long i = 1; i < (1UL << order); i++)
		if (unlikely(page_ref_count(&page[i]) != 0 || PageBuddy(&page[i])))
			bad_free(&page[i], 0, "tail page in use");
	page->private = 0;
	if (page_poisoning && !(fpi_flags & FPI_SKIP_POISON))
		memset(page_address(page), PAGE_POISON, PAGE_SIZE << order);
}

/* Free a block straight to the buddy lists (no per-CPU list). */
static void free_one_page(struct zone *zone, struct page *page, unsigned long pfn,
			  unsigned int order, int migratetype)
{
	spin_lock(&zone->lock);
	__free_one_page(page, pfn, zone, order, migratetype);
	__mod_zone_freepage_state(zone, 1L << order, migratetype);
	spin_unlock(&zone->lock);
}

static void __free_pages_ok(struct page *page, unsigned int order, int fpi_flags)
{
	unsigned long pfn = page_to_pfn(page);

	free_pages_prepare(page, order, fpi_flags);
	free_one_page(page_zone(page), page, pfn, order, get_pageblock_migratetype(page));
}

void memblock_free_pages(struct page *page, unsigned long pfn, unsigned int order)
{
	unsigned long nr = 1UL << order;
	struct zone *zone = page_zone(page);

	for (unsigned long i = 0; i < nr; i++) {
		page[i].flags &= ~(1UL << PG_reserved);
		set_page_count(&page[i], 0);
	}
	zone->managed_pages += nr;
	if (is_migrate_cma(get_pageblock_migratetype(page)))
		zone->cma_pages += nr;
	page->private = order;
	__free_pages_ok(page, order, FPI_SKIP_POISON);
}

/* ---- per-CPU lists -------------------------------------------------------- */

/*
 * This CPU's list of @zone, for the caller alone: Linux's
 * local_lock_irqsave(&pagesets.lock). Each list is only ever touched by
 * the CPU that owns it, so turning interrupts off on that CPU is all the
 * locking it needs: no interrupt handler can allocate or free in the
 * middle, no timer can move the task to another CPU, and no other CPU
 * reaches in (drain_all_pages asks the owner to drain, by IPI). cpuid()
 * is read after interrupts are off, so the list is the CPU's we run on.
 * local_irq_save() rather than push_off(): two register accesses instead
 * of a nesting count, on the hottest path of the allocator.
 */
static __always_inline struct per_cpu_pages *pcp_local_lock(struct zone *zone, unsigned long *flags)
{
	*flags = local_irq_save();
	return &zone->per_cpu_pageset[cpuid()];
}

static __always_inline void pcp_local_unlock(unsigned long flags)
{
	local_irq_restore(flags);
}

/*
 * free_pcppages_bulk - give @count pages of @pcp back to the buddy, taking
 * the lists in turn and the oldest (coldest) page of each first.
 * Context: on @pcp's CPU, interrupts off (pcp_local_lock).
 */
static void free_pcppages_bulk(struct zone *zone, int count, struct per_cpu_pages *pcp)
{
	int mt = 0;

	spin_lock(&zone->lock);
	while (count > 0 && pcp->count > 0) {
		struct list_head *list = &pcp->lists[mt];

		mt = (mt + 1) % MIGRATE_PCPTYPES;
		if (list_empty(list))
			continue;
		struct page *page = list_last_entry(list, struct page, lru);
		int pb_mt = get_pageblock_migratetype(page);

		list_del(&page->lru);
		pcp->count--;
		count--;
		__free_one_page(page, page_to_pfn(page), zone, 0, pb_mt);
		__mod_zone_freepage_state(zone, 1, pb_mt);
	}
	spin_unlock(&zone->lock);
}

/* Free the order-0 page @page (frame @pfn) onto this CPU's list. */
static __always_inline void free_unref_page(struct page *page, unsigned long pfn)
{
	struct zone *zone = page_zone(page);
	int mt = get_pfnblock_migratetype(page, pfn);
	struct per_cpu_pages *pcp;

	if (unlikely(mt >= MIGRATE_PCPTYPES)) {
		if (is_migrate_isolate(mt)) {
			free_one_page(zone, page, pfn, 0, mt);
			return;
		}
		mt = MIGRATE_MOVABLE; /* CMA: cached with movable, back to CMA on drain */
	}
	unsigned long flags;
	pcp = pcp_local_lock(zone, &flags);
	list_add(&page->lru, &pcp->lists[mt]);
	if (unlikely(++pcp->count >= pcp->high))
		free_pcppages_bulk(zone, pcp->batch, pcp);
	pcp_local_unlock(flags);
}

/*
 * Give @cpu's cached pages of @zone back to the buddy.
 * Context: on @cpu (its list is nobody else's to touch).
 */
static void drain_pages_zone(int cpu, struct zone *zone)
{
	struct per_cpu_pages *pcp;

	push_off();
	pcp = &zone->per_cpu_pageset[cpu];
	if (pcp->count)
		free_pcppages_bulk(zone, pcp->count, pcp);
	pop_off();
}

void drain_local_pages(struct zone *zone)
{
	struct zone *z;
	int cpu;

	push_off(); /* the CPU whose lists these are, for the whole drain */
	cpu = cpuid();
	for_each_populated_zone(z)
		if (!zone || z == zone)
			drain_pages_zone(cpu, z);
	pop_off();
}

static void drain_local_pages_ipi(void *zone)
{
	drain_local_pages(zone);
}

/* Has @cpu any page of @zone (all zones: NULL) cached? Unlocked: a hint. */
static bool cpu_has_pcp_pages(int cpu, struct zone *zone)
{
	struct zone *z;

	for_each_populated_zone(z)
		if ((!zone || z == zone) && READ_ONCE(z->per_cpu_pageset[cpu].count))
			return true;
	return false;
}

/*
 * drain_all_pages - every CPU gives its cached pages back. Another CPU's
 * list can only be touched by that CPU, so each CPU that has pages
 * cached is asked to drain its own, by IPI, and this waits until it has.
 * A page freed to a list after that CPU was looked at stays there (as in
 * Linux): a drain is a best effort for an allocation about to fail.
 * Context: interrupts enabled, no spinlock held (it waits for other
 * CPUs, which must be free to answer); may not be called from an
 * interrupt handler.
 */
void drain_all_pages(struct zone *zone)
{
	if (WARN_ON(!arch_irqs_enabled())) {
		/* the others could be spinning on a lock we hold: they cannot answer */
		drain_local_pages(zone);
		return;
	}
	for (int cpu = 0; cpu < NCPU; cpu++) {
		if (!cpu_has_pcp_pages(cpu, zone))
			continue;
		/* runs directly on this CPU; -EINVAL: offline, so its lists are empty */
		smp_call_function_single(cpu, drain_local_pages_ipi, zone);
	}
}

unsigned long zone_pcp_pages(struct zone *zone)
{
	unsigned long n = 0;

	for (int cpu = 0; cpu < NCPU; cpu++)
		n += READ_ONCE(zone->per_cpu_pageset[cpu].count);
	return n;
}

/*
 * The batch: about a quarter of a thousandth of the zone, at most 1 MiB
 * before the quarter, rounded to 2^n - 1 (Linux's rule, which keeps
 * batches of different CPUs from mapping to the same cache sets).
 */
static int zone_batchsize(struct zone *zone)
{
	unsigned long batch = zone_managed_pages(zone) / 1024;
	unsigned long p = 1;

	batch = MIN(batch, (1UL << 20) / PAGE_SIZE) / 4;
	if (batch < 1)
		batch = 1;
	batch += batch / 2;
	while (p * 2 <= batch)
		p *= 2;
	return p > 1 ? (int)(p - 1) : 1;
}

void zone_pcp_init(struct zone *zone)
{
	int batch = zone_batchsize(zone);

	for (int cpu = 0; cpu < NCPU; cpu++) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		pcp->count = 0;
		pcp->batch = batch;
		pcp->high = 6 * batch;
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			INIT_LIST_HEAD(&pcp->lists[mt]);
	}
}

void zone_init_free_lists(struct zone *zone)
{
	for (int order = 0; order < NR_PAGE_ORDERS; order++) {
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			INIT_LIST_HEAD(&zone->free_area[order].free_list[mt]);
		zone->free_area[order].nr_free = 0;
	}
}

/* ---- allocation: split, fallback ------------------------------------------ */

/*
 * expand - the block at @page has order @high, the caller wants order @low:
 * give back the upper half, then the upper half of the lower half, ...
 *
 *   high = 3, low = 0:   [0 1 2 3 4 5 6 7]
 *                        keep [0..3], free [4..7] (order 2)
 *                        keep [0 1],  free [2 3]  (order 1)
 *                        keep [0],    free [1]    (order 0)
 */
static inline void expand(struct zone *zone, struct page *page, unsigned int low, unsigned int high,
			  int migratetype)
{
	/* LAB buddy: BEGIN task 3: split a block */
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		add_to_free_list(&page[size], zone, high, migratetype);
	}
	/* LAB buddy: ELSE
	 * LAB_TODO("buddy", "expand()");
	 */
	/* LAB buddy: END */
}

/*
 * __rmqueue_smallest - the smallest free block of at least @order on
 * @migratetype's lists, taken off and split down to @order.
 * Context: zone->lock held. Return: the block's first page, or NULL.
 */
static inline struct page *__rmqueue_smallest(struct zone *zone, unsigned int order,
					      int migratetype)
{
	/* LAB buddy: BEGIN task 3: find the smallest block that fits */
	for (unsigned int current_order = order; current_order < NR_PAGE_ORDERS; current_order++) {
		struct free_area *area = &zone->free_area[current_order];
		struct page *page = get_page_from_free_area(area, migratetype);

		if (!page)
			continue;
		del_page_from_free_list(page, zone, current_order);
		expand(zone, page, order, current_order, migratetype);
		return page;
	}
	return NULL;
	/* LAB buddy: ELSE
	 * LAB_TODO("buddy", "__rmqueue_smallest()");
	 */
	/* LAB buddy: END */
}

/* Where each migratetype looks when its own lists are empty, in order. */
static const int fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1] = {
    [MIGRATE_UNMOVABLE] = {MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE},
    [MIGRATE_MOVABLE] = {MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE},
    [MIGRATE_RECLAIMABLE] = {MIGRATE_UNMOVABLE, MIGRATE_MOVABLE},
};

/*
 * May an allocation of @start_mt that found an order-@order block of
 * another type take the free pages of the block's whole pageblock? Yes for
 * blocks of order pageblock_order / 2 or more (order 4 here: 16 pages,
 * 1/32 of a pageblock), and always for unmovable and reclaimable
 * allocations: they are the ones that fragment memory, so it is better
 * they take a block for themselves than scatter over many. A movable
 * allocation otherwise takes only what it needs. (Whether the pageblock
 * then changes type is steal_suitable_fallback's question: half of it free.)
 */
static inline bool can_steal_fallback(unsigned int order, int start_mt)
{
	if (order >= pageblock_order / 2 || start_mt == MIGRATE_RECLAIMABLE ||
	    start_mt == MIGRATE_UNMOVABLE || page_group_by_mobility_disabled)
		return true;
	return false;
}

/*
 * find_suitable_fallback - the first type in @migratetype's fallback list
 * that has a free block of @order; *@can_steal tells if the pageblock may
 * be taken. Return: the type, or -1.
 */
static inline int find_suitable_fallback(struct free_area *area, unsigned int order,
					 int migratetype, bool *can_steal)
{
	*can_steal = false;
	if (area->nr_free == 0)
		return -1;
	for (int i = 0; i < MIGRATE_PCPTYPES - 1; i++) {
		int fallback_mt = fallbacks[migratetype][i];

		if (free_area_empty(area, fallback_mt))
			continue;
		*can_steal = can_steal_fallback(order, migratetype);
		return fallback_mt;
	}
	return -1;
}

/*
 * move_freepages_block - move every free block inside @page's pageblock to
 * @migratetype's lists. Return: the free pages moved.
 * Context: zone->lock held.
 */
static inline unsigned long move_freepages_block(struct zone *zone, struct page *page,
						 int migratetype)
{
	unsigned long start = ALIGN_DOWN(page_to_pfn(page), pageblock_nr_pages);
	unsigned long end = start + pageblock_nr_pages;
	unsigned long pfn, moved = 0;

	start = MAX(start, zone->zone_start_pfn);
	end = MIN(end, zone_end_pfn(zone));
	for (pfn = start; pfn < end;) {
		struct page *p = pfn_to_page(pfn);

		if (PageBuddy(p)) {
			unsigned int order = buddy_order(p);

			move_to_free_list(p, zone, order, migratetype);
			pfn += 1UL << order;
			moved += 1UL << order;
		} else {
			pfn++;
		}
	}
	return moved;
}

/*
 * steal_suitable_fallback - an allocation of @start_type takes the free
 * block at @page from another type's list. A block of a whole pageblock
 * or more changes type entirely. Otherwise, when @whole_block allows, all
 * free pages of its pageblock move to @start_type's lists, and if they are
 * at least half the pageblock, the pageblock changes type too: later frees
 * in it then come back to @start_type. Else only this block moves.
 * Context: zone->lock held.
 */
static inline void steal_suitable_fallback(struct zone *zone, struct page *page, int start_type,
					   bool whole_block)
{
	/* LAB buddy: BEGIN task 4: steal from another migratetype */
	unsigned int current_order = buddy_order(page);

	if (current_order >= pageblock_order) {
		change_pageblock_range(page, current_order, start_type);
		nr_pageblocks_stolen += 1UL << (current_order - pageblock_order);
		move_to_free_list(page, zone, current_order, start_type);
		return;
	}
	if (whole_block) {
		unsigned long free_pages = move_freepages_block(zone, page, start_type);

		if (free_pages >= pageblock_nr_pages / 2 || page_group_by_mobility_disabled) {
			set_pageblock_migratetype(page, start_type);
			nr_pageblocks_stolen++;
		}
		return;
	}
	move_to_free_list(page, zone, current_order, start_type);
	/* LAB buddy: ELSE
	 * LAB_TODO("buddy", "steal_suitable_fallback()");
	 */
	/* LAB buddy: END */
}

/*
 * __rmqueue_fallback - no block of @start_mt fits: move one from another
 * type to @start_mt's lists so that __rmqueue_smallest can then take it.
 *
 * Search from the largest order down: taking a big block from another type
 * (and maybe its whole pageblock) mixes types in fewer pageblocks than
 * nibbling small blocks from many. A movable allocation that may not steal
 * the pageblock takes the smallest fitting block instead: it would only
 * split a large block of someone else's for nothing.
 * Context: zone->lock held. Return: true if a block was moved.
 */
static bool __rmqueue_fallback(struct zone *zone, unsigned int order, int start_mt)
{
	/* LAB buddy: BEGIN task 4: fall back to another migratetype */
	struct free_area *area;
	struct page *page;
	int current_order, fallback_mt = -1;
	bool can_steal = false;

	for (current_order = MAX_PAGE_ORDER; current_order >= (int)order; current_order--) {
		area = &zone->free_area[current_order];
		fallback_mt = find_suitable_fallback(area, current_order, start_mt, &can_steal);
		if (fallback_mt == -1)
			continue;
		if (!can_steal && start_mt == MIGRATE_MOVABLE && current_order > (int)order) {
			/* find the smallest block of any fallback type instead */
			for (current_order = order; current_order <= MAX_PAGE_ORDER;
			     current_order++) {
				area = &zone->free_area[current_order];
				fallback_mt = find_suitable_fallback(area, current_order, start_mt,
								     &can_steal);
				if (fallback_mt != -1)
					break;
			}
		}
		break;
	}
	if (fallback_mt == -1 || current_order < (int)order || current_order > MAX_PAGE_ORDER)
		return false;
	page = get_page_from_free_area(area, fallback_mt);
	steal_suitable_fallback(zone, page, start_mt, can_steal);
	nr_alloc_fallbacks++;
	return true;
	/* LAB buddy: ELSE
	 * LAB_TODO("buddy", "__rmqueue_fallback()");
	 */
	/* LAB buddy: END */
}

/* CMA blocks serve only movable allocations, after (or before) their own lists. */
static struct page *__rmqueue_cma_fallback(struct zone *zone, unsigned int order)
{
	return __rmqueue_smallest(zone, order, MIGRATE_CMA);
}

/*
 * __rmqueue - a block of @order for @migratetype: own lists, then CMA (for
 * movable allocations), then another type's.
 * Context: zone->lock held. The caller accounts NR_FREE_PAGES.
 */
static struct page *__rmqueue(struct zone *zone, unsigned int order, int migratetype,
			      unsigned int alloc_flags)
{
	struct page *page;

	/*
	 * Keep CMA memory in use: when more than half of the zone's free
	 * memory is CMA, movable allocations take it first, so the rest stays
	 * for the unmovable ones that cannot use CMA.
	 */
	if ((alloc_flags & ALLOC_CMA) &&
	    zone_page_state(zone, NR_FREE_CMA_PAGES) > zone_page_state(zone, NR_FREE_PAGES) / 2) {
		page = __rmqueue_cma_fallback(zone, order);
		if (page)
			return page;
	}
	for (;;) {
		page = __rmqueue_smallest(zone, order, migratetype);
		if (page)
			return page;
		if (alloc_flags & ALLOC_CMA) {
			page = __rmqueue_cma_fallback(zone, order);
			if (page)
				return page;
		}
		if (!__rmqueue_fallback(zone, order, migratetype))
			return NULL;
	}
}

/* Take up to @count order-@order blocks onto @list. Return: how many. */
static int rmqueue_bulk(struct zone *zone, unsigned int order, int count, struct list_head *list,
			int migratetype, unsigned int alloc_flags)
{
	int i;

	spin_lock(&zone->lock);
	for (i = 0; i < count; i++) {
		struct page *page = __rmqueue(zone, order, migratetype, alloc_flags);

		if (!page)
			break;
		list_add_tail(&page->lru, list);
		__mod_zone_freepage_state(zone, -(1L << order), get_pageblock_migratetype(page));
	}
	spin_unlock(&zone->lock);
	return i;
}

/*
 * rmqueue_pcplist - an order-0 page of @migratetype from this CPU's list
 * of @zone. An empty list is refilled with a batch from the buddy when
 * @refill (the caller checked the zone's watermark); else NULL.
 */
static __always_inline struct page *rmqueue_pcplist(struct zone *zone, int migratetype,
						    unsigned int alloc_flags, bool refill)
{
	unsigned long flags;
	struct per_cpu_pages *pcp = pcp_local_lock(zone, &flags);
	struct list_head *list = &pcp->lists[migratetype];
	struct page *page = NULL;

	if (unlikely(list_empty(list))) {
		if (refill)
			pcp->count +=
			    rmqueue_bulk(zone, 0, pcp->batch, list, migratetype, alloc_flags);
		if (list_empty(list))
			goto out;
	}
	page = list_first_entry(list, struct page, lru);
	list_del(&page->lru);
	pcp->count--;
out:
	pcp_local_unlock(flags);
	return page;
}

/* One block of @order from @zone: per-CPU list for order 0, else the buddy. */
static __always_inline struct page *rmqueue(struct zone *zone, unsigned int order, int migratetype,
					    unsigned int alloc_flags)
{
	struct page *page;

	if (likely(order == 0))
		return rmqueue_pcplist(zone, migratetype, alloc_flags, true);
	spin_lock(&zone->lock);
	page = __rmqueue(zone, order, migratetype, alloc_flags);
	if (page)
		__mod_zone_freepage_state(zone, -(1L << order), get_pageblock_migratetype(page));
	spin_unlock(&zone->lock);
	return page;
}

static void __noreturn bad_new_page(struct page *page, unsigned int order)
{
	char fbuf[64];

	panic("alloc_pages: free page 0x%llx (order %u) was changed while free: refcount %d "
	      "flags 0x%lx (%s)",
	      PFN_PHYS(page_to_pfn(page)), order, page_ref_count(page), page->flags,
	      page_flags_str(page, fbuf, sizeof(fbuf)));
}

/* A block leaves the allocator: head refcount 1, its order recorded. */
static __always_inline void prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	if (unlikely(page_ref_count(page) != 0 ||
		     (page->flags & ((1UL << PG_buddy) | (1UL << PG_reserved)))))
		bad_new_page(page, order);
	set_page_count(page, 1);
	page->private = order;
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
}

/* ---- watermarks ----------------------------------------------------------- */

/*
 * __zone_watermark_ok - after taking 2^@order pages, would @z keep more than
 * @mark free, plus the pages it holds back for allocations that could have
 * used a higher zone (lowmem_reserve)? And is there a free block of @order
 * that this allocation may use?
 */
static bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
				int highest_zoneidx, unsigned int alloc_flags, long free_pages)
{
	long min = (long)mark;

	free_pages -= (1L << order) - 1;
	if (!(alloc_flags & ALLOC_CMA))
		free_pages -= (long)zone_page_state(z, NR_FREE_CMA_PAGES);
	if (alloc_flags & ALLOC_MIN_RESERVE) {
		min -= min / 2; /* __GFP_HIGH: half the reserve */
		if (alloc_flags & ALLOC_NON_BLOCK)
			min -= min / 4; /* and cannot sleep (GFP_ATOMIC): a quarter more */
	}
	if (free_pages <= min + z->lowmem_reserve[highest_zoneidx])
		return false;
	if (order == 0)
		return true;
	for (unsigned int o = order; o < NR_PAGE_ORDERS; o++) {
		struct free_area *area = &z->free_area[o];

		if (!area->nr_free)
			continue;
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			if (!free_area_empty(area, mt))
				return true;
		if ((alloc_flags & ALLOC_CMA) && !free_area_empty(area, MIGRATE_CMA))
			return true;
	}
	return false;
}

bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark, int highest_zoneidx,
		       unsigned int alloc_flags)
{
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				   (long)zone_page_state(z, NR_FREE_PAGES));
}

/* The common case first: order 0, plenty free. */
static __always_inline bool zone_watermark_fast(struct zone *z, unsigned int order,
						unsigned long mark, int highest_zoneidx,
						unsigned int alloc_flags)
{
	long free_pages = (long)zone_page_state(z, NR_FREE_PAGES);

	if (order == 0) {
		long usable = free_pages;

		if (!(alloc_flags & ALLOC_CMA))
			usable -= (long)zone_page_state(z, NR_FREE_CMA_PAGES);
		if (usable > (long)mark + z->lowmem_reserve[highest_zoneidx])
			return true;
	}
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags, free_pages);
}

/* ---- the allocator -------------------------------------------------------- */

/*
 * get_page_from_freelist - walk the zonelist from the highest allowed zone
 * down and take the block from the first zone that passes its watermark.
 */
static __always_inline struct page *get_page_from_freelist(gfp_t gfp, unsigned int order,
							   int alloc_flags,
							   const struct alloc_context *ac)
{
	for (struct zoneref *z = ac->preferred_zoneref; z->zone; z++) {
		struct zone *zone = z->zone;
		struct page *page;

		if (z->zone_idx > (int)ac->highest_zoneidx)
			continue;
		if (!(alloc_flags & ALLOC_NO_WATERMARKS)) {
			unsigned long mark = wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK);

			if (!zone_watermark_fast(zone, order, mark, ac->highest_zoneidx,
						 alloc_flags))
				continue;
		}
		page = rmqueue(zone, order, ac->migratetype, alloc_flags);
		if (page) {
			prep_new_page(page, order, gfp);
			return page;
		}
	}
	return NULL;
}

static unsigned int gfp_to_alloc_flags(gfp_t gfp, int migratetype)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN;

	if (gfp & __GFP_HIGH)
		alloc_flags |= ALLOC_MIN_RESERVE;
	if (!(gfp & __GFP_DIRECT_RECLAIM) && !(gfp & __GFP_NOMEMALLOC))
		alloc_flags |= ALLOC_NON_BLOCK;
	if (gfp & __GFP_KSWAPD_RECLAIM)
		alloc_flags |= ALLOC_KSWAPD;
	if (migratetype == MIGRATE_MOVABLE)
		alloc_flags |= ALLOC_CMA;
	return alloc_flags;
}

/*
 * The hook where kswapd gets woken: every zone the allocation could use.
 * mm/vmscan.c decides what to do (nothing yet).
 */
static void wake_all_kswapds(unsigned int order, gfp_t gfp, const struct alloc_context *ac)
{
	for (struct zoneref *z = ac->preferred_zoneref; z->zone; z++)
		if (z->zone_idx <= (int)ac->highest_zoneidx)
			wakeup_kswapd(z->zone, gfp, order, ac->highest_zoneidx);
}

/* One line per failure: what was asked, and how the zones stood. */
static void warn_alloc(gfp_t gfp, unsigned int order, const struct alloc_context *ac)
{
	struct proc *p = myproc();
	struct zone *z = &contig_page_data.node_zones[ac->highest_zoneidx];
	char flags[160];

	printk("%s: page allocation failure: order:%u, mode:0x%x(%s), zone %s: free %lu (min %lu), "
	       "all zones free %lu pages\n",
	       p ? p->name : "kernel", order, gfp, format_gfp(gfp, flags, sizeof(flags)), z->name,
	       zone_page_state(z, NR_FREE_PAGES), min_wmark_pages(z), nr_free_pages());
}

#define MAX_RECLAIM_RETRIES 16

/*
 * __alloc_pages_slowpath - the fast path failed: every zone is below its
 * low watermark (or has no block that large).
 *
 *   1. wake kswapd (hook), retry against min (with reserves for
 *      __GFP_HIGH / atomic callers)
 *   2. __GFP_MEMALLOC: retry ignoring watermarks
 *   3. cannot sleep: fail
 *   4. direct reclaim (hook), then drain the per-CPU lists, retry; retry
 *      while reclaim makes progress (never yet: reclaim is planned)
 *   5. fail: NULL with one warning line unless __GFP_NOWARN
 */
static __attribute__((noinline)) struct page *__alloc_pages_slowpath(gfp_t gfp, unsigned int order,
								     struct alloc_context *ac)
{
	unsigned int alloc_flags = gfp_to_alloc_flags(gfp, ac->migratetype);
	bool can_direct_reclaim = gfp & __GFP_DIRECT_RECLAIM;
	bool drained = false;
	int no_progress_loops = 0;
	struct page *page;

retry:
	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(order, gfp, ac);
	page = get_page_from_freelist(gfp, order, alloc_flags, ac);
	if (page)
		return page;
	if ((gfp & __GFP_MEMALLOC) && !(gfp & __GFP_NOMEMALLOC)) {
		/* from now on, watermarks do not apply to this allocation */
		alloc_flags = ALLOC_NO_WATERMARKS | (alloc_flags & (ALLOC_CMA | ALLOC_KSWAPD));
		page = get_page_from_freelist(gfp, order, alloc_flags, ac);
		if (page)
			return page;
	}
	if (!can_direct_reclaim)
		goto nopage;

	/* Direct reclaim: the allocating task frees pages itself (a "stall"). */
	unsigned long progress = try_to_free_pages(ac->zonelist, order, gfp);
	page = get_page_from_freelist(gfp, order, alloc_flags, ac);
	if (page)
		return page;
	/* Free pages may be sitting on other CPUs' lists. */
	if (!drained) {
		drain_all_pages(NULL);
		drained = true;
		page = get_page_from_freelist(gfp, order, alloc_flags, ac);
		if (page)
			return page;
	}
	/* (compaction for costly orders would go here: planned, with CMA) */
	if (gfp & __GFP_NORETRY)
		goto nopage;
	if (order > PAGE_ALLOC_COSTLY_ORDER && !(gfp & __GFP_RETRY_MAYFAIL))
		goto nopage;
	if (progress && ++no_progress_loops < MAX_RECLAIM_RETRIES)
		goto retry;
	/* (the OOM killer would go here: planned, with reclaim) */
nopage:
	if (!(gfp & __GFP_NOWARN))
		warn_alloc(gfp, order, ac);
	return NULL;
}

/* What an allocation asks for, from its gfp: zones, migratetype, where to start. */
static __always_inline void prepare_alloc_pages(gfp_t gfp, struct alloc_context *ac)
{
	ac->highest_zoneidx = gfp_zone(gfp);
	ac->zonelist = &contig_page_data.node_zonelists[0];
	ac->preferred_zoneref = first_zones_zonelist(ac->zonelist, ac->highest_zoneidx);
	ac->migratetype = gfp_migratetype(gfp);
}

/*
 * A larger block, or an empty per-CPU list: walk the zones, check their
 * watermarks, take from the buddy; the slow path when that fails.
 */
static __attribute__((noinline)) struct page *__alloc_pages_zonelist(gfp_t gfp, unsigned int order)
{
	struct alloc_context ac;
	unsigned int alloc_flags;
	struct page *page;

	prepare_alloc_pages(gfp, &ac);
	alloc_flags = ALLOC_WMARK_LOW | (ac.migratetype == MIGRATE_MOVABLE ? ALLOC_CMA : 0);
	page = get_page_from_freelist(gfp, order, alloc_flags, &ac);
	if (likely(page))
		return page;
	return __alloc_pages_slowpath(gfp, order, &ac);
}

/*
 * The fast path, inlined into each entry point (alloc_pages, __get_free_pages).
 *
 * Most allocations are order 0 and find a page on this CPU's list of their
 * preferred zone: they take it and need nothing else. That zone is
 * gfp_zone(gfp), the first of the zonelist, when it has memory (an empty
 * zone's lists stay empty, and the zonelist walk finds the next one).
 *
 * No watermark check on a list hit: the pages on a per-CPU list left the
 * zone's NR_FREE_PAGES when the list was refilled, and the watermark was
 * checked then. Linux checks again on every allocation; the answer only
 * differs once the zone is below low, and then the list is empty within
 * pcp->high allocations and its refill takes the checked path (and the
 * slow path, and kswapd). The reserves below the watermarks are buddy
 * pages, which a list hit does not touch.
 */
static __always_inline struct page *__alloc_pages(gfp_t gfp, unsigned int order)
{
	struct page *page;

	if (unlikely(order > MAX_PAGE_ORDER)) {
		if (!(gfp & __GFP_NOWARN))
			printk("alloc_pages: order %u is above MAX_PAGE_ORDER (%d): no block that "
			       "large exists\n",
			       order, MAX_PAGE_ORDER);
		return NULL;
	}
	if (likely(order == 0)) {
		struct zone *preferred = &contig_page_data.node_zones[gfp_zone(gfp)];

		page = rmqueue_pcplist(preferred, gfp_migratetype(gfp), 0, false);
		if (likely(page)) {
			prep_new_page(page, 0, gfp);
			return page;
		}
	}
	return __alloc_pages_zonelist(gfp, order);
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return __alloc_pages(gfp, order);
}

/* Drop a reference to the 2^@order block at @page (frame @pfn); the last one frees it. */
static __always_inline void free_the_page(struct page *page, unsigned long pfn, unsigned int order)
{
	if (unlikely(page_ref_count(page) <= 0 || PageReserved(page)))
		bad_free(page, order, PageReserved(page) ? "reserved page" : NULL);
	if (!put_page_testzero(page))
		return; /* someone else still holds a reference */
	if (likely(order == 0)) {
		free_pages_prepare(page, 0, FPI_NONE);
		free_unref_page(page, pfn);
	} else {
		__free_pages_ok(page, order, FPI_NONE);
	}
}

void __free_pages(struct page *page, unsigned int order)
{
	free_the_page(page, page_to_pfn(page), order);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = __alloc_pages(gfp, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

void free_pages(unsigned long addr, unsigned int order)
{
	unsigned long pfn;

	if (addr == 0)
		return;
	pfn = __pa(addr) >> PAGE_SHIFT;
	if ((addr & (PAGE_SIZE - 1)) || !pfn_valid(pfn) ||
	    (order && !pfn_valid(pfn + (1UL << order) - 1)))
		panic("free_pages: 0x%lx is not a page of RAM", addr);
	free_the_page(pfn_to_page(pfn), pfn, order);
}

void split_page(struct page *page, unsigned int order)
{
	page->private = 0;
	for (unsigned long i = 1; i < (1UL << order); i++) {
		set_page_count(&page[i], 1);
		page[i].private = 0;
	}
}

void *alloc_pages_exact(size_t size, gfp_t gfp)
{
	unsigned int order = get_order(size);
	unsigned long addr = __get_free_pages(gfp, order);

	if (!addr || size == 0)
		return (void *)addr;
	/* split the block and give back the pages past the end */
	split_page(virt_to_page((void *)addr), order);
	for (unsigned long a = addr + PAGE_ALIGN(size); a < addr + (PAGE_SIZE << order);
	     a += PAGE_SIZE)
		free_page(a);
	return (void *)addr;
}

void free_pages_exact(void *virt, size_t size)
{
	unsigned long addr = (unsigned long)virt;

	for (unsigned long a = addr; a < addr + PAGE_ALIGN(size); a += PAGE_SIZE)
		free_page(a);
}

unsigned long nr_free_pages(void)
{
	unsigned long n = 0;
	struct zone *zone;

	for_each_populated_zone(zone)
		n += zone_page_state(zone, NR_FREE_PAGES) + zone_pcp_pages(zone);
	return n;
}

unsigned long totalram_pages(void)
{
	unsigned long n = 0;
	struct zone *zone;

	for_each_zone(zone)
		n += zone_managed_pages(zone);
	return n;
}

/* ---- watermarks from min_free_kbytes -------------------------------------- */

int int_sqrt_ul(unsigned long x)
{
	unsigned long r = 0, bit = 1UL << 62;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return (int)r;
}

/*
 * Each lower zone holds back, from allocations that could have used a higher
 * zone, 1/ratio of the memory of the zones above it: so GFP_KERNEL cannot
 * eat all of ZONE_DMA, which GFP_DMA callers have nowhere else to find.
 */
static void setup_per_zone_lowmem_reserve(void)
{
	struct zone *zones = contig_page_data.node_zones;

	for (int i = 0; i < MAX_NR_ZONES; i++) {
		unsigned long above = 0;

		zones[i].lowmem_reserve[i] = 0;
		for (int j = i + 1; j < MAX_NR_ZONES; j++) {
			above += zone_managed_pages(&zones[j]);
			zones[i].lowmem_reserve[j] =
			    sysctl_lowmem_reserve_ratio[i]
				? (long)(above / sysctl_lowmem_reserve_ratio[i])
				: 0;
		}
		for (int j = 0; j < i; j++)
			zones[i].lowmem_reserve[j] = 0;
	}
}

/* Pages that user allocations never get: high watermark + largest reserve. */
static void calculate_totalreserve_pages(void)
{
	unsigned long total = 0;
	struct zone *zone;

	for_each_zone(zone) {
		long max = 0;

		for (int j = 0; j < MAX_NR_ZONES; j++)
			max = MAX(max, zone->lowmem_reserve[j]);
		max += (long)high_wmark_pages(zone);
		total += MIN((unsigned long)max, zone_managed_pages(zone));
	}
	totalreserve_pages = total;
}

/*
 * setup_per_zone_wmarks - min_free_kbytes split over the zones in
 * proportion to their managed pages: a zone with 800 MiB of 1 GiB gets
 * 800/1024 of it as its min; low = min + min/4, high = min + min/2.
 */
void setup_per_zone_wmarks(void)
{
	unsigned long pages_min = (unsigned long)min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem_pages = totalram_pages();
	struct zone *zone;

	for_each_zone(zone) {
		unsigned long tmp = 0;

		if (lowmem_pages)
			tmp = pages_min * zone_managed_pages(zone) / lowmem_pages;
		spin_lock(&zone->lock);
		zone->_watermark[WMARK_MIN] = tmp;
		zone->_watermark[WMARK_LOW] = tmp + tmp / 4;
		zone->_watermark[WMARK_HIGH] = tmp + tmp / 2;
		spin_unlock(&zone->lock);
	}
	setup_per_zone_lowmem_reserve();
	calculate_totalreserve_pages();
}

/*
 * init_per_zone_wmark_min - min_free_kbytes = sqrt(16 * lowmem in KiB),
 * between 128 KiB and 256 MiB (Linux's rule: it grows slower than memory:
 * 16 MiB -> 512 KiB, 128 MiB -> 1448 KiB, 2 GiB -> 5792 KiB), unless set
 * by hand (boot argument or /proc/sys/vm/min_free_kbytes).
 */
void init_per_zone_wmark_min(void)
{
	unsigned long lowmem_kbytes = totalram_pages() * (PAGE_SIZE >> 10);
	int new_min = int_sqrt_ul(lowmem_kbytes * 16);

	if (user_min_free_kbytes >= 0)
		min_free_kbytes = user_min_free_kbytes;
	else
		min_free_kbytes = MIN(MAX(new_min, 128), 262144);
	setup_per_zone_wmarks();
}

int min_free_kbytes_sysctl_handler(long value)
{
	/* Linux takes any value >= 0; above a quarter of RAM nothing would work */
	if (value < 0 || (unsigned long)value > totalram_pages() * (PAGE_SIZE >> 10) / 4)
		return -EINVAL;
	user_min_free_kbytes = min_free_kbytes = (int)value;
	setup_per_zone_wmarks();
	return 0;
}

void init_cma_reserved_pageblock(struct page *page)
{
	if (WARN_ON(!PageReserved(page) || !IS_ALIGNED(page_to_pfn(page), pageblock_nr_pages)))
		return;
	set_pageblock_migratetype(page, MIGRATE_CMA);
	memblock_free_pages(page, page_to_pfn(page), pageblock_order);
	setup_per_zone_wmarks();
}
