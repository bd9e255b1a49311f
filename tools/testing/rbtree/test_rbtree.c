/*
 * tools/testing/rbtree/test_rbtree.c - host tests for kernel/rbtree.c.
 *
 * After every insertion and deletion the whole tree is checked: parent
 * links, search order, no red node with a red child, equal black heights,
 * a black root, and (for the augmented tree) every node's subtree maximum.
 * Random runs are compared against a sorted array as the model.
 */
#include <kernel/rbtree.h>
#include "ktest-host.h"

#include <stdlib.h>

struct item {
	struct rb_node node;
	long key;
	long val;     /* augmented trees: this node's value */
	long sub_max; /* augmented trees: max val in this subtree */
};

#define item_of(n) rb_entry(n, struct item, node)

static void update_max(struct rb_node *n)
{
	struct item *it = item_of(n);
	long m = it->val;

	if (n->rb_left && item_of(n->rb_left)->sub_max > m)
		m = item_of(n->rb_left)->sub_max;
	if (n->rb_right && item_of(n->rb_right)->sub_max > m)
		m = item_of(n->rb_right)->sub_max;
	it->sub_max = m;
}

static void insert(struct rb_root *root, struct item *it, int augmented)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		link = it->key < item_of(parent)->key ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&it->node, parent, link);
	if (augmented) {
		it->sub_max = it->val;
		rb_insert_augmented(&it->node, root, update_max);
	} else {
		rb_insert_color(&it->node, root);
	}
}

/* Check the subtree at @n; its black height goes to *@bh. (Void: the
 * EXPECT macros may only be used in functions that return nothing.) */
static void check_node(struct rb_node *n, struct rb_node *parent, long lo, long hi, int augmented,
		       int *count, int *bh)
{
	int l, r;

	if (!n) {
		*bh = 1;
		return;
	}
	struct item *it = item_of(n);
	(*count)++;
	EXPECT_TRUE(n->rb_parent == parent);
	EXPECT_TRUE(it->key >= lo && it->key <= hi);
	if (n->rb_color == RB_RED) {
		EXPECT_TRUE(!n->rb_left || n->rb_left->rb_color == RB_BLACK);
		EXPECT_TRUE(!n->rb_right || n->rb_right->rb_color == RB_BLACK);
	}
	check_node(n->rb_left, n, lo, it->key, augmented, count, &l);
	check_node(n->rb_right, n, it->key, hi, augmented, count, &r);
	EXPECT_EQ(l, r);
	if (augmented) {
		long m = it->val;
		if (n->rb_left && item_of(n->rb_left)->sub_max > m)
			m = item_of(n->rb_left)->sub_max;
		if (n->rb_right && item_of(n->rb_right)->sub_max > m)
			m = item_of(n->rb_right)->sub_max;
		EXPECT_EQ(it->sub_max, m);
	}
	*bh = l + (n->rb_color == RB_BLACK);
}

/* Check every invariant; the number of nodes goes to *@count. */
static void check_tree(struct rb_root *root, int augmented, int *count)
{
	int bh;

	*count = 0;
	if (root->rb_node) {
		EXPECT_EQ(root->rb_node->rb_color, RB_BLACK);
		EXPECT_TRUE(root->rb_node->rb_parent == NULL);
	}
	check_node(root->rb_node, NULL, -(1L << 62), 1L << 62, augmented, count, &bh);
}

static int tree_size(struct rb_root *root, int augmented)
{
	int n;

	check_tree(root, augmented, &n);
	return n;
}

TEST(empty_tree)
{
	struct rb_root root = RB_ROOT;

	EXPECT_TRUE(rb_first(&root) == NULL);
	EXPECT_TRUE(rb_last(&root) == NULL);
	EXPECT_TRUE(RB_EMPTY_ROOT(&root));
}

