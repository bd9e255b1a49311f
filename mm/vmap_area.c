/*
 * mm/vmap_area.c - allocating ranges of the vmalloc area in O(log n)
 * (see mm/vmap_area.h for the picture).
 *
 * Finding the lowest fitting free range: every free node knows the largest
 * free range in its subtree. From the root, go left while the left subtree
 * has a large enough range (anything there has a lower address), else take
 * this node if it is large enough, else go right. Each step goes one level
 * down, so the search is O(height) = O(log n).
 *
 * Alignment: a range of length size + align - PAGE_SIZE always contains an
 * aligned block of size bytes, so the search asks for that length. (An
 * exactly fitting, already aligned range of smaller length is missed; the
 * price of a guaranteed O(log n) search, as in Linux.)
 *
 * Lock: the caller (mm/vmalloc.c) serialises all calls.
 *
 * The vmalloc lab (labs/vmalloc/README.md, tasks 1 and 2) has students write
 * update_subtree_max(), find_lowest_fit() and vmap_space_free().
 */
#include "vmap_area.h"
#include <kernel/errno.h>
#include <kernel/lab.h>

#define VA_PAGE_SIZE 4096UL

static u64 va_size(const struct vmap_area *va)
{
	return va->va_end - va->va_start;
}

static struct vmap_area *va_of(struct rb_node *n)
{
	return n ? rb_entry(n, struct vmap_area, rb_node) : NULL;
}

static u64 subtree_max(struct rb_node *n)
{
	return n ? va_of(n)->subtree_max_size : 0;
}

/*
 * The augmentation callback: recompute @n's subtree_max_size from its own
 * size and its children's (already right) values. The tree calls it for
 * every node whose subtree changed, bottom up, after an insert, an erase or
 * a rotation (rb_insert_augmented, rb_erase_augmented), and rb_propagate()
 * calls it from a node up to the root after a node's size changed in place.
 */
static void update_subtree_max(struct rb_node *n)
{
	/* LAB vmalloc: BEGIN task 1: the largest of this range and the children's subtree_max */
	struct vmap_area *va = va_of(n);
	u64 m = va_size(va);

	if (subtree_max(n->rb_left) > m)
		m = subtree_max(n->rb_left);
	if (subtree_max(n->rb_right) > m)
		m = subtree_max(n->rb_right);
	va->subtree_max_size = m;
	/* LAB vmalloc: ELSE
	 * (void)n;
	 * LAB_TODO("vmalloc", "update_subtree_max()");
	 */
	/* LAB vmalloc: END */
}

static void link_by_start(struct rb_root *root, struct vmap_area *va, bool augmented)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		link =
		    va->va_start < va_of(parent)->va_start ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&va->rb_node, parent, link);
	if (augmented) {
		va->subtree_max_size = va_size(va);
		rb_insert_augmented(&va->rb_node, root, update_subtree_max);
	} else {
		rb_insert_color(&va->rb_node, root);
	}
}

int vmap_space_init(struct vmap_space *s, u64 start, u64 end, struct vmap_area *(*node_alloc)(void),
		    void (*node_free)(struct vmap_area *))
{
	struct vmap_area *va;

	s->free_root = RB_ROOT;
	s->busy_root = RB_ROOT;
	s->start = start;
	s->end = end;
	s->free_bytes = 0;
	s->nr_busy = 0;
	s->node_alloc = node_alloc;
	s->node_free = node_free;
	va = node_alloc();
	if (!va)
		return -ENOMEM;
	va->va_start = start;
	va->va_end = end;
	link_by_start(&s->free_root, va, true);
	s->free_bytes = end - start;
	return 0;
}

/*
 * The free range with the lowest address whose size is at least @length,
 * or NULL; O(height of the tree): it never visits a subtree that cannot
 * hold a fit, and never backtracks.
 */
static struct vmap_area *find_lowest_fit(struct vmap_space *s, u64 length)
{
	/* LAB vmalloc: BEGIN task 1: descend from the root, preferring the left subtree */
	struct rb_node *n = s->free_root.rb_node;

	if (subtree_max(n) < length)
		return NULL;
	while (n) {
		if (subtree_max(n->rb_left) >= length) {
			n = n->rb_left;
		} else if (va_size(va_of(n)) >= length) {
			return va_of(n);
		} else {
			n = n->rb_right; /* must hold a fit: subtree_max(n) >= length */
		}
	}
	return NULL;
	/* LAB vmalloc: ELSE
	 * (void)s;
	 * (void)length;
	 * LAB_TODO("vmalloc", "find_lowest_fit()");
	 */
	/* LAB vmalloc: END */
}

