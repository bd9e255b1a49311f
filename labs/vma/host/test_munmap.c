/*
 * labs/vma/host/test_munmap.c - task 4: do_vmi_munmap() removes exactly the
 * pages asked for, splitting the VMAs at both edges, and zaps each removed
 * page once.
 */
#include "vma_host.h"

static void expect_zapped(u64 first, u64 last_excl, const char *when)
{
	for (u64 p = 0; p < 64; p++) {
		int want = p >= first && p < last_excl;
		if (host_zapped[p] != want) {
			ktest_fail(__FILE__, __LINE__,
				   "%s: page %llu was zapped %d times, expected %d", when, p,
				   host_zapped[p], want);
			return;
		}
	}
}

TEST(munmap_of_the_middle_splits_a_vma_in_three)
{
	struct mm_struct mm = {0};
	static const struct host_vma want[] = {{0, 3, RW}, {7, 10, RW}};

	host_mm_reset(&mm);
	ASSERT_NOT_NULL(vma_map_range(&mm, A(0), A(10), RW, NULL, 0));
	EXPECT_EQ(do_vmi_munmap(&mm, A(3), 4 * PG), 0);
	host_expect(&mm, want, 2, "after munmap of pages 3-7 of 0-10");
	expect_zapped(3, 7, "munmap of pages 3-7");
	EXPECT_EQ(host_check(&mm, true, "after munmap of the middle"), 0);
}

TEST(munmap_across_several_vmas_trims_the_edges_and_removes_the_inside)
{
	struct mm_struct mm = {0};

	host_mm_reset(&mm);
	ASSERT_NOT_NULL(vma_map_range(&mm, A(0), A(4), RW, NULL, 0));
	ASSERT_NOT_NULL(vma_map_range(&mm, A(4), A(8), RO, NULL, 0));
	ASSERT_NOT_NULL(vma_map_range(&mm, A(8), A(12), RW, host_file[1], 0));
	EXPECT_EQ(do_vmi_munmap(&mm, A(2), 8 * PG), 0);
	ASSERT_EQ(mm.map_count, 2);
	struct vm_area_struct *top = find_vma(&mm, A(10));
	ASSERT_NOT_NULL(top);
	EXPECT_EQ(top->vm_pgoff, 2); /* the file mapping lost its first two pages */
	EXPECT_PTR_EQ(top->vm_file, host_file[1]);
	expect_zapped(2, 10, "munmap of pages 2-10 across three VMAs");
	EXPECT_EQ(host_check(&mm, true, "after munmap across three VMAs"), 0);
}

TEST(munmap_of_whole_vmas_frees_them_and_their_file_references)
{
	struct mm_struct mm = {0};

	host_mm_reset(&mm);
	ASSERT_NOT_NULL(vma_map_range(&mm, A(0), A(4), RW, host_file[0], 0));
	ASSERT_NOT_NULL(vma_map_range(&mm, A(6), A(9), RO, NULL, 0));
	EXPECT_EQ(do_vmi_munmap(&mm, A(0), 9 * PG), 0); /* covers the hole between them too */
	EXPECT_EQ(mm.map_count, 0);
	EXPECT_EQ(mm.total_vm, 0);
	EXPECT_EQ(host_live_vmas, 0);
	EXPECT_EQ(host_file_refs(host_file[0]), 0);
	EXPECT_EQ(host_check(&mm, true, "after unmapping everything"), 0);
}

TEST(munmap_of_a_hole_bad_arguments_and_rounding)
{
	struct mm_struct mm = {0};
	static const struct host_vma want[] = {{4, 5, RW}, {6, 8, RW}};

	host_mm_reset(&mm);
	ASSERT_NOT_NULL(vma_map_range(&mm, A(4), A(8), RW, NULL, 0));
	EXPECT_EQ(do_vmi_munmap(&mm, A(20), 4 * PG), 0); /* nothing there: fine (POSIX) */
	EXPECT_EQ(host_zap_calls, 0);
	EXPECT_EQ(do_vmi_munmap(&mm, A(5) + 8, PG), -EINVAL); /* start not page-aligned */
	EXPECT_EQ(do_vmi_munmap(&mm, A(5), 0), -EINVAL);
	EXPECT_EQ(do_vmi_munmap(&mm, A(5), 1), 0); /* one byte: its whole page goes */
	host_expect(&mm, want, 2, "after munmap(page 5, 1 byte)");
	expect_zapped(5, 6, "munmap of one byte");
	EXPECT_EQ(host_check(&mm, true, "after the munmaps"), 0);
}
