/*
 * mm/kmemleak.c - kmemleak-lite: find slab objects that nothing points to
 * any more.
 *
 * A leak is memory that was allocated and can no longer be freed, because
 * the last pointer to it is gone. Linux's kmemleak finds them the way a
 * tracing garbage collector finds garbage: it scans memory for values that
 * look like pointers into allocated objects; an object that no such value
 * reaches is reported. This is the same idea, made small:
 *
 *   candidates   objects of tracked caches (slab_debug with U) that are
 *                allocated and were allocated after a mark: the in-kernel
 *                test runner takes a mark before each test case and scans
 *                after it, so only what the case allocated and kept is
 *                looked at
 *   roots        the kernel's data and bss, and every allocated slab object
 *                (but a candidate's pointers to itself do not count)
 *   verdict      a candidate no aligned word of the roots points into (its
 *                first byte to its last: pointers to a member count) is
 *                reported with its cache and allocation site
 *
 * What it cannot see (and so may report falsely): pointers kept only in
 * pages from the page allocator, vmalloc memory, kernel stacks or CPU
 * registers. kmemleak_not_leak() exempts an object kept on purpose that
 * way. What it misses: a group of leaked objects that point to each other.
 *
 * Tracking must cover every cache (slab_debug with U and no cache list):
 * otherwise the roots are incomplete, kmemleak_enabled() is false and
 * kmemleak_off_reason() says which cache lacks it (the test runner prints
 * that, and fails a suite whose cases could not be scanned).
 *
 * See: Linux mm/kmemleak.c, Documentation/dev-tools/kmemleak.rst,
 * mm/slab.c (the tracking records), kernel/ktest.c.
 */
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/setup.h>
#include "slab.h"

#define MAX_CANDIDATES 256

struct candidate {
	u64 start, end; /* [start, end) */
	struct kmem_cache *cache;
	struct slab_track *track;
	bool referenced;
};

static struct candidate cands[MAX_CANDIDATES];
static unsigned int ncands;
static struct spinlock kmemleak_lock = SPINLOCK_INIT("kmemleak");

const char *kmemleak_off_reason(char *buf, size_t size)
{
	struct kmem_cache *s;
	const char *untracked = NULL;

	if (!(slab_debug_flags & SLAB_STORE_USER)) {
		snprintf(buf, size,
			 "no allocation tracking (boot with slab_debug or slab_debug=U)");
		return buf;
	}
	spin_lock(&slab_lock);
	list_for_each_entry(s, &slab_caches, list)
		if (!(s->flags & SLAB_STORE_USER))
			untracked = s->name;
	if (untracked)
		snprintf(buf, size,
			 "cache %s has no allocation tracking, so the roots are incomplete",
			 untracked);
	spin_unlock(&slab_lock);
	return untracked ? buf : NULL;
}

bool kmemleak_enabled(void)
{
	char why[96];

	return !kmemleak_off_reason(why, sizeof(why));
}

unsigned long kmemleak_mark(void)
{
	return __atomic_load_n(&slab_alloc_seq, __ATOMIC_RELAXED);
}

void kmemleak_not_leak(const void *p)
{
	struct page *slab;

	if (ZERO_OR_NULL_PTR(p))
		return;
	slab = virt_to_head_page(p);
	if (PageSlab(slab) && (slab->slab_cache->flags & SLAB_STORE_USER))
		get_track(slab->slab_cache, p)->seq = 0;
}

/* Call @fn on every allocated object of @s. Context: s->node.list_lock held. */
static void for_each_allocated(struct kmem_cache *s, void (*fn)(struct kmem_cache *, void *))
{
	struct page *slab;
	unsigned int i;
	void *p;

	for (int pass = 0; pass < 2; pass++) {
		struct list_head *head = pass ? &s->node.full : &s->node.partial;

		list_for_each_entry(slab, head, slab_list)
			for_each_object(p, s, slab, i)
				if (get_track(s, p)->state == SLAB_OBJ_ALLOCATED)
					fn(s, p);
	}
}

