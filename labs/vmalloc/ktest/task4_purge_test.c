/*
 * labs/vmalloc/ktest/task4_purge_test.c - suite "vmalloc_lab_purge" (task 4):
 * freed addresses wait for the lazy purge (one TLB flush for many frees);
 * vm_unmap_aliases() purges at once, and the purge runs by itself once
 * enough has been freed. See task3_map_test.c for all the lab's suites.
 */
#include <kernel/ktest.h>
#include <kernel/vmalloc.h>
#include <kernel/mm.h>
#include <kernel/io.h>
#include <kernel/fdt.h>
#include <kernel/setup.h>
#include <kernel/string.h>
#include "vmalloc_lab.h"

/* ---- vmalloc_lab_purge (task 4) ----------------------------------------------------- */

static void test_freed_addresses_wait_for_the_purge(struct ktest *t)
{
	vm_unmap_aliases();
	void *a = vmalloc(PAGE_SIZE);
	KTEST_ASSERT_TRUE(t, a != NULL);
	vfree(a);
	void *b = vmalloc(PAGE_SIZE);
	/* another CPU may still hold a's translation in its TLB: not yet */
	KTEST_EXPECT_TRUE(t, b != a);
	vfree(b);
	vm_unmap_aliases(); /* one TLB flush on every CPU; the addresses are free again */
	void *c = vmalloc(PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, c == a);
	vfree(c);
}

static void test_the_purge_runs_by_itself(struct ktest *t)
{
	vm_unmap_aliases();
	void *a = vmalloc(PAGE_SIZE);
	KTEST_ASSERT_TRUE(t, a != NULL);
	vfree(a);
	/* free 10 MiB more: more than the lazy limit (8 MiB) */
	for (int i = 0; i < 10; i++) {
		void *q = vmalloc(1 << 20);
		KTEST_ASSERT_TRUE(t, q != NULL);
		vfree(q);
	}
	void *c = vmalloc(PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, c == a); /* purged on the way: a's addresses came back */
	vfree(c);
	vm_unmap_aliases();
}

static struct ktest_case vmalloc_lab_purge_cases[] = {
    KTEST_CASE(test_freed_addresses_wait_for_the_purge),
    KTEST_CASE(test_the_purge_runs_by_itself),
    {},
};
KTEST_SUITE(vmalloc_lab_purge, vmalloc_lab_purge_cases);
