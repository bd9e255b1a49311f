/*
 * mm/slab.c - the slab allocator: caches of same-sized objects carved from
 * pages, with a lockless per-CPU fast path (SLUB's design, Linux's names).
 *
 * Why. The page allocator hands out 4 KiB at least; most kernel objects are
 * tens or hundreds of bytes. Giving each its own page wastes most of it
 * (internal fragmentation), and building the same kind of object again and
 * again (locks initialised, lists empty) costs time. Bonwick's slab
 * allocator (SunOS 5.4, 1994) keeps a cache per kind of object: a cache
 * owns slabs (runs of pages cut into equal slots) and hands out the free
 * slots; a freed object goes back to its slab, ready for the next caller.
 *
 *   kmem_cache "filp" (objects of 256 bytes, slabs of 1 page = 16 objects)
 *     slab A [obj|obj|obj|obj|...|obj]   full:    no free object
 *     slab B [obj|   |obj|   |...|   ]   partial: some free
 *     slab C [   |   |   |   |...|   ]   empty:   all free: the first to be
 *                                                 given back to the buddy
 *
 * Finding things. Every slab is 2^order pages from alloc_pages(); its first
 * struct page holds the slab's bookkeeping (kernel/mm_types.h): the cache,
 * the list of free objects (freelist, threaded through the free objects
 * themselves), how many are in use. kfree(p) goes p -> struct page (the
 * direct map makes that arithmetic) -> cache: no search.
 *
 * The per-CPU fast path (SLUB, Linux 2.6.22). Each CPU owns one slab of
 * each cache at a time, its "CPU slab", and takes objects from its freelist
 * with interrupts off (local_irq_save: an interrupt handler's GFP_ATOMIC
 * allocation on this CPU must not run in the middle) and no lock:
 * allocation is "pop the list head", free to the CPU slab is "push". Only when the CPU slab is used up does the
 * slow path take node.list_lock to find another: objects other CPUs freed
 * into it meanwhile, a partial slab the CPU kept aside (c->partial), a
 * partial slab of the node, or a new slab from the page allocator. A free
 * to some other slab takes the lock (slow path); when that slab was full,
 * it becomes one of this CPU's partial slabs, so the next refill is local.
 *
 *   kmalloc(64)    c = this CPU's kmem_cache_cpu
 *                  obj = c->freelist; c->freelist = *obj      (interrupts off)
 *   kfree(obj)     slab = virt_to_head_page(obj); s = slab->slab_cache
 *                  slab == c->slab ? push on c->freelist : __slab_free (lock)
 *
 * Where each slab is and what protects what: mm/slab.h. Empty slabs stay on
 * node.partial up to min_partial of them; past that they go back to the
 * page allocator at once; kmem_cache_shrink() and kmem_cache_reap() (the
 * shrinker for reclaim, which is planned) give back all of them.
 *
 * Colouring (Bonwick): the bytes a slab cannot use (size % object size) are
 * spread over its start, one cache line more in each new slab, so that the
 * first objects of different slabs do not all compete for the same cache
 * sets. s_mem in struct page says where a slab's first object is.
 *
 * Debugging (slab_debug, the boot argument; on in tests): a debug cache
 * takes no fast path; mm/slab_debug.c checks every object it hands out and
 * takes back (red zones, poison, double and wrong-cache frees) and reports
 * each finding with the cache, the object and the caller.
 *
 * This file is the slab lab: the regions between "LAB slab" markers are
 * what its students write.
 *
 * See: Linux mm/slub.c, Bonwick, "The Slab Allocator: An Object-Caching
 * Kernel Memory Allocator" (USENIX 1994), mm/slab.h, mm/slab_common.c,
 * mm/slab_debug.c, labs/slab/README.md.
 */
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include <kernel/smp.h>
#include <kernel/irq.h>
#include <kernel/irqflags.h>
#include <kernel/lab.h>
#include "internal.h"
#include "slab.h"

slab_flags_t slab_debug_flags;
unsigned long nr_slab_reclaimable, nr_slab_unreclaimable;

/* The slab fields must overlay the page allocator's exactly (mm_types.h). */
BUILD_BUG_ON(offsetof(struct page, counters) != offsetof(struct page, private));
BUILD_BUG_ON(offsetof(struct page, slab_cache) != offsetof(struct page, mapping));
BUILD_BUG_ON(offsetof(struct page, compound_head) != offsetof(struct page, lru));
BUILD_BUG_ON(sizeof(((struct page *)0)->counters) < 8);
BUILD_BUG_ON(sizeof(struct kmem_cache_cpu) != 64);