TEST(ascending_inserts_stay_balanced)
{
	enum { N = 4096 };
	static struct item items[N];
	struct rb_root root = RB_ROOT;

	for (int i = 0; i < N; i++) {
		items[i].key = i;
		insert(&root, &items[i], 0);
	}
	EXPECT_EQ(tree_size(&root, 0), N);
	/* height bound: 2*log2(N+1) = 24 for 4096 */
	int h = 0;
	for (struct rb_node *n = &items[N - 1].node; n; n = n->rb_parent)
		h++;
	EXPECT_LE(h, 24);
	/* in-order walk both ways */
	long expect = 0;
	for (struct rb_node *n = rb_first(&root); n; n = rb_next(n))
		EXPECT_EQ(item_of(n)->key, expect++);
	EXPECT_EQ(expect, N);
	for (struct rb_node *n = rb_last(&root); n; n = rb_prev(n))
		EXPECT_EQ(item_of(n)->key, --expect);
}

TEST(erase_every_shape)
{
	enum { N = 200 };
	static struct item items[N];

	/* erase each key from a fresh tree: leaves, one-child and two-child nodes, root */
	for (int victim = 0; victim < N; victim++) {
		struct rb_root root = RB_ROOT;
		for (int i = 0; i < N; i++) {
			items[i].key = (i * 37) % N;
			insert(&root, &items[i], 0);
		}
		rb_erase(&items[victim].node, &root);
		ASSERT_EQ(tree_size(&root, 0), N - 1);
		for (struct rb_node *n = rb_first(&root); n; n = rb_next(n))
			ASSERT_NE(item_of(n)->key, items[victim].key);
	}
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

static void random_run(int augmented, unsigned seed)
{
	enum { N = 1500, OPS = 20000 };
	static struct item items[N];
	static int in_tree[N];
	struct rb_root root = RB_ROOT;
	int count = 0;

	srand(seed);
	for (int i = 0; i < N; i++) {
		items[i].key = rand() % 5000; /* duplicates allowed */
		items[i].val = rand() % 100000;
		in_tree[i] = 0;
	}
	for (int op = 0; op < OPS; op++) {
		int i = rand() % N;
		if (in_tree[i]) {
			if (augmented)
				rb_erase_augmented(&items[i].node, &root, update_max);
			else
				rb_erase(&items[i].node, &root);
			in_tree[i] = 0;
			count--;
		} else {
			insert(&root, &items[i], augmented);
			in_tree[i] = 1;
			count++;
		}
		if (op % 97 == 0 || op == OPS - 1) {
			ASSERT_EQ(tree_size(&root, augmented), count);
			/* model: sorted keys of the items in the tree */
			static long model[N];
			int m = 0;
			long best = -1;
			for (int k = 0; k < N; k++) {
				if (in_tree[k]) {
					model[m++] = items[k].key;
					if (items[k].val > best)
						best = items[k].val;
				}
			}
			qsort(model, m, sizeof(long), cmp_long);
			int j = 0;
			for (struct rb_node *n = rb_first(&root); n; n = rb_next(n))
				ASSERT_EQ(item_of(n)->key, model[j++]);
			ASSERT_EQ(j, m);
			if (augmented && root.rb_node)
				ASSERT_EQ(item_of(root.rb_node)->sub_max, best);
		}
	}
}

TEST(random_against_model)
{
	random_run(0, 1);
	random_run(0, 2);
}

TEST(augmented_random_against_model)
{
	random_run(1, 3);
	random_run(1, 4);
}

TEST(augmented_propagate_after_value_change)
{
	enum { N = 64 };
	static struct item items[N];
	struct rb_root root = RB_ROOT;

	for (int i = 0; i < N; i++) {
		items[i].key = i;
		items[i].val = i;
		insert(&root, &items[i], 1);
	}
	EXPECT_EQ(item_of(root.rb_node)->sub_max, N - 1);
	items[5].val = 1000;
	rb_propagate(&items[5].node, update_max);
	EXPECT_EQ(item_of(root.rb_node)->sub_max, 1000);
	EXPECT_EQ(tree_size(&root, 1), N);
}
