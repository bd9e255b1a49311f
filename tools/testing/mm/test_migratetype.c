/*
 * tools/testing/mm/test_migratetype.c - grouping by mobility: gfp to
 * migratetype, every fallback (unmovable, reclaimable, movable), whole
 * pageblock stealing, CMA serving only movable allocations, and what the
 * grouping buys (free memory left in pageblock-sized blocks).
 */
#include "ktest-host.h"
#include "mm-host.h"

static void check(void)
{
	char why[256];

	if (mm_host_check(why, sizeof(why)) < 0)
		ktest_fail(__FILE__, __LINE__, "invariant: %s", why);
}

TEST(gfp_to_zone_and_migratetype)
{
	mm_host_boot_mb(64);
	EXPECT_EQ(gfp_migratetype(GFP_KERNEL), MIGRATE_UNMOVABLE);
	EXPECT_EQ(gfp_migratetype(GFP_ATOMIC), MIGRATE_UNMOVABLE);
	EXPECT_EQ(gfp_migratetype(GFP_HIGHUSER_MOVABLE), MIGRATE_MOVABLE);
	EXPECT_EQ(gfp_migratetype(GFP_KERNEL | __GFP_RECLAIMABLE), MIGRATE_RECLAIMABLE);
	EXPECT_EQ(gfp_zone(GFP_KERNEL), ZONE_NORMAL);
	EXPECT_EQ(gfp_zone(GFP_DMA), ZONE_DMA);
	EXPECT_EQ(gfp_zone(GFP_HIGHUSER_MOVABLE), ZONE_NORMAL);
	page_group_by_mobility_disabled = true;
	EXPECT_EQ(gfp_migratetype(GFP_HIGHUSER_MOVABLE), MIGRATE_UNMOVABLE);
}

TEST(memory_starts_movable)
{
	struct zone *zone;

	mm_host_boot_mb(64);
	for_each_populated_zone(zone)
		for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone);
		     pfn += pageblock_nr_pages)
			EXPECT_EQ(get_pageblock_migratetype(pfn_to_page(pfn)), MIGRATE_MOVABLE);
	EXPECT_FALSE(page_group_by_mobility_disabled);
}

TEST(unmovable_falls_back_and_steals_a_large_block)
{
	struct page *p;

	mm_host_boot_mb(64);
	p = alloc_pages(GFP_KERNEL, 0);
	ASSERT_NOT_NULL(p);
	EXPECT_EQ(nr_alloc_fallbacks, 1);
	/* it took the largest movable block (order 10: two pageblocks) for itself */
	EXPECT_EQ(nr_pageblocks_stolen, 2);
	EXPECT_EQ(get_pageblock_migratetype(p), MIGRATE_UNMOVABLE);
	/* the next unmovable allocations come from that block: no more fallbacks */
	for (int i = 0; i < 100; i++)
		ASSERT_NOT_NULL(alloc_pages(GFP_KERNEL, i % 3));
	EXPECT_EQ(nr_alloc_fallbacks, 1);
	check();
}

TEST(reclaimable_falls_back_too)
{
	struct page *p;

	mm_host_boot_mb(64);
	p = alloc_pages(GFP_KERNEL | __GFP_RECLAIMABLE, 0);
	ASSERT_NOT_NULL(p);
	EXPECT_EQ(nr_alloc_fallbacks, 1);
	EXPECT_EQ(get_pageblock_migratetype(p), MIGRATE_RECLAIMABLE);
	check();
}

TEST(unmovable_prefers_reclaimable_blocks_to_movable_ones)
{
	struct page *r, *u;
	unsigned long rpfn;

	mm_host_boot_mb(64);
	/* make one order-10 block reclaimable, then free it: it stays reclaimable */
	r = alloc_pages(GFP_KERNEL | __GFP_RECLAIMABLE, MAX_PAGE_ORDER);
	ASSERT_NOT_NULL(r);
	rpfn = page_to_pfn(r);
	__free_pages(r, MAX_PAGE_ORDER);
	EXPECT_EQ(get_pageblock_migratetype(r), MIGRATE_RECLAIMABLE);
	u = alloc_pages(GFP_KERNEL, 0);
	ASSERT_NOT_NULL(u);
	EXPECT_TRUE(page_to_pfn(u) >= rpfn && page_to_pfn(u) < rpfn + (1UL << MAX_PAGE_ORDER));
	EXPECT_EQ(get_pageblock_migratetype(u), MIGRATE_UNMOVABLE);
	check();
}

