/*
 * labs/vma/ktest/task5_faults_test.c - suite "vma_lab_faults" (task 5):
 * the four page-fault cases on a scratch address space.
 *
 *   A  first touch inside a VMA that allows it: a read maps the shared zero
 *      page read-only, a write a new zeroed page (a minor fault)
 *   B  an address in no VMA: refused, "no mapping" (the stack's VMA grows
 *      down to cover an address just below it, up to its limit)
 *   C  an access the VMA does not allow: refused, "permission"
 *   D  the page is in swap: a major fault (swap is planned, with the swap
 *      lab; here a file page read from disk is counted as major, see
 *      vmatest)
 *
 * Run: make qemu BOOTARGS="ktest=vma_lab_faults,vma_lab_cow". See vma_lab.h.
 */
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include "vma_lab.h"

static void test_nothing_is_allocated_until_touched(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();

	KTEST_ASSERT_TRUE(t, mm != NULL);
	KTEST_ASSERT_TRUE(t, vma_map_range(mm, LAB_VA, LAB_VA + 256 * PAGE_SIZE, LAB_RW, NULL, 0));
	for (int i = 0; i < 256; i++)
		if (pte_present(lab_pte(mm, LAB_VA + i * PAGE_SIZE)))
			ktest_fail(t, __FILE__, __LINE__, "page %d is mapped before any touch", i);
	KTEST_EXPECT_EQ(t, mm->rss_pages, 0);
	KTEST_EXPECT_EQ(t, mm->total_vm, 256);
	mmput(mm);
}

static void test_a_read_maps_the_zero_page(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	const char *why = "";
	unsigned long faults = vm_pgfault;

	KTEST_ASSERT_TRUE(t, mm != NULL);
	KTEST_ASSERT_TRUE(t, vma_map_range(mm, LAB_VA, LAB_VA + 4 * PAGE_SIZE, LAB_RW, NULL, 0));
	KTEST_EXPECT_EQ(t, fault_in_page(mm, LAB_VA + 100, 0, &why), 0);
	KTEST_EXPECT_EQ(t, fault_in_page(mm, LAB_VA + PAGE_SIZE, 0, &why), 0);
	pte_t a = lab_pte(mm, LAB_VA), b = lab_pte(mm, LAB_VA + PAGE_SIZE);
	KTEST_ASSERT_TRUE(t, pte_present(a) && pte_present(b));
	KTEST_EXPECT_TRUE(t, is_zero_pfn(pte_pfn(a))); /* one zero page for every such read */
	KTEST_EXPECT_EQ(t, pte_pfn(a), pte_pfn(b));
	KTEST_EXPECT_FALSE(t, pte_write(a)); /* read-only: a write must fault again */
	KTEST_EXPECT_TRUE(t, pte_user(a) && pte_read(a));
	KTEST_EXPECT_EQ(t, vm_pgfault - faults, 2); /* handle_mm_fault counts every fault */
	mmput(mm);
}

static void test_a_write_gets_a_new_zeroed_page(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	const char *why = "";

	KTEST_ASSERT_TRUE(t, mm != NULL);
	KTEST_ASSERT_TRUE(t, vma_map_range(mm, LAB_VA, LAB_VA + 4 * PAGE_SIZE, LAB_RW, NULL, 0));
	KTEST_EXPECT_EQ(t, fault_in_page(mm, LAB_VA + 2 * PAGE_SIZE + 8, FAULT_FLAG_WRITE, &why),
			0);
	pte_t w = lab_pte(mm, LAB_VA + 2 * PAGE_SIZE);
	KTEST_ASSERT_TRUE(t, pte_present(w));
	KTEST_EXPECT_FALSE(t, is_zero_pfn(pte_pfn(w)));
	KTEST_EXPECT_TRUE(t, pte_write(w) && pte_user(w));
	KTEST_EXPECT_EQ(t, page_ref_count(pfn_to_page(pte_pfn(w))), 1);
	bool zero = true;
	for (int i = 0; i < (int)PAGE_SIZE; i++)
		zero &= lab_page(mm, LAB_VA + 2 * PAGE_SIZE)[i] == 0; /* free pages hold 0x5a */
	KTEST_EXPECT_TRUE(t, zero);
	KTEST_EXPECT_EQ(t, mm->rss_pages, 1);
	KTEST_EXPECT_FALSE(t, pte_present(lab_pte(mm, LAB_VA + 3 * PAGE_SIZE))); /* only that one */
	mmput(mm);
}

static void test_no_vma_is_case_b(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	const char *why = "";
	u64 lo = LAB_VA, gap = LAB_VA + 4 * PAGE_SIZE, hi = LAB_VA + 8 * PAGE_SIZE;

	KTEST_ASSERT_TRUE(t, mm != NULL);
	KTEST_ASSERT_TRUE(t, vma_map_range(mm, lo, lo + 4 * PAGE_SIZE, LAB_RW, NULL, 0));
	KTEST_ASSERT_TRUE(t, vma_map_range(mm, hi, hi + 4 * PAGE_SIZE, LAB_RW, NULL, 0));
	u64 bad[] = {lo - PAGE_SIZE, gap, gap + 3 * PAGE_SIZE + 5, hi + 4 * PAGE_SIZE, 0};
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		why = "";
		KTEST_EXPECT_EQ(t, fault_in_page(mm, bad[i], FAULT_FLAG_WRITE, &why), -EFAULT);
		KTEST_EXPECT_STREQ(t, why, "no mapping");
		KTEST_EXPECT_FALSE(t, pte_present(lab_pte(mm, bad[i])));
	}
	KTEST_EXPECT_EQ(t, fault_in_page(mm, TASK_SIZE + PAGE_SIZE, 0, &why), -EFAULT);
	mmput(mm);
}

