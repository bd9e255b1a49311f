/*
 * tools/testing/mm/test_watermark.c - min_free_kbytes and the per-zone
 * watermarks, the lowmem reserve, and how far each kind of allocation may
 * dip: GFP_KERNEL stops at min, GFP_ATOMIC goes lower, __GFP_MEMALLOC to
 * zero; the reclaim hooks are reached.
 */
#include "ktest-host.h"
#include "mm-host.h"
#include <kernel/errno.h>

static void check(void)
{
	char why[256];

	if (mm_host_check(why, sizeof(why)) < 0)
		ktest_fail(__FILE__, __LINE__, "invariant: %s", why);
}

TEST(min_free_kbytes_is_sqrt_of_16_times_lowmem)
{
	mm_host_boot_mb(128);
	EXPECT_EQ(min_free_kbytes, int_sqrt_ul(totalram_pages() * 4 * 16));
	EXPECT_GE(min_free_kbytes, 1400);
	EXPECT_LE(min_free_kbytes, 1450);
	EXPECT_EQ(int_sqrt_ul(0), 0);
	EXPECT_EQ(int_sqrt_ul(15), 3);
	EXPECT_EQ(int_sqrt_ul(16), 4);
	EXPECT_EQ(int_sqrt_ul(1UL << 40), 1 << 20);
}

TEST(min_free_kbytes_clamps_at_128)
{
	mm_host_boot_mb(20); /* about 4400 managed pages: sqrt(16 * 17600) = 530 */
	EXPECT_GE(min_free_kbytes, 128);
	struct mm_host_config cfg = {.ram_mb = 64, .dma_mb = -1, .min_free_kbytes = 64};
	mm_host_boot(&cfg); /* set by hand: kept even below 128 */
	EXPECT_EQ(min_free_kbytes, 64);
}

TEST(each_zone_gets_its_share_and_low_high_follow_min)
{
	struct zone *zone;
	unsigned long pages_min, sum = 0;

	mm_host_boot_mb(128);
	pages_min = (unsigned long)min_free_kbytes / 4;
	for_each_populated_zone(zone) {
		unsigned long min = min_wmark_pages(zone);

		EXPECT_EQ(min, pages_min * zone_managed_pages(zone) / totalram_pages());
		EXPECT_EQ(low_wmark_pages(zone), min + min / 4);
		EXPECT_EQ(high_wmark_pages(zone), min + min / 2);
		sum += min;
	}
	EXPECT_LE(sum, pages_min);
	EXPECT_GE(sum + 2, pages_min);
}

TEST(lowmem_reserve_protects_dma_from_normal_allocations)
{
	struct zone *dma = &contig_page_data.node_zones[ZONE_DMA];
	struct zone *normal = &contig_page_data.node_zones[ZONE_NORMAL];

	mm_host_boot_mb(128);
	EXPECT_EQ(dma->lowmem_reserve[ZONE_DMA], 0);
	EXPECT_EQ(dma->lowmem_reserve[ZONE_NORMAL], zone_managed_pages(normal) / 256);
	EXPECT_EQ(normal->lowmem_reserve[ZONE_NORMAL], 0);
	EXPECT_GT(totalreserve_pages, high_wmark_pages(normal));
}

TEST(sysctl_changes_the_watermarks)
{
	struct zone *normal = &contig_page_data.node_zones[ZONE_NORMAL];
	unsigned long before;

	mm_host_boot_mb(64);
	before = min_wmark_pages(normal);
	EXPECT_EQ(min_free_kbytes_sysctl_handler(8192), 0);
	EXPECT_EQ(min_free_kbytes, 8192);
	EXPECT_EQ(user_min_free_kbytes, 8192);
	EXPECT_GT(min_wmark_pages(normal), before * 4);
	EXPECT_EQ(min_free_kbytes_sysctl_handler(-1), -EINVAL);
	EXPECT_EQ(min_free_kbytes_sysctl_handler(64 * 1024), -EINVAL); /* all of RAM */
	EXPECT_EQ(min_free_kbytes, 8192);
}

/* Allocate order-0 pages with @gfp until it fails; they stay allocated. */
static unsigned long drain_with(gfp_t gfp)
{
	unsigned long n = 0;

	while (alloc_pages(gfp | __GFP_NOWARN, 0))
		n++;
	return n;
}