static unsigned long mark_since, overflow;

static void add_candidate(struct kmem_cache *s, void *p)
{
	struct slab_track *t = get_track(s, p);

	if (t->seq <= mark_since || (s->flags & SLAB_NOLEAKTRACE))
		return;
	if (ncands == MAX_CANDIDATES) {
		overflow++;
		return;
	}
	cands[ncands++] =
	    (struct candidate){(u64)(uintptr_t)p, (u64)(uintptr_t)p + s->object_size, s, t, false};
}

/* The candidate whose range holds @v, or NULL (cands sorted by start). */
static struct candidate *find_candidate(u64 v)
{
	unsigned int lo = 0, hi = ncands;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (v < cands[mid].start)
			hi = mid;
		else if (v >= cands[mid].end)
			lo = mid + 1;
		else
			return &cands[mid];
	}
	return NULL;
}

/* Mark the candidates the words of [@from, @to) point into, except @self. */
static void scan_block(const void *from, const void *to, const struct candidate *self)
{
	u64 lo = cands[0].start, hi = cands[ncands - 1].end;

	for (const u64 *w = (const u64 *)ALIGN_UP((uintptr_t)from, 8); (const void *)(w + 1) <= to;
	     w++) {
		u64 v = *w;
		struct candidate *c;

		if (v < lo || v >= hi)
			continue;
		c = find_candidate(v);
		if (c && c != self)
			c->referenced = true;
	}
}

static void scan_object(struct kmem_cache *s, void *p)
{
	u64 a = (u64)(uintptr_t)p;

	scan_block(p, (char *)p + s->object_size, find_candidate(a));
}

unsigned long kmemleak_scan(unsigned long mark, const char *what)
{
	struct kmem_cache *s;
	unsigned long leaks = 0;
	char sym[96];

	if (!kmemleak_enabled())
		return 0;
	spin_lock(&kmemleak_lock);
	ncands = 0;
	overflow = 0;
	mark_since = mark;
	spin_lock(&slab_lock);
	list_for_each_entry(s, &slab_caches, list) {
		spin_lock(&s->node.list_lock);
		for_each_allocated(s, add_candidate);
		spin_unlock(&s->node.list_lock);
	}
	if (ncands == 0) {
		spin_unlock(&slab_lock);
		spin_unlock(&kmemleak_lock);
		return 0;
	}
	/* sort by address (insertion sort: there are few) */
	for (unsigned int i = 1; i < ncands; i++) {
		struct candidate c = cands[i];
		unsigned int j = i;

		for (; j > 0 && cands[j - 1].start > c.start; j--)
			cands[j] = cands[j - 1];
		cands[j] = c;
	}
	/* roots: data and bss (but not the candidate table), then every allocated object */
	scan_block(_sdata, cands, NULL);
	scan_block(cands + MAX_CANDIDATES, _end, NULL);
	list_for_each_entry(s, &slab_caches, list) {
		spin_lock(&s->node.list_lock);
		for_each_allocated(s, scan_object);
		spin_unlock(&s->node.list_lock);
	}
	spin_unlock(&slab_lock);
	for (unsigned int i = 0; i < ncands; i++) {
		struct candidate *c = &cands[i];

		if (c->referenced)
			continue;
		leaks++;
		printk(
		    "    # kmemleak: %s: unreferenced object 0x%llx (%llu bytes, %s) allocated by "
		    "%s (pid %u)\n",
		    what, c->start, c->end - c->start, c->cache->name,
		    slab_symbol(c->track->alloc_caller, sym, sizeof(sym)), c->track->pid);
	}
	if (overflow)
		printk("    # kmemleak: %s: %lu more objects not checked (table full)\n", what,
		       overflow);
	spin_unlock(&kmemleak_lock);
	return leaks;
}
