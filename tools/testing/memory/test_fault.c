/*
 * tools/testing/memory/test_fault.c - demand faults (mm/memory.c): what a
 * first read and a first write of anonymous memory map, the shared zero
 * page, the faults that kill ("no mapping", "permission"), the stack that
 * grows down, and that tearing an address space down gives every page
 * back.
 */
#include <kernel/errno.h>
#include "ktest-host.h"
#include "memory-host.h"

#define PG PAGE_SIZE
#define BASE 0x100000UL
#define RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)
#define RO (VM_READ | VM_MAYREAD)

static bool page_is_zero(u64 pfn)
{
	const u8 *p = __va(pfn << PAGE_SHIFT);

	for (unsigned long i = 0; i < PG; i++)
		if (p[i])
			return false;
	return true;
}

TEST(a_first_read_maps_the_zero_page_read_only)
{
	struct mm_struct *mm;
	unsigned long free_before;
	u8 v = 0xff;
	pte_t a, b;

	memory_host_boot();
	mm = memory_host_mm(BASE, BASE + 16 * PG, RW);
	ASSERT_NOT_NULL(mm);
	ASSERT_EQ(user_read(mm, BASE, &v, NULL), 0); /* allocates the page tables */
	free_before = memory_host_free_pages();
	ASSERT_EQ(user_read(mm, BASE + 5 * PG + 17, &v, NULL), 0);
	EXPECT_EQ(v, 0);
	a = user_pte(mm, BASE);
	b = user_pte(mm, BASE + 5 * PG);
	EXPECT_TRUE(pte_present(a) && pte_user(a) && pte_read(a));
	EXPECT_FALSE(pte_write(a)); /* the next write must fault */
	EXPECT_TRUE(is_zero_pfn(pte_pfn(a)));
	EXPECT_EQ(pte_pfn(a), pte_pfn(b));		  /* one page for all */
	EXPECT_EQ(memory_host_free_pages(), free_before); /* reading took no memory */
	EXPECT_EQ(mm->rss_pages, 2);
	EXPECT_EQ(vm_pgfault, 2);
	mmput(mm);
}

TEST(a_first_write_gets_a_zeroed_private_page)
{
	struct mm_struct *mm;
	unsigned long free_before;
	pte_t pte;

	memory_host_boot();
	mm = memory_host_mm(BASE, BASE + 16 * PG, RW);
	ASSERT_NOT_NULL(mm);
	ASSERT_EQ(user_read(mm, BASE + PG, &(u8){0}, NULL), 0); /* page tables */
	/* dirty a user page and free it: the next one comes from the same
	 * per-CPU list, so a fault that forgot to zero would show the 0x5a */
	unsigned long junk = __get_free_page(GFP_HIGHUSER_MOVABLE);
	ASSERT_TRUE(junk != 0);
	memset((void *)junk, 0x5a, PG);
	free_page(junk);
	free_before = memory_host_free_pages();
	ASSERT_EQ(user_write(mm, BASE + 3 * PG + 100, 0x42, NULL), 0);
	pte = user_pte(mm, BASE + 3 * PG);
	EXPECT_TRUE(pte_present(pte) && pte_write(pte) && pte_user(pte));
	EXPECT_FALSE(is_zero_pfn(pte_pfn(pte)));
	EXPECT_EQ(memory_host_free_pages(), free_before - 1);
	EXPECT_EQ(page_ref_count(pfn_to_page(pte_pfn(pte))), 1);
	u8 *p = __va(pte_pfn(pte) << PAGE_SHIFT);
	EXPECT_EQ(p[100], 0x42);
	p[100] = 0;
	EXPECT_TRUE(page_is_zero(pte_pfn(pte))); /* every other byte was zeroed */
	mmput(mm);
}

TEST(a_write_after_a_read_replaces_the_zero_page)
{
	struct mm_struct *mm;
	u8 v;
	pte_t before, after;

	memory_host_boot();
	mm = memory_host_mm(BASE, BASE + 4 * PG, RW);
	ASSERT_NOT_NULL(mm);
	ASSERT_EQ(user_read(mm, BASE, &v, NULL), 0);
	ASSERT_EQ(user_read(mm, BASE + PG, &v, NULL), 0);
	before = user_pte(mm, BASE);
	ASSERT_EQ(user_write(mm, BASE + 8, 7, NULL), 0);
	after = user_pte(mm, BASE);
	EXPECT_NE(pte_pfn(after), pte_pfn(before));
	EXPECT_TRUE(pte_write(after));
	EXPECT_FALSE(is_zero_pfn(pte_pfn(after)));
	/* the zero page itself is untouched, and still mapped next door */
	EXPECT_TRUE(page_is_zero(pte_pfn(before)));
	EXPECT_TRUE(is_zero_pfn(pte_pfn(user_pte(mm, BASE + PG))));
	ASSERT_EQ(user_read(mm, BASE + PG + 8, &v, NULL), 0);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(mm->rss_pages, 2);
	mmput(mm);
}