static void test_a_forbidden_access_is_case_c(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	const char *why = "";
	u64 ro = LAB_VA, none = LAB_VA + 4 * PAGE_SIZE;

	KTEST_ASSERT_TRUE(t, mm != NULL);
	KTEST_ASSERT_TRUE(t, vma_map_range(mm, ro, ro + PAGE_SIZE, LAB_RO, NULL, 0));
	KTEST_ASSERT_TRUE(t, vma_map_range(mm, none, none + PAGE_SIZE, VM_MAYREAD, NULL, 0));
	KTEST_EXPECT_EQ(t, fault_in_page(mm, ro, FAULT_FLAG_WRITE, &why), -EFAULT);
	KTEST_EXPECT_STREQ(t, why, "permission"); /* write to read-only */
	why = "";
	KTEST_EXPECT_EQ(t, fault_in_page(mm, ro, FAULT_FLAG_INSTRUCTION, &why), -EFAULT);
	KTEST_EXPECT_STREQ(t, why, "permission"); /* execute data */
	why = "";
	KTEST_EXPECT_EQ(t, fault_in_page(mm, none, 0, &why), -EFAULT);
	KTEST_EXPECT_STREQ(t, why, "permission"); /* PROT_NONE */
	KTEST_EXPECT_FALSE(t, pte_present(lab_pte(mm, ro)));
	KTEST_EXPECT_EQ(t, fault_in_page(mm, ro, 0, &why), 0); /* a read is allowed */
	mmput(mm);
}

static void test_the_stack_grows_down_to_its_limit(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	const char *why = "";
	u64 top = USER_STACK_TOP, bottom = top - 4 * PAGE_SIZE;

	KTEST_ASSERT_TRUE(t, mm != NULL);
	struct vm_area_struct *stack =
	    vma_map_range(mm, bottom, top, LAB_RW | VM_GROWSDOWN, NULL, 0);
	KTEST_ASSERT_TRUE(t, stack != NULL);
	KTEST_EXPECT_EQ(t, fault_in_page(mm, bottom - 10 * PAGE_SIZE + 8, FAULT_FLAG_WRITE, &why),
			0);
	stack = find_vma(mm, bottom - 10 * PAGE_SIZE);
	KTEST_ASSERT_TRUE(t, stack != NULL);
	KTEST_EXPECT_EQ(t, stack->vm_start, bottom - 10 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, stack->vm_end, top);
	KTEST_EXPECT_EQ(t, fault_in_page(mm, top - STACK_LIMIT - PAGE_SIZE, FAULT_FLAG_WRITE, &why),
			-EFAULT); /* beyond its limit */
	KTEST_EXPECT_STREQ(t, why, "no mapping");
	mmput(mm);
}

static void test_kernel_copies_fault_pages_in(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	const char msg[] = "copied by the kernel";

	KTEST_ASSERT_TRUE(t, mm != NULL);
	KTEST_ASSERT_TRUE(t, vma_map_range(mm, LAB_VA, LAB_VA + 4 * PAGE_SIZE, LAB_RW, NULL, 0));
	/* across a page boundary into two untouched pages, as read() into a fresh buffer does */
	KTEST_EXPECT_EQ(t, copy_to_mm(mm, LAB_VA + 2 * PAGE_SIZE - 5, msg, sizeof(msg)), 0);
	KTEST_EXPECT_TRUE(t, pte_present(lab_pte(mm, LAB_VA + PAGE_SIZE)));
	KTEST_EXPECT_TRUE(t, pte_present(lab_pte(mm, LAB_VA + 2 * PAGE_SIZE)));
	KTEST_EXPECT_EQ(t, lab_page(mm, LAB_VA + 2 * PAGE_SIZE)[sizeof(msg) - 6], 0);
	KTEST_EXPECT_EQ(t, lab_page(mm, LAB_VA + 2 * PAGE_SIZE)[0], (u8)msg[5]);
	KTEST_EXPECT_TRUE(t, access_ok(mm, LAB_VA, 4 * PAGE_SIZE, VM_READ));
	KTEST_EXPECT_FALSE(t, access_ok(mm, LAB_VA, 5 * PAGE_SIZE, VM_READ));
	mmput(mm);
}

static struct ktest_case vma_lab_faults_cases[] = {
    KTEST_CASE(test_nothing_is_allocated_until_touched),
    KTEST_CASE(test_a_read_maps_the_zero_page),
    KTEST_CASE(test_a_write_gets_a_new_zeroed_page),
    KTEST_CASE(test_no_vma_is_case_b),
    KTEST_CASE(test_a_forbidden_access_is_case_c),
    KTEST_CASE(test_the_stack_grows_down_to_its_limit),
    KTEST_CASE(test_kernel_copies_fault_pages_in),
    {},
};
KTEST_SUITE(vma_lab_faults, vma_lab_faults_cases);
