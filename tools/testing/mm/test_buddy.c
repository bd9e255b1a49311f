/*
 * tools/testing/mm/test_buddy.c - the buddy algorithm: split and merge,
 * alignment, exhaustion and refill, zones and the zonelist, the page
 * helpers, alloc_pages_exact.
 *
 * The tests of splitting, merging and alignment allocate movable pages: at
 * boot every pageblock is movable, so they need only the buddy lab's tasks
 * 1-3. A GFP_KERNEL (unmovable) page first needs a fallback (task 4), and
 * so does running a type out of blocks (exhaustion tries the others).
 */
#include "ktest-host.h"
#include "mm-host.h"

static void check(void)
{
	char why[256];

	if (mm_host_check(why, sizeof(why)) < 0)
		ktest_fail(__FILE__, __LINE__, "invariant: %s", why);
}

static unsigned long nr_free_order(struct zone *z, int order)
{
	return z->free_area[order].nr_free;
}

TEST(struct_page_is_small_and_helpers_round_trip)
{
	mm_host_boot_mb(64);
	EXPECT_LE(sizeof(struct page), 64);
	for (unsigned long pfn = min_low_pfn; pfn < max_pfn; pfn += 777) {
		struct page *p = pfn_to_page(pfn);
		EXPECT_EQ(page_to_pfn(p), pfn);
		EXPECT_PTR_EQ(virt_to_page(page_address(p)), p);
		EXPECT_EQ(__pa(page_address(p)), pfn << PAGE_SHIFT);
	}
	EXPECT_EQ(get_order(1), 0);
	EXPECT_EQ(get_order(PAGE_SIZE), 0);
	EXPECT_EQ(get_order(PAGE_SIZE + 1), 1);
	EXPECT_EQ(get_order(4 << 20), 10);
}

TEST(zones_split_ram_at_dma_limit)
{
	struct zone *dma = &contig_page_data.node_zones[ZONE_DMA];
	struct zone *normal = &contig_page_data.node_zones[ZONE_NORMAL];

	mm_host_boot_mb(64);
	EXPECT_EQ(dma->zone_start_pfn, MM_HOST_RAM_BASE >> PAGE_SHIFT);
	EXPECT_EQ(dma->spanned_pages, (16 << 20) >> PAGE_SHIFT);
	EXPECT_EQ(normal->zone_start_pfn, zone_end_pfn(dma));
	EXPECT_EQ(zone_end_pfn(normal), max_pfn);
	EXPECT_STREQ(dma->name, "DMA");
	EXPECT_STREQ(normal->name, "Normal");
	/* the zonelist: Normal first, then DMA */
	EXPECT_PTR_EQ(contig_page_data.node_zonelists[0]._zonerefs[0].zone, normal);
	EXPECT_PTR_EQ(contig_page_data.node_zonelists[0]._zonerefs[1].zone, dma);
	EXPECT_NULL(contig_page_data.node_zonelists[0]._zonerefs[2].zone);
	/* mem_map and the pageblock bits came from the top, not from ZONE_DMA */
	EXPECT_GT(__pa(mem_map), (u64)PFN_PHYS(zone_end_pfn(dma)));
	check();
}

TEST(dma_limit_rounds_to_max_order_and_zero_means_no_dma_zone)
{
	struct mm_host_config cfg = {.ram_mb = 32, .dma_mb = 5, .min_free_kbytes = -1};
	struct zone *dma = &contig_page_data.node_zones[ZONE_DMA];

	mm_host_boot(&cfg);
	EXPECT_EQ(dma->spanned_pages, (8 << 20) >> PAGE_SHIFT); /* 5 MiB -> 8 MiB */
	check();
	cfg.dma_mb = 0;
	mm_host_boot(&cfg);
	EXPECT_FALSE(populated_zone(dma));
	EXPECT_NULL(alloc_pages(GFP_DMA | __GFP_NOWARN, 0));
	EXPECT_NOT_NULL(alloc_pages(GFP_KERNEL, 0));
	cfg.dma_mb = 64; /* all of RAM */
	mm_host_boot(&cfg);
	EXPECT_FALSE(populated_zone(&contig_page_data.node_zones[ZONE_NORMAL]));
	EXPECT_NOT_NULL(alloc_pages(GFP_KERNEL, 3));
	check();
}

