/*
 * labs/vmalloc/ktest/task5_kvmalloc_test.c - suite "kvmalloc_lab" (task 5):
 * kvmalloc picks physically contiguous memory when it is there, vmalloc
 * when memory is fragmented; kvfree frees either. See task3_map_test.c for
 * all the lab's suites.
 */
#include <kernel/ktest.h>
#include <kernel/vmalloc.h>
#include <kernel/mm.h>
#include <kernel/io.h>
#include <kernel/fdt.h>
#include <kernel/setup.h>
#include <kernel/string.h>
#include "vmalloc_lab.h"

/* ---- kvmalloc_lab (task 5) -------------------------------------------------------- */

static void test_kvmalloc_prefers_contiguous_memory(struct ktest *t)
{
	u8 *small = kvmalloc(200, GFP_KERNEL);
	u8 *big = kvmalloc(6 * PAGE_SIZE, GFP_KERNEL);
	u8 *zero = kvzalloc(3 * PAGE_SIZE, GFP_KERNEL);

	KTEST_ASSERT_TRUE(t, small && big && zero);
	KTEST_EXPECT_FALSE(t, is_vmalloc_addr(small));
	KTEST_EXPECT_FALSE(t, is_vmalloc_addr(big)); /* plenty of free blocks now */
	KTEST_EXPECT_FALSE(t, is_vmalloc_addr(zero));
	bool z = true;
	for (u64 i = 0; i < 3 * PAGE_SIZE; i++)
		z &= zero[i] == 0;
	KTEST_EXPECT_TRUE(t, z);
	memset(big, 1, 6 * PAGE_SIZE);
	kvfree(small);
	kvfree(big);
	kvfree(zero);
	kvfree(NULL);
	KTEST_EXPECT_TRUE(t, kvmalloc(0, GFP_KERNEL) == NULL);
}

static void test_kvmalloc_falls_back_to_vmalloc(struct ktest *t)
{
	unsigned long head = 0, keep = 0, before, used = vmalloc_used_pages();

	drain_all_pages(NULL);
	before = nr_free_pages();
	/* fragment memory: take every free page, give back every other one */
	for (;;) {
		unsigned long p = __get_free_page(GFP_KERNEL | __GFP_NOWARN | __GFP_MEMALLOC);
		if (!p)
			break;
		*(unsigned long *)p = head;
		head = p;
	}
	while (head) {
		unsigned long next = *(unsigned long *)head;
		if ((__pa(head) >> PAGE_SHIFT) & 1) {
			free_page(head);
		} else {
			*(unsigned long *)head = keep;
			keep = head;
		}
		head = next;
	}
	u8 *one = kvmalloc(PAGE_SIZE, GFP_KERNEL);     /* single pages are still there */
	u8 *big = kvzalloc(8 * PAGE_SIZE, GFP_KERNEL); /* no 8 contiguous pages are */
	KTEST_EXPECT_TRUE(t, one && !is_vmalloc_addr(one));
	KTEST_EXPECT_TRUE(t, big && is_vmalloc_addr(big));
	if (big) {
		KTEST_EXPECT_EQ(t, big[8 * PAGE_SIZE - 1], 0);
		KTEST_EXPECT_EQ(t, vmalloc_used_pages() - used, 8);
	}
	kvfree(one);
	kvfree(big);
	KTEST_EXPECT_EQ(t, vmalloc_used_pages(), used);
	while (keep) {
		unsigned long next = *(unsigned long *)keep;
		free_page(keep);
		keep = next;
	}
	drain_all_pages(NULL);
	/* a few pages may stay behind: page tables, vmap_area nodes */
	KTEST_EXPECT_TRUE(t, before - nr_free_pages() < 8);
}

static void test_kvmalloc_beyond_the_largest_block(struct ktest *t)
{
	/* one page more than the largest buddy block (and under the lazy-purge limit: a
	 * purge not written yet, task 4, must not cost task 5 its points) */
	u64 size = (PAGE_SIZE << MAX_PAGE_ORDER) + PAGE_SIZE;
	u8 *p = kvmalloc(size, GFP_KERNEL);

	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr(p));
	p[0] = 1;
	p[size - 1] = 2;
	kvfree(p);
}

static struct ktest_case kvmalloc_lab_cases[] = {
    KTEST_CASE(test_kvmalloc_prefers_contiguous_memory),
    KTEST_CASE(test_kvmalloc_falls_back_to_vmalloc),
    KTEST_CASE(test_kvmalloc_beyond_the_largest_block),
    {},
};
KTEST_SUITE(kvmalloc_lab, kvmalloc_lab_cases);