/* ---- layout ----------------------------------------------------------------- */

/*
 * SLAB_HWCACHE_ALIGN: a cache line (64 bytes), or half of one, or a quarter
 * ... for objects that small, so that no object straddles two lines
 * without making small objects huge.
 */
static unsigned int calculate_alignment(slab_flags_t flags, unsigned int align, unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = SLAB_COLOUR_OFF;

		while (size <= ralign / 2 && ralign > ARCH_SLAB_MINALIGN)
			ralign /= 2;
		align = MAX(align, ralign);
	}
	return ALIGN_UP(MAX(align, (unsigned int)ARCH_SLAB_MINALIGN), ARCH_SLAB_MINALIGN);
}

/*
 * calc_slab_order - pages (as an order) for a slab of @size-byte slots.
 *
 * Small slabs waste little memory when the cache holds few objects; large
 * ones make the slow path rarer and waste less at the end of the slab. The
 * rule: the smallest order up to SLAB_MAX_ORDER that holds at least
 * @min_objects and leaves at most 1/16 of the slab unused; failing that,
 * relax the waste to 1/8 and 1/4, then ask for fewer objects. An object
 * too big for SLAB_MAX_ORDER gets the smallest order that holds one.
 */
static unsigned int calc_slab_order(unsigned int size, unsigned int min_objects)
{
	/* LAB slab: BEGIN task 1: choose the slab size */
	unsigned int order;

	if (size > (PAGE_SIZE << SLAB_MAX_ORDER))
		return get_order(size);
	for (; min_objects >= 1; min_objects /= 2) {
		for (unsigned int fraction = 16; fraction >= 4; fraction /= 2) {
			for (order = get_order(size); order <= SLAB_MAX_ORDER; order++) {
				unsigned long slab_size = PAGE_SIZE << order;
				unsigned long rem = slab_size % size;

				if (slab_size / size >= min_objects && rem * fraction <= slab_size)
					return order;
			}
		}
	}
	return get_order(size);
	/* LAB slab: ELSE
	 * LAB_TODO("slab", "calc_slab_order()");
	 */
	/* LAB slab: END */
}

/*
 * calculate_sizes - lay out one slot (mm/slab.h draws it) and choose the
 * slab size. Return: 0, or -EINVAL when no slab could hold an object.
 */
static int calculate_sizes(struct kmem_cache *s)
{
	slab_flags_t flags = s->flags;
	unsigned int size = ALIGN_UP(MAX(s->object_size, (unsigned int)sizeof(void *)),
				     (unsigned int)sizeof(void *));

	/* a red zone of at least one word after the object */
	if ((flags & SLAB_RED_ZONE) && size == s->object_size)
		size += sizeof(void *);
	s->inuse = size;
	/*
	 * The free pointer lives in the free object unless the object's
	 * contents must survive while it is free: constructed objects keep
	 * their constructed state, poisoned ones their poison.
	 */
	if ((flags & SLAB_POISON) || s->ctor) {
		s->offset = size;
		size += sizeof(void *);
	} else {
		s->offset = 0;
	}
	if (flags & SLAB_STORE_USER) {
		s->track_off = size;
		size += sizeof(struct slab_track);
	}
	s->red_left_pad = 0;
	if (flags & SLAB_RED_ZONE) {
		s->red_left_pad = ALIGN_UP((unsigned int)sizeof(void *), s->align);
		size += s->red_left_pad;
	}
	size = ALIGN_UP(size, s->align);
	s->size = size;
	if (size > KMALLOC_MAX_SIZE)
		return -EINVAL;

	s->order = calc_slab_order(size, 8);
	s->min_order = get_order(size);
	s->objects = (unsigned int)((PAGE_SIZE << s->order) / size);
	if (s->objects == 0 || s->objects > MAX_OBJS_PER_SLAB || s->order > MAX_PAGE_ORDER)
		return -EINVAL;

	/* colours: the slack at the end of a slab, in cache lines (at most a page's worth) */
	s->colour_off = MAX(s->align, (unsigned int)SLAB_COLOUR_OFF);
	s->colour_off = ALIGN_UP(s->colour_off, s->align);
	s->colour =
	    (unsigned int)MIN((PAGE_SIZE << s->order) % size, PAGE_SIZE - 1) / s->colour_off + 1;

	/* empty slabs kept: more for caches of bigger objects (Linux: log2(size) / 2) */
	s->min_partial = MIN(MAX((fls_long(size) - 1) / 2, 2U), 5U);
	/* partial slabs each CPU may keep: none with debugging (no per-CPU state at all) */
	if (flags & SLAB_DEBUG_FLAGS)
		s->cpu_partial_slabs = 0;
	else if (size >= PAGE_SIZE)
		s->cpu_partial_slabs = 2;
	else if (size >= 1024)
		s->cpu_partial_slabs = 3;
	else
		s->cpu_partial_slabs = 4;
	return 0;
}