TEST(split_gives_back_the_upper_halves)
{
	struct zone *n = &contig_page_data.node_zones[ZONE_NORMAL];
	unsigned long before[NR_PAGE_ORDERS], after[NR_PAGE_ORDERS];
	struct page *p;

	mm_host_boot_mb(64);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		before[o] = nr_free_order(n, o);
	/* the smallest free block of order >= 3 is split: one block of each order
	 * from 3 up to below it appears */
	int src = 3;
	while (src <= MAX_PAGE_ORDER && before[src] == 0)
		src++;
	ASSERT_LE(src, MAX_PAGE_ORDER);
	/* movable: the lists every free block starts on, so no fallback */
	p = alloc_pages(GFP_HIGHUSER_MOVABLE, 3);
	ASSERT_NOT_NULL(p);
	EXPECT_EQ(page_to_pfn(p) % 8, 0);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		after[o] = nr_free_order(n, o);
	EXPECT_EQ(after[src], before[src] - 1);
	for (int o = 3; o < src; o++)
		EXPECT_EQ(after[o], before[o] + 1);
	check();
	__free_pages(p, 3);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		EXPECT_EQ(nr_free_order(n, o), before[o]); /* merged all the way back */
	check();
}

TEST(merge_needs_the_buddy_free)
{
	struct page *a, *b;
	unsigned long pfn;

	mm_host_boot_mb(64);
	/* take an order-1 block and split it into its two order-0 halves */
	a = alloc_pages(GFP_HIGHUSER_MOVABLE, 1);
	ASSERT_NOT_NULL(a);
	pfn = page_to_pfn(a);
	split_page(a, 1);
	b = a + 1;
	EXPECT_EQ(page_ref_count(b), 1);
	__free_pages(a, 0);
	drain_all_pages(NULL);
	/* a is free but cannot merge: its buddy b is still allocated */
	EXPECT_TRUE(PageBuddy(a));
	EXPECT_EQ(buddy_order(a), 0);
	__free_pages(b, 0);
	drain_all_pages(NULL);
	/* now they merged (and further): a is no longer an order-0 head */
	EXPECT_FALSE(PageBuddy(a) && buddy_order(a) == 0);
	EXPECT_FALSE(PageBuddy(b));
	EXPECT_EQ(pfn & 1, 0);
	check();
}

TEST(every_order_is_naturally_aligned)
{
	mm_host_boot_mb(64);
	for (unsigned order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct page *p = alloc_pages(GFP_HIGHUSER_MOVABLE, order);

		ASSERT_NOT_NULL(p);
		EXPECT_EQ(page_to_pfn(p) & ((1UL << order) - 1), 0);
		EXPECT_EQ(page_ref_count(p), 1);
		__free_pages(p, order);
	}
	EXPECT_NULL(alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, MAX_PAGE_ORDER + 1));
	check();
}

TEST(order_above_max_warns_unless_nowarn)
{
	mm_host_boot_mb(32);
	mm_host_log_clear();
	EXPECT_NULL(alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, 11));
	EXPECT_EQ(mm_host_log[0], 0);
	EXPECT_NULL(alloc_pages(GFP_HIGHUSER_MOVABLE, 11));
	EXPECT_TRUE(strstr(mm_host_log, "order 11 is above MAX_PAGE_ORDER") != NULL);
}

