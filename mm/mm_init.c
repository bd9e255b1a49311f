/*
 * mm/mm_init.c - the memory model at boot: zones, the struct page array
 * (mem_map) and the hand-over from memblock to the buddy allocator.
 *
 * mm_core_init() runs once memblock knows RAM and every reserved range
 * (mm/init.c fills it from the device tree; the host tests from their own
 * arena), in this order:
 *
 *   1. zone boundaries: ZONE_DMA is [RAM start, RAM start + dma_limit),
 *      rounded up to a 4 MiB boundary (MAX_PAGE_ORDER) so that no buddy
 *      block can straddle two zones; ZONE_NORMAL is the rest. The DMA limit
 *      is a pretend constraint: Pagoda imagines a device that can only
 *      reach the first dma_limit bytes of RAM (like ISA's 16 MiB; RAM starts
 *      at 0x80000000 on RISC-V and 0x40000000 on ARM64, not at 0)
 *   2. free_area_init: mem_map, one struct page per frame of RAM, from
 *      memblock (top down, so not in ZONE_DMA); every page starts reserved,
 *      with its zone in page->flags; pageblock bitmaps, every pageblock
 *      MIGRATE_MOVABLE; empty free lists; the zonelist (Normal, DMA)
 *   3. memblock_free_all: every free page to the buddy allocator
 *   4. per-CPU list sizes, min_free_kbytes and the watermarks
 *
 *     mem_map (FLATMEM): struct page for frame pfn is mem_map[pfn - min_low_pfn]
 *
 *     frames   |min_low_pfn ...                                   max_pfn|
 *     mem_map  [page][page][page] ...  64 bytes at most each (1.6% of RAM)
 *
 * The boot log shows each step the way Linux's does ("Zone ranges:",
 * "Built 1 zonelists", the watermarks).
 *
 * Context: boot, one CPU.
 *
 * See: Linux mm/mm_init.c, Documentation/mm/memory-model.rst,
 * include/kernel/mmzone.h, labs/buddy/README.md.
 */
#include <kernel/mm.h>
#include <kernel/memblock.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include "internal.h"

struct page *mem_map;
unsigned long min_low_pfn, max_pfn;

static const char *const zone_names[MAX_NR_ZONES] = {"DMA", "Normal"};

/* Bytes of memblock.memory inside [start_pfn, end_pfn). */
static unsigned long present_pages_in(unsigned long start_pfn, unsigned long end_pfn)
{
	struct memblock_region *r;
	unsigned long n = 0;

	for_each_mem_region(r) {
		unsigned long s = MAX(PFN_UP(r->base), start_pfn);
		unsigned long e = MIN(PFN_DOWN(r->base + r->size), end_pfn);

		if (e > s)
			n += e - s;
	}
	return n;
}

static void zone_init(struct zone *zone, enum zone_type idx, unsigned long start_pfn,
		      unsigned long end_pfn)
{
	unsigned long pb_start = ALIGN_DOWN(start_pfn, pageblock_nr_pages);
	unsigned long nr_blocks;

	zone->name = zone_names[idx];
	zone->zone_pgdat = NODE_DATA(0);
	zone->zone_start_pfn = start_pfn;
	zone->spanned_pages = end_pfn - start_pfn;
	zone->present_pages = present_pages_in(start_pfn, end_pfn);
	zone->managed_pages = 0;
	zone->cma_pages = 0;
	spin_lock_init(&zone->lock, "zone");
	zone_init_free_lists(zone);
	zone_pcp_init(zone);
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		zone->vm_stat[i] = 0;
	zone->pageblock_flags = NULL;
	if (!zone->spanned_pages)
		return;
	nr_blocks = (ALIGN_UP(end_pfn, pageblock_nr_pages) - pb_start) >> pageblock_order;
	zone->pageblock_flags = memblock_alloc(nr_blocks, 8);
	if (!zone->pageblock_flags)
		panic("free_area_init: no memory for the pageblock flags of zone %s", zone->name);
	/* everything starts movable; the kernel's allocations steal what they need */
	memset(zone->pageblock_flags, MIGRATE_MOVABLE, nr_blocks);
}

/* Every struct page: reserved, refcount 1, in its zone. */
static void memmap_init(void)
{
	struct zone *zone;

	for_each_zone(zone) {
		unsigned long zflags = (unsigned long)zone_idx(zone) << ZONES_PGSHIFT;

		for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone); pfn++) {
			struct page *page = pfn_to_page(pfn);

			page->flags = zflags | (1UL << PG_reserved);
			INIT_LIST_HEAD(&page->lru);
			page->mapping = NULL;
			page->index = 0;
			page->private = 0;
			page->_refcount = 1;
			page->_mapcount = -1;
		}
	}
}

