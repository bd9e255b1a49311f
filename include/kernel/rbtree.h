/*
 * kernel/rbtree.h - red-black trees (Linux's names: rb_node, rb_root,
 * rb_link_node, rb_insert_color, rb_erase, rb_first, rb_next ...).
 *
 * A red-black tree is a binary search tree that stays balanced: every path
 * from a node down to a leaf has the same number of black nodes, and no red
 * node has a red child, so the height is at most 2*log2(n+1) and lookups,
 * insertions and deletions take O(log n).
 *
 * As in Linux, the tree does not know the keys: the caller searches for the
 * place of a new node itself (so comparisons are inlined and typed), links
 * it with rb_link_node() and then calls rb_insert_color() to rebalance.
 *
 *   struct rb_node **link = &root->rb_node, *parent = NULL;
 *   while (*link) {
 *           parent = *link;
 *           link = key < rb_entry(parent, struct thing, node)->key
 *                  ? &parent->rb_left : &parent->rb_right;
 *   }
 *   rb_link_node(&new->node, parent, link);
 *   rb_insert_color(&new->node, root);
 *
 * Augmented trees keep, in each node, a value computed from the node and
 * its two subtrees (e.g. the largest free gap below a vmap_area). Pass an
 * update function to the _augmented variants; it is called bottom-up on
 * every node whose subtree changed.
 */
#ifndef _KERNEL_RBTREE_H
#define _KERNEL_RBTREE_H

#include <kernel/types.h>

#define RB_RED 0
#define RB_BLACK 1

struct rb_node {
	struct rb_node *rb_parent;
	struct rb_node *rb_left;
	struct rb_node *rb_right;
	int rb_color;
};

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT ((struct rb_root){NULL})
#define rb_entry(ptr, type, member) container_of(ptr, type, member)
#define RB_EMPTY_ROOT(root) ((root)->rb_node == NULL)

/* recompute @node's augmented value from itself and its children */
typedef void (*rb_augment_fn)(struct rb_node *node);

static inline void rb_link_node(struct rb_node *node, struct rb_node *parent, struct rb_node **link)
{
	node->rb_parent = parent;
	node->rb_left = node->rb_right = NULL;
	node->rb_color = RB_RED;
	*link = node;
}

void rb_insert_color(struct rb_node *node, struct rb_root *root);
void rb_erase(struct rb_node *node, struct rb_root *root);
void rb_insert_augmented(struct rb_node *node, struct rb_root *root, rb_augment_fn update);
void rb_erase_augmented(struct rb_node *node, struct rb_root *root, rb_augment_fn update);
/* call @update on @node and every ancestor (after changing @node's own value) */
void rb_propagate(struct rb_node *node, rb_augment_fn update);

struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

#endif /* _KERNEL_RBTREE_H */