/* ---- slabs: from and back to the page allocator --------------------------------- */

/* gfp bits a slab allocation keeps from its caller (Linux's GFP_RECLAIM_MASK) */
#define GFP_RECLAIM_MASK                                                                         \
	(__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | __GFP_NOWARN | __GFP_RETRY_MAYFAIL | \
	 __GFP_NORETRY | __GFP_MEMALLOC | __GFP_NOMEMALLOC)
/* gfp bits that make no sense for slab objects */
#define GFP_SLAB_BUG_MASK (__GFP_HIGHMEM | __GFP_MOVABLE | ~__GFP_BITS_MASK)

static inline unsigned int next_colour(struct kmem_cache *s, unsigned int order,
				       unsigned int objects)
{
	unsigned long slack = (PAGE_SIZE << order) - (unsigned long)objects * s->size;
	unsigned int colours = (unsigned int)(MIN(slack, PAGE_SIZE - 1) / s->colour_off) + 1;
	unsigned int n = __atomic_fetch_add(&s->colour_next, 1, __ATOMIC_RELAXED);

	return (n % colours) * s->colour_off;
}

/*
 * allocate_slab - 2^s->order pages (2^s->min_order if those cannot be had)
 * made into a slab of @s: every object free, on slab->freelist in address
 * order, constructed (ctor) or set up for debugging. The caller accounts it
 * in the node and puts it on a list.
 * Context: may sleep if @gfp allows. Return: the slab's first page, or NULL.
 */
struct page *allocate_slab(struct kmem_cache *s, gfp_t gfp)
{
	unsigned int order = s->order;
	struct page *slab;

	if (unlikely(gfp & GFP_SLAB_BUG_MASK)) {
		char buf[96];

		printk("slab: %s: unexpected gfp 0x%x (%s) ignored\n", s->name,
		       gfp & GFP_SLAB_BUG_MASK,
		       format_gfp(gfp & GFP_SLAB_BUG_MASK, buf, sizeof(buf)));
	}
	gfp = (gfp & GFP_RECLAIM_MASK) | s->allocflags;
	/* a large slab only if it is easy to get: else the smallest that works */
	slab = alloc_pages(order > s->min_order ? gfp | __GFP_NOWARN | __GFP_NORETRY : gfp, order);
	if (!slab && order > s->min_order) {
		order = s->min_order;
		slab = alloc_pages(gfp, order);
	}
	if (!slab)
		return NULL;

	/* LAB slab: BEGIN task 2: make the pages a slab */
	unsigned int objects = (unsigned int)((PAGE_SIZE << order) / s->size);
	void *p, *next;
	unsigned int i;

	slab->flags |= 1UL << PG_slab;
	slab->slab_cache = s;
	slab->counters = 0;
	slab->objects = (u16)objects;
	slab->slab_order = (u8)order;
	slab->s_mem = (u16)next_colour(s, order, objects);
	for (unsigned long t = 1; t < (1UL << order); t++)
		slab[t].compound_head = (unsigned long)slab | 1;
	if (slab_debug(s))
		setup_debug_objects(s, slab);
	/* thread the freelist through the objects, in address order */
	slab->freelist = slab_object(s, slab, 0);
	for_each_object(p, s, slab, i) {
		if (s->ctor)
			s->ctor(p);
		next = i + 1 < objects ? (char *)p + s->size : NULL;
		set_freepointer(s, p, next);
	}
	/* LAB slab: ELSE
	 * LAB_TODO("slab", "allocate_slab()");
	 */
	/* LAB slab: END */

	__atomic_add_fetch((s->flags & SLAB_RECLAIM_ACCOUNT) ? &nr_slab_reclaimable
							     : &nr_slab_unreclaimable,
			   1UL << order, __ATOMIC_RELAXED);
	return slab;
}

