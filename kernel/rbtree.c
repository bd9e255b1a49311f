/*
 * kernel/rbtree.c - red-black tree balancing (see kernel/rbtree.h).
 *
 * Invariants (checked by the host tests after every operation):
 *   1. every node is red or black; the root is black;
 *   2. a red node has no red child;
 *   3. every path from a node to a NULL leaf has the same number of black
 *      nodes (its "black height").
 *
 * Insertion colours the new node red (which keeps 3) and then repairs 2 on
 * the way up: if the parent is red, either recolour (red uncle: push the
 * problem two levels up) or rotate once or twice (black uncle: done).
 * Deletion splices out a node with at most one child; removing a black node
 * leaves one path a black short ("double black"), repaired by recolouring
 * and at most three rotations.
 *
 * A rotation around x (left shown; right is the mirror):
 *
 *        x                y
 *       / \              / \
 *      a   y     ==>    x   c
 *         / \          / \
 *        b   c        a   b
 *
 * keeps the in-order sequence a x b y c, so it never breaks the search
 * order. Augmented values: a rotation leaves the set of nodes under the top
 * unchanged, so only x and y need updating (x first: it is now below y).
 */
#include <kernel/rbtree.h>

static void change_child(struct rb_node *old, struct rb_node *new, struct rb_node *parent,
			 struct rb_root *root)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
}

static void rotate_left(struct rb_node *x, struct rb_root *root, rb_augment_fn update)
{
	struct rb_node *y = x->rb_right;

	x->rb_right = y->rb_left;
	if (y->rb_left)
		y->rb_left->rb_parent = x;
	y->rb_parent = x->rb_parent;
	change_child(x, y, x->rb_parent, root);
	y->rb_left = x;
	x->rb_parent = y;
	if (update) {
		update(x);
		update(y);
	}
}

static void rotate_right(struct rb_node *x, struct rb_root *root, rb_augment_fn update)
{
	struct rb_node *y = x->rb_left;

	x->rb_left = y->rb_right;
	if (y->rb_right)
		y->rb_right->rb_parent = x;
	y->rb_parent = x->rb_parent;
	change_child(x, y, x->rb_parent, root);
	y->rb_right = x;
	x->rb_parent = y;
	if (update) {
		update(x);
		update(y);
	}
}

static bool is_red(const struct rb_node *n)
{
	return n && n->rb_color == RB_RED;
}

static void insert_fixup(struct rb_node *node, struct rb_root *root, rb_augment_fn update)
{
	struct rb_node *parent, *gparent, *uncle;

	while ((parent = node->rb_parent) && parent->rb_color == RB_RED) {
		gparent = parent->rb_parent; /* exists: a red parent is never the root */
		if (parent == gparent->rb_left) {
			uncle = gparent->rb_right;
			if (is_red(uncle)) {
				parent->rb_color = uncle->rb_color = RB_BLACK;
				gparent->rb_color = RB_RED;
				node = gparent;
				continue;
			}
			if (node == parent->rb_right) {
				rotate_left(parent, root, update);
				node = parent;
				parent = node->rb_parent;
			}
			parent->rb_color = RB_BLACK;
			gparent->rb_color = RB_RED;
			rotate_right(gparent, root, update);
		} else {
			uncle = gparent->rb_left;
			if (is_red(uncle)) {
				parent->rb_color = uncle->rb_color = RB_BLACK;
				gparent->rb_color = RB_RED;
				node = gparent;
				continue;
			}
			if (node == parent->rb_left) {
				rotate_right(parent, root, update);
				node = parent;
				parent = node->rb_parent;
			}
			parent->rb_color = RB_BLACK;
			gparent->rb_color = RB_RED;
			rotate_left(gparent, root, update);
		}
	}
	root->rb_node->rb_color = RB_BLACK;
}

void rb_propagate(struct rb_node *node, rb_augment_fn update)
{
	for (; node; node = node->rb_parent)
		update(node);
}

void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	insert_fixup(node, root, NULL);
}

void rb_insert_augmented(struct rb_node *node, struct rb_root *root, rb_augment_fn update)
{
	rb_propagate(node, update); /* the new leaf changes its ancestors' values */
	insert_fixup(node, root, update);
}

