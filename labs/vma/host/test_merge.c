/*
 * labs/vma/host/test_merge.c - task 2: vma_map_range() merges a new VMA
 * with compatible neighbours (can_merge, vma_try_merge), and only with them.
 */
#include "vma_host.h"

#include <stdio.h>

static struct vm_area_struct *map(struct mm_struct *mm, u64 s, u64 e, unsigned long flags,
				  struct file *f, u64 pgoff)
{
	struct vm_area_struct *v = vma_map_range(mm, A(s), A(e), flags, f, pgoff);

	if (!v)
		ktest_fail(__FILE__, __LINE__, "vma_map_range(pages %llu-%llu) failed", s, e);
	return v;
}

TEST(a_new_vma_extends_the_compatible_vma_below)
{
	struct mm_struct mm = {0};
	static const struct host_vma want[] = {{0, 4, RW}};

	host_mm_reset(&mm);
	map(&mm, 0, 2, RW, NULL, 0);
	struct vm_area_struct *v = map(&mm, 2, 4, RW, NULL, 0);
	host_expect(&mm, want, 1, "after mapping pages 0-2 and 2-4");
	EXPECT_TRUE(v && v->vm_start == A(0) && v->vm_end == A(4)); /* the survivor comes back */
	EXPECT_EQ(host_check(&mm, true, "after the merge"), 0);
}

TEST(a_new_vma_absorbs_the_compatible_vma_above)
{
	struct mm_struct mm = {0};
	static const struct host_vma want[] = {{2, 6, RW}};

	host_mm_reset(&mm);
	map(&mm, 4, 6, RW, NULL, 0);
	map(&mm, 2, 4, RW, NULL, 0);
	host_expect(&mm, want, 1, "after mapping pages 4-6 and 2-4");
	EXPECT_EQ(host_check(&mm, true, "after the merge"), 0);
}

TEST(filling_a_hole_merges_three_vmas_into_one)
{
	struct mm_struct mm = {0};
	static const struct host_vma want[] = {{0, 3, RW}};

	host_mm_reset(&mm);
	map(&mm, 0, 1, RW, NULL, 0);
	map(&mm, 2, 3, RW, NULL, 0);
	map(&mm, 1, 2, RW, NULL, 0);
	host_expect(&mm, want, 1, "after mapping pages 0-1, 2-3, then 1-2");
	EXPECT_EQ(host_check(&mm, true, "after the merge"), 0);
	EXPECT_EQ(host_live_vmas, 1);
}

TEST(different_permissions_or_backing_do_not_merge)
{
	struct mm_struct mm = {0};
	static const struct host_vma want[] = {
	    {0, 2, RW}, {2, 4, RO}, {4, 6, RW}, {6, 8, RW}, {8, 10, RW}};

	host_mm_reset(&mm);
	map(&mm, 0, 2, RW, NULL, 0);
	map(&mm, 2, 4, RO, NULL, 0);	      /* other permissions */
	map(&mm, 4, 6, RW, host_file[0], 0);  /* a file, not anonymous memory */
	map(&mm, 6, 8, RW, host_file[1], 2);  /* another file */
	map(&mm, 8, 10, RW, host_file[1], 7); /* the same file, offsets do not continue */
	host_expect(&mm, want, 5, "after mapping five incompatible neighbours");
	EXPECT_EQ(host_check(&mm, true, "with five VMAs"), 0);
}

TEST(a_file_mapping_merges_when_the_offsets_continue)
{
	struct mm_struct mm = {0};

	host_mm_reset(&mm);
	map(&mm, 10, 12, RW, host_file[2], 5); /* file pages 5-6 */
	map(&mm, 12, 15, RW, host_file[2], 7); /* file pages 7-9: continues */
	map(&mm, 8, 10, RW, host_file[2], 3);  /* file pages 3-4: continues below */
	struct vm_area_struct *v = find_vma(&mm, A(8));
	ASSERT_NOT_NULL(v);
	EXPECT_EQ(v->vm_start, A(8));
	EXPECT_EQ(v->vm_end, A(15));
	EXPECT_EQ(v->vm_pgoff, 3);
	EXPECT_EQ(mm.map_count, 1);
	/* one VMA, one reference: the merged-away VMAs gave theirs back */
	EXPECT_EQ(host_file_refs(host_file[2]), 1);
	EXPECT_EQ(host_check(&mm, true, "after three merges of one file"), 0);
}

TEST(an_overlapping_mapping_is_refused)
{
	struct mm_struct mm = {0};

	host_mm_reset(&mm);
	map(&mm, 4, 8, RW, NULL, 0);
	EXPECT_PTR_EQ(vma_map_range(&mm, A(7), A(9), RW, NULL, 0), NULL);
	EXPECT_PTR_EQ(vma_map_range(&mm, A(2), A(5), RO, NULL, 0), NULL);
	EXPECT_EQ(host_check(&mm, true, "after two refused overlaps"), 0);
}