/*
 * discard_slab - give an empty slab's pages back to the page allocator,
 * with the struct page fields page_alloc.c expects. The caller took it off
 * every list and out of the node's counts.
 */
static void discard_slab(struct kmem_cache *s, struct page *slab)
{
	unsigned int order = slab->slab_order;

	/* LAB slab: BEGIN task 2: give the pages back */
	for (unsigned long t = 1; t < (1UL << order); t++)
		INIT_LIST_HEAD(&slab[t].lru);
	slab->flags &= ~(1UL << PG_slab);
	INIT_LIST_HEAD(&slab->lru);
	slab->mapping = NULL;
	slab->index = 0;
	slab->private = order; /* what __free_pages checks */
	/* LAB slab: ELSE
	 * LAB_TODO("slab", "discard_slab()");
	 */
	/* LAB slab: END */
	__atomic_sub_fetch((s->flags & SLAB_RECLAIM_ACCOUNT) ? &nr_slab_reclaimable
							     : &nr_slab_unreclaimable,
			   1UL << order, __ATOMIC_RELAXED);
	__free_pages(slab, order);
}

/* A slab joins the node's counts (every object free). Context: list_lock held. */
void account_new_slab(struct kmem_cache_node *n, struct page *slab)
{
	n->nr_slabs++;
	n->total_objects += slab->objects;
	n->free_objects += slab->objects;
}

/* An empty slab leaves them. Context: list_lock held. */
void unaccount_slab(struct kmem_cache_node *n, struct page *slab)
{
	n->nr_slabs--;
	n->total_objects -= slab->objects;
	n->free_objects -= slab->objects;
}

void discard_list(struct kmem_cache *s, struct list_head *list)
{
	struct page *slab;

	while ((slab = list_first_entry_or_null(list, struct page, slab_list))) {
		list_del(&slab->slab_list);
		discard_slab(s, slab);
	}
}

/*
 * Take all of @slab's free objects for a CPU: they leave slab->freelist
 * and count as in use. Return: the list. Context: list_lock held.
 */
static inline void *take_freelist(struct kmem_cache_node *n, struct page *slab, unsigned int *count)
{
	void *freelist = slab->freelist;

	*count = slab->objects - slab->inuse;
	n->free_objects -= *count;
	slab->freelist = NULL;
	slab->inuse = slab->objects;
	return freelist;
}

/*
 * A slab no CPU holds any more goes where its fill says: back to the page
 * allocator if empty and the node keeps enough empty slabs (onto @discard,
 * freed by the caller after unlocking), else node.partial or node.full.
 * Context: list_lock held.
 */
static void put_slab_on_node(struct kmem_cache *s, struct kmem_cache_node *n, struct page *slab,
			     struct list_head *discard)
{
	slab->frozen = 0;
	if (slab->inuse == 0 && n->nr_partial >= s->min_partial) {
		unaccount_slab(n, slab);
		list_add(&slab->slab_list, discard);
	} else if (slab->freelist) {
		list_add_tail(&slab->slab_list, &n->partial);
		n->nr_partial++;
	} else {
		list_add(&slab->slab_list, &n->full);
	}
}

/* This CPU's partial slabs go back to the node. Context: list_lock held. */
static void __unfreeze_partials(struct kmem_cache *s, struct kmem_cache_cpu *c,
				struct list_head *discard)
{
	struct kmem_cache_node *n = &s->node;
	struct page *slab;

	while ((slab = list_first_entry_or_null(&c->partial, struct page, slab_list))) {
		list_del(&slab->slab_list);
		put_slab_on_node(s, n, slab, discard);
	}
	c->nr_partial = 0;
}

/* ---- the allocation paths ------------------------------------------------------ */

/*
 * ___slab_alloc - the slow path: this CPU's freelist is empty. Refill it,
 * in this order, from
 *   1. objects other CPUs freed into the CPU slab meanwhile,
 *   2. a partial slab this CPU kept (c->partial),
 *   3. a partial slab of the node,
 *   4. a new slab,
 * and take the first object.
 * Context: interrupts off (the caller's local_irq_save(), its @flags). To
 * allocate a slab with a @gfp that may sleep, interrupts go back to @flags
 * for the page allocator, and the task may then be on another CPU: the
 * object is returned directly. (noinline keeps the fast path small; unused
 * lets the lab's starting code, which never calls it, compile cleanly.)
 * Return: an object, or NULL.
 */
