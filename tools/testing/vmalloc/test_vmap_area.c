/*
 * tools/testing/vmalloc/test_vmap_area.c - host tests for mm/vmap_area.c,
 * the vmalloc area's range allocator.
 *
 * The model for random runs is a bitmap of pages: every allocation must be
 * inside the space, aligned, disjoint from all live ones, and at the lowest
 * address where a range of size + align - PAGE fits; the free bytes and the
 * free tree (sorted, merged: no two free ranges touch) are checked too.
 */
#include "vmap_area.h"
#include "ktest-host.h"

#include <stdlib.h>

#define PG 4096UL
#define BASE 0x100000000UL

static long live_nodes;

static struct vmap_area *node_alloc(void)
{
	live_nodes++;
	return calloc(1, sizeof(struct vmap_area));
}

static void node_free(struct vmap_area *va)
{
	live_nodes--;
	free(va);
}

/* free ranges are sorted, never touch, and add up to free_bytes */
static void check_free_tree(struct vmap_space *s)
{
	u64 total = 0, last_end = 0;
	int first = 1;

	for (struct rb_node *n = rb_first(&s->free_root); n; n = rb_next(n)) {
		struct vmap_area *va = rb_entry(n, struct vmap_area, rb_node);
		EXPECT_LT(va->va_start, va->va_end);
		EXPECT_TRUE(va->va_start >= s->start && va->va_end <= s->end);
		if (!first)
			EXPECT_GT(va->va_start, last_end); /* merged: a gap between */
		first = 0;
		last_end = va->va_end;
		total += va->va_end - va->va_start;
	}
	EXPECT_EQ(total, s->free_bytes);
}

TEST(first_allocation_is_at_the_start)
{
	struct vmap_space s;

	ASSERT_EQ(vmap_space_init(&s, BASE, BASE + 1024 * PG, node_alloc, node_free), 0);
	struct vmap_area *a = vmap_space_alloc(&s, 4 * PG, PG);
	ASSERT_NOT_NULL(a);
	EXPECT_EQ(a->va_start, BASE);
	EXPECT_EQ(a->va_end, BASE + 4 * PG);
	EXPECT_PTR_EQ(vmap_space_find(&s, BASE + 3 * PG + 5), a);
	EXPECT_NULL(vmap_space_find(&s, BASE + 4 * PG));
	EXPECT_EQ(s.free_bytes, 1020 * PG);
	vmap_space_free(&s, a);
	EXPECT_EQ(s.free_bytes, 1024 * PG);
	EXPECT_EQ(vmap_space_largest_free(&s), 1024 * PG);
	check_free_tree(&s);
}

TEST(alignment_is_honoured)
{
	struct vmap_space s;

	ASSERT_EQ(vmap_space_init(&s, BASE + PG, BASE + 4096 * PG, node_alloc, node_free), 0);
	struct vmap_area *a = vmap_space_alloc(&s, PG, PG);
	struct vmap_area *b = vmap_space_alloc(&s, 4 * PG, 8 * PG); /* 32 KiB aligned */
	ASSERT_NOT_NULL(a);
	ASSERT_NOT_NULL(b);
	EXPECT_EQ(b->va_start % (8 * PG), 0);
	EXPECT_GE(b->va_start, a->va_end);
	/* the gap left below b is still free and used by a later small request */
	struct vmap_area *c = vmap_space_alloc(&s, PG, PG);
	ASSERT_NOT_NULL(c);
	EXPECT_EQ(c->va_start, a->va_end);
	check_free_tree(&s);
	/* bad sizes and alignments are refused */
	EXPECT_NULL(vmap_space_alloc(&s, 0, PG));
	EXPECT_NULL(vmap_space_alloc(&s, PG + 1, PG));
	EXPECT_NULL(vmap_space_alloc(&s, PG, 3 * PG));
}

