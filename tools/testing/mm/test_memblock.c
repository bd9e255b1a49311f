/*
 * tools/testing/mm/test_memblock.c - mm/memblock.c: merging and splitting
 * of regions, free ranges, top-down allocation, mem=, and the hand-over.
 */
#include "ktest-host.h"
#include "mm-host.h"
#include <kernel/errno.h>

#define B MM_HOST_RAM_BASE
#define MB (1ULL << 20)

static unsigned long cnt(struct memblock_type *t)
{
	return t->cnt;
}

TEST(memblock_add_merges_overlapping_and_adjacent)
{
	memblock_reset();
	EXPECT_EQ(memblock_add(B + 4 * MB, MB), 0);
	EXPECT_EQ(memblock_add(B, MB), 0);
	EXPECT_EQ(cnt(&memblock.memory), 2);
	EXPECT_EQ(memblock.memory.regions[0].base, B); /* sorted */
	EXPECT_EQ(memblock_add(B + MB, 3 * MB), 0);    /* touches both: one region */
	EXPECT_EQ(cnt(&memblock.memory), 1);
	EXPECT_EQ(memblock.memory.regions[0].size, 5 * MB);
	EXPECT_EQ(memblock_phys_mem_size(), 5 * MB);
	EXPECT_EQ(memblock_add(B + 2 * MB, MB), 0); /* inside: nothing changes */
	EXPECT_EQ(cnt(&memblock.memory), 1);
	EXPECT_EQ(memblock_add(B, 0), 0);
	EXPECT_EQ(memblock_start_of_DRAM(), B);
	EXPECT_EQ(memblock_end_of_DRAM(), B + 5 * MB);
}

TEST(memblock_remove_splits_and_trims)
{
	memblock_reset();
	memblock_add(B, 8 * MB);
	EXPECT_EQ(memblock_remove(B + 2 * MB, MB), 0); /* a hole: two regions */
	EXPECT_EQ(cnt(&memblock.memory), 2);
	EXPECT_EQ(memblock.memory.regions[0].size, 2 * MB);
	EXPECT_EQ(memblock.memory.regions[1].base, B + 3 * MB);
	EXPECT_EQ(memblock_remove(B + 7 * MB, 4 * MB), 0); /* the tail */
	EXPECT_EQ(memblock_end_of_DRAM(), B + 7 * MB);
	EXPECT_EQ(memblock_remove(B, 2 * MB), 0); /* a whole region */
	EXPECT_EQ(cnt(&memblock.memory), 1);
	EXPECT_EQ(memblock_phys_mem_size(), 4 * MB);
	EXPECT_FALSE(memblock_is_memory(B + 2 * MB));
	EXPECT_TRUE(memblock_is_memory(B + 3 * MB));
}

TEST(memblock_table_full_reports_enomem)
{
	memblock_reset();
	for (int i = 0; i < INIT_MEMBLOCK_REGIONS; i++)
		ASSERT_EQ(memblock_reserve(B + 2 * i * PAGE_SIZE, PAGE_SIZE), 0);
	EXPECT_EQ(memblock_reserve(B + 4 * INIT_MEMBLOCK_REGIONS * PAGE_SIZE, PAGE_SIZE), -ENOMEM);
	/* merging into an existing region still works when full */
	EXPECT_EQ(memblock_reserve(B + PAGE_SIZE, PAGE_SIZE), 0);
	EXPECT_EQ(cnt(&memblock.reserved), INIT_MEMBLOCK_REGIONS - 1);
}

TEST(memblock_free_ranges_are_memory_minus_reserved)
{
	phys_addr_t s, e, got[8][2];
	int n = 0;
	u64 i;

	memblock_reset();
	memblock_add(B, 16 * MB);
	memblock_reserve(B, MB);
	memblock_reserve(B + 4 * MB, MB);
	memblock_reserve(B + 15 * MB, 4 * MB); /* past the end of memory too */
	for_each_free_mem_range(i, &s, &e) {
		ASSERT_LT(n, 8);
		got[n][0] = s;
		got[n][1] = e;
		n++;
	}
	ASSERT_EQ(n, 2);
	EXPECT_EQ(got[0][0], B + MB);
	EXPECT_EQ(got[0][1], B + 4 * MB);
	EXPECT_EQ(got[1][0], B + 5 * MB);
	EXPECT_EQ(got[1][1], B + 15 * MB);
	EXPECT_TRUE(memblock_is_region_reserved(B + 4 * MB + 100, 1));
	EXPECT_FALSE(memblock_is_region_reserved(B + 2 * MB, MB));
}

TEST(memblock_alloc_is_top_down_aligned_and_reserved)
{
	phys_addr_t a, b;

	mm_host_boot_mb(32); /* for __va */
	memblock_reset();
	memblock_add(B, 32 * MB);
	memblock_reserve(B + 31 * MB, MB);
	a = memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE);
	EXPECT_EQ(a, B + 31 * MB - PAGE_SIZE);
	b = memblock_phys_alloc(3000, 1 << 16);
	EXPECT_EQ(b % (1 << 16), 0);
	EXPECT_LT(b, a);
	EXPECT_TRUE(memblock_is_region_reserved(b, 3000));
	/* inside a window */
	a = memblock_phys_alloc_range(PAGE_SIZE, PAGE_SIZE, B + MB, B + 2 * MB);
	EXPECT_EQ(a, B + 2 * MB - PAGE_SIZE);
	/* too big, bad alignment */
	EXPECT_EQ(memblock_phys_alloc(64 * MB, PAGE_SIZE), 0);
	EXPECT_EQ(memblock_phys_alloc(PAGE_SIZE, 3), 0);
	/* memblock_alloc zeroes */
	u8 *p = memblock_alloc(100, 8);
	ASSERT_NOT_NULL(p);
	for (int i = 0; i < 100; i++)
		EXPECT_EQ(p[i], 0);
	memblock_free(p, 100);
	EXPECT_FALSE(memblock_is_region_reserved(__pa(p), 100));
}

TEST(memblock_mem_limit_cuts_memory)
{
	memblock_reset();
	memblock_add(B, 8 * MB);
	memblock_add(B + 16 * MB, 8 * MB);
	memblock_enforce_memory_limit(12 * MB);
	EXPECT_EQ(memblock_phys_mem_size(), 12 * MB);
	EXPECT_EQ(memblock_end_of_DRAM(), B + 20 * MB);
}

TEST(memblock_hands_every_free_page_to_the_buddy_once)
{
	unsigned long expect;

	mm_host_boot_mb(64);
	/* boot reserved 2.5 MiB low and 8 KiB high; mem_map and pageblock bits come
	 * from memblock too: every other page is managed */
	expect = (64 * MB - memblock_reserved_size()) >> PAGE_SHIFT;
	EXPECT_EQ(totalram_pages(), expect);
	EXPECT_EQ(nr_free_pages(), expect);
	EXPECT_EQ(memblock_free_all(), 0); /* only once */
	EXPECT_EQ(memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), 0);
	EXPECT_TRUE(strstr(mm_host_log, "after the buddy allocator took over") != NULL);
	EXPECT_TRUE(strstr(mm_host_log, "handed to the buddy allocator") != NULL);
}