static __attribute__((noinline, unused)) void *
___slab_alloc(struct kmem_cache *s, gfp_t gfp, struct kmem_cache_cpu *c, unsigned long *flags)
{
	/* LAB slab: BEGIN task 3: refill this CPU's freelist */
	struct kmem_cache_node *n = &s->node;
	struct page *slab;
	void *freelist;
	unsigned int count;

	c->alloc_slowpath++;
	for (;;) {
		if (c->freelist)
			break; /* filled while interrupts were on (see below) */
		slab = c->slab;
		if (slab) {
			/* 1. frees from other CPUs? */
			spin_lock(&n->list_lock);
			if (slab->freelist) {
				freelist = take_freelist(n, slab, &count);
				spin_unlock(&n->list_lock);
				c->freelist = freelist;
				c->nr_free = count;
				break;
			}
			/* the CPU slab is used up: unfreeze it as a full slab */
			slab->frozen = 0;
			list_add(&slab->slab_list, &n->full);
			spin_unlock(&n->list_lock);
			c->slab = NULL;
		}
		/* 2. this CPU's partial slabs: make one the CPU slab, then step 1 takes it */
		if (!list_empty(&c->partial)) {
			slab = list_first_entry(&c->partial, struct page, slab_list);
			list_del(&slab->slab_list);
			c->nr_partial--;
			c->slab = slab;
			continue;
		}
		/* 3. the node's partial slabs */
		spin_lock(&n->list_lock);
		slab = list_first_entry_or_null(&n->partial, struct page, slab_list);
		if (slab) {
			list_del(&slab->slab_list);
			n->nr_partial--;
			slab->frozen = 1;
			freelist = take_freelist(n, slab, &count);
			spin_unlock(&n->list_lock);
			c->slab = slab;
			c->freelist = freelist;
			c->nr_free = count;
			break;
		}
		spin_unlock(&n->list_lock);
		/* 4. a new slab, with interrupts on if the caller may sleep */
		bool blocking = gfp & __GFP_DIRECT_RECLAIM;

		if (blocking)
			local_irq_restore(*flags);
		slab = allocate_slab(s, gfp);
		if (blocking)
			*flags = local_irq_save();
		if (!slab)
			return NULL;
		c = &s->cpu_slab[cpuid()];
		spin_lock(&n->list_lock);
		account_new_slab(n, slab);
		if (c->slab || c->freelist) {
			/* someone on this CPU (an interrupt handler) got one first: keep ours */
			list_add(&slab->slab_list, &n->partial);
			n->nr_partial++;
			spin_unlock(&n->list_lock);
			continue;
		}
		slab->frozen = 1;
		freelist = take_freelist(n, slab, &count);
		spin_unlock(&n->list_lock);
		c->slab = slab;
		c->freelist = freelist;
		c->nr_free = count;
		break;
	}
	void *object = c->freelist;

	c->freelist = get_freepointer(s, object);
	c->nr_free--;
	return object;
	/* LAB slab: ELSE
	 * LAB_TODO("slab", "___slab_alloc()");
	 */
	/* LAB slab: END */
}

/*
 * slab_alloc - the fast path: pop this CPU's freelist, interrupts off, no
 * lock. @orig_size is what a kmalloc caller asked for (debugging).
 */
static __always_inline void *slab_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long caller,
					size_t orig_size)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;
	void *object;

	if (unlikely(slab_debug(s)))
		return alloc_debug(s, gfp, caller, orig_size);
	/* LAB slab: BEGIN task 3: the allocation fast path */
	flags = local_irq_save();
	c = &s->cpu_slab[cpuid()];
	object = c->freelist;
	if (likely(object)) {
		c->freelist = get_freepointer(s, object);
		c->nr_free--;
		c->alloc_fastpath++;
	} else {
		object = ___slab_alloc(s, gfp, c, &flags);
	}
	local_irq_restore(flags);
	/* LAB slab: ELSE
	 * c = NULL;
	 * object = NULL;
	 * flags = 0;
	 * (void)c;
	 * (void)object;
	 * (void)flags;
	 * LAB_TODO("slab", "slab_alloc() fast path");
	 */
	/* LAB slab: END */
	if (unlikely(gfp & __GFP_ZERO) && likely(object))
		memset(object, 0, s->object_size);
	return object;
}

