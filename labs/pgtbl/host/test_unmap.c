/*
 * labs/pgtbl/host/test_unmap.c - tasks 5 and 6: unmap_range() and
 * free_pgtables().
 */
#include "host.h"

/* Map @n fresh pages at @va with @prot, by hand. Their physical addresses go to @pas. */
static bool map_pages(pte_t *pgd, u64 va, int n, pgprot_t prot, u64 *pas)
{
	for (int i = 0; i < n; i++) {
		pte_t *p = host_entry(pgd, va + (u64)i * PAGE_SIZE, 0);
		u64 pa = host_alloc_page();
		if (!p || !pa)
			return false;
		*p = pfn_pte(pa >> PAGE_SHIFT, prot, 0);
		if (pas)
			pas[i] = pa;
	}
	return true;
}

TEST(unmap_range_clears_counts_and_frees_on_request)
{
	u64 va = 0x10000, pas[8], keep[3];
	unsigned long tables;
	pte_t *pgd;

	HOST_BEGIN();
	pgd = host_new_root();
	ASSERT_NOT_NULL(pgd);
	/* pages 0-2 and 5-9 mapped, 3-4 a hole */
	ASSERT_TRUE(map_pages(pgd, va, 3, PROT_USER_RW, pas));
	ASSERT_TRUE(map_pages(pgd, va + 5 * PAGE_SIZE, 5, PROT_USER_RW, pas + 3));
	tables = host_pages_in_use() - 8;
	EXPECT_EQ(unmap_range(pgd, va, 10 * PAGE_SIZE, true), 8);
	for (int i = 0; i < 10; i++)
		EXPECT_NULL(host_lookup(pgd, va + (u64)i * PAGE_SIZE, NULL));
	for (int i = 0; i < 8; i++)
		EXPECT_FALSE(host_page_allocated(pas[i]));
	/* the tables stay (free_pgtables frees them) */
	EXPECT_EQ(host_pages_in_use(), tables);
	/* without free: the pages stay allocated */
	ASSERT_TRUE(map_pages(pgd, va, 3, PROT_USER_RW, keep));
	EXPECT_EQ(unmap_range(pgd, va + PAGE_SIZE, 2 * PAGE_SIZE, false), 2);
	EXPECT_NOT_NULL(host_lookup(pgd, va, NULL));
	EXPECT_NULL(host_lookup(pgd, va + PAGE_SIZE, NULL));
	for (int i = 0; i < 3; i++)
		EXPECT_TRUE(host_page_allocated(keep[i]));
	/* a range with nothing in it, even without tables */
	EXPECT_EQ(unmap_range(pgd, 5 * pt_level_size(PT_LEVELS - 1), 64 * PAGE_SIZE, true), 0);
}

TEST(unmap_range_large_leaves_count_all_their_pages)
{
	u64 s1 = pt_level_size(1), va = 0x40000000ULL;
	pte_t *pgd, *big;

	HOST_BEGIN();
	pgd = host_new_root();
	ASSERT_NOT_NULL(pgd);
	big = host_entry(pgd, va, 1);
	ASSERT_NOT_NULL(big);
	*big = pfn_pte(0xa0000, PROT_RW, 1);
	ASSERT_TRUE(map_pages(pgd, va + s1, 2, PROT_RW, NULL));
	/* the whole 2 MiB leaf and two 4 KiB pages after it */
	EXPECT_EQ(unmap_range(pgd, va, s1 + 2 * PAGE_SIZE, false), s1 / PAGE_SIZE + 2);
	EXPECT_NULL(host_lookup(pgd, va, NULL));
	EXPECT_NULL(host_lookup(pgd, va + s1 - PAGE_SIZE, NULL));
	EXPECT_NULL(host_lookup(pgd, va + s1, NULL));
}

TEST(free_pgtables_frees_every_table_and_page_once)
{
	static const u64 vas[] = {0x10000,	  0x14000,	 0x400000,
				  0x3fffff000ULL, 0x80000000ULL, 0x1234567000ULL};
	unsigned long before;
	int kidx = host_first_kernel_root_index();
	pte_t *pgd, kernel_entry = __pte(0);

	HOST_BEGIN();
	before = host_pages_in_use();
	pgd = host_new_root();
	ASSERT_NOT_NULL(pgd);
	if (kidx >= 0)
		kernel_entry = pgd[kidx];
	for (unsigned i = 0; i < ARRAY_SIZE(vas); i++) {
		if (vas[i] >= TASK_SIZE)
			continue;
		ASSERT_TRUE(map_pages(pgd, vas[i], 3, PROT_USER_RW, NULL));
	}
	ASSERT_GT(host_pages_in_use(), before + 20);
	free_pgtables(pgd, TASK_SIZE);
	/* every table, every mapped page and the root are back; the kernel's
	 * table that arch_pgd_init() put in the upper half (RISC-V) is not
	 * touched (the allocator would have failed the test on a bad free) */
	if (kidx >= 0) {
		EXPECT_TRUE(host_page_allocated(pte_table_pa(kernel_entry)));
		EXPECT_EQ(host_pages_in_use(), before + 1);
	} else {
		EXPECT_EQ(host_pages_in_use(), before);
	}
	/* an empty root: only itself */
	before = host_pages_in_use();
	pgd = host_new_root();
	ASSERT_NOT_NULL(pgd);
	free_pgtables(pgd, TASK_SIZE);
	EXPECT_LE(host_pages_in_use(), before);
}
