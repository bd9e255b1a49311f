/*
 * labs/pgtbl/host/test_walk.c - tasks 2 and 3: walk_pgtable() (through
 * walk_to_level()) and lookup_pte().
 */
#include "host.h"

/* a VA whose path shares nothing with 0 below the root */
#define VA1 0x12345000ULL

TEST(walk_allocates_exactly_the_missing_tables)
{
	pte_t *pgd, *p, *l0;
	unsigned long base;

	HOST_BEGIN();
	pgd = host_new_root();
	ASSERT_NOT_NULL(pgd);
	base = host_pages_in_use();
	p = walk_pgtable(pgd, VA1, true);
	ASSERT_NOT_NULL(p);
	/* one new table per level below the root */
	EXPECT_EQ(host_pages_in_use() - base, PT_LEVELS - 1);
	l0 = host_table(pgd, VA1, 0);
	ASSERT_NOT_NULL(l0);
	EXPECT_PTR_EQ(p, &l0[pt_index(0, VA1)]);
	EXPECT_TRUE(pte_none(*p));
	/* the new tables are zeroed: only the path's entries are set */
	for (int l = 0; l < PT_LEVELS - 1; l++) {
		pte_t *t = host_table(pgd, VA1, l);
		int set = 0;
		ASSERT_NOT_NULL(t);
		for (int i = 0; i < PTRS_PER_TABLE; i++)
			set += !pte_none(t[i]);
		EXPECT_EQ(set, l == 0 ? 0 : 1);
	}
	/* again: the same entry, nothing allocated */
	base = host_pages_in_use();
	EXPECT_PTR_EQ(walk_pgtable(pgd, VA1, true), p);
	EXPECT_PTR_EQ(walk_pgtable(pgd, VA1 + 0xfff, true), p);
	EXPECT_PTR_EQ(walk_pgtable(pgd, VA1 + PAGE_SIZE, true), p + 1);
	EXPECT_EQ(host_pages_in_use(), base);
	/* another 2 MiB region under the same level-1 table: one new table */
	p = walk_pgtable(pgd, VA1 + pt_level_size(1), true);
	ASSERT_NOT_NULL(p);
	EXPECT_EQ(host_pages_in_use() - base, 1);
	/* another root entry: a whole new path */
	base = host_pages_in_use();
	p = walk_pgtable(pgd, VA1 + 3 * pt_level_size(PT_LEVELS - 1), true);
	ASSERT_NOT_NULL(p);
	EXPECT_EQ(host_pages_in_use() - base, PT_LEVELS - 1);
	EXPECT_PTR_EQ(p, host_table(pgd, VA1 + 3 * pt_level_size(PT_LEVELS - 1), 0) +
			     pt_index(0, VA1));
}

TEST(walk_without_alloc_and_under_large_leaves)
{
	pte_t *pgd, *p, *big;
	unsigned long base;
	u64 big_va = 0x40000000ULL + 5 * pt_level_size(1);

	HOST_BEGIN();
	pgd = host_new_root();
	ASSERT_NOT_NULL(pgd);
	base = host_pages_in_use();
	/* nothing there, and nothing may be created */
	EXPECT_NULL(walk_pgtable(pgd, VA1, false));
	EXPECT_EQ(host_pages_in_use(), base);
	p = walk_pgtable(pgd, VA1, true);
	ASSERT_NOT_NULL(p);
	EXPECT_PTR_EQ(walk_pgtable(pgd, VA1, false), p);
	/* a missing level-0 table on an existing path */
	EXPECT_NULL(walk_pgtable(pgd, VA1 + pt_level_size(1), false));
	/* a 2 MiB leaf covers big_va: there is no level-0 entry to return */
	big = host_entry(pgd, big_va, 1);
	ASSERT_NOT_NULL(big);
	*big = pfn_pte(0x90000, PROT_RW, 1);
	base = host_pages_in_use();
	EXPECT_NULL(walk_pgtable(pgd, big_va + 3 * PAGE_SIZE, true));
	EXPECT_NULL(walk_pgtable(pgd, big_va, false));
	EXPECT_EQ(host_pages_in_use(), base);
	EXPECT_EQ(pte_pfn(*big), 0x90000); /* and the leaf is untouched */
	/* out of memory half-way down: NULL, not a crash */
	host_fail_alloc_after(2);
	EXPECT_NULL(walk_pgtable(pgd, 7 * pt_level_size(PT_LEVELS - 1), true));
	host_fail_alloc_after(0);
}

TEST(lookup_finds_leaves_at_every_level)
{
	pte_t *pgd, *small, *mid, *top;
	u64 small_va = VA1, mid_va = 0x40000000ULL + 7 * pt_level_size(1);
	u64 top_va = 3 * pt_level_size(PT_LEVELS - 1);
	unsigned long base;
	int level = -1;

	HOST_BEGIN();
	pgd = host_new_root();
	ASSERT_NOT_NULL(pgd);
	small = host_entry(pgd, small_va, 0);
	mid = host_entry(pgd, mid_va, 1);
	top = host_entry(pgd, top_va, PT_LEVELS - 1);
	ASSERT_TRUE(small && mid && top);
	*small = pfn_pte(0x88001, PROT_RW, 0);
	*mid = pfn_pte(0x88200, PROT_RO, 1);
	*top = pfn_pte(0x80000, PROT_RX, PT_LEVELS - 1);
	base = host_pages_in_use();

	EXPECT_PTR_EQ(lookup_pte(pgd, small_va + 0x123, &level), small);
	EXPECT_EQ(level, 0);
	EXPECT_PTR_EQ(lookup_pte(pgd, mid_va + 0x1234, &level), mid);
	EXPECT_EQ(level, 1);
	EXPECT_PTR_EQ(lookup_pte(pgd, mid_va + pt_level_size(1) - 1, &level), mid);
	EXPECT_EQ(level, 1);
	EXPECT_PTR_EQ(lookup_pte(pgd, top_va + 0x12345678, &level), top);
	EXPECT_EQ(level, PT_LEVELS - 1);
	EXPECT_PTR_EQ(lookup_pte(pgd, small_va, NULL), small); /* levelp may be NULL */
	/* holes at each level: no root entry, no level-1 entry, no level-0 entry */
	EXPECT_NULL(lookup_pte(pgd, 5 * pt_level_size(PT_LEVELS - 1), &level));
	EXPECT_NULL(lookup_pte(pgd, small_va + 2 * pt_level_size(1), &level));
	EXPECT_NULL(lookup_pte(pgd, small_va + PAGE_SIZE, &level));
	EXPECT_NULL(lookup_pte(pgd, mid_va + pt_level_size(1), &level));
	/* a cleared leaf is no longer found */
	*small = __pte(0);
	EXPECT_NULL(lookup_pte(pgd, small_va, &level));
	EXPECT_EQ(host_pages_in_use(), base); /* lookups allocate nothing */
}