void *slab_alloc_caller(struct kmem_cache *s, gfp_t gfp, unsigned long caller, size_t orig_size)
{
	return slab_alloc(s, gfp, caller, orig_size);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	if (unlikely((gfp & __GFP_ZERO) && s->ctor)) {
		WARN_ON(1); /* zeroing would destroy the constructed state */
		gfp &= ~__GFP_ZERO;
	}
	return slab_alloc(s, gfp, (unsigned long)__builtin_return_address(0), s->object_size);
}

/* ---- the free paths --------------------------------------------------------------- */

/*
 * __slab_free - the slow path: @object is not from this CPU's slab. Under
 * the node lock it goes on its slab's freelist; then the slab may move:
 *
 *   frozen (some CPU's)        stays; that CPU finds the object later
 *   was full                   becomes one of this CPU's partial slabs; if
 *                              the CPU has too many, they all go to the node
 *   now empty, node has enough empty slabs   back to the page allocator
 *
 * Context: interrupts off; @c is this CPU's.
 */
static __attribute__((noinline, unused)) void __slab_free(struct kmem_cache *s, struct page *slab,
							  void *object, struct kmem_cache_cpu *c)
{
	/* LAB slab: BEGIN task 4: the slow free path */
	struct kmem_cache_node *n = &s->node;
	struct list_head discard = LIST_HEAD_INIT(discard);
	void *prior;

	c->free_slowpath++;
	spin_lock(&n->list_lock);
	prior = slab->freelist;
	set_freepointer(s, object, prior);
	slab->freelist = object;
	slab->inuse--;
	n->free_objects++;
	if (slab->frozen) {
		spin_unlock(&n->list_lock);
		return;
	}
	if (!prior) {
		/* it was full: take it as this CPU's partial slab */
		list_del(&slab->slab_list);
		if (s->cpu_partial_slabs) {
			slab->frozen = 1;
			list_add(&slab->slab_list, &c->partial);
			if (++c->nr_partial > s->cpu_partial_slabs)
				__unfreeze_partials(s, c, &discard);
			spin_unlock(&n->list_lock);
			discard_list(s, &discard);
			return;
		}
		list_add_tail(&slab->slab_list, &n->partial);
		n->nr_partial++;
	}
	if (slab->inuse == 0 && n->nr_partial > s->min_partial) {
		/* empty, and the node keeps enough empty slabs: give it back */
		list_del(&slab->slab_list);
		n->nr_partial--;
		unaccount_slab(n, slab);
		list_add(&slab->slab_list, &discard);
	}
	spin_unlock(&n->list_lock);
	discard_list(s, &discard);
	/* LAB slab: ELSE
	 * LAB_TODO("slab", "__slab_free()");
	 */
	/* LAB slab: END */
}

/* slab_free - the fast path: push onto this CPU's freelist if it is the CPU slab's. */
static __always_inline void slab_free(struct kmem_cache *s, struct page *slab, void *object,
				      unsigned long caller)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;

	if (unlikely(slab_debug(s))) {
		free_debug(s, slab, object, caller);
		return;
	}
	/* LAB slab: BEGIN task 3: the free fast path */
	flags = local_irq_save();
	c = &s->cpu_slab[cpuid()];
	if (likely(slab == c->slab)) {
		set_freepointer(s, object, c->freelist);
		c->freelist = object;
		c->nr_free++;
		c->free_fastpath++;
	} else {
		__slab_free(s, slab, object, c);
	}
	local_irq_restore(flags);
	/* LAB slab: ELSE
	 * c = NULL;
	 * flags = 0;
	 * (void)c;
	 * (void)flags;
	 * LAB_TODO("slab", "slab_free() fast path");
	 */
	/* LAB slab: END */
}

void slab_free_caller(struct kmem_cache *s, struct page *slab, void *object, unsigned long caller)
{
	slab_free(s, slab, object, caller);
}

void kmem_cache_free(struct kmem_cache *s, void *object)
{
	unsigned long caller = (unsigned long)__builtin_return_address(0);
	struct page *slab;

	if (unlikely(!object))
		return;
	if (unlikely(!pfn_valid(__pa(object) >> PAGE_SHIFT))) {
		slab_bug(s, object, caller, "invalid free", "not a direct-map address: not freed");
		return;
	}
	slab = virt_to_head_page(object);
	if (unlikely(!PageSlab(slab))) {
		slab_bug(s, object, caller, "invalid free", "not a slab object: not freed");
		return;
	}
	if (unlikely(slab->slab_cache != s)) {
		slab_bug(s, object, caller, "free to the wrong cache",
			 "the object belongs to cache %s: not freed", slab->slab_cache->name);
		return;
	}
	slab_free(s, slab, object, caller);
}

