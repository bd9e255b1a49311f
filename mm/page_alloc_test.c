/*
 * mm/page_alloc_test.c - KTAP suites "buddy" and "memblock": the zoned
 * buddy allocator and the boot memory map on the real machine (both
 * architectures): zones and mem_map, GFP_DMA, split and merge seen in the
 * free lists, per-CPU lists and their drain, watermarks from
 * min_free_kbytes, alloc_pages_exact, the /proc text. The host tests
 * (tools/testing/mm) cover the error paths and the randomized runs.
 */
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/memblock.h>
#include <kernel/seq_buf.h>
#include <kernel/setup.h>
#include <kernel/string.h>
#include "internal.h"

static struct zone *zone_of(enum zone_type t)
{
	return &contig_page_data.node_zones[t];
}

static void test_zones_and_mem_map(struct ktest *t)
{
	struct zone *dma = zone_of(ZONE_DMA), *normal = zone_of(ZONE_NORMAL);
	struct page *kpage = virt_to_page(_start);

	KTEST_EXPECT_TRUE(t, sizeof(struct page) <= 64);
	KTEST_EXPECT_EQ(t, min_low_pfn, ram_start >> PAGE_SHIFT);
	KTEST_EXPECT_EQ(t, max_pfn, ram_end >> PAGE_SHIFT);
	KTEST_EXPECT_EQ(t, dma->zone_start_pfn, ram_start >> PAGE_SHIFT);
	KTEST_EXPECT_EQ(t, dma->spanned_pages, (16UL << 20) >> PAGE_SHIFT);
	KTEST_EXPECT_EQ(t, normal->zone_start_pfn, zone_end_pfn(dma));
	KTEST_EXPECT_EQ(t, zone_end_pfn(normal), max_pfn);
	KTEST_EXPECT_EQ(t, totalram_pages(), zone_managed_pages(dma) + zone_managed_pages(normal));
	/* the kernel image is reserved, its struct page says so */
	KTEST_EXPECT_TRUE(t, PageReserved(kpage));
	KTEST_EXPECT_EQ(t, page_to_pfn(kpage), __pa(_start) >> PAGE_SHIFT);
	KTEST_EXPECT_TRUE(t, page_address(kpage) == (void *)_start);
	KTEST_EXPECT_TRUE(t, PageReserved(virt_to_page(mem_map)));
}

static void test_memblock_reserved_what_boot_uses(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, memblock_is_region_reserved(__pa(_start), _end - _start));
	KTEST_EXPECT_TRUE(t, memblock_is_region_reserved(boot_dtb_pa, 1));
	KTEST_EXPECT_TRUE(t, memblock_is_region_reserved(__pa(mem_map), 1));
	KTEST_EXPECT_TRUE(t, memblock_is_memory(ram_start));
	KTEST_EXPECT_FALSE(t, memblock_is_memory(ram_end));
	KTEST_EXPECT_EQ(t, memblock_start_of_DRAM(), ram_start);
	KTEST_EXPECT_EQ(t, memblock_end_of_DRAM(), ram_end);
	/* it is over: the buddy allocator owns the free memory */
	KTEST_EXPECT_EQ(t, memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), 0);
}

static void test_gfp_dma_comes_from_zone_dma(struct ktest *t)
{
	struct page *p = alloc_pages(GFP_DMA | GFP_KERNEL, 2), *q = alloc_pages(GFP_KERNEL, 0);

	KTEST_ASSERT_TRUE(t, p && q);
	KTEST_EXPECT_EQ(t, page_zonenum(p), ZONE_DMA);
	KTEST_EXPECT_TRUE(t, PFN_PHYS(page_to_pfn(p)) < ram_start + (16UL << 20));
	KTEST_EXPECT_EQ(t, page_zonenum(q), ZONE_NORMAL);
	__free_pages(p, 2);
	__free_pages(q, 0);
}

static void test_split_and_merge(struct ktest *t)
{
	struct zone *normal = zone_of(ZONE_NORMAL);
	unsigned long before[NR_PAGE_ORDERS], free0;
	struct page *p;

	drain_all_pages(NULL);
	free0 = nr_free_pages();
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		before[o] = normal->free_area[o].nr_free;
	p = alloc_pages(GFP_HIGHUSER_MOVABLE, 5);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, page_to_pfn(p) % 32, 0);
	KTEST_EXPECT_EQ(t, page_ref_count(p), 1);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0 - 32);
	__free_pages(p, 5);
	drain_all_pages(NULL);
	/* merged back into exactly the blocks there were */
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		KTEST_EXPECT_EQ(t, normal->free_area[o].nr_free, before[o]);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}

/*
 * Split an order-1 block into its two pages and free them one at a time,
 * in both orders, each through the per-CPU list into the buddy allocator:
 * whichever half comes back second must find the first and merge. The
 * buddy of the block at pfn is at pfn ^ (1 << order): below it for an
 * upper half, which "pfn + (1 << order)" would miss.
 */