struct vmap_area *vmap_space_alloc(struct vmap_space *s, u64 size, u64 align)
{
	struct vmap_area *free, *busy, *right = NULL;
	u64 start;

	if (size == 0 || size % VA_PAGE_SIZE || align < VA_PAGE_SIZE || (align & (align - 1)))
		return NULL;
	if (size > s->end - s->start || align > s->end - s->start)
		return NULL;
	free = find_lowest_fit(s, size + align - VA_PAGE_SIZE);
	if (!free)
		return NULL;
	start = (free->va_start + align - 1) & ~(align - 1);
	busy = s->node_alloc();
	if (!busy)
		return NULL;
	if (start + size < free->va_end && start > free->va_start) {
		/* the block splits in three: keep the left piece, add a right one */
		right = s->node_alloc();
		if (!right) {
			s->node_free(busy);
			return NULL;
		}
	}
	/* carve [start, start + size) out of the free block */
	if (start == free->va_start && start + size == free->va_end) {
		rb_erase_augmented(&free->rb_node, &s->free_root, update_subtree_max);
		s->node_free(free);
	} else if (start == free->va_start) {
		free->va_start += size; /* position in the tree is unchanged */
		rb_propagate(&free->rb_node, update_subtree_max);
	} else {
		u64 old_end = free->va_end;
		free->va_end = start;
		rb_propagate(&free->rb_node, update_subtree_max);
		if (right) {
			right->va_start = start + size;
			right->va_end = old_end;
			link_by_start(&s->free_root, right, true);
		}
	}
	s->free_bytes -= size;
	*busy = (struct vmap_area){.va_start = start, .va_end = start + size};
	link_by_start(&s->busy_root, busy, false);
	s->nr_busy++;
	return busy;
}

struct vmap_area *vmap_space_find(struct vmap_space *s, u64 addr)
{
	struct rb_node *n = s->busy_root.rb_node;

	while (n) {
		struct vmap_area *va = va_of(n);
		if (addr < va->va_start)
			n = n->rb_left;
		else if (addr >= va->va_end)
			n = n->rb_right;
		else
			return va;
	}
	return NULL;
}

/* Free neighbours of [start, end): the last range before it and the first after. */
static inline void find_free_neighbours(struct vmap_space *s, u64 start, struct vmap_area **prev,
					struct vmap_area **next)
{
	struct rb_node *n = s->free_root.rb_node;

	*prev = *next = NULL;
	while (n) {
		struct vmap_area *va = va_of(n);
		if (va->va_start < start) {
			*prev = va;
			n = n->rb_right;
		} else {
			*next = va;
			n = n->rb_left;
		}
	}
}

void vmap_space_free(struct vmap_space *s, struct vmap_area *va)
{
	/* LAB vmalloc: BEGIN task 2: leave the busy tree, then merge with free neighbours or insert */
	u64 start = va->va_start, end = va->va_end;
	struct vmap_area *prev, *next;

	rb_erase(&va->rb_node, &s->busy_root);
	s->nr_busy--;
	s->free_bytes += end - start;
	find_free_neighbours(s, start, &prev, &next);
	if (prev && prev->va_end == start) {
		if (next && next->va_start == end) {
			/* fills the hole between two free ranges: one range remains */
			u64 new_end = next->va_end;
			rb_erase_augmented(&next->rb_node, &s->free_root, update_subtree_max);
			s->node_free(next);
			prev->va_end = new_end;
		} else {
			prev->va_end = end;
		}
		rb_propagate(&prev->rb_node, update_subtree_max);
		s->node_free(va);
	} else if (next && next->va_start == end) {
		next->va_start = start; /* still between prev and next in order */
		rb_propagate(&next->rb_node, update_subtree_max);
		s->node_free(va);
	} else {
		va->va_start = start;
		va->va_end = end;
		link_by_start(&s->free_root, va, true);
	}
	/* LAB vmalloc: ELSE
	 * (void)s;
	 * (void)va;
	 * LAB_TODO("vmalloc", "vmap_space_free()");
	 */
	/* LAB vmalloc: END */
}

u64 vmap_space_largest_free(struct vmap_space *s)
{
	return subtree_max(s->free_root.rb_node);
}
