/*
 * labs/vmalloc/host/test_free_merge.c - task 2: vmap_space_free() puts a
 * busy range back into the free tree, merged with the free ranges right
 * below and right above it, so free ranges never touch; the nodes that
 * merging makes unnecessary go back to node_free().
 *
 * Each test starts from the same layout of an 8-page space, page numbers
 * from the start of the space:
 *
 *   pages:   0    1    2    3    4 .. 8
 *          [ a ][ b ][ c ][ d ][ free ]
 */
#include "vmap_host.h"

struct layout {
	struct vmap_space s;
	struct vmap_area *a, *b, *c, *d;
};

static void four_areas(struct layout *l)
{
	host_space_init(&l->s, 8);
	l->a = vmap_space_alloc(&l->s, PG, PG);
	l->b = vmap_space_alloc(&l->s, PG, PG);
	l->c = vmap_space_alloc(&l->s, PG, PG);
	l->d = vmap_space_alloc(&l->s, PG, PG);
	if (!l->a || !l->b || !l->c || !l->d || l->d->va_start != BASE + 3 * PG)
		ktest_fail(__FILE__, __LINE__, "setting up four 1-page areas failed (task 1?)");
}

static void expect_freed(struct vmap_space *s, u64 page, const char *when)
{
	if (vmap_space_find(s, BASE + page * PG))
		ktest_fail(__FILE__, __LINE__, "%s: page %llu is still in the busy tree", when,
			   page);
}

TEST(free_joins_the_free_range_above)
{
	struct layout l;
	static const u64 want[][2] = {{3, 8}};

	four_areas(&l);
	vmap_space_free(&l.s, l.d);
	expect_freed(&l.s, 3, "freeing d");
	host_expect_free(&l.s, want, 1, "after freeing d (pages 3-4)");
	EXPECT_EQ(host_check(&l.s, "after freeing d"), 0);
}

TEST(free_between_busy_neighbours_adds_a_range)
{
	struct layout l;
	static const u64 want[][2] = {{1, 2}, {4, 8}};

	four_areas(&l);
	vmap_space_free(&l.s, l.b);
	expect_freed(&l.s, 1, "freeing b");
	host_expect_free(&l.s, want, 2, "after freeing b (pages 1-2, between a and c)");
	EXPECT_EQ(host_check(&l.s, "after freeing b"), 0);
}

TEST(free_joins_the_free_range_below)
{
	struct layout l;
	static const u64 want[][2] = {{1, 3}, {4, 8}};

	four_areas(&l);
	vmap_space_free(&l.s, l.b);
	vmap_space_free(&l.s, l.c);
	expect_freed(&l.s, 2, "freeing c");
	host_expect_free(&l.s, want, 2, "after freeing b, then c (c joins b's range)");
	EXPECT_EQ(host_check(&l.s, "after freeing b and c"), 0);
}

TEST(free_fills_a_hole_between_two_free_ranges)
{
	struct layout l;
	static const u64 want[][2] = {{0, 8}};

	four_areas(&l);
	vmap_space_free(&l.s, l.a);
	vmap_space_free(&l.s, l.c);
	vmap_space_free(&l.s, l.d); /* c, d and the tail are one range now */
	vmap_space_free(&l.s, l.b); /* joins a's range and c's: one range is left */
	host_expect_free(&l.s, want, 1, "after freeing a, c, d, then b");
	EXPECT_EQ(host_check(&l.s, "after freeing everything"), 0);
	EXPECT_EQ(host_live_nodes, 1);
	EXPECT_EQ(l.s.nr_busy, 0);
	EXPECT_EQ(vmap_space_largest_free(&l.s), 8 * PG);
}

TEST(freed_ranges_are_allocated_again_lowest_first)
{
	struct layout l;

	four_areas(&l);
	vmap_space_free(&l.s, l.b);
	vmap_space_free(&l.s, l.c);
	struct vmap_area *x = vmap_space_alloc(&l.s, 2 * PG, PG);
	ASSERT_NOT_NULL(x);
	EXPECT_EQ(x->va_start, BASE + PG); /* the merged range of b and c */
	EXPECT_EQ(host_check(&l.s, "after reusing b and c's pages"), 0);
}