static void test_each_half_finds_its_buddy(struct ktest *t)
{
	for (int upper_last = 0; upper_last < 2; upper_last++) {
		struct page *pair = alloc_pages(GFP_HIGHUSER_MOVABLE, 1), *first, *second;

		KTEST_ASSERT_TRUE(t, pair != NULL);
		KTEST_EXPECT_EQ(t, page_to_pfn(pair) % 2, 0);
		split_page(pair, 1);
		first = upper_last ? pair : pair + 1;
		second = upper_last ? pair + 1 : pair;
		__free_pages(first, 0);
		drain_all_pages(NULL);
		/* alone: its buddy is still allocated */
		KTEST_EXPECT_TRUE(t, PageBuddy(first) && buddy_order(first) == 0);
		__free_pages(second, 0);
		drain_all_pages(NULL);
		/* merged (and maybe further): neither is an order-0 free block now */
		KTEST_EXPECT_FALSE(t, PageBuddy(second) && buddy_order(second) == 0);
		KTEST_EXPECT_FALSE(t, PageBuddy(first) && buddy_order(first) == 0);
		KTEST_EXPECT_FALSE(t, PageBuddy(pair + 1));
	}
}

static void test_max_order(struct ktest *t)
{
	struct page *p = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);

	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, page_to_pfn(p) % (1 << MAX_PAGE_ORDER), 0);
	__free_pages(p, MAX_PAGE_ORDER);
	KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER + 1) == NULL);
}

static void test_per_cpu_list_and_drain(struct ktest *t)
{
	struct zone *normal = zone_of(ZONE_NORMAL);
	unsigned long before = nr_free_pages();
	struct page *p;
	int cpu, count;

	drain_all_pages(NULL);
	push_off(); /* stay on one CPU while looking at its list */
	cpu = cpuid();
	p = alloc_pages(GFP_KERNEL, 0);
	count = normal->per_cpu_pageset[cpu].count;
	pop_off();
	KTEST_ASSERT_TRUE(t, p != NULL);
	/* the allocation refilled a batch; one page of it went out */
	KTEST_EXPECT_EQ(t, count, normal->per_cpu_pageset[cpu].batch - 1);
	__free_pages(p, 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	drain_all_pages(NULL);
	for (int c = 0; c < NCPU; c++)
		KTEST_EXPECT_EQ(t, normal->per_cpu_pageset[c].count, 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
}

static void test_watermarks_from_min_free_kbytes(struct ktest *t)
{
	unsigned long pages_min = (unsigned long)min_free_kbytes >> (PAGE_SHIFT - 10);
	struct zone *zone;

	KTEST_EXPECT_TRUE(t, min_free_kbytes >= 128 && min_free_kbytes <= 262144);
	for_each_populated_zone(zone) {
		unsigned long min = min_wmark_pages(zone);

		KTEST_EXPECT_EQ(t, min, pages_min * zone_managed_pages(zone) / totalram_pages());
		KTEST_EXPECT_EQ(t, low_wmark_pages(zone), min + min / 4);
		KTEST_EXPECT_EQ(t, high_wmark_pages(zone), min + min / 2);
	}
	KTEST_EXPECT_EQ(t, zone_of(ZONE_DMA)->lowmem_reserve[ZONE_NORMAL],
			zone_managed_pages(zone_of(ZONE_NORMAL)) / 256);
}

static void test_alloc_pages_exact(struct ktest *t)
{
	unsigned long before = nr_free_pages();
	u8 *p = alloc_pages_exact(3 * PAGE_SIZE + 1, GFP_KERNEL | __GFP_ZERO);

	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, before - nr_free_pages(), 4);
	KTEST_EXPECT_EQ(t, p[4 * PAGE_SIZE - 1], 0);
	free_pages_exact(p, 3 * PAGE_SIZE + 1);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
}

static void test_proc_text(struct ktest *t)
{
	char *buf = (char *)__get_free_pages(GFP_KERNEL, 2);
	struct seq_buf s;

	KTEST_ASSERT_TRUE(t, buf != NULL);
	seq_buf_init(&s, buf, PAGE_SIZE << 2);
	buddyinfo_show(&s);
	KTEST_EXPECT_TRUE(t, strncmp(buf, "Node 0, zone      DMA ", 22) == 0);
	seq_buf_init(&s, buf, PAGE_SIZE << 2);
	zoneinfo_show(&s);
	KTEST_EXPECT_FALSE(t, seq_buf_has_overflowed(&s));
	seq_buf_init(&s, buf, PAGE_SIZE << 2);
	pagetypeinfo_show(&s);
	KTEST_EXPECT_FALSE(t, seq_buf_has_overflowed(&s));
	KTEST_EXPECT_TRUE(t, strncmp(buf, "Page block order: 9\n", 20) == 0);
	free_pages((unsigned long)buf, 2);
}

static struct ktest_case buddy_cases[] = {
    KTEST_CASE(test_zones_and_mem_map),
    KTEST_CASE(test_gfp_dma_comes_from_zone_dma),
    KTEST_CASE(test_split_and_merge),
    KTEST_CASE(test_each_half_finds_its_buddy),
    KTEST_CASE(test_max_order),
    KTEST_CASE(test_per_cpu_list_and_drain),
    KTEST_CASE(test_watermarks_from_min_free_kbytes),
    KTEST_CASE(test_alloc_pages_exact),
    KTEST_CASE(test_proc_text),
    {},
};
KTEST_SUITE(buddy, buddy_cases);

static struct ktest_case memblock_cases[] = {
    KTEST_CASE(test_memblock_reserved_what_boot_uses),
    {},
};
KTEST_SUITE(memblock, memblock_cases);
