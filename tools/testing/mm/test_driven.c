/*
 * tools/testing/mm/test_driven.c - the buddy allocator driven by the lab
 * grader (labs/buddy/grade.py), which checks the answers against a model of
 * its own: this process only carries out operations and reports what the
 * allocator did. A test that checked itself here could be fooled by the
 * code under test, which runs in this same process.
 *
 * Operations, one per line on stdin (the grader picks them at random, and a
 * fresh set every run):
 *   boot MB                 a fresh machine with MB MiB of RAM
 *   a ID ORDER TYPE CPU     alloc_pages() on simulated CPU CPU, TYPE m
 *                           (movable), u (unmovable) or r (reclaimable);
 *                           reports "a ID PFN", or "a ID -" if it failed
 *   f ID CPU                free block ID (__free_pages) on CPU CPU
 *   d                       drain every per-CPU list, then report every
 *                           free block, "b PFN ORDER MIGRATETYPE", and each
 *                           order's nr_free summed over the zones, "n ORDER
 *                           COUNT", then "d"
 * (reports go to the grader through ktest_report()). Only the lab grader
 * builds this file (it is not in sources.mk): run by hand it would skip.
 */
#include <stdio.h>
#include <string.h>
#include "ktest-host.h"
#include "mm-host.h"

#define MAX_IDS 8192

static struct page *driven_block[MAX_IDS];
static unsigned int driven_order[MAX_IDS];

static void driven_dump(void)
{
	unsigned long limit = max_pfn - min_low_pfn + 1, seen = 0;
	struct zone *zone;

	drain_all_pages(NULL);
	for_each_populated_zone(zone) {
		for (int o = 0; o < NR_PAGE_ORDERS; o++) {
			for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
				struct page *page;

				list_for_each_entry(page, &zone->free_area[o].free_list[mt], lru) {
					if (++seen > limit) {
						ktest_report("loop");
						return; /* a list that never ends */
					}
					ktest_report("b %lu %d %d", page_to_pfn(page), o, mt);
				}
			}
		}
	}
	for (int o = 0; o < NR_PAGE_ORDERS; o++) {
		unsigned long n = 0;

		for_each_populated_zone(zone)
			n += zone->free_area[o].nr_free;
		ktest_report("n %d %lu", o, n);
	}
	ktest_report("d");
}

TEST(driven_allocations_and_frees)
{
	char line[128], type;
	unsigned int id, order, cpu;
	unsigned long mb;

	if (!ktest_driven())
		SKIP("the lab grader drives this test (labs/buddy/grade.py)");
	while (fgets(line, sizeof(line), stdin)) {
		if (sscanf(line, "boot %lu", &mb) == 1) {
			mm_host_boot_mb(mb);
			memset(driven_block, 0, sizeof(driven_block));
		} else if (sscanf(line, "a %u %u %c %u", &id, &order, &type, &cpu) == 4 &&
			   id < MAX_IDS) {
			gfp_t gfp = type == 'm'	  ? GFP_HIGHUSER_MOVABLE
				    : type == 'r' ? GFP_KERNEL | __GFP_RECLAIMABLE
						  : GFP_KERNEL;
			struct page *page;

			mm_host_cpu = (int)(cpu % 4);
			page = alloc_pages(gfp | __GFP_NOWARN, order);
			driven_block[id] = page;
			driven_order[id] = order;
			if (page)
				ktest_report("a %u %lu", id, page_to_pfn(page));
			else
				ktest_report("a %u -", id);
		} else if (sscanf(line, "f %u %u", &id, &cpu) == 2 && id < MAX_IDS) {
			mm_host_cpu = (int)(cpu % 4);
			if (driven_block[id])
				__free_pages(driven_block[id], driven_order[id]);
			driven_block[id] = NULL;
		} else if (strcmp(line, "d\n") == 0) {
			driven_dump();
		}
	}
	mm_host_cpu = 0;
}