/* Allocations prefer the highest zone they may use and fall back downwards. */
static void build_all_zonelists(void)
{
	pg_data_t *pgdat = NODE_DATA(0);
	struct zonelist *zl = &pgdat->node_zonelists[0];
	int n = 0;

	for (int i = MAX_NR_ZONES - 1; i >= 0; i--) {
		if (populated_zone(&pgdat->node_zones[i])) {
			zl->_zonerefs[n].zone = &pgdat->node_zones[i];
			zl->_zonerefs[n++].zone_idx = i;
		}
	}
	zl->_zonerefs[n].zone = NULL;
	pgdat->nr_zones = n;
}

void free_area_init(unsigned long *max_zone_pfn)
{
	pg_data_t *pgdat = NODE_DATA(0);
	unsigned long start_pfn = PFN_UP(memblock_start_of_DRAM());
	unsigned long end_pfn = PFN_DOWN(memblock_end_of_DRAM());
	unsigned long zone_start = start_pfn, bytes;
	struct memblock_region *r;

	BUILD_BUG_ON(sizeof(struct page) > 64);
	BUILD_BUG_ON(MAX_NR_ZONES > (1 << ZONES_WIDTH));
	BUILD_BUG_ON(NR_PAGEFLAGS > ZONES_PGSHIFT);

	min_low_pfn = start_pfn;
	max_pfn = end_pfn;
	memset(pgdat, 0, sizeof(*pgdat));
	pgdat->node_start_pfn = start_pfn;
	pgdat->node_spanned_pages = end_pfn - start_pfn;

	printk("Zone ranges:\n");
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		unsigned long zend = MIN(MAX(max_zone_pfn[i], zone_start), end_pfn);
		struct zone *zone = &pgdat->node_zones[i];

		zone_init(zone, (enum zone_type)i, zone_start, zend);
		pgdat->node_present_pages += zone->present_pages;
		if (zend > zone_start)
			printk("  %-8s [mem 0x%016llx-0x%016llx]\n", zone->name,
			       PFN_PHYS(zone_start), PFN_PHYS(zend) - 1);
		else
			printk("  %-8s empty\n", zone->name);
		zone_start = zend;
	}
	printk("Early memory node ranges\n");
	for_each_mem_region(r)
		printk("  node   0: [mem 0x%016llx-0x%016llx]\n", r->base, r->base + r->size - 1);

	bytes = (end_pfn - start_pfn) * sizeof(struct page);
	mem_map = memblock_alloc(PAGE_ALIGN(bytes), PAGE_SIZE);
	if (!mem_map)
		panic("free_area_init: no memory for mem_map (%lu KiB)", bytes >> 10);
	memmap_init();
	printk("mem_map: %lu struct pages of %lu bytes = %lu KiB (%lu.%02lu%% of RAM) at "
	       "[mem 0x%016llx-0x%016llx]\n",
	       end_pfn - start_pfn, (unsigned long)sizeof(struct page), bytes >> 10,
	       100 * sizeof(struct page) / PAGE_SIZE,
	       (10000 * sizeof(struct page) / PAGE_SIZE) % 100, (u64)__pa(mem_map),
	       (u64)__pa(mem_map) + PAGE_ALIGN(bytes) - 1);

	/* too little memory for grouping to matter: Linux's threshold */
	page_group_by_mobility_disabled =
	    pgdat->node_present_pages < pageblock_nr_pages * MIGRATE_TYPES;
	build_all_zonelists();
}

void mm_core_init(phys_addr_t dma_limit)
{
	phys_addr_t start = memblock_start_of_DRAM(), end = memblock_end_of_DRAM();
	unsigned long max_zone_pfn[MAX_NR_ZONES];
	phys_addr_t dma_end = end;
	unsigned long handed;
	struct zone *zone;

	if (dma_limit < end - start)
		dma_end = MIN(ALIGN_UP(start + dma_limit, PAGE_SIZE << MAX_PAGE_ORDER), end);
	max_zone_pfn[ZONE_DMA] = PFN_DOWN(dma_end);
	max_zone_pfn[ZONE_NORMAL] = PFN_DOWN(end);
	free_area_init(max_zone_pfn);

	handed = memblock_free_all();
	for_each_zone(zone)
		zone_pcp_init(zone); /* sizes from the managed pages, lists still empty */
	printk("Built 1 zonelists, mobility grouping %s.  Total pages: %lu\n",
	       page_group_by_mobility_disabled ? "off" : "on", totalram_pages());
	printk("memblock: %lu pages (%lu KiB) handed to the buddy allocator\n", handed,
	       handed * (PAGE_SIZE >> 10));

	init_per_zone_wmark_min();
	printk("min_free_kbytes: %d%s\n", min_free_kbytes,
	       user_min_free_kbytes >= 0 ? " (set by hand)" : " (sqrt of 16 x lowmem KiB)");
	for_each_populated_zone(zone) {
		printk("  zone %-6s: %7lu pages managed, watermarks min %lu low %lu high %lu, "
		       "per-CPU batch %d high %d\n",
		       zone->name, zone_managed_pages(zone), min_wmark_pages(zone),
		       low_wmark_pages(zone), high_wmark_pages(zone),
		       zone->per_cpu_pageset[0].batch, zone->per_cpu_pageset[0].high);
	}
}
