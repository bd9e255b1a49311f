/*
 * labs/pgtbl/ktest/pgtbl_vmprint_test.c - the pgtbl lab's in-kernel suite
 * "pgtbl_vmprint": vmprint()'s exact output (vmprint_check.h computes the
 * expected text independently) for an empty table and for a process-like
 * layout placed at a different random address on every run, so no fixed
 * text can pass.
 *
 * This file sorts after pgtbl_lab_test.c, so the suite runs after
 * pgtbl_lab: a vmprint() that is not written yet (and panics) stops
 * nothing else.
 */
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/errno.h>
#include <kernel/string.h>
#include <kernel/setup.h>
#include <kernel/printk.h>
#include "vmprint_check.h"

static u64 test_random(void)
{
	u64 x = arch_counter_read() * 0x9e3779b97f4a7c15ULL;

	return x ^ (x >> 29);
}

static char vm_got[16384], vm_want[16384];

static void check_vmprint(struct ktest *t, pte_t *pgd)
{
	char why[400];

	vmprint_expected(pgd, vm_want, sizeof(vm_want));
	printk_capture_begin(vm_got, sizeof(vm_got));
	vmprint(pgd);
	printk_capture_end();
	if (!vmprint_compare(vm_got, vm_want, why, sizeof(why)))
		ktest_fail(t, __FILE__, __LINE__, "vmprint's output differs: %s", why);
}

static void test_vmprint_empty(struct ktest *t)
{
	pte_t *pgd = pgd_alloc();

	KTEST_ASSERT_TRUE(t, pgd != NULL);
	check_vmprint(t, pgd);
	free_pgtables(pgd, TASK_SIZE);
}

static int map_fresh(pte_t *pgd, u64 va, u64 npages, unsigned long vm_flags)
{
	for (u64 i = 0; i < npages; i++) {
		unsigned long page = get_zeroed_page(GFP_KERNEL);
		if (!page)
			return -ENOMEM;
		if (map_range(pgd, va + i * PAGE_SIZE, __pa(page), PAGE_SIZE,
			      vm_get_page_prot(vm_flags), false)) {
			free_page(page);
			return -EEXIST;
		}
	}
	return 0;
}

static void test_vmprint_process_layout(struct ktest *t)
{
	u64 r = test_random(), sz = pt_level_size(1);
	/* text, rodata and data at a random place in the first GiB, a stack at the top,
	 * a 2 MiB kernel-only leaf in a random root entry */
	u64 text = 0x10000 + (r % 64) * sz;
	u64 big = (1 + (r >> 8) % 100) * pt_level_size(PT_LEVELS - 1) + ((r >> 16) % 512) * sz;
	pte_t *pgd = pgd_alloc();

	KTEST_ASSERT_TRUE(t, pgd != NULL);
	KTEST_ASSERT_TRUE(t, map_fresh(pgd, text, 2, VM_READ | VM_EXEC) == 0);
	KTEST_ASSERT_TRUE(t, map_fresh(pgd, text + 2 * PAGE_SIZE, 1, VM_READ) == 0);
	KTEST_ASSERT_TRUE(t, map_fresh(pgd, text + 3 * PAGE_SIZE, 3, VM_READ | VM_WRITE) == 0);
	KTEST_ASSERT_TRUE(
	    t, map_fresh(pgd, USER_STACK_TOP - 2 * PAGE_SIZE, 2, VM_READ | VM_WRITE) == 0);
	KTEST_ASSERT_TRUE(t, big + sz <= TASK_SIZE);
	KTEST_ASSERT_TRUE(
	    t, map_range(pgd, big, ALIGN_UP(__pa(_end), sz), sz, PAGE_KERNEL_RO, true) == 0);
	check_vmprint(t, pgd);
	unmap_range(pgd, big, sz, false);
	free_pgtables(pgd, TASK_SIZE);
}

static struct ktest_case pgtbl_vmprint_cases[] = {
    KTEST_CASE(test_vmprint_empty),
    KTEST_CASE(test_vmprint_process_layout),
    {},
};
KTEST_SUITE(pgtbl_vmprint, pgtbl_vmprint_cases);
