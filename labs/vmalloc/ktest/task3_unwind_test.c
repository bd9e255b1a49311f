/*
 * labs/vmalloc/ktest/task3_unwind_test.c - suite "vmalloc_lab_unwind" (task 3):
 * a vmalloc that runs out of memory half-way gives back every page it took.
 * The grader runs it in a boot of its own: it takes all free memory for a
 * moment, and its failed area (all those addresses) waits for the lazy
 * purge afterwards. See task3_map_test.c for all the lab's suites.
 */
#include <kernel/ktest.h>
#include <kernel/vmalloc.h>
#include <kernel/mm.h>

/* More than all free memory: the allocation fails half-way and must give back every
 * page it took (only page-table pages for the addresses it tried may stay). */
static void test_failed_vmalloc_gives_back_every_page(struct ktest *t)
{
	unsigned long used = vmalloc_used_pages(), before, after;

	drain_all_pages(NULL);
	before = nr_free_pages();
	u64 size = (u64)(before + 512) * PAGE_SIZE;
	void *p = vmalloc(size);
	KTEST_EXPECT_TRUE(t, p == NULL);
	drain_all_pages(NULL);
	after = nr_free_pages();
	unsigned long tables = size / (PAGE_SIZE * PTRS_PER_TABLE) + 8;
	if (after + tables < before)
		ktest_fail(
		    t, __FILE__, __LINE__,
		    "a failed vmalloc kept %lu pages (at most %lu page-table pages may stay)",
		    before - after, tables);
	KTEST_EXPECT_EQ(t, vmalloc_used_pages(), used);
}

static struct ktest_case vmalloc_lab_unwind_cases[] = {
    KTEST_CASE(test_failed_vmalloc_gives_back_every_page),
    {},
};
KTEST_SUITE(vmalloc_lab_unwind, vmalloc_lab_unwind_cases);