/* Repair a missing black on the path through @x (may be NULL) under @parent. */
static void erase_fixup(struct rb_node *x, struct rb_node *parent, struct rb_root *root,
			rb_augment_fn update)
{
	struct rb_node *w;

	while (x != root->rb_node && !is_red(x)) {
		if (x == parent->rb_left) {
			w = parent->rb_right;
			if (is_red(w)) {
				w->rb_color = RB_BLACK;
				parent->rb_color = RB_RED;
				rotate_left(parent, root, update);
				w = parent->rb_right;
			}
			if (!is_red(w->rb_left) && !is_red(w->rb_right)) {
				w->rb_color = RB_RED;
				x = parent;
				parent = x->rb_parent;
				continue;
			}
			if (!is_red(w->rb_right)) {
				w->rb_left->rb_color = RB_BLACK;
				w->rb_color = RB_RED;
				rotate_right(w, root, update);
				w = parent->rb_right;
			}
			w->rb_color = parent->rb_color;
			parent->rb_color = RB_BLACK;
			w->rb_right->rb_color = RB_BLACK;
			rotate_left(parent, root, update);
			x = root->rb_node;
			break;
		} else {
			w = parent->rb_left;
			if (is_red(w)) {
				w->rb_color = RB_BLACK;
				parent->rb_color = RB_RED;
				rotate_right(parent, root, update);
				w = parent->rb_left;
			}
			if (!is_red(w->rb_left) && !is_red(w->rb_right)) {
				w->rb_color = RB_RED;
				x = parent;
				parent = x->rb_parent;
				continue;
			}
			if (!is_red(w->rb_left)) {
				w->rb_right->rb_color = RB_BLACK;
				w->rb_color = RB_RED;
				rotate_left(w, root, update);
				w = parent->rb_left;
			}
			w->rb_color = parent->rb_color;
			parent->rb_color = RB_BLACK;
			w->rb_left->rb_color = RB_BLACK;
			rotate_right(parent, root, update);
			x = root->rb_node;
			break;
		}
	}
	if (x)
		x->rb_color = RB_BLACK;
}

static void erase(struct rb_node *node, struct rb_root *root, rb_augment_fn update)
{
	struct rb_node *child, *parent, *lowest;
	int color;

	if (node->rb_left && node->rb_right) {
		/* two children: put the successor (leftmost of the right subtree,
		 * which has no left child) in node's place */
		struct rb_node *succ = node->rb_right;
		while (succ->rb_left)
			succ = succ->rb_left;
		child = succ->rb_right;
		color = succ->rb_color;
		if (succ->rb_parent == node) {
			parent = succ;
		} else {
			parent = succ->rb_parent;
			parent->rb_left = child;
			if (child)
				child->rb_parent = parent;
			succ->rb_right = node->rb_right;
			node->rb_right->rb_parent = succ;
		}
		succ->rb_left = node->rb_left;
		node->rb_left->rb_parent = succ;
		succ->rb_parent = node->rb_parent;
		succ->rb_color = node->rb_color;
		change_child(node, succ, node->rb_parent, root);
		lowest = parent;
	} else {
		child = node->rb_left ? node->rb_left : node->rb_right;
		parent = node->rb_parent;
		color = node->rb_color;
		if (child)
			child->rb_parent = parent;
		change_child(node, child, parent, root);
		lowest = parent;
	}
	if (update)
		rb_propagate(lowest, update);
	if (color == RB_BLACK)
		erase_fixup(child, parent, root, update);
}

void rb_erase(struct rb_node *node, struct rb_root *root)
{
	erase(node, root, NULL);
}

void rb_erase_augmented(struct rb_node *node, struct rb_root *root, rb_augment_fn update)
{
	erase(node, root, update);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->rb_left)
		n = n->rb_left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->rb_right)
		n = n->rb_right;
	return n;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	if (node->rb_right) {
		node = node->rb_right;
		while (node->rb_left)
			node = node->rb_left;
		return (struct rb_node *)node;
	}
	while (node->rb_parent && node == node->rb_parent->rb_right)
		node = node->rb_parent;
	return node->rb_parent;
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	if (node->rb_left) {
		node = node->rb_left;
		while (node->rb_right)
			node = node->rb_right;
		return (struct rb_node *)node;
	}
	while (node->rb_parent && node == node->rb_parent->rb_left)
		node = node->rb_parent;
	return node->rb_parent;
}