/* Allocate (and keep) every free block of order >= @order, movable. */
static void take_free_blocks_down_to(unsigned int order)
{
	for (int o = MAX_PAGE_ORDER; o >= (int)order; o--)
		while (alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_MEMALLOC | __GFP_NOWARN, o))
			;
}

/* Is the free block at @page on @mt's list of @order? */
static bool on_free_list(struct page *page, unsigned int order, int mt)
{
	struct zone *zone = page_zone(page);
	struct page *p;

	list_for_each_entry(p, &zone->free_area[order].free_list[mt], lru)
		if (p == page)
			return true;
	return false;
}

/*
 * An unmovable allocation that falls back to a block smaller than a
 * pageblock moves every free page of that pageblock to its own lists; the
 * pageblock itself changes type only if they are at least half of it.
 */
TEST(a_stolen_pageblock_changes_type_only_when_half_of_it_is_free)
{
	struct page *p, *q, *u;
	unsigned long stolen;

	mm_host_boot_mb(32);
	p = alloc_pages(GFP_HIGHUSER_MOVABLE, pageblock_order);
	q = alloc_pages(GFP_HIGHUSER_MOVABLE, pageblock_order);
	ASSERT_TRUE(p && q);
	take_free_blocks_down_to(5); /* what is left free is smaller than order 5 */
	split_page(q, pageblock_order);
	split_page(p, pageblock_order);
	/* q's pageblock: a quarter free (pages 0-127: one order-7 block) */
	for (int i = 0; i < 128; i++)
		__free_pages(q + i, 0);
	drain_all_pages(NULL);
	ASSERT_TRUE(PageBuddy(q) && buddy_order(q) == 7);
	stolen = nr_pageblocks_stolen;
	u = alloc_pages(GFP_KERNEL, 0);
	ASSERT_NOT_NULL(u);
	EXPECT_TRUE(u >= q && u < q + pageblock_nr_pages); /* the largest block there was */
	EXPECT_EQ(nr_pageblocks_stolen, stolen);
	EXPECT_EQ(get_pageblock_migratetype(q), MIGRATE_MOVABLE);
	/* p's pageblock: three quarters free (pages 0-383: orders 8 and 7) */
	for (int i = 0; i < 384; i++)
		__free_pages(p + i, 0);
	drain_all_pages(NULL);
	ASSERT_TRUE(PageBuddy(p) && buddy_order(p) == 8);
	/* use up the unmovable lists (the rest of q's quarter), then fall back again */
	while (nr_pageblocks_stolen == stolen) {
		u = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
		ASSERT_NOT_NULL(u);
	}
	EXPECT_TRUE(u >= p && u < p + pageblock_nr_pages);
	EXPECT_EQ(nr_pageblocks_stolen, stolen + 1);
	EXPECT_EQ(get_pageblock_migratetype(p), MIGRATE_UNMOVABLE);
	/* every free page of the pageblock moved with it: the allocation split the
	 * smaller block (order 7), the order-8 one waits on the unmovable list */
	EXPECT_TRUE(u >= p + 256 && u < p + 384);
	EXPECT_TRUE(on_free_list(p, 8, MIGRATE_UNMOVABLE));
	check();
}

/* Turn every pageblock unmovable: allocate everything unmovable, free it all. */
static void all_unmovable(void)
{
	struct page *head = NULL, *p;

	while ((p = alloc_pages(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOWARN, 0))) {
		*(struct page **)page_address(p) = head;
		head = p;
	}
	while (head) {
		p = *(struct page **)page_address(head);
		__free_pages(head, 0);
		head = p;
	}
	drain_all_pages(NULL);
}

TEST(movable_takes_a_whole_free_pageblock_when_there_is_one)
{
	unsigned long stolen;
	struct page *p;

	mm_host_boot_mb(32);
	all_unmovable();
	/* use up what is left on the movable lists, until a movable page falls back */
	do {
		stolen = nr_pageblocks_stolen;
		p = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
		ASSERT_NOT_NULL(p);
	} while (get_pageblock_migratetype(p) == MIGRATE_MOVABLE && nr_pageblocks_stolen == stolen);
	/* the largest unmovable block is a free order-10 one: it becomes movable */
	EXPECT_EQ(nr_pageblocks_stolen, stolen + 2);
	EXPECT_EQ(get_pageblock_migratetype(p), MIGRATE_MOVABLE);
	check();
}

