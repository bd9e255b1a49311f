/*
 * labs/vma/ktest/task6_cow_test.c - suite "vma_lab_cow" (task 6):
 * copy-on-write after fork (dup_mm), on scratch address spaces: pages are
 * shared read-only with a reference count; the first write copies; the last
 * sharer writes without copying; the zero page is never copied at fork and
 * copied (as zeros) on write. See vma_lab.h.
 */
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include "vma_lab.h"

/* a parent with 4 written pages (values 1..4) and 4 read ones (the zero page) */
static struct mm_struct *parent_with_pages(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	const char *why;

	if (!mm || !vma_map_range(mm, LAB_VA, LAB_VA + 8 * PAGE_SIZE, LAB_RW, NULL, 0)) {
		ktest_fail(t, __FILE__, __LINE__, "cannot set up an address space");
		return mm;
	}
	for (int i = 0; i < 8; i++) {
		u64 va = LAB_VA + i * PAGE_SIZE;
		if (fault_in_page(mm, va, i < 4 ? FAULT_FLAG_WRITE : 0, &why) != 0)
			ktest_fail(t, __FILE__, __LINE__, "fault on page %d failed: %s", i, why);
		else if (i < 4)
			lab_page(mm, va)[0] = (u8)(i + 1);
	}
	return mm;
}

static void test_fork_shares_every_page_read_only(struct ktest *t)
{
	struct mm_struct *parent = parent_with_pages(t), *child;

	KTEST_ASSERT_TRUE(t, parent != NULL);
	child = dup_mm(parent);
	KTEST_ASSERT_TRUE(t, child != NULL);
	for (int i = 0; i < 8; i++) {
		u64 va = LAB_VA + i * PAGE_SIZE;
		pte_t p = lab_pte(parent, va), c = lab_pte(child, va);
		KTEST_EXPECT_TRUE(t, pte_present(p) && pte_present(c));
		KTEST_EXPECT_EQ(t, pte_pfn(p), pte_pfn(c)); /* the same frame: nothing copied */
		KTEST_EXPECT_FALSE(t, pte_write(p));	    /* the parent's too */
		KTEST_EXPECT_FALSE(t, pte_write(c));
		if (i < 4)
			KTEST_EXPECT_EQ(t, page_ref_count(pfn_to_page(pte_pfn(p))), 2);
		else
			KTEST_EXPECT_TRUE(t, is_zero_pfn(pte_pfn(p)));
	}
	KTEST_EXPECT_EQ(t, child->rss_pages, parent->rss_pages);
	mmput(child);
	for (int i = 0; i < 4; i++) /* the parent holds the pages alone again */
		KTEST_EXPECT_EQ(
		    t,
		    page_ref_count(pfn_to_page(pte_pfn(lab_pte(parent, LAB_VA + i * PAGE_SIZE)))),
		    1);
	mmput(parent);
}

static void test_the_first_write_copies_the_last_reuses(struct ktest *t)
{
	struct mm_struct *parent = parent_with_pages(t), *child;
	unsigned long copies = vm_cow_copies, reuses = vm_cow_reuses;
	const char *why;

	KTEST_ASSERT_TRUE(t, parent != NULL);
	child = dup_mm(parent);
	KTEST_ASSERT_TRUE(t, child != NULL);
	u64 va = LAB_VA + PAGE_SIZE;
	u64 pfn = pte_pfn(lab_pte(parent, va));
	/* the child writes: it gets a copy, the parent keeps the original */
	KTEST_EXPECT_EQ(t, fault_in_page(child, va, FAULT_FLAG_WRITE, &why), 0);
	pte_t c = lab_pte(child, va);
	KTEST_EXPECT_NE(t, pte_pfn(c), pfn);
	KTEST_EXPECT_TRUE(t, pte_write(c));
	KTEST_EXPECT_EQ(t, lab_page(child, va)[0], 2); /* a copy of the contents */
	KTEST_EXPECT_EQ(t, page_ref_count(pfn_to_page(pfn)), 1);
	KTEST_EXPECT_EQ(t, vm_cow_copies - copies, 1);
	lab_page(child, va)[0] = 20;
	KTEST_EXPECT_EQ(t, lab_page(parent, va)[0], 2);
	/* the parent writes: nobody else has the page any more, so no copy */
	KTEST_EXPECT_EQ(t, fault_in_page(parent, va, FAULT_FLAG_WRITE, &why), 0);
	pte_t p = lab_pte(parent, va);
	KTEST_EXPECT_EQ(t, pte_pfn(p), pfn);
	KTEST_EXPECT_TRUE(t, pte_write(p));
	KTEST_EXPECT_EQ(t, vm_cow_reuses - reuses, 1);
	KTEST_EXPECT_EQ(t, vm_cow_copies - copies, 1);
	KTEST_EXPECT_EQ(t, child->rss_pages, parent->rss_pages); /* a copy replaces, not adds */
	mmput(child);
	mmput(parent);
}

