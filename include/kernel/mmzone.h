/*
 * kernel/mmzone.h - the memory model: node -> zone -> page, the buddy free
 * lists, migratetypes and pageblocks, per-CPU page lists and watermarks.
 *
 * Pagoda has one node (contig_page_data, Linux's name for the only node of
 * a non-NUMA machine) with two zones:
 *
 *   RAM start                 + dma_limit (16 MiB)                  RAM end
 *   |------ ZONE_DMA ----------|-------------- ZONE_NORMAL -------------|
 *
 * ZONE_DMA is the low part of RAM that a pretend DMA-limited device can
 * reach (Linux's ISA DMA zone reaches the first 16 MiB of physical memory;
 * Pagoda's is the first dma_limit bytes of RAM, which does not start at 0).
 * GFP_DMA allocations come only from it; others prefer ZONE_NORMAL and fall
 * back to ZONE_DMA along the zonelist. A 64-bit kernel maps all RAM, so
 * there is no ZONE_HIGHMEM.
 *
 * Each zone keeps its free memory in free_area[order] (order 0..MAX_PAGE_ORDER),
 * each split into one list per migratetype. Memory is grouped in pageblocks
 * of 2^pageblock_order pages (2 MiB) that each carry a migratetype; an
 * allocation takes a free block from a pageblock of its own type and only
 * falls back to ("steals from") another type when there is none.
 *
 * Watermarks: an allocation succeeds on the fast path only if the zone
 * keeps more than the low watermark free afterwards; the slow path wakes
 * kswapd (a hook only: reclaim is planned) and goes down to min; __GFP_HIGH and GFP_ATOMIC may
 * go below min. high is where kswapd stops.
 *
 *   free pages ^
 *              |  high  ......... kswapd goes back to sleep
 *              |  low   ......... kswapd is woken
 *              |  min   ......... direct reclaim; only atomic/high below
 *              +--------------------------------------------------> time
 *
 * Locking: zone->lock protects free_area, the zone's NR_FREE_* counters and
 * the pageblock migratetypes; each per_cpu_pages is touched only by the CPU
 * that owns it, with interrupts off (other CPUs ask it to drain by IPI).
 * Order: interrupts off for the per-CPU list, then zone->lock.
 *
 * See: Linux include/linux/mmzone.h, Documentation/mm/physical_memory.rst,
 * mm/page_alloc.c, mm/mm_init.c, labs/buddy/README.md.
 */
#ifndef _KERNEL_MMZONE_H
#define _KERNEL_MMZONE_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <kernel/gfp.h>
#include <kernel/mm_types.h>
#include <kernel/proc.h> /* NCPU */

enum zone_type {
	ZONE_DMA,    /* [RAM start, RAM start + dma_limit) */
	ZONE_NORMAL, /* the rest */
	MAX_NR_ZONES
};

/*
 * Migratetypes: how movable the pages of a pageblock are. The first
 * MIGRATE_PCPTYPES have per-CPU lists and fall back to each other; CMA
 * blocks only serve movable allocations; ISOLATE blocks serve nobody (the
 * CMA and memory-offline code isolates a range before taking it).
 */
enum migratetype {
	MIGRATE_UNMOVABLE,   /* kernel data: page tables, kmalloc, stacks */
	MIGRATE_MOVABLE,     /* user pages: could be migrated or swapped */
	MIGRATE_RECLAIMABLE, /* caches that can be dropped */
	MIGRATE_PCPTYPES,
	MIGRATE_CMA = MIGRATE_PCPTYPES, /* lent to movable allocations (CMA: planned) */
	MIGRATE_ISOLATE,
	MIGRATE_TYPES
};

extern const char *const migratetype_names[MIGRATE_TYPES];

/* Pageblocks: 2^9 pages = 2 MiB, the size of a level-1 leaf (a "huge page"). */
#define pageblock_order 9
#define pageblock_nr_pages (1UL << pageblock_order)

/* 1 when memory is too small to group by mobility (or a benchmark says so). */
extern bool page_group_by_mobility_disabled;

struct free_area {
	struct list_head free_list[MIGRATE_TYPES];
	unsigned long nr_free; /* blocks of this order on all lists */
};

/*
 * A CPU's cache of free order-0 pages of one zone. Only that CPU touches
 * it, with its interrupts off (Linux's local_lock): no lock of its own.
 */
struct per_cpu_pages {
	int count; /* pages on the lists */
	int high;  /* free a batch back to the buddy above this */
	int batch; /* pages moved to/from the buddy at a time */
	struct list_head lists[MIGRATE_PCPTYPES];
};

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, NR_WMARK };

enum zone_stat_item {
	NR_FREE_PAGES,	   /* in free_area (not counting per-CPU lists) */
	NR_FREE_CMA_PAGES, /* the part of NR_FREE_PAGES in CMA pageblocks */
	NR_VM_ZONE_STAT_ITEMS
};

struct pglist_data;

struct zone {
	/* read-mostly: set at boot and when min_free_kbytes changes */
	unsigned long _watermark[NR_WMARK];
	/* pages kept back from allocations that could have used a higher zone */
	long lowmem_reserve[MAX_NR_ZONES];
	struct pglist_data *zone_pgdat;
	const char *name;
	unsigned long zone_start_pfn;
	unsigned long spanned_pages; /* zone_end_pfn - zone_start_pfn */
	unsigned long present_pages; /* RAM in the span (no holes in Pagoda) */
	unsigned long managed_pages; /* handed to the buddy allocator */
	unsigned long cma_pages;     /* managed pages in CMA pageblocks */
	u8 *pageblock_flags;	     /* migratetype of each pageblock (memblock) */

	struct per_cpu_pages per_cpu_pageset[NCPU];