/* ---- kmalloc and kfree ------------------------------------------------------------- */

/*
 * kmalloc_index - the size class for @size bytes (1 .. 8192): classes
 * 0..12 are 8, 16, 32, 64, 96, 128, 192, 256, 512, 1k, 2k, 4k, 8k.
 * (Inlined into kmalloc: it is on the fast path.)
 */
static __always_inline unsigned int __kmalloc_index(size_t size)
{
	/* LAB slab: BEGIN task 5: the size class */
	/* up to 192 bytes in steps of 8: a table, because of 96 and 192 */
	static const u8 small_index[24] = {
	    0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6,
	};

	if (size <= 192)
		return small_index[(size - 1) / 8];
	/* powers of two from 256 (class 7): one less than the bit length of size - 1 */
	return fls_long(size - 1) - 1;
	/* LAB slab: ELSE
	 * LAB_TODO("slab", "kmalloc_index()");
	 */
	/* LAB slab: END */
}

unsigned int kmalloc_index(size_t size)
{
	return __kmalloc_index(size);
}

static __always_inline enum kmalloc_cache_type kmalloc_type(gfp_t gfp)
{
	if (likely(!(gfp & (__GFP_DMA | __GFP_RECLAIMABLE))))
		return KMALLOC_NORMAL;
	return (gfp & __GFP_DMA) ? KMALLOC_DMA : KMALLOC_RECLAIM;
}

static __always_inline void *__do_kmalloc(size_t size, gfp_t gfp, unsigned long caller)
{
	/* LAB slab: BEGIN task 5: kmalloc */
	struct kmem_cache *s;

	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE))
		return kmalloc_large(size, gfp, caller);
	if (unlikely(size == 0))
		return ZERO_SIZE_PTR;
	s = kmalloc_caches[kmalloc_type(gfp)][__kmalloc_index(size)];
	return slab_alloc(s, gfp, caller, size);
	/* LAB slab: ELSE
	 * LAB_TODO("slab", "kmalloc()");
	 */
	/* LAB slab: END */
}

void *kmalloc(size_t size, gfp_t gfp)
{
	return __do_kmalloc(size, gfp, (unsigned long)__builtin_return_address(0));
}

void *kmalloc_caller(size_t size, gfp_t gfp, unsigned long caller)
{
	return __do_kmalloc(size, gfp, caller);
}

void kfree(const void *p)
{
	unsigned long caller = (unsigned long)__builtin_return_address(0);
	struct page *slab;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return;
	if (unlikely(!pfn_valid(__pa(p) >> PAGE_SHIFT))) {
		kfree_bug(p, caller, "not a direct-map address (a vmalloc or stack pointer?)");
		return;
	}
	/* LAB slab: BEGIN task 5: kfree */
	slab = virt_to_head_page(p);
	if (unlikely(!PageSlab(slab))) {
		free_large_kmalloc(slab, p, caller);
		return;
	}
	slab_free(slab->slab_cache, slab, (void *)p, caller);
	/* LAB slab: ELSE
	 * slab = NULL;
	 * (void)slab;
	 * LAB_TODO("slab", "kfree()");
	 */
	/* LAB slab: END */
}

/* ---- CPU slabs back to the node ------------------------------------------------------ */

/*
 * Give this CPU's slab and objects back: c->freelist onto the slab's
 * freelist, the slab to the node. Context: interrupts off.
 */
static void deactivate_slab(struct kmem_cache *s, struct kmem_cache_cpu *c,
			    struct list_head *discard)
{
	struct kmem_cache_node *n = &s->node;
	struct page *slab = c->slab;
	void *freelist = c->freelist, *tail = freelist;
	unsigned int count = 0;

	c->slab = NULL;
	c->freelist = NULL;
	c->nr_free = 0;
	if (freelist) {
		count = 1;
		while (get_freepointer(s, tail)) {
			tail = get_freepointer(s, tail);
			count++;
		}
	}
	spin_lock(&n->list_lock);
	if (freelist) {
		set_freepointer(s, tail, slab->freelist);
		slab->freelist = freelist;
		slab->inuse -= count;
		n->free_objects += count;
	}
	put_slab_on_node(s, n, slab, discard);
	spin_unlock(&n->list_lock);
}