static void test_a_write_to_the_zero_page_gets_a_zeroed_copy(struct ktest *t)
{
	struct mm_struct *mm = parent_with_pages(t);
	const char *why;
	u64 va = LAB_VA + 5 * PAGE_SIZE; /* read before: the zero page */

	KTEST_ASSERT_TRUE(t, mm != NULL);
	KTEST_ASSERT_TRUE(t, is_zero_pfn(pte_pfn(lab_pte(mm, va))));
	KTEST_EXPECT_EQ(t, fault_in_page(mm, va, FAULT_FLAG_WRITE, &why), 0);
	pte_t w = lab_pte(mm, va);
	KTEST_EXPECT_FALSE(t, is_zero_pfn(pte_pfn(w)));
	KTEST_EXPECT_TRUE(t, pte_write(w));
	bool zero = true;
	for (int i = 0; i < (int)PAGE_SIZE; i++)
		zero &= lab_page(mm, va)[i] == 0;
	KTEST_EXPECT_TRUE(t, zero);
	mmput(mm);
}

static void test_kernel_writes_into_a_shared_page_copy_it(struct ktest *t)
{
	struct mm_struct *parent = parent_with_pages(t), *child;
	const char msg[] = "child";

	KTEST_ASSERT_TRUE(t, parent != NULL);
	child = dup_mm(parent);
	KTEST_ASSERT_TRUE(t, child != NULL);
	/* read() into the child's buffer: copy_to_mm must copy the page first */
	KTEST_EXPECT_EQ(t, copy_to_mm(child, LAB_VA + 3 * PAGE_SIZE, msg, sizeof(msg)), 0);
	KTEST_EXPECT_EQ(t, lab_page(child, LAB_VA + 3 * PAGE_SIZE)[1], 'h');
	KTEST_EXPECT_EQ(t, lab_page(parent, LAB_VA + 3 * PAGE_SIZE)[0], 4); /* untouched */
	KTEST_EXPECT_TRUE(t, access_ok(child, LAB_VA + 6 * PAGE_SIZE, 8, VM_WRITE));
	KTEST_EXPECT_FALSE(t, is_zero_pfn(pte_pfn(lab_pte(child, LAB_VA + 6 * PAGE_SIZE))));
	KTEST_EXPECT_TRUE(t, is_zero_pfn(pte_pfn(lab_pte(parent, LAB_VA + 6 * PAGE_SIZE))));
	mmput(child);
	mmput(parent);
}

static struct ktest_case vma_lab_cow_cases[] = {
    KTEST_CASE(test_fork_shares_every_page_read_only),
    KTEST_CASE(test_the_first_write_copies_the_last_reuses),
    KTEST_CASE(test_a_write_to_the_zero_page_gets_a_zeroed_copy),
    KTEST_CASE(test_kernel_writes_into_a_shared_page_copy_it),
    {},
};
KTEST_SUITE(vma_lab_cow, vma_lab_cow_cases);