TEST(kernel_stops_at_min_atomic_goes_below_memalloc_takes_all)
{
	struct zone *zone;
	unsigned long reserve = 0;

	mm_host_boot_mb(64);
	for_each_populated_zone(zone)
		reserve += min_wmark_pages(zone) + zone->lowmem_reserve[ZONE_NORMAL];
	EXPECT_GT(drain_with(GFP_KERNEL), 10000);
	EXPECT_LE(nr_free_pages(), reserve + 2);
	EXPECT_GE(nr_free_pages(), reserve / 2);
	EXPECT_EQ(drain_with(GFP_NOWAIT), 0); /* no reserve for NOWAIT */
	EXPECT_GT(drain_with(GFP_ATOMIC), 0); /* __GFP_HIGH + cannot sleep */
	EXPECT_GT(nr_free_pages(), 0);
	EXPECT_GT(drain_with(GFP_KERNEL | __GFP_MEMALLOC), 0);
	EXPECT_EQ(nr_free_pages(), 0);
	check();
}

TEST(atomic_reserve_is_deeper_than_high_alone)
{
	struct zone *normal = &contig_page_data.node_zones[ZONE_NORMAL];
	unsigned long min;

	mm_host_boot_mb(64);
	min = min_wmark_pages(normal);
	/* __GFP_HIGH that may sleep gets half of min; atomic a quarter of that more */
	EXPECT_TRUE(zone_watermark_ok(normal, 0, min, ZONE_NORMAL, ALLOC_MIN_RESERVE));
	{
		long free = (long)zone_page_state(normal, NR_FREE_PAGES);
		/* pretend the zone is at exactly min/2 + 1: high passes, plain does not */
		normal->vm_stat[NR_FREE_PAGES] = (long)(min - min / 2) + 1;
		EXPECT_FALSE(zone_watermark_ok(normal, 0, min, ZONE_NORMAL, 0));
		EXPECT_TRUE(zone_watermark_ok(normal, 0, min, ZONE_NORMAL, ALLOC_MIN_RESERVE));
		normal->vm_stat[NR_FREE_PAGES] = (long)(min - min / 2) - 1;
		EXPECT_FALSE(zone_watermark_ok(normal, 0, min, ZONE_NORMAL, ALLOC_MIN_RESERVE));
		EXPECT_TRUE(zone_watermark_ok(normal, 0, min, ZONE_NORMAL,
					      ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK));
		normal->vm_stat[NR_FREE_PAGES] = free;
	}
}

TEST(high_order_watermark_needs_a_block_that_large)
{
	struct zone *normal = &contig_page_data.node_zones[ZONE_NORMAL];

	mm_host_boot_mb(64);
	EXPECT_TRUE(zone_watermark_ok(normal, MAX_PAGE_ORDER, 0, ZONE_NORMAL, 0));
	/* take every order-10 block: plenty free, but no order-10 block left */
	while (alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER) &&
	       normal->free_area[MAX_PAGE_ORDER].nr_free)
		;
	if (normal->free_area[MAX_PAGE_ORDER].nr_free == 0)
		EXPECT_FALSE(zone_watermark_ok(normal, MAX_PAGE_ORDER, 0, ZONE_NORMAL, 0));
	EXPECT_TRUE(zone_watermark_ok(normal, 0, 0, ZONE_NORMAL, 0));
}

TEST(slow_path_wakes_kswapd_and_tries_direct_reclaim)
{
	mm_host_boot_mb(64);
	EXPECT_EQ(kswapd_wakeups, 0);
	drain_with(GFP_KERNEL);
	EXPECT_GT(kswapd_wakeups, 0);
	EXPECT_GT(direct_reclaim_stalls, 0);
	direct_reclaim_stalls = 0;
	drain_with(GFP_ATOMIC); /* cannot sleep: never reclaims */
	EXPECT_EQ(direct_reclaim_stalls, 0);
}

TEST(failure_prints_one_line_with_order_gfp_zone_and_free_pages)
{
	mm_host_boot_mb(32);
	drain_with(GFP_KERNEL);
	mm_host_log_clear();
	EXPECT_NULL(alloc_pages(GFP_KERNEL | __GFP_ZERO, 2));
	EXPECT_TRUE(strstr(mm_host_log, "page allocation failure: order:2, mode:0xdc0"
					"(GFP_KERNEL|__GFP_ZERO), zone Normal: free ") != NULL);
	EXPECT_NULL(strchr(strchr(mm_host_log, '\n') + 1, '\n')); /* one line */
	mm_host_log_clear();
	EXPECT_NULL(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 2));
	EXPECT_EQ(mm_host_log[0], 0);
}
