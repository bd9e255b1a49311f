/*
 * labs/vmalloc/host/vmap_host.c - the host environment of the vmalloc
 * lab's host tests (see vmap_host.h).
 */
#include "vmap_host.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

long host_live_nodes;

struct vmap_area *host_node_alloc(void)
{
	host_live_nodes++;
	return calloc(1, sizeof(struct vmap_area));
}

void host_node_free(struct vmap_area *va)
{
	host_live_nodes--;
	free(va);
}

volatile int panicking;

/* A stub that is not written yet (LAB_TODO) lands here: fail this test only. */
void panic(const char *fmt, ...)
{
	va_list ap;

	printf("# Kernel panic - not syncing: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	_exit(1);
}

void host_space_init(struct vmap_space *s, u64 pages)
{
	host_live_nodes = 0;
	if (vmap_space_init(s, BASE, BASE + pages * PG, host_node_alloc, host_node_free) != 0) {
		ktest_fail(__FILE__, __LINE__, "vmap_space_init failed");
		exit(1);
	}
}

static struct vmap_area *node(struct rb_node *n)
{
	return n ? rb_entry(n, struct vmap_area, rb_node) : NULL;
}

static u64 smax(struct rb_node *n)
{
	return n ? node(n)->subtree_max_size : 0;
}

static int report(const char *when, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int report(const char *when, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ktest_fail(__FILE__, __LINE__, "%s: %s", when, msg);
	return -1;
}

static u64 rel(u64 a)
{
	return (a - BASE) / PG;
}

int host_check(struct vmap_space *s, const char *when)
{
	u64 total = 0, last_end = 0, largest = 0;
	long free_nodes = 0, busy_nodes = 0;
	int first = 1;

	for (struct rb_node *n = rb_first(&s->free_root); n; n = rb_next(n)) {
		struct vmap_area *va = node(n);
		u64 size = va->va_end - va->va_start;
		if (va->va_start >= va->va_end)
			return report(when, "an empty or inverted free range (pages %llu-%llu)",
				      rel(va->va_start), rel(va->va_end));
		if (va->va_start < s->start || va->va_end > s->end)
			return report(when, "free range pages %llu-%llu is outside the space",
				      rel(va->va_start), rel(va->va_end));
		if (!first && va->va_start < last_end)
			return report(when, "free ranges overlap or are out of order at page %llu",
				      rel(va->va_start));
		if (!first && va->va_start == last_end)
			return report(when,
				      "free ranges pages ...-%llu and %llu-%llu touch: they should "
				      "have been merged into one",
				      rel(last_end), rel(va->va_start), rel(va->va_end));
		u64 want = size;
		if (smax(n->rb_left) > want)
			want = smax(n->rb_left);
		if (smax(n->rb_right) > want)
			want = smax(n->rb_right);
		if (va->subtree_max_size != want)
			return report(
			    when,
			    "free range pages %llu-%llu: subtree_max_size is %llu pages, "
			    "but its own size and its children's subtree_max_size say %llu",
			    rel(va->va_start), rel(va->va_end), va->subtree_max_size / PG,
			    want / PG);
		if (size > largest)
			largest = size;
		first = 0;
		last_end = va->va_end;
		total += size;
		free_nodes++;
	}
	if (total != s->free_bytes)
		return report(when, "the free ranges hold %llu pages, free_bytes says %llu",
			      total / PG, s->free_bytes / PG);
	if (vmap_space_largest_free(s) != largest)
		return report(when,
			      "the root's subtree_max_size is %llu pages, the largest free "
			      "range has %llu",
			      vmap_space_largest_free(s) / PG, largest / PG);
	last_end = 0;
	u64 busy_bytes = 0;
	for (struct rb_node *n = rb_first(&s->busy_root); n; n = rb_next(n)) {
		struct vmap_area *va = node(n);
		if (va->va_start < last_end)
			return report(when, "busy ranges overlap at page %llu", rel(va->va_start));
		last_end = va->va_end;
		busy_bytes += va->va_end - va->va_start;
		busy_nodes++;
	}
	if ((u64)busy_nodes != s->nr_busy)
		return report(when, "%ld busy areas in the busy tree, nr_busy says %llu",
			      busy_nodes, s->nr_busy);
	if (busy_bytes + total != s->end - s->start)
		return report(when,
			      "busy (%llu pages) and free (%llu pages) do not add up to the space "
			      "(%llu pages): a range was lost or counted twice",
			      busy_bytes / PG, total / PG, (s->end - s->start) / PG);
	if (free_nodes + busy_nodes != host_live_nodes)
		return report(when,
			      "%ld nodes are allocated but only %ld are in the trees (%ld free, "
			      "%ld busy): a node was leaked, or freed and still in a tree",
			      host_live_nodes, free_nodes + busy_nodes, free_nodes, busy_nodes);
	return 0;
}

void host_expect_free(struct vmap_space *s, const u64 (*ranges)[2], int n, const char *when)
{
	char got[256] = "", want[256] = "";
	int k = 0, same = 1;

	for (struct rb_node *r = rb_first(&s->free_root); r; r = rb_next(r), k++) {
		struct vmap_area *va = node(r);
		char one[40];
		snprintf(one, sizeof(one), " %llu-%llu", rel(va->va_start), rel(va->va_end));
		if (strlen(got) + strlen(one) < sizeof(got) - 4)
			strcat(got, one);
		if (k >= n || va->va_start != BASE + ranges[k][0] * PG ||
		    va->va_end != BASE + ranges[k][1] * PG)
			same = 0;
	}
	for (int i = 0; i < n; i++) {
		char one[40];
		snprintf(one, sizeof(one), " %llu-%llu", ranges[i][0], ranges[i][1]);
		strcat(want, one);
	}
	if (!same || k != n)
		ktest_fail(__FILE__, __LINE__, "%s: free ranges (in pages):%s; expected:%s", when,
			   got, want);
}