TEST(bad_accesses_fail_with_the_reason_the_process_is_killed_for)
{
	struct mm_struct *mm;
	const char *why = NULL;
	u8 v;

	memory_host_boot();
	mm = memory_host_mm(BASE, BASE + 4 * PG, RO);
	ASSERT_NOT_NULL(mm);
	ASSERT_NOT_NULL(
	    vma_map_range(mm, BASE + 8 * PG, BASE + 9 * PG, VM_WRITE | VM_MAYWRITE, NULL, 0));
	/* below, between and above the VMAs: no mapping */
	EXPECT_EQ(user_read(mm, BASE - PG, &v, &why), -EFAULT);
	EXPECT_STREQ(why, "no mapping");
	EXPECT_EQ(user_read(mm, BASE + 5 * PG, &v, &why), -EFAULT);
	EXPECT_STREQ(why, "no mapping");
	EXPECT_EQ(user_write(mm, TASK_SIZE + PG, 1, &why), -EFAULT);
	EXPECT_STREQ(why, "no mapping");
	/* a write to a read-only VMA, and an instruction fetch from a no-exec one */
	EXPECT_EQ(user_write(mm, BASE, 1, &why), -EFAULT);
	EXPECT_STREQ(why, "permission");
	EXPECT_EQ(fault_in_page(mm, BASE, FAULT_FLAG_INSTRUCTION, &why), -EFAULT);
	EXPECT_STREQ(why, "permission");
	/* a read from a VMA without VM_READ (Sv39 maps W with R: the VMA decides) */
	EXPECT_EQ(user_read(mm, BASE + 8 * PG, &v, &why), -EFAULT);
	EXPECT_STREQ(why, "permission");
	/* the read-only page can still be read, and stays read-only */
	EXPECT_EQ(user_read(mm, BASE, &v, NULL), 0);
	EXPECT_EQ(user_write(mm, BASE, 1, &why), -EFAULT);
	EXPECT_FALSE(pte_write(user_pte(mm, BASE)));
	mmput(mm);
}

TEST(the_stack_grows_down_to_its_limit_and_no_further)
{
	u64 top = USER_STACK_TOP;
	struct mm_struct *mm;
	struct vm_area_struct *stack;
	const char *why;

	memory_host_boot();
	mm = memory_host_mm(top - 4 * PG, top, RW | VM_GROWSDOWN);
	ASSERT_NOT_NULL(mm);
	stack = find_vma(mm, top - PG);
	ASSERT_NOT_NULL(stack);
	/* a push 40 pages below the stack's start: the VMA grows to cover it */
	EXPECT_EQ(user_write(mm, top - 40 * PG + 8, 1, NULL), 0);
	EXPECT_EQ(stack->vm_start, top - 40 * PG);
	/* the pages in between are part of the stack now, untouched until used */
	EXPECT_FALSE(pte_present(user_pte(mm, top - 20 * PG)));
	EXPECT_EQ(user_read(mm, top - 20 * PG, &(u8){0}, NULL), 0);
	/* beyond STACK_LIMIT: killed, and the VMA stays as it was */
	EXPECT_EQ(user_write(mm, top - STACK_LIMIT - PG, 1, &why), -EFAULT);
	EXPECT_STREQ(why, "no mapping");
	EXPECT_EQ(stack->vm_start, top - 40 * PG);
	/* a VMA right below: the stack may not grow into (or touch) it */
	ASSERT_NOT_NULL(vma_map_range(mm, top - 100 * PG, top - 60 * PG, RW, NULL, 0));
	EXPECT_EQ(user_write(mm, top - 60 * PG, 1, &why), -EFAULT);
	EXPECT_EQ(user_write(mm, top - 59 * PG, 1, NULL), 0);
	EXPECT_EQ(stack->vm_start, top - 59 * PG);
	mmput(mm);
}

TEST(an_address_space_gives_every_page_back)
{
	struct mm_struct *mm;
	unsigned long free_before;

	memory_host_boot();
	/* warm up the slab caches (mm_struct, vm_area_struct) */
	mm = memory_host_mm(BASE, BASE + PG, RW);
	ASSERT_NOT_NULL(mm);
	mmput(mm);
	free_before = memory_host_free_pages();
	mm = memory_host_mm(BASE, BASE + 64 * PG, RW);
	ASSERT_NOT_NULL(mm);
	ASSERT_NOT_NULL(vma_map_range(mm, 0x40000000UL, 0x40000000UL + 8 * PG, RW, NULL, 0));
	for (int i = 0; i < 64; i++)
		ASSERT_EQ(i % 3 ? user_write(mm, BASE + i * PG, (u8)i, NULL)
				: user_read(mm, BASE + i * PG, &(u8){0}, NULL),
			  0);
	for (int i = 0; i < 8; i++)
		ASSERT_EQ(user_write(mm, 0x40000000UL + i * PG, 1, NULL), 0);
	EXPECT_EQ(mm->rss_pages, 72);
	EXPECT_LT(memory_host_free_pages(), free_before - 50);
	mmput(mm); /* pages, page tables and the root table */
	EXPECT_EQ(memory_host_free_pages(), free_before);
}

TEST(copy_to_mm_faults_pages_in_for_writing)
{
	struct mm_struct *mm;
	char msg[] = "argv and envp, as exec copies them";
	u8 v;

	memory_host_boot();
	mm = memory_host_mm(BASE, BASE + 4 * PG, RW);
	ASSERT_NOT_NULL(mm);
	ASSERT_EQ(user_read(mm, BASE + PG, &v, NULL), 0); /* the zero page: must be replaced */
	/* across the page boundary, into a read-only zero page and a missing page */
	ASSERT_EQ(copy_to_mm(mm, BASE + 2 * PG - 10, msg, sizeof(msg)), 0);
	for (size_t i = 0; i < sizeof(msg); i++) {
		ASSERT_EQ(user_read(mm, BASE + 2 * PG - 10 + i, &v, NULL), 0);
		EXPECT_EQ(v, (u8)msg[i]);
	}
	EXPECT_FALSE(is_zero_pfn(pte_pfn(user_pte(mm, BASE + PG))));
	EXPECT_FALSE(pte_present(user_pte(mm, BASE))); /* never touched: not there */
	/* outside every VMA */
	EXPECT_EQ(copy_to_mm(mm, BASE + 4 * PG - 2, msg, 4), -EFAULT);
	mmput(mm);
}
