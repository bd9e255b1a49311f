/*
 * labs/vma/host/test_split.c - task 3: split_vma(), and mprotect_range()
 * (given), which splits at the edges of its range and merges again.
 */
#include "vma_host.h"

TEST(split_vma_makes_two_vmas_either_way)
{
	struct mm_struct mm = {0};
	static const struct host_vma want[] = {{0, 3, RW}, {3, 6, RW}, {6, 8, RW}};

	host_mm_reset(&mm);
	struct vm_area_struct *v = vma_map_range(&mm, A(0), A(8), RW, NULL, 0);
	ASSERT_NOT_NULL(v);
	EXPECT_EQ(split_vma(v, A(3), true), 0); /* new VMA below: v keeps 3-8 */
	EXPECT_EQ(v->vm_start, A(3));
	EXPECT_EQ(v->vm_end, A(8));
	EXPECT_EQ(split_vma(v, A(6), false), 0); /* new VMA above: v keeps 3-6 */
	EXPECT_EQ(v->vm_start, A(3));
	EXPECT_EQ(v->vm_end, A(6));
	host_expect(&mm, want, 3, "after splitting 0-8 at 3 (new below) and 6 (new above)");
	EXPECT_EQ(host_check(&mm, false, "after two splits"), 0);
}

TEST(split_vma_moves_the_file_offset_and_takes_a_file_reference)
{
	struct mm_struct mm = {0};

	host_mm_reset(&mm);
	struct vm_area_struct *v = vma_map_range(&mm, A(10), A(20), RO, host_file[0], 100);
	ASSERT_NOT_NULL(v);
	EXPECT_EQ(split_vma(v, A(14), false), 0);
	struct vm_area_struct *lo = find_vma(&mm, A(10)), *hi = find_vma(&mm, A(14));
	ASSERT_TRUE(lo && hi && lo != hi);
	EXPECT_EQ(lo->vm_pgoff, 100);
	EXPECT_EQ(hi->vm_pgoff, 104); /* page 14 of the mapping is page 104 of the file */
	EXPECT_EQ(split_vma(hi, A(17), true), 0);
	struct vm_area_struct *mid = find_vma(&mm, A(14)), *top = find_vma(&mm, A(17));
	ASSERT_TRUE(mid && top && mid != top);
	EXPECT_EQ(mid->vm_pgoff, 104);
	EXPECT_EQ(top->vm_pgoff, 107);
	EXPECT_EQ(host_file_refs(host_file[0]), 3);
	EXPECT_EQ(host_check(&mm, false, "after splitting a file mapping twice"), 0);
}

TEST(split_vma_refuses_addresses_outside_or_unaligned)
{
	struct mm_struct mm = {0};

	host_mm_reset(&mm);
	struct vm_area_struct *v = vma_map_range(&mm, A(4), A(8), RW, NULL, 0);
	ASSERT_NOT_NULL(v);
	EXPECT_EQ(split_vma(v, A(4), true), -EINVAL); /* at the start: nothing to split */
	EXPECT_EQ(split_vma(v, A(8), true), -EINVAL);
	EXPECT_EQ(split_vma(v, A(9), false), -EINVAL);
	EXPECT_EQ(split_vma(v, A(5) + 100, false), -EINVAL);
	EXPECT_EQ(mm.map_count, 1);
	EXPECT_EQ(host_check(&mm, true, "after refused splits"), 0);
}

TEST(mprotect_of_the_middle_splits_in_three_and_undoing_it_merges)
{
	struct mm_struct mm = {0};
	static const struct host_vma three[] = {{0, 3, RW}, {3, 5, RO}, {5, 10, RW}};
	static const struct host_vma one[] = {{0, 10, RW}};

	host_mm_reset(&mm);
	ASSERT_NOT_NULL(vma_map_range(&mm, A(0), A(10), RW, NULL, 0));
	EXPECT_EQ(mprotect_range(&mm, A(3), A(5), VM_READ), 0);
	host_expect(&mm, three, 3, "after making pages 3-5 read-only");
	EXPECT_EQ(host_protected_pages, 2);
	EXPECT_EQ(host_check(&mm, true, "after mprotect"), 0);
	EXPECT_EQ(mprotect_range(&mm, A(3), A(5), VM_READ | VM_WRITE), 0);
	host_expect(&mm, one, 1, "after making them writable again");
	EXPECT_EQ(host_check(&mm, true, "after undoing mprotect"), 0);
}
