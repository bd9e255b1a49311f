/*
 * tools/testing/mm/test_pcp.c - the per-CPU lists: an order-0 allocation
 * refills a batch, a free goes to the list, a full list gives a batch back,
 * each CPU has its own, and drains give everything back. (Movable pages,
 * where the migratetype does not matter: no fallback needed, see
 * test_buddy.c.)
 */
#include "ktest-host.h"
#include "mm-host.h"

static void check(void)
{
	char why[256];

	if (mm_host_check(why, sizeof(why)) < 0)
		ktest_fail(__FILE__, __LINE__, "invariant: %s", why);
}

static struct per_cpu_pages *pcp_of(int cpu)
{
	return &contig_page_data.node_zones[ZONE_NORMAL].per_cpu_pageset[cpu];
}

TEST(batch_and_high_follow_the_zone_size)
{
	mm_host_boot_mb(128);
	/* 28000-odd pages: /1024 = 27, /4 = 6, +half = 9, rounded down to 8, -1 = 7 */
	EXPECT_EQ(pcp_of(0)->batch, 7);
	EXPECT_EQ(pcp_of(0)->high, 42);
	EXPECT_EQ(contig_page_data.node_zones[ZONE_DMA].per_cpu_pageset[0].batch, 1);
}

TEST(first_allocation_refills_a_batch)
{
	struct zone *normal = &contig_page_data.node_zones[ZONE_NORMAL];
	unsigned long zfree, total;
	struct page *p;

	mm_host_boot_mb(128);
	zfree = zone_page_state(normal, NR_FREE_PAGES);
	total = nr_free_pages();
	p = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	ASSERT_NOT_NULL(p);
	EXPECT_EQ(pcp_of(0)->count, pcp_of(0)->batch - 1);
	EXPECT_EQ(zone_page_state(normal, NR_FREE_PAGES), zfree - pcp_of(0)->batch);
	EXPECT_EQ(nr_free_pages(), total - 1); /* pcp pages count as free */
	__free_pages(p, 0);
	EXPECT_EQ(pcp_of(0)->count, pcp_of(0)->batch);
	check();
}

TEST(a_full_list_gives_a_batch_back)
{
	struct page *pages[64];
	int n = 0;

	mm_host_boot_mb(128);
	for (n = 0; n < 64; n++)
		pages[n] = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	for (int i = 0; i < 64; i++) {
		__free_pages(pages[i], 0);
		EXPECT_LT(pcp_of(0)->count, pcp_of(0)->high);
	}
	EXPECT_GE(pcp_of(0)->count, pcp_of(0)->high - pcp_of(0)->batch);
	check();
}

TEST(each_cpu_has_its_own_list_and_drain_all_empties_them)
{
	struct page *p[4];
	unsigned long before;

	mm_host_boot_mb(128);
	before = nr_free_pages();
	for (int cpu = 0; cpu < 4; cpu++) {
		mm_host_cpu = cpu;
		p[cpu] = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
		ASSERT_NOT_NULL(p[cpu]);
		EXPECT_EQ(pcp_of(cpu)->count, pcp_of(cpu)->batch - 1);
	}
	/* freed on CPU 3, CPU 0's page goes to CPU 3's list */
	mm_host_cpu = 3;
	__free_pages(p[0], 0);
	EXPECT_EQ(pcp_of(3)->count, pcp_of(3)->batch);
	EXPECT_EQ(pcp_of(0)->count, pcp_of(0)->batch - 1);
	mm_host_cpu = 0;
	for (int cpu = 1; cpu < 4; cpu++)
		__free_pages(p[cpu], 0);
	EXPECT_EQ(nr_free_pages(), before);
	drain_local_pages(NULL);
	EXPECT_EQ(pcp_of(0)->count, 0);
	EXPECT_GT(pcp_of(1)->count, 0);
	drain_all_pages(NULL);
	for (int cpu = 0; cpu < NCPU; cpu++)
		EXPECT_EQ(pcp_of(cpu)->count, 0);
	EXPECT_EQ(zone_page_state(&contig_page_data.node_zones[ZONE_NORMAL], NR_FREE_PAGES) +
		      zone_page_state(&contig_page_data.node_zones[ZONE_DMA], NR_FREE_PAGES),
		  before);
	check();
}

TEST(exhaustion_drains_other_cpus_lists)
{
	struct page *p;
	unsigned long cached;

	mm_host_boot_mb(64);
	/* CPUs 1..3 each cache a batch */
	for (int cpu = 1; cpu < 4; cpu++) {
		mm_host_cpu = cpu;
		p = alloc_pages(GFP_KERNEL, 0);
		__free_pages(p, 0);
	}
	cached = pcp_of(1)->count + pcp_of(2)->count + pcp_of(3)->count;
	EXPECT_GT(cached, 0);
	mm_host_cpu = 0;
	while (alloc_pages(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOWARN, 0))
		;
	/* the slow path drained them before giving up (Normal and DMA) */
	EXPECT_EQ(pcp_of(1)->count + pcp_of(2)->count + pcp_of(3)->count, 0);
	EXPECT_EQ(nr_free_pages(), 0);
	check();
}

TEST(movable_and_unmovable_have_separate_lists)
{
	struct page *u, *m;

	mm_host_boot_mb(128); /* batch 7 */
	u = alloc_pages(GFP_KERNEL, 0);
	m = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	ASSERT_NOT_NULL(u);
	ASSERT_NOT_NULL(m);
	EXPECT_EQ(get_pageblock_migratetype(u), MIGRATE_UNMOVABLE);
	EXPECT_EQ(get_pageblock_migratetype(m), MIGRATE_MOVABLE);
	EXPECT_FALSE(list_empty(&pcp_of(0)->lists[MIGRATE_UNMOVABLE]));
	EXPECT_FALSE(list_empty(&pcp_of(0)->lists[MIGRATE_MOVABLE]));
	EXPECT_TRUE(list_empty(&pcp_of(0)->lists[MIGRATE_RECLAIMABLE]));
	check();
}
