/*
 * mm/vmap_area.h - the vmalloc area's address-range allocator (private to
 * mm/; host-tested on its own in tools/testing/vmalloc/).
 *
 * A vmap_space manages one range of kernel virtual addresses. Free ranges
 * live in a red-black tree sorted by address and augmented with the largest
 * free range in each subtree (subtree_max_size), so the lowest free range
 * that fits a request is found in O(log n) without scanning; busy ranges
 * live in a second tree so an address is found in O(log n) too. A freed
 * range merges with free neighbours at once.
 *
 *   free tree:       [  free  ]       [free]              [    free     ]
 *   address space: |----------|######|------|#####|####|---------------|
 *   busy tree:                 [busy]        [busy][busy]
 */
#ifndef _MM_VMAP_AREA_H
#define _MM_VMAP_AREA_H

#include <kernel/types.h>
#include <kernel/rbtree.h>

struct vmap_area {
	u64 va_start;
	u64 va_end;
	struct rb_node rb_node;
	u64 subtree_max_size; /* free tree only: largest free range below */
	/* busy areas: what vmalloc keeps about the mapping */
	unsigned long flags;
	const void *caller;
	u64 nr_pages;
	u64 *pfns;		/* physical frames mapped (vmalloc/vmap), or NULL */
	u64 phys_addr;		/* ioremap: the device's physical address */
	struct vmap_area *next; /* purge list */
};

struct vmap_space {
	struct rb_root free_root;
	struct rb_root busy_root;
	u64 start, end;
	u64 free_bytes;
	u64 nr_busy;
	/* where node structures come from (kmalloc in the kernel, malloc on the host) */
	struct vmap_area *(*node_alloc)(void);
	void (*node_free)(struct vmap_area *va);
};

/* Return 0, or -ENOMEM if no node could be allocated. */
int vmap_space_init(struct vmap_space *s, u64 start, u64 end, struct vmap_area *(*node_alloc)(void),
		    void (*node_free)(struct vmap_area *));
/*
 * Reserve @size bytes (a multiple of PAGE_SIZE) aligned to @align (a power
 * of two, at least PAGE_SIZE) at the lowest address that fits, and return
 * its busy vmap_area, or NULL when no free range is large enough.
 */
struct vmap_area *vmap_space_alloc(struct vmap_space *s, u64 size, u64 align);
/* The busy area containing @addr, or NULL. */
struct vmap_area *vmap_space_find(struct vmap_space *s, u64 addr);
/* Return a busy area's range to the free tree, merging neighbours; frees @va. */
void vmap_space_free(struct vmap_space *s, struct vmap_area *va);
/* Size of the largest free range. */
u64 vmap_space_largest_free(struct vmap_space *s);

#endif /* _MM_VMAP_AREA_H */
