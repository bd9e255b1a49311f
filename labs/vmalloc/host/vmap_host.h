/*
 * labs/vmalloc/host/vmap_host.h - what the vmalloc lab's host tests share:
 * node allocation that counts live nodes, panic() for the host, and a
 * checker of every invariant of a vmap_space (sorted, merged free ranges,
 * right subtree_max_size everywhere, counters that add up).
 *
 * The tests compile the student's mm/vmap_area.c (and kernel/rbtree.c)
 * for the host under AddressSanitizer; a task that is not written yet
 * panics, which ends only the test that reached it.
 */
#ifndef _VMAP_HOST_H
#define _VMAP_HOST_H

#include "vmap_area.h"
#include "ktest-host.h"

#define PG 4096UL
#define BASE 0x100000000UL /* a space starts here: aligned to 4 GiB */

/* struct vmap_area nodes alive now (busy and free) */
extern long host_live_nodes;
struct vmap_area *host_node_alloc(void);
void host_node_free(struct vmap_area *va);

/* Set up @s over [BASE, BASE + pages * PG); fails the test if it cannot. */
void host_space_init(struct vmap_space *s, u64 pages);

/*
 * host_check - check every invariant of @s; the first broken one fails the
 * test with a message saying what is wrong. Return: 0, or -1 if broken.
 *   - free ranges in address order, non-empty, inside the space, never
 *     touching (a free range next to another must have been merged);
 *   - each free node's subtree_max_size is the largest of its own size and
 *     its children's subtree_max_size;
 *   - free bytes add up to free_bytes, busy ranges to nr_busy, busy and
 *     free ranges never overlap;
 *   - the nodes alive are exactly the busy and free ones.
 */
int host_check(struct vmap_space *s, const char *when);

/* Expect the free tree to be exactly these ranges (pairs of page offsets from BASE). */
void host_expect_free(struct vmap_space *s, const u64 (*ranges)[2], int n, const char *when);

#endif /* _VMAP_HOST_H */
