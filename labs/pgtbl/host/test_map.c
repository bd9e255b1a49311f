/*
 * labs/pgtbl/host/test_map.c - task 4: map_range().
 */
#include <kernel/errno.h>
#include "host.h"

/* Is [va, va + n pages) mapped page by page to [pa, ...) at @level with @prot's r/w/x? */
static void expect_mapped(pte_t *pgd, u64 va, u64 pa, u64 npages, int want_level, bool w, bool x)
{
	for (u64 i = 0; i < npages; i++) {
		int level = -1;
		u64 v = va + i * PAGE_SIZE;
		pte_t *p = host_lookup(pgd, v, &level);

		if (!p) {
			ktest_fail(__FILE__, __LINE__, "va 0x%llx is not mapped",
				   (unsigned long long)v);
			return;
		}
		u64 got = (pte_pfn(*p) << PAGE_SHIFT) + (v & (pt_level_size(level) - 1));
		if (level != want_level || got != pa + i * PAGE_SIZE || pte_write(*p) != w ||
		    pte_exec(*p) != x || !pte_read(*p)) {
			ktest_fail(
			    __FILE__, __LINE__,
			    "va 0x%llx: expected pa 0x%llx at level %d %s%s, got pa 0x%llx at "
			    "level %d (pte 0x%016llx)",
			    (unsigned long long)v, (unsigned long long)(pa + i * PAGE_SIZE),
			    want_level, w ? "writable" : "read-only", x ? " executable" : "",
			    (unsigned long long)got, level, (unsigned long long)pte_val(*p));
			return;
		}
	}
}

TEST(map_range_4k_pages_across_table_boundaries)
{
	/* five pages across a 1 GiB (and so a 2 MiB) boundary */
	u64 va = pt_level_size(PT_LEVELS - 1) - 2 * PAGE_SIZE, pa = 0x90000000ULL;
	u64 size = 5 * PAGE_SIZE;
	unsigned long base;
	pte_t *pgd;

	HOST_BEGIN();
	pgd = host_new_root();
	ASSERT_NOT_NULL(pgd);
	base = host_pages_in_use();
	ASSERT_EQ(map_range(pgd, va, pa, size, PROT_RW, false), 0);
	expect_mapped(pgd, va, pa, 5, 0, true, false);
	/* two paths of PT_LEVELS - 1 tables each, nothing more */
	EXPECT_EQ(host_pages_in_use() - base, 2 * (PT_LEVELS - 1));
	EXPECT_NULL(host_lookup(pgd, va - PAGE_SIZE, NULL));
	EXPECT_NULL(host_lookup(pgd, va + size, NULL));
	/* read-only and executable ranges, next to it */
	EXPECT_EQ(map_range(pgd, va + size, 0x91000000ULL, 2 * PAGE_SIZE, PROT_RO, false), 0);
	EXPECT_EQ(map_range(pgd, va - 3 * PAGE_SIZE, 0x92000000ULL, 3 * PAGE_SIZE, PROT_RX, false),
		  0);
	expect_mapped(pgd, va + size, 0x91000000ULL, 2, 0, false, false);
	expect_mapped(pgd, va - 3 * PAGE_SIZE, 0x92000000ULL, 3, 0, false, true);
	/* huge = false: 4 KiB pages even where a large leaf would fit */
	EXPECT_EQ(
	    map_range(pgd, 0x40000000ULL * 2, 0xa0000000ULL, pt_level_size(1), PROT_RW, false), 0);
	expect_mapped(pgd, 0x40000000ULL * 2, 0xa0000000ULL, pt_level_size(1) / PAGE_SIZE, 0, true,
		      false);
	/* size 0 maps nothing */
	base = host_pages_in_use();
	EXPECT_EQ(map_range(pgd, 0x7000000ULL, 0x90000000ULL, 0, PROT_RW, false), 0);
	EXPECT_EQ(host_pages_in_use(), base);
	EXPECT_NULL(host_lookup(pgd, 0x7000000ULL, NULL));
}

TEST(map_range_refuses_bad_requests)
{
	pte_t *pgd;
	pte_t *p;

	HOST_BEGIN();
	pgd = host_new_root();
	ASSERT_NOT_NULL(pgd);
	EXPECT_EQ(map_range(pgd, 0x10001000ULL + 1, 0x90000000ULL, PAGE_SIZE, PROT_RW, false),
		  -EINVAL);
	EXPECT_EQ(map_range(pgd, 0x10001000ULL, 0x90000800ULL, PAGE_SIZE, PROT_RW, false), -EINVAL);
	EXPECT_EQ(map_range(pgd, 0x10001000ULL, 0x90000000ULL, 100, PROT_RW, false), -EINVAL);
	EXPECT_NULL(host_lookup(pgd, 0x10001000ULL, NULL));
	ASSERT_EQ(map_range(pgd, 0x10001000ULL, 0x90000000ULL, 2 * PAGE_SIZE, PROT_RW, false), 0);
	/* already mapped: refused, and the old mapping stays */
	EXPECT_EQ(map_range(pgd, 0x10002000ULL, 0x95000000ULL, PAGE_SIZE, PROT_RO, false), -EEXIST);
	p = host_lookup(pgd, 0x10002000ULL, NULL);
	ASSERT_NOT_NULL(p);
	EXPECT_EQ(pte_pfn(*p), 0x90001);
	EXPECT_TRUE(pte_write(*p));
	/* out of memory: -ENOMEM */
	host_fail_alloc_after(1);
	EXPECT_EQ(map_range(pgd, 9 * pt_level_size(PT_LEVELS - 1), 0x90000000ULL, PAGE_SIZE,
			    PROT_RW, false),
		  -ENOMEM);
	host_fail_alloc_after(0);
}

TEST(map_range_huge_uses_large_leaves_where_aligned)
{
	u64 s1 = pt_level_size(1);
	/* 4 KiB, 2 MiB, 2 MiB, 4 KiB: across a 1 GiB boundary */
	u64 va = 0x40000000ULL - s1 - PAGE_SIZE, pa = 0xc0000000ULL - s1 - PAGE_SIZE;
	u64 size = 2 * s1 + 2 * PAGE_SIZE;
	unsigned long base;
	pte_t *pgd;

	HOST_BEGIN();
	pgd = host_new_root();
	ASSERT_NOT_NULL(pgd);
	base = host_pages_in_use();
	ASSERT_EQ(map_range(pgd, va, pa, size, PROT_RW, true), 0);
	expect_mapped(pgd, va, pa, 1, 0, true, false);
	expect_mapped(pgd, va + PAGE_SIZE, pa + PAGE_SIZE, s1 / PAGE_SIZE, 1, true, false);
	expect_mapped(pgd, va + PAGE_SIZE + s1, pa + PAGE_SIZE + s1, s1 / PAGE_SIZE, 1, true,
		      false);
	expect_mapped(pgd, va + PAGE_SIZE + 2 * s1, pa + PAGE_SIZE + 2 * s1, 1, 0, true, false);
	/* level-1 and level-0 tables on both sides of the boundary; no level-0 table for
	 * the 2 MiB leaves */
	EXPECT_EQ(host_pages_in_use() - base, 4);
	/* a physical address that is not 2 MiB aligned: 4 KiB pages only */
	ASSERT_EQ(map_range(pgd, 4 * 0x40000000ULL, 0x90001000ULL, 2 * s1, PROT_RO, true), 0);
	expect_mapped(pgd, 4 * 0x40000000ULL, 0x90001000ULL, 2 * s1 / PAGE_SIZE, 0, false, false);
}
