/*
 * mm/vmstat.c - the page allocator's state as text, in Linux's formats:
 * /proc/buddyinfo, /proc/pagetypeinfo and /proc/zoneinfo (fs/procfs.c
 * calls these generators; the host tests call them directly).
 *
 *   buddyinfo     free blocks per zone and order:
 *                 "Node 0, zone   Normal     12      5 ..." (orders 0..10)
 *   pagetypeinfo  free blocks per zone, migratetype and order, then the
 *                 number of pageblocks of each migratetype
 *   zoneinfo      per zone: free pages, watermarks, spanned/present/
 *                 managed pages, lowmem protection, per-CPU lists
 *
 * Free blocks on the per-CPU lists are not in buddyinfo or pagetypeinfo
 * (Linux's behaviour too); zoneinfo shows them under "pagesets".
 *
 * Locking: each zone's lock is taken while its free lists are read, one
 * zone at a time, so the numbers of one zone are consistent.
 *
 * See: Linux mm/vmstat.c, Documentation/filesystems/proc.rst,
 * labs/buddy/README.md.
 */
#include <kernel/mm.h>
#include <kernel/seq_buf.h>
#include <kernel/spinlock.h>
#include "internal.h"

void buddyinfo_show(struct seq_buf *m)
{
	struct zone *zone;

	for_each_populated_zone(zone) {
		unsigned long nr[NR_PAGE_ORDERS];

		spin_lock(&zone->lock);
		for (int order = 0; order < NR_PAGE_ORDERS; order++)
			nr[order] = zone->free_area[order].nr_free;
		spin_unlock(&zone->lock);
		seq_buf_printf(m, "Node %d, zone %8s ", zone->zone_pgdat->node_id, zone->name);
		for (int order = 0; order < NR_PAGE_ORDERS; order++)
			seq_buf_printf(m, "%6lu ", nr[order]);
		seq_buf_printf(m, "\n");
	}
}

/* Entries on a list, counted up to a cap (a corrupt list must not hang us). */
static unsigned long count_list(struct list_head *head)
{
	unsigned long n = 0;
	struct list_head *pos;

	list_for_each(pos, head)
		if (++n >= 100000)
			break;
	return n;
}

void pagetypeinfo_show(struct seq_buf *m)
{
	struct zone *zone;

	seq_buf_printf(m, "Page block order: %d\n", pageblock_order);
	seq_buf_printf(m, "Pages per block:  %lu\n\n", pageblock_nr_pages);
	seq_buf_printf(m, "%-43s ", "Free pages count per migrate type at order");
	for (int order = 0; order < NR_PAGE_ORDERS; order++)
		seq_buf_printf(m, "%6d ", order);
	seq_buf_printf(m, "\n");
	for_each_populated_zone(zone) {
		unsigned long nr[MIGRATE_TYPES][NR_PAGE_ORDERS];

		spin_lock(&zone->lock);
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			for (int order = 0; order < NR_PAGE_ORDERS; order++)
				nr[mt][order] = count_list(&zone->free_area[order].free_list[mt]);
		spin_unlock(&zone->lock);
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			seq_buf_printf(m, "Node %4d, zone %8s, type %12s ",
				       zone->zone_pgdat->node_id, zone->name,
				       migratetype_names[mt]);
			for (int order = 0; order < NR_PAGE_ORDERS; order++)
				seq_buf_printf(m, "%6lu ", nr[mt][order]);
			seq_buf_printf(m, "\n");
		}
	}

	seq_buf_printf(m, "\n%-23s", "Number of blocks type ");
	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		seq_buf_printf(m, "%12s ", migratetype_names[mt]);
	seq_buf_printf(m, "\n");
	for_each_populated_zone(zone) {
		unsigned long count[MIGRATE_TYPES] = {0};
		unsigned long start = ALIGN_DOWN(zone->zone_start_pfn, pageblock_nr_pages);

		spin_lock(&zone->lock);
		for (unsigned long pfn = start; pfn < zone_end_pfn(zone);
		     pfn += pageblock_nr_pages) {
			unsigned long p = MAX(pfn, zone->zone_start_pfn);
			int mt = get_pageblock_migratetype(pfn_to_page(p));

			if (mt >= 0 && mt < MIGRATE_TYPES)
				count[mt]++;
		}
		spin_unlock(&zone->lock);
		seq_buf_printf(m, "Node %d, zone %8s ", zone->zone_pgdat->node_id, zone->name);
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			seq_buf_printf(m, "%12lu ", count[mt]);
		seq_buf_printf(m, "\n");
	}
}

void zoneinfo_show(struct seq_buf *m)
{
	struct zone *zone;

	for_each_zone(zone) {
		seq_buf_printf(m, "Node %d, zone %8s\n", zone->zone_pgdat->node_id, zone->name);
		if (!populated_zone(zone)) {
			seq_buf_printf(m, "  pages free     0\n");
			continue;
		}
		seq_buf_printf(m, "  pages free     %lu\n", zone_page_state(zone, NR_FREE_PAGES));
		seq_buf_printf(m, "        min      %lu\n", min_wmark_pages(zone));
		seq_buf_printf(m, "        low      %lu\n", low_wmark_pages(zone));
		seq_buf_printf(m, "        high     %lu\n", high_wmark_pages(zone));
		seq_buf_printf(m, "        spanned  %lu\n", zone->spanned_pages);
		seq_buf_printf(m, "        present  %lu\n", zone->present_pages);
		seq_buf_printf(m, "        managed  %lu\n", zone_managed_pages(zone));
		seq_buf_printf(m, "        cma      %lu\n", zone->cma_pages);
		seq_buf_printf(m, "        protection: (");
		for (int j = 0; j < MAX_NR_ZONES; j++)
			seq_buf_printf(m, "%s%ld", j ? ", " : "", zone->lowmem_reserve[j]);
		seq_buf_printf(m, ")\n");
		seq_buf_printf(m, "      nr_free_pages %lu\n",
			       zone_page_state(zone, NR_FREE_PAGES));
		seq_buf_printf(m, "      nr_free_cma  %lu\n",
			       zone_page_state(zone, NR_FREE_CMA_PAGES));
		seq_buf_printf(m, "  pagesets\n");
		for (int cpu = 0; cpu < NCPU; cpu++) {
			struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

			if (cpu >= ncpus_online && pcp->count == 0)
				continue;
			seq_buf_printf(m, "    cpu: %d\n", cpu);
			seq_buf_printf(m, "              count: %d\n", READ_ONCE(pcp->count));
			seq_buf_printf(m, "              high:  %d\n", pcp->high);
			seq_buf_printf(m, "              batch: %d\n", pcp->batch);
		}
		seq_buf_printf(m, "  start_pfn:           %lu\n", zone->zone_start_pfn);
	}
}
