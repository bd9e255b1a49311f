/*
 * labs/vma/host/test_find_vma.c - task 1: find_vma() and
 * find_vma_intersection() on trees built directly (not through the rest of
 * mm/vma.c, which needs find_vma itself).
 */
#include "vma_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void expect_find(struct mm_struct *mm, u64 addr, struct vm_area_struct *want)
{
	struct vm_area_struct *got = find_vma(mm, addr);

	if (!ktest_check(__FILE__, __LINE__, got == want))
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
		if (!ktest_check(__FILE__, __LINE__,
				 want < 0 ? got == NULL : got && got->vm_start == starts[want])) {
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
 * Is find_vma() a descent of the tree? Time lookups at random addresses,
 * chosen afresh each run, among 64 VMAs and among 65,536, in alternating
 * rounds, and compare the fastest round of each, per lookup: a descent takes
 * 6 steps against 16, plus the cache misses of a tree that no longer fits in
 * the caches (about 25 times longer on the machines we measured), a walk in
 * address order, or a search that starts from the last hit, thousands of
 * times longer. The verdict is a ratio measured in one run, so a
 * busy machine slows both sides alike; every answer is checked too.
 */
static double time_lookups(struct mm_struct *mm, int n, const u64 *pages, int q, u64 *bad)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < q; i++) {
		u64 page = pages[i] % (2 * (u64)n);
		u64 want = (page + 1) / 2; /* VMA i spans pages 2i .. 2i+1 */
		struct vm_area_struct *v = find_vma(mm, A(page));
		if (want < (u64)n ? (!v || v->vm_start != A(2 * want)) : v != NULL)
			(*bad)++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
}

TEST(find_vma_is_logarithmic_not_a_scan)
{
	enum { SMALL = 64, LARGE = 65536, Q = 20000, Q_LARGE = 500, ROUNDS = 7 };
	static u64 pages[Q];
	struct mm_struct small = {0}, large = {0};
	double best_small = 1e9, best_large = 1e9;
	unsigned int seed = (unsigned int)time(NULL) ^ (unsigned int)getpid() << 16;
	u64 bad = 0;

	srand(seed);
	for (int i = 0; i < Q; i++)
		pages[i] = (u64)rand() << 16 ^ (u64)rand();
	host_mm_reset(&small);
	for (int i = 0; i < SMALL; i++)
		host_insert_raw(&small, A(2 * (u64)i), A(2 * (u64)i + 1), RW);
	host_mm_reset(&large);
	for (int i = 0; i < LARGE; i++)
		host_insert_raw(&large, A(2 * (u64)i), A(2 * (u64)i + 1), RW);
	for (int r = 0; r < ROUNDS; r++) {
		double s = time_lookups(&small, SMALL, pages, Q, &bad);
		double l = time_lookups(&large, LARGE, pages, Q_LARGE, &bad) * Q / Q_LARGE;
		best_small = s < best_small ? s : best_small;
		best_large = l < best_large ? l : best_large;
		if (best_large > 1000 * best_small)
			break; /* a walk: no need to wait for more rounds */
	}
	double ratio = best_large / (best_small > 1e-7 ? best_small : 1e-7);
	ktest_log("seed %u: per lookup %.0f ns among %d VMAs, %.0f ns among %d: %.1fx", seed,
		  best_small * 1e9 / Q, SMALL, best_large * 1e9 / Q, LARGE, ratio);
	if (!ktest_check(__FILE__, __LINE__, bad == 0))
		ktest_fail(__FILE__, __LINE__,
			   "%llu of %d lookups returned the wrong VMA (seed %u)", bad,
			   ROUNDS * (Q + Q_LARGE), seed);
	else if (!ktest_check(__FILE__, __LINE__, ratio <= 200))
		ktest_fail(
		    __FILE__, __LINE__,
		    "a lookup among %d VMAs took %.0fx as long as among %d (a descent of the "
		    "tree: about 25x; a walk in address order or from the last hit: "
		    "thousands): is find_vma() O(n) instead of O(log n)?",
		    LARGE, ratio, SMALL);
}