TEST(exhaust_every_order_then_refill)
{
	unsigned long before[NR_PAGE_ORDERS], after[NR_PAGE_ORDERS], free0;

	mm_host_boot_mb(48);
	mm_host_free_per_order(before);
	free0 = nr_free_pages();
	for (int order = MAX_PAGE_ORDER; order >= 0; order--) {
		struct page *head = NULL, *p;
		unsigned long n = 0;

		/* __GFP_MEMALLOC: past the watermarks, every block */
		while ((p = alloc_pages(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOWARN, order))) {
			*(struct page **)page_address(p) = head;
			head = p;
			n++;
		}
		/* nothing of this order is left anywhere */
		for (struct zone *z = contig_page_data.node_zones;
		     z < contig_page_data.node_zones + MAX_NR_ZONES; z++)
			for (int o = order; o < NR_PAGE_ORDERS; o++)
				EXPECT_EQ(z->free_area[o].nr_free, 0);
		if (order == 0)
			EXPECT_EQ(nr_free_pages(), 0);
		while (head) {
			p = *(struct page **)page_address(head);
			__free_pages(head, order);
			head = p;
		}
		EXPECT_EQ(nr_free_pages(), free0);
		mm_host_free_per_order(after);
		for (int o = 0; o < NR_PAGE_ORDERS; o++)
			EXPECT_EQ(after[o], before[o]);
		(void)n;
	}
	check();
}

TEST(gfp_dma_comes_only_from_zone_dma)
{
	struct page *p;
	unsigned long n = 0;

	mm_host_boot_mb(64);
	while ((p = alloc_pages(GFP_DMA | __GFP_NOWARN, 0))) {
		ASSERT_EQ(page_zonenum(p), ZONE_DMA);
		n++;
	}
	/* ZONE_DMA is full down to its watermark; Normal still has plenty */
	EXPECT_GT(n, 3000);
	EXPECT_GT(zone_page_state(&contig_page_data.node_zones[ZONE_NORMAL], NR_FREE_PAGES), 8000);
	check();
}

TEST(kernel_allocations_fall_back_to_dma_but_not_into_its_reserve)
{
	struct zone *dma = &contig_page_data.node_zones[ZONE_DMA];
	struct page *p;
	bool saw_dma = false;

	mm_host_boot_mb(64);
	while ((p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0)))
		saw_dma |= page_zonenum(p) == ZONE_DMA;
	EXPECT_TRUE(saw_dma);
	/* ZONE_DMA keeps its min watermark plus the protection from Normal's allocations */
	EXPECT_GE(zone_page_state(dma, NR_FREE_PAGES) + zone_pcp_pages(dma),
		  min_wmark_pages(dma) + dma->lowmem_reserve[ZONE_NORMAL]);
	EXPECT_GT(dma->lowmem_reserve[ZONE_NORMAL], 0);
	/* which GFP_DMA can still have */
	EXPECT_NOT_NULL(alloc_pages(GFP_DMA | __GFP_NOWARN, 0));
	check();
}

TEST(alloc_pages_exact_gives_back_the_tail)
{
	unsigned long before;
	void *p;

	mm_host_boot_mb(32);
	before = nr_free_pages();
	p = alloc_pages_exact(5 * PAGE_SIZE, GFP_KERNEL | __GFP_ZERO);
	ASSERT_NOT_NULL(p);
	EXPECT_EQ(before - nr_free_pages(), 5); /* an order-3 block, 3 pages back */
	EXPECT_EQ(((u8 *)p)[5 * PAGE_SIZE - 1], 0);
	EXPECT_EQ(page_ref_count(virt_to_page(p) + 4), 1);
	free_pages_exact(p, 5 * PAGE_SIZE);
	EXPECT_EQ(nr_free_pages(), before);
	check();
}

TEST(get_zeroed_page_and_poison)
{
	unsigned long a;
	bool zero = true;

	mm_host_boot_mb(32);
	a = get_zeroed_page(GFP_KERNEL);
	ASSERT_NE(a, 0);
	memset((void *)a, 0x33, PAGE_SIZE);
	free_page(a);
	EXPECT_EQ(((u8 *)a)[100], PAGE_POISON);
	a = get_zeroed_page(GFP_KERNEL);
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		zero &= ((u8 *)a)[i] == 0;
	EXPECT_TRUE(zero);
	free_page(a);
	free_page(0); /* no-op */
	check();
}

TEST(refcount_keeps_a_shared_block)
{
	struct page *p;
	unsigned long before;

	mm_host_boot_mb(32);
	before = nr_free_pages();
	p = alloc_pages(GFP_KERNEL, 2);
	get_page(p);
	__free_pages(p, 2);
	EXPECT_EQ(nr_free_pages(), before - 4);
	__free_pages(p, 2);
	EXPECT_EQ(nr_free_pages(), before);
	check();
}
