/*
 * labs/vmalloc/host/test_lowest_fit.c - task 1: update_subtree_max() and
 * find_lowest_fit(), through vmap_space_alloc() only (no frees: task 2 is
 * not needed). Holes between areas come from alignment: a 1-page area
 * aligned to 4 pages leaves the 3 pages below it free.
 */
#include "vmap_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static struct vmap_area *alloc_at(struct vmap_space *s, u64 pages, u64 align_pages, long want,
				  const char *what)
{
	struct vmap_area *va = vmap_space_alloc(s, pages * PG, align_pages * PG);

	if (want < 0) {
		if (va)
			ktest_fail(__FILE__, __LINE__, "%s: expected no room, got pages %llu-%llu",
				   what, (va->va_start - BASE) / PG, (va->va_end - BASE) / PG);
		return va;
	}
	if (!va) {
		ktest_fail(__FILE__, __LINE__, "%s: got NULL, expected page %ld", what, want);
		return NULL;
	}
	if (va->va_start != BASE + (u64)want * PG || va->va_end != va->va_start + pages * PG)
		ktest_fail(
		    __FILE__, __LINE__,
		    "%s: got pages %llu-%llu, expected %ld-%llu (the lowest range that fits)", what,
		    (va->va_start - BASE) / PG, (va->va_end - BASE) / PG, want, want + pages);
	return va;
}

TEST(subtree_max_size_is_right_after_every_allocation)
{
	struct vmap_space s;
	char when[64];

	srand(7);
	host_space_init(&s, 4096);
	ASSERT_EQ(host_check(&s, "after vmap_space_init"), 0);
	for (int i = 0; i < 300; i++) {
		u64 pages = 1 + rand() % 6, align = 1UL << (rand() % 5);
		struct vmap_area *va = vmap_space_alloc(&s, pages * PG, align * PG);
		snprintf(when, sizeof(when), "after allocation %d (%llu pages, aligned to %llu)",
			 i + 1, pages, align);
		if (!va)
			break;
		ASSERT_EQ(host_check(&s, when), 0);
	}
}

TEST(lowest_fit_takes_the_lowest_hole_that_fits)
{
	struct vmap_space s;

	host_space_init(&s, 64);
	alloc_at(&s, 1, 1, 0, "1 page");
	alloc_at(&s, 1, 4, 4, "1 page aligned to 4 (leaves a hole at 1-4)");
	alloc_at(&s, 1, 16, 16, "1 page aligned to 16 (leaves a hole at 5-16)");
	ASSERT_EQ(host_check(&s, "after making two holes"), 0);
	alloc_at(&s, 2, 1, 1, "2 pages: the first hole fits");
	alloc_at(&s, 4, 1, 5, "4 pages: the first hole (1 page left) is too small");
	alloc_at(&s, 1, 1, 3, "1 page: the first hole again");
	alloc_at(&s, 8, 1, 17, "8 pages: the second hole has only 7 left");
	alloc_at(&s, 7, 1, 9, "7 pages: exactly the rest of the second hole");
	ASSERT_EQ(host_check(&s, "after filling the holes"), 0);
	alloc_at(&s, 39, 1, 25, "39 pages: all that is left");
	alloc_at(&s, 1, 1, -1, "1 page in a full space");
	EXPECT_EQ(vmap_space_largest_free(&s), 0);
	ASSERT_EQ(host_check(&s, "when full"), 0);
}

TEST(random_allocations_agree_with_a_page_model)
{
	enum { PAGES = 2048 };
	static unsigned char used[PAGES];
	struct vmap_space s;
	char when[80];

	srand(1234);
	host_space_init(&s, PAGES);
	for (int op = 0; op < 600; op++) {
		u64 pages = 1 + rand() % (rand() % 4 ? 4 : 24), align = 1UL << (rand() % 4);
		u64 length = pages + align - 1; /* what the search asks for, in pages */
		long expect = -1;
		for (long p = 0, run = 0; p < PAGES; p++) {
			run = used[p] ? 0 : run + 1;
			if ((u64)run >= length) {
				expect = p - run + 1;
				break;
			}
		}
		struct vmap_area *va = vmap_space_alloc(&s, pages * PG, align * PG);
		snprintf(when, sizeof(when), "allocation %d: %llu pages aligned to %llu", op + 1,
			 pages, align);
		if (expect < 0) {
			if (va)
				ktest_fail(__FILE__, __LINE__,
					   "%s: no free run of %llu pages is left, "
					   "yet it got pages %llu-%llu",
					   when, length, (va->va_start - BASE) / PG,
					   (va->va_end - BASE) / PG);
			break;
		}
		u64 want = (u64)(expect + align - 1) / align * align;
		if (!va) {
			ktest_fail(__FILE__, __LINE__, "%s: got NULL; expected page %llu", when,
				   want);
			return;
		}
		if (va->va_start != BASE + want * PG) {
			ktest_fail(__FILE__, __LINE__,
				   "%s: got page %llu; the lowest free run of %llu pages starts at "
				   "page %ld, so the area belongs at %llu",
				   when, (va->va_start - BASE) / PG, length, expect, want);
			return;
		}
		for (u64 p = want; p < want + pages; p++)
			used[p] = 1;
		if (host_check(&s, when))
			return;
	}
}

/*
 * 100,000 one-page holes below the only range that fits: a search that
 * descends the tree takes ~17 steps per allocation; one that walks the
 * free ranges in order takes 100,000. The whole test takes well under a
 * second with a tree search, minutes with a scan.
 */
TEST(lowest_fit_is_logarithmic_not_a_scan)
{
	enum { HOLES = 100000, MORE = 20000 };
	struct vmap_space s;
	struct timespec t0, t1;

	host_space_init(&s, 3 * HOLES + 4 * MORE);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < HOLES; i++) {
		struct vmap_area *va = vmap_space_alloc(&s, PG, 2 * PG); /* leaves a 1-page hole */
		ASSERT_NOT_NULL(va);
	}
	for (int i = 0; i < MORE; i++)
		ASSERT_NOT_NULL(vmap_space_alloc(&s, 2 * PG, PG));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	ktest_log("%d allocations past up to %d holes took %.2f s", HOLES + MORE, HOLES, secs);
	if (secs > 3.0)
		ktest_fail(__FILE__, __LINE__,
			   "%d allocations with up to %d small free ranges below the fit took %.1f "
			   "s: does find_lowest_fit() look at every free range (O(n)) instead of "
			   "descending the tree (O(log n))?",
			   HOLES + MORE, HOLES, secs);
	EXPECT_EQ(host_check(&s, "at the end"), 0);
}
