/*
 * labs/vma/host/test_find_vma.c - task 1: find_vma() and
 * find_vma_intersection() on trees built directly (not through the rest of
 * mm/vma.c, which needs find_vma itself).
 */
#include "vma_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void expect_find(struct mm_struct *mm, u64 addr, struct vm_area_struct *want)
{
	struct vm_area_struct *got = find_vma(mm, addr);

	if (got != want)
		ktest_fail(__FILE__, __LINE__,
			   "find_vma(0x%llx) returned %s0x%llx-0x%llx, expected %s0x%llx-0x%llx",
			   addr, got ? "" : "NULL ", got ? got->vm_start : 0, got ? got->vm_end : 0,
			   want ? "" : "NULL ", want ? want->vm_start : 0, want ? want->vm_end : 0);
}

TEST(find_vma_returns_the_vma_containing_or_after_an_address)
{
	struct mm_struct mm = {0};

	host_mm_reset(&mm);
	expect_find(&mm, A(5), NULL); /* an empty tree */
	struct vm_area_struct *a = host_insert_raw(&mm, A(10), A(12), RX);
	struct vm_area_struct *b = host_insert_raw(&mm, A(20), A(30), RW);
	struct vm_area_struct *c = host_insert_raw(&mm, A(40), A(41), RO);
	expect_find(&mm, 0, a);		/* below everything: the first VMA */
	expect_find(&mm, A(10), a);	/* its first byte */
	expect_find(&mm, A(12) - 1, a); /* its last byte */
	expect_find(&mm, A(12), b);	/* the end is not inside: the next VMA */
	expect_find(&mm, A(15), b);	/* in a gap: the VMA after it */
	expect_find(&mm, A(30) - 1, b);
	expect_find(&mm, A(35), c);
	expect_find(&mm, A(40) + 123, c);
	expect_find(&mm, A(41), NULL); /* above everything */
	expect_find(&mm, ~0ULL, NULL);
}

TEST(find_vma_intersection_needs_an_overlap)
{
	struct mm_struct mm = {0};

	host_mm_reset(&mm);
	host_insert_raw(&mm, A(10), A(12), RX);
	struct vm_area_struct *b = host_insert_raw(&mm, A(20), A(30), RW);
	EXPECT_PTR_EQ(find_vma_intersection(&mm, A(12), A(20)), NULL); /* exactly the gap */
	EXPECT_PTR_EQ(find_vma_intersection(&mm, A(12), A(21)), b);
	EXPECT_PTR_EQ(find_vma_intersection(&mm, A(29), A(40)), b);
	EXPECT_PTR_EQ(find_vma_intersection(&mm, A(30), A(40)), NULL);
}

TEST(find_vma_agrees_with_a_scan_on_a_large_tree)
{
	enum { N = 2000 };
	static u64 starts[N], ends[N];
	struct mm_struct mm = {0};

	host_mm_reset(&mm);
	srand(42);
	u64 at = BASE;
	for (int i = 0; i < N; i++) {
		at += PG * (rand() % 3); /* gaps of 0-2 pages */
		starts[i] = at;
		at += PG * (1 + rand() % 4);
		ends[i] = at;
	}
	/* insert in a scrambled order: the tree must not depend on it */
	for (int i = 0; i < N; i++) {
		int j = (int)((i * 7919L) % N);
		host_insert_raw(&mm, starts[j], ends[j], RW);
	}
	for (int q = 0; q < 20000; q++) {
		u64 addr = BASE + (u64)rand() % (at - BASE + 8 * PG);
		int want = -1;
		for (int i = 0; i < N; i++)
			if (ends[i] > addr) {
				want = i;
				break;
			}
		struct vm_area_struct *got = find_vma(&mm, addr);
		if (want < 0 ? got != NULL : (!got || got->vm_start != starts[want])) {
			ktest_fail(
			    __FILE__, __LINE__,
			    "find_vma(0x%llx) returned %s0x%llx; the first VMA ending above it "
			    "starts at %s0x%llx",
			    addr, got ? "" : "NULL ", got ? got->vm_start : 0,
			    want < 0 ? "(none) " : "", want < 0 ? 0 : starts[want]);
			return;
		}
	}
}

/*
 * 100,000 VMAs, 1,000,000 lookups: a descent of the tree takes ~17 steps per
 * lookup and well under a second in all; walking the VMAs in order takes
 * 50,000 steps per lookup on average, and minutes.
 */
TEST(find_vma_is_logarithmic_not_a_scan)
{
	enum { N = 100000, Q = 1000000 };
	struct mm_struct mm = {0};
	struct timespec t0, t1;

	host_mm_reset(&mm);
	for (int i = 0; i < N; i++)
		host_insert_raw(&mm, A(2 * (u64)i), A(2 * (u64)i + 1), RW);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	u64 sum = 0;
	for (int q = 0; q < Q; q++) {
		struct vm_area_struct *v = find_vma(&mm, A((u64)(q * 7L % (2 * N))));
		sum += v ? v->vm_start : 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	ktest_log("%d lookups in %d VMAs took %.2f s (checksum %llx)", Q, N, secs, sum);
	if (secs > 3.0)
		ktest_fail(__FILE__, __LINE__,
			   "%d lookups among %d VMAs took %.1f s: does find_vma() walk the VMAs in "
			   "order (O(n)) instead of descending the tree (O(log n))?",
			   Q, N, secs);
}