TEST(freed_neighbours_merge)
{
	struct vmap_space s;
	struct vmap_area *v[5];

	ASSERT_EQ(vmap_space_init(&s, BASE, BASE + 5 * PG, node_alloc, node_free), 0);
	for (int i = 0; i < 5; i++)
		ASSERT_NOT_NULL(v[i] = vmap_space_alloc(&s, PG, PG));
	EXPECT_NULL(vmap_space_alloc(&s, PG, PG)); /* full */
	EXPECT_EQ(vmap_space_largest_free(&s), 0);
	vmap_space_free(&s, v[1]);
	vmap_space_free(&s, v[3]);
	EXPECT_EQ(vmap_space_largest_free(&s), PG);
	EXPECT_NULL(vmap_space_alloc(&s, 2 * PG, PG)); /* fragmented */
	vmap_space_free(&s, v[2]);		       /* joins 1 and 3 into one range */
	EXPECT_EQ(vmap_space_largest_free(&s), 3 * PG);
	check_free_tree(&s);
	struct vmap_area *big = vmap_space_alloc(&s, 3 * PG, PG);
	ASSERT_NOT_NULL(big);
	EXPECT_EQ(big->va_start, BASE + PG);
	vmap_space_free(&s, big);
	vmap_space_free(&s, v[0]);
	vmap_space_free(&s, v[4]);
	EXPECT_EQ(vmap_space_largest_free(&s), 5 * PG);
	check_free_tree(&s);
}

TEST(exhaustion_and_too_large)
{
	struct vmap_space s;

	ASSERT_EQ(vmap_space_init(&s, BASE, BASE + 64 * PG, node_alloc, node_free), 0);
	EXPECT_NULL(vmap_space_alloc(&s, 65 * PG, PG));
	struct vmap_area *a = vmap_space_alloc(&s, 64 * PG, PG);
	ASSERT_NOT_NULL(a);
	EXPECT_NULL(vmap_space_alloc(&s, PG, PG));
	vmap_space_free(&s, a);
	EXPECT_NOT_NULL(vmap_space_alloc(&s, 64 * PG, PG));
}

static void random_run(unsigned seed)
{
	enum { PAGES = 4096, SLOTS = 300, OPS = 20000 };
	static unsigned char used[PAGES];
	static struct vmap_area *live[SLOTS];
	struct vmap_space s;
	long before = live_nodes;

	srand(seed);
	memset(used, 0, sizeof(used));
	memset(live, 0, sizeof(live));
	ASSERT_EQ(vmap_space_init(&s, BASE, BASE + PAGES * PG, node_alloc, node_free), 0);
	for (int op = 0; op < OPS; op++) {
		int i = rand() % SLOTS;
		if (live[i]) {
			for (u64 a = live[i]->va_start; a < live[i]->va_end; a += PG)
				used[(a - BASE) / PG] = 0;
			vmap_space_free(&s, live[i]);
			live[i] = NULL;
			continue;
		}
		u64 pages = 1 + rand() % (rand() % 4 ? 8 : 64);
		u64 align = PG << (rand() % 4);
		u64 length = pages * PG + align - PG;
		/* the model's answer: lowest free run of `length` bytes */
		long expect = -1;
		for (long p = 0, run = 0; p < PAGES; p++) {
			run = used[p] ? 0 : run + 1;
			if ((u64)run * PG >= length) {
				expect = p - run + 1;
				break;
			}
		}
		struct vmap_area *va = vmap_space_alloc(&s, pages * PG, align);
		if (expect < 0) {
			ASSERT_NULL(va);
			continue;
		}
		ASSERT_NOT_NULL(va);
		u64 want = BASE + ((expect * PG + align - 1) & ~(align - 1));
		ASSERT_EQ(va->va_start, want);
		ASSERT_EQ(va->va_end - va->va_start, pages * PG);
		for (u64 a = va->va_start; a < va->va_end; a += PG) {
			ASSERT_EQ(used[(a - BASE) / PG], 0);
			used[(a - BASE) / PG] = 1;
		}
		live[i] = va;
		if (op % 500 == 0)
			check_free_tree(&s);
	}
	for (int i = 0; i < SLOTS; i++)
		if (live[i])
			vmap_space_free(&s, live[i]);
	EXPECT_EQ(s.free_bytes, PAGES * PG);
	EXPECT_EQ(s.nr_busy, 0);
	EXPECT_EQ(live_nodes - before, 1); /* everything merged back into one range */
	check_free_tree(&s);
}

TEST(random_against_page_model)
{
	random_run(11);
	random_run(12);
	random_run(13);
}