TEST(movable_takes_the_smallest_fragment_when_it_cannot_steal)
{
	unsigned long stolen, fallbacks;

	mm_host_boot_mb(32);
	all_unmovable();
	/* take every free block of order >= pageblock_order / 2 = 4 (16 pages, 1/32 of a
	 * pageblock): the smallest a movable allocation may steal a pageblock with */
	for (int order = MAX_PAGE_ORDER; order >= 4; order--)
		while (alloc_pages(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOWARN, order))
			;
	stolen = nr_pageblocks_stolen;
	fallbacks = nr_alloc_fallbacks;
	/* movable pages now only find small unmovable fragments: they take them
	 * one by one and leave the pageblocks unmovable */
	while (alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_MEMALLOC | __GFP_NOWARN, 0))
		;
	EXPECT_GT(nr_alloc_fallbacks, fallbacks);
	EXPECT_EQ(nr_pageblocks_stolen, stolen);
	check();
}

TEST(cma_blocks_serve_only_movable_allocations)
{
	struct mm_host_config cfg = {.ram_mb = 64, .dma_mb = -1, .min_free_kbytes = -1};
	struct zone *normal = &contig_page_data.node_zones[ZONE_NORMAL];
	u64 cma_lo = (MM_HOST_RAM_BASE + (32ULL << 20)) >> PAGE_SHIFT;
	u64 cma_hi = cma_lo + ((4ULL << 20) >> PAGE_SHIFT);
	struct page *p;
	bool movable_in_cma = false;

	cfg.cma.base = MM_HOST_RAM_BASE + (32ULL << 20);
	cfg.cma.size = 4ULL << 20;
	mm_host_boot(&cfg);
	EXPECT_EQ(normal->cma_pages, 1024);
	EXPECT_EQ(zone_page_state(normal, NR_FREE_CMA_PAGES), 1024);
	EXPECT_EQ(get_pageblock_migratetype(pfn_to_page(cma_lo)), MIGRATE_CMA);
	check();
	/* unmovable: everything there is, none of it CMA */
	while ((p = alloc_pages(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOWARN, 0)))
		EXPECT_FALSE(page_to_pfn(p) >= cma_lo && page_to_pfn(p) < cma_hi);
	EXPECT_EQ(zone_page_state(normal, NR_FREE_CMA_PAGES), 1024);
	/* movable: gets the CMA pages */
	while ((p = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_MEMALLOC | __GFP_NOWARN, 0)))
		movable_in_cma |= page_to_pfn(p) >= cma_lo && page_to_pfn(p) < cma_hi;
	EXPECT_TRUE(movable_in_cma);
	EXPECT_EQ(zone_page_state(normal, NR_FREE_CMA_PAGES), 0);
	check();
}

TEST(cma_and_normal_pageblocks_do_not_merge)
{
	struct mm_host_config cfg = {.ram_mb = 64, .dma_mb = -1, .min_free_kbytes = -1};
	struct zone *normal = &contig_page_data.node_zones[ZONE_NORMAL];

	/* one CMA pageblock: its order-9 block must not merge with its movable buddy */
	cfg.cma.base = MM_HOST_RAM_BASE + (32ULL << 20);
	cfg.cma.size = 2ULL << 20;
	mm_host_boot(&cfg);
	EXPECT_EQ(zone_page_state(normal, NR_FREE_CMA_PAGES), 512);
	EXPECT_FALSE(free_area_empty(&normal->free_area[pageblock_order], MIGRATE_CMA));
	check();
}

TEST(grouping_keeps_more_memory_in_pageblock_sized_blocks)
{
	unsigned long with, without;

	unsigned long f1, s1, f2, s2;

	with = mm_host_frag_workload(64, 7, 60000, true, &f1, &s1);
	without = mm_host_frag_workload(64, 7, 60000, false, &f2, &s2);
	KTEST_LOG("# fallbacks %lu/%lu, pageblocks stolen %lu/%lu", f1, f2, s1, s2);
	KTEST_LOG("# free memory in blocks of order >= 9: %lu.%02lu%% grouped, %lu.%02lu%% not",
		  with / 100, with % 100, without / 100, without % 100);
	EXPECT_GT(with, without + 1000); /* at least 10 points better */
}