/* Everything this CPU holds of @s goes back to the node. Context: interrupts off. */
static void flush_cpu_slab(struct kmem_cache *s)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[cpuid()];
	struct list_head discard = LIST_HEAD_INIT(discard);

	if (c->slab)
		deactivate_slab(s, c, &discard);
	if (c->nr_partial) {
		spin_lock(&s->node.list_lock);
		__unfreeze_partials(s, c, &discard);
		spin_unlock(&s->node.list_lock);
	}
	discard_list(s, &discard);
}

static void flush_cpu_slab_ipi(void *arg)
{
	flush_cpu_slab(arg);
}

void flush_all_cpus(struct kmem_cache *s)
{
	for (int cpu = 0; cpu < NCPU; cpu++) {
		struct kmem_cache_cpu *c = &s->cpu_slab[cpu];

		if (!READ_ONCE(c->slab) && !READ_ONCE(c->nr_partial))
			continue;
		/* only the owner touches its kmem_cache_cpu: ask it (itself: directly) */
		if (smp_call_function_single(cpu, flush_cpu_slab_ipi, s) < 0)
			printk("slab: %s: CPU%d did not give its slabs back\n", s->name, cpu);
	}
}

/* ---- caches ------------------------------------------------------------------------- */

int __kmem_cache_create(struct kmem_cache *s, const char *name, unsigned int size,
			unsigned int align, slab_flags_t flags, void (*ctor)(void *))
{
	s->name = name;
	s->object_size = size;
	s->ctor = ctor;
	if (ctor)
		flags &= ~SLAB_POISON; /* a constructed object keeps its contents while free */
	s->flags = flags;
	s->align = calculate_alignment(flags, align, size);
	s->allocflags = 0;
	if (flags & SLAB_CACHE_DMA)
		s->allocflags |= __GFP_DMA;
	if (flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;
	if (calculate_sizes(s) < 0)
		return -EINVAL;
	for (int cpu = 0; cpu < NCPU; cpu++)
		INIT_LIST_HEAD(&s->cpu_slab[cpu].partial);
	spin_lock_init(&s->node.list_lock, "slab list_lock");
	INIT_LIST_HEAD(&s->node.partial);
	INIT_LIST_HEAD(&s->node.full);
	s->refcount = 1;
	return 0;
}

unsigned long __kmem_cache_shrink(struct kmem_cache *s)
{
	struct kmem_cache_node *n = &s->node;
	struct list_head *pos, *next;
	unsigned long pages = 0;
	struct list_head discard = LIST_HEAD_INIT(discard);

	spin_lock(&n->list_lock);
	for (pos = n->partial.next; pos != &n->partial; pos = next) {
		struct page *slab = list_entry(pos, struct page, slab_list);

		next = pos->next;
		if (slab->inuse)
			continue;
		list_move(&slab->slab_list, &discard);
		n->nr_partial--;
		unaccount_slab(n, slab);
		pages += 1UL << slab->slab_order;
	}
	spin_unlock(&n->list_lock);
	discard_list(s, &discard);
	return pages;
}

int __kmem_cache_shutdown(struct kmem_cache *s)
{
	flush_all_cpus(s);
	__kmem_cache_shrink(s);
	return READ_ONCE(s->node.nr_slabs) ? -EBUSY : 0;
}

const char *kmem_cache_name(const struct kmem_cache *s)
{
	return s->name;
}

unsigned int kmem_cache_size(const struct kmem_cache *s)
{
	return s->object_size;
}

/* ---- statistics and checks ------------------------------------------------------------ */

void get_slabinfo(struct kmem_cache *s, struct slabinfo *info)
{
	struct kmem_cache_node *n = &s->node;
	unsigned long free, cpu_free = 0;

	spin_lock(&n->list_lock);
	info->num_slabs = n->nr_slabs;
	info->num_objs = n->total_objects;
	free = n->free_objects;
	spin_unlock(&n->list_lock);
	for (int cpu = 0; cpu < NCPU; cpu++)
		cpu_free += READ_ONCE(s->cpu_slab[cpu].nr_free);
	info->cpu_free = cpu_free;
	free += cpu_free;
	info->active_objs = free < info->num_objs ? info->num_objs - free : 0;
	info->active_slabs = info->num_slabs;
	info->objects_per_slab = s->objects;
	info->cache_order = s->order;
}