	/* zone->lock protects these: */
	struct spinlock lock;
	struct free_area free_area[NR_PAGE_ORDERS];
	long vm_stat[NR_VM_ZONE_STAT_ITEMS];
};

/* One entry of a zonelist: the zone, and its index kept beside it. */
struct zoneref {
	struct zone *zone;
	int zone_idx;
};

/* Where an allocation may be served from, best first. */
struct zonelist {
	struct zoneref _zonerefs[MAX_NR_ZONES + 1]; /* ended by zone == NULL */
};

/*
 * first_zones_zonelist - the first entry of @zonelist that an allocation
 * limited to @highest_zoneidx may use (Linux's name; no nodemask: one
 * node). Its zone is NULL when there is none.
 */
static inline struct zoneref *first_zones_zonelist(struct zonelist *zonelist,
						   enum zone_type highest_zoneidx)
{
	struct zoneref *z = zonelist->_zonerefs;

	while (z->zone && z->zone_idx > (int)highest_zoneidx)
		z++;
	return z;
}

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	/* _zonerefs of node_zonelists[0]: ZONE_NORMAL, ZONE_DMA (highest first) */
	struct zonelist node_zonelists[1];
	int nr_zones;
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	int node_id;
} pg_data_t;

extern struct pglist_data contig_page_data;
#define NODE_DATA(nid) (&contig_page_data)

static inline unsigned long zone_end_pfn(const struct zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}

static inline bool zone_spans_pfn(const struct zone *zone, unsigned long pfn)
{
	return pfn >= zone->zone_start_pfn && pfn < zone_end_pfn(zone);
}

static inline bool populated_zone(const struct zone *zone)
{
	return zone->present_pages != 0;
}

static inline bool managed_zone(const struct zone *zone)
{
	return zone->managed_pages != 0;
}

static inline unsigned long zone_managed_pages(const struct zone *zone)
{
	return READ_ONCE(zone->managed_pages);
}

static inline enum zone_type zone_idx(const struct zone *zone)
{
	return (enum zone_type)(zone - zone->zone_pgdat->node_zones);
}

static inline unsigned long wmark_pages(const struct zone *z, enum zone_watermarks w)
{
	return READ_ONCE(z->_watermark[w]);
}
#define min_wmark_pages(z) wmark_pages(z, WMARK_MIN)
#define low_wmark_pages(z) wmark_pages(z, WMARK_LOW)
#define high_wmark_pages(z) wmark_pages(z, WMARK_HIGH)

static inline unsigned long zone_page_state(const struct zone *zone, enum zone_stat_item item)
{
	long x = READ_ONCE(zone->vm_stat[item]);

	return x < 0 ? 0 : (unsigned long)x;
}

static inline bool free_area_empty(const struct free_area *area, int migratetype)
{
	return list_empty(&area->free_list[migratetype]);
}

static inline bool is_migrate_cma(int migratetype)
{
	return migratetype == MIGRATE_CMA;
}

static inline bool is_migrate_isolate(int migratetype)
{
	return migratetype == MIGRATE_ISOLATE;
}

#define for_each_zone(zone)                        \
	for ((zone) = contig_page_data.node_zones; \
	     (zone) < contig_page_data.node_zones + MAX_NR_ZONES; (zone)++)
#define for_each_populated_zone(zone)        \
	for_each_zone(zone)                  \
		if (!populated_zone(zone)) { \
		} else

/* ---- mm/page_alloc.c ---------------------------------------------------- */

/* Linux's sysctls (/proc/sys/vm/min_free_kbytes) and what they derive. */
extern int min_free_kbytes;
extern int user_min_free_kbytes; /* -1 until set by hand */
extern int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES];
extern unsigned long totalreserve_pages; /* pages no user allocation gets */
extern bool page_poisoning;		 /* fill freed pages with PAGE_POISON */
#define PAGE_POISON 0x5a

/* The migratetype of the pageblock holding @page. Context: any. */
int get_pageblock_migratetype(const struct page *page);
/* Set it. Context: zone->lock held, or boot. */
void set_pageblock_migratetype(struct page *page, int migratetype);
/* Which zones an allocation with @gfp may use (the highest one). */
enum zone_type gfp_zone(gfp_t gfp);
int gfp_migratetype(gfp_t gfp);

/*
 * zone_watermark_ok - could @z serve an @order allocation and keep more
 * than @mark pages free (plus its lowmem reserve for allocations that
 * could have used @highest_zoneidx)? @alloc_flags are ALLOC_* of mm/internal.h.
 */
bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark, int highest_zoneidx,
		       unsigned int alloc_flags);

/* Give every CPU's cached order-0 pages of @zone (all zones: NULL) back. */
void drain_all_pages(struct zone *zone);
/* The same for the calling CPU only. */
void drain_local_pages(struct zone *zone);

/* Recompute watermarks and reserves from min_free_kbytes (boot, sysctl). */
void setup_per_zone_wmarks(void);
/* Boot: min_free_kbytes from lowmem (or the boot argument), then watermarks. */
void init_per_zone_wmark_min(void);
/* /proc/sys/vm/min_free_kbytes written. Return: 0 or -EINVAL. */
int min_free_kbytes_sysctl_handler(long value);

/* A pageblock of reserved pages becomes CMA, its pages given to the buddy. */
void init_cma_reserved_pageblock(struct page *page);

/* ---- mm/vmstat.c: /proc generators -------------------------------------- */
struct seq_buf;
void buddyinfo_show(struct seq_buf *m);
void pagetypeinfo_show(struct seq_buf *m);
void zoneinfo_show(struct seq_buf *m);

#endif /* _KERNEL_MMZONE_H */
