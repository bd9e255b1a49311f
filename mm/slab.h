/*
 * mm/slab.h - what the slab allocator's files share (mm/slab.c,
 * mm/slab_debug.c, mm/slab_common.c, mm/kmemleak.c) and what its tests may
 * look at: struct
 * kmem_cache and its per-CPU and per-node parts, the object layout, the
 * debugging metadata.
 *
 * A cache (struct kmem_cache) has
 *
 *   cpu_slab[NCPU]   per CPU: the CPU slab, a lockless list of its free
 *                    objects (freelist), and a short list of partial slabs
 *                    kept for that CPU; only that CPU touches it, with its
 *                    interrupts off
 *   node             the shared part, under node.list_lock: partial slabs
 *                    (some free objects), full slabs, the counters
 *
 * A slab is 2^order pages from the page allocator; its first struct page
 * describes it (kernel/mm_types.h: slab_cache, freelist, inuse, objects,
 * s_mem, frozen). Where a slab is, and who may touch what:
 *
 *   state            on list            frozen  free objects are on
 *   CPU slab         -                  1       c->freelist (owner only) and
 *                                               slab->freelist (remote frees)
 *   CPU partial      c->partial         1       slab->freelist
 *   node partial     node.partial       0       slab->freelist
 *   full             node.full          0       -
 *
 * slab->freelist, slab->inuse and the node lists change only under
 * node.list_lock. inuse counts the objects not on slab->freelist, so a CPU
 * slab counts the objects on c->freelist as in use: /proc/slabinfo adds
 * back c->nr_free.
 *
 * Object layout: an object of object_size bytes sits in a slot of size
 * bytes; the slots follow each other from s_mem (the slab's colour). With
 * no debugging the free pointer (the next free object's address) is kept
 * in the free object itself, at offset 0, unless a constructor or
 * poisoning needs the whole object; with slab_debug the slot grows:
 *
 *   | red_left_pad | object_size | right red zone | free ptr | track |pad|
 *   ^ slot         ^ object (what callers get)    ^ offset   ^ track_off
 *
 * Lock order: slab_lock (the list of caches) -> node.list_lock ->
 * zone->lock (the page allocator). Nothing here sleeps with a lock held.
 *
 * See: mm/slab.c, mm/slab_debug.c, include/kernel/slab.h, labs/slab/README.md.
 */
#ifndef _MM_SLAB_H
#define _MM_SLAB_H

#include <kernel/slab.h>
#include <kernel/mm.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <kernel/proc.h> /* NCPU */

/* poison and red-zone bytes (Linux's values, include/linux/poison.h) */
#define POISON_INUSE 0x5a      /* (unused here: fresh pages come poisoned 0x5a) */
#define POISON_FREE 0x6b       /* every byte of a free object ... */
#define POISON_END 0xa5	       /* ... but the last */
#define SLUB_RED_INACTIVE 0xbb /* red zone of a free object */
#define SLUB_RED_ACTIVE 0xcc   /* red zone of an allocated object */

#define SLAB_MAX_ORDER 3   /* PAGE_ALLOC_COSTLY_ORDER: larger slabs are hard to get */
#define SLAB_COLOUR_OFF 64 /* a cache line: slabs start their objects this far apart */
/* at most this many objects per slab (8-byte objects in a slab of 2^SLAB_MAX_ORDER pages) */
#define MAX_OBJS_PER_SLAB ((PAGE_SIZE << SLAB_MAX_ORDER) / 8)

/* A CPU's part of a cache. Aligned so that two CPUs never share a line. */
struct kmem_cache_cpu {
	void *freelist;		  /* next free object of the CPU slab */
	struct page *slab;	  /* the CPU slab, or NULL */
	struct list_head partial; /* partial slabs frozen for this CPU */
	unsigned int nr_partial;
	unsigned int nr_free; /* objects on freelist */
	/* statistics (Linux's CONFIG_SLUB_STATS, always on) */
	unsigned int alloc_fastpath, alloc_slowpath, free_fastpath, free_slowpath;
} __aligned(64);

struct kmem_cache_node {
	struct spinlock list_lock;
	struct list_head partial; /* partial and empty slabs no CPU holds */
	struct list_head full;	  /* full slabs no CPU holds */
	unsigned long nr_partial;
	unsigned long nr_slabs;	     /* every slab of the cache */
	unsigned long total_objects; /* objects in all its slabs */
	unsigned long free_objects;  /* objects on slab freelists (not CPU freelists) */
};

struct kmem_cache {
	struct kmem_cache_cpu cpu_slab[NCPU];
	slab_flags_t flags;
	unsigned int size;	   /* slot: object and metadata, aligned */
	unsigned int object_size;  /* what kmem_cache_create was asked for */
	unsigned int offset;	   /* free pointer, from the object's start */
	unsigned int inuse;	   /* object plus right red zone (metadata starts here) */
	unsigned int red_left_pad; /* left red zone: the object starts this far into its slot */
	unsigned int track_off;	   /* struct slab_track, from the object's start (STORE_USER) */
	unsigned int align;
	unsigned int order;		/* pages of a slab: 2^order */
	unsigned int min_order;		/* fallback when 2^order pages cannot be had */
	unsigned int objects;		/* per slab of @order */
	unsigned int min_partial;	/* empty slabs kept on node.partial */
	unsigned int cpu_partial_slabs; /* slabs a CPU may keep on c->partial */
	unsigned int colour; /* number of colours: s_mem is 0 .. colour-1 times colour_off */
	unsigned int colour_off;
	unsigned int colour_next;
	gfp_t allocflags; /* added to the gfp of every slab allocation */
	void (*ctor)(void *obj);
	const char *name;
	int refcount;
	struct list_head list; /* slab_caches */
	struct kmem_cache_node node;
};

/* slab_debug's per-object record (SLAB_STORE_USER) */
enum slab_obj_state { SLAB_OBJ_FREE = 0x46, SLAB_OBJ_ALLOCATED = 0x41 }; /* 'F', 'A' */

struct slab_track {
	unsigned long alloc_caller; /* return address of the kmalloc/kmem_cache_alloc call */
	unsigned long free_caller;
	unsigned long seq; /* allocation sequence number (kmemleak) */
	u32 orig_size;	   /* kmalloc: the bytes asked for */
	u16 pid;	   /* allocating process */
	u8 cpu;		   /* allocating CPU */
	u8 state;	   /* enum slab_obj_state */
};

/* What the last report of a debugging check said (tests read it). */
struct slab_error_report {
	const char *cache;
	const char *what; /* "double free", "right red zone overwritten", ... */
	const void *object;
	unsigned long caller;
};

extern struct list_head slab_caches;  /* every cache, newest first */
extern struct spinlock slab_lock;     /* protects slab_caches */
extern struct kmem_cache *kmem_cache; /* the cache of struct kmem_cache */
extern slab_flags_t slab_debug_flags; /* from the boot argument slab_debug */
extern unsigned long slab_error_count;
extern struct slab_error_report slab_last_error;
extern unsigned long slab_alloc_seq;

/* kmalloc's caches: [type][index] */
enum kmalloc_cache_type { KMALLOC_NORMAL, KMALLOC_RECLAIM, KMALLOC_DMA, NR_KMALLOC_TYPES };
#define KMALLOC_CLASSES 13
extern struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_CLASSES];
extern const unsigned int kmalloc_sizes[KMALLOC_CLASSES];
/* index of the class that holds @size bytes (1 .. KMALLOC_MAX_CACHE_SIZE) */
unsigned int kmalloc_index(size_t size);

/*
 * fls_long - the position of the highest set bit, 1-based (Linux's name):
 * 1 -> 1, 255 -> 8, 256 -> 9; 0 -> 0. Written out because RISC-V without
 * the Zbb extension has no count-leading-zeros instruction (and the
 * compiler's libgcc helper is built for another float ABI).
 */
static inline unsigned int fls_long(unsigned long x)
{
	unsigned int r = 0;

	if (x >> 32) {
		x >>= 32;
		r += 32;
	}
	if (x >> 16) {
		x >>= 16;
		r += 16;
	}
	if (x >> 8) {
		x >>= 8;
		r += 8;
	}
	if (x >> 4) {
		x >>= 4;
		r += 4;
	}
	if (x >> 2) {
		x >>= 2;
		r += 2;
	}
	if (x >> 1) {
		x >>= 1;
		r += 1;
	}
	return r + (unsigned int)x;
}

/* ---- mm/slab.c ------------------------------------------------------------ */

/* The free pointer of a free object: the next free object's address. */
static inline void *get_freepointer(const struct kmem_cache *s, void *object)
{
	return *(void **)((char *)object + s->offset);
}

static inline void set_freepointer(const struct kmem_cache *s, void *object, void *fp)
{
	*(void **)((char *)object + s->offset) = fp;
}

/* A debug cache: no per-CPU fast path, every object checked (mm/slab_debug.c). */
static inline bool slab_debug(const struct kmem_cache *s)
{
	return s->flags & SLAB_DEBUG_FLAGS;
}

/*
 * A new slab for @s, every object free on slab->freelist; the caller
 * accounts it (account_new_slab) and lists it. Context: may sleep if @gfp
 * allows. Return: its first page, or NULL.
 */
struct page *allocate_slab(struct kmem_cache *s, gfp_t gfp);
/* A slab joins / an empty slab leaves the node's counts. Context: list_lock held. */
void account_new_slab(struct kmem_cache_node *n, struct page *slab);
void unaccount_slab(struct kmem_cache_node *n, struct page *slab);
/* Give the (unaccounted, empty) slabs on @list back to the page allocator. */
void discard_list(struct kmem_cache *s, struct list_head *list);

/* the struct page of the slab holding @x (any byte of any of its pages) */
static inline struct page *virt_to_head_page(const void *x)
{
	struct page *page = virt_to_page(x);
	unsigned long head = READ_ONCE(page->compound_head);

	if (head & 1)
		return (struct page *)(head - 1);
	return page;
}

static inline bool PageSlab(const struct page *page)
{
	return page->flags & (1UL << PG_slab);
}

static inline bool PageLargeKmalloc(const struct page *page)
{
	return page->flags & (1UL << PG_large_kmalloc);
}

/*
 * Set up @s (zeroed memory) as a cache; the common code has checked the
 * arguments. Return: 0, or -EINVAL when no slab layout fits @size.
 */
int __kmem_cache_create(struct kmem_cache *s, const char *name, unsigned int size,
			unsigned int align, slab_flags_t flags, void (*ctor)(void *));
/* Take back every CPU's objects and slabs, then free empty slabs; 0, or -EBUSY if objects live. */
int __kmem_cache_shutdown(struct kmem_cache *s);
/* Free the empty slabs on node.partial (all of them). Return: pages freed. */
unsigned long __kmem_cache_shrink(struct kmem_cache *s);
/* Take back every CPU's slabs and objects of @s (IPIs to the other CPUs). */
void flush_all_cpus(struct kmem_cache *s);
/* The allocation and free entry points with an explicit caller (kmalloc, krealloc). */
void *slab_alloc_caller(struct kmem_cache *s, gfp_t gfp, unsigned long caller, size_t orig_size);
void slab_free_caller(struct kmem_cache *s, struct page *slab, void *obj, unsigned long caller);
/* kfree()'s check of a pointer into a slab: NULL if fine, else what is wrong. */
const char *slab_check_pointer(struct kmem_cache *s, struct page *slab, const void *obj);
/* Debugging: the bytes a kmalloc'd object may use from now on (ksize, krealloc). */
void slab_debug_set_size(struct kmem_cache *s, void *obj, size_t size);
size_t slab_debug_orig_size(struct kmem_cache *s, const void *obj);

/* Counters of one cache, for /proc/slabinfo, slabtop, tests. */
struct slabinfo {
	unsigned long active_objs, num_objs, active_slabs, num_slabs, cpu_free;
	unsigned int objects_per_slab, cache_order;
};
void get_slabinfo(struct kmem_cache *s, struct slabinfo *info);

/*
 * slab_validate - check every invariant of @s's slabs (counts, lists,
 * freelists inside their slab, no object free twice, red zones and poison
 * with slab_debug). Context: no CPU allocates from @s meanwhile (tests).
 * Return: 0, or -1 with the first problem in @why.
 */
int slab_validate(struct kmem_cache *s, char *why, size_t size);

/* Objects: the slot, the track, the n-th object of a slab. */
static inline void *slab_address(const struct page *slab)
{
	return page_address(slab);
}

static inline void *slab_object(const struct kmem_cache *s, const struct page *slab, unsigned int i)
{
	return (char *)slab_address(slab) + slab->s_mem + (unsigned long)i * s->size +
	       s->red_left_pad;
}

static inline struct slab_track *get_track(const struct kmem_cache *s, const void *obj)
{
	return (struct slab_track *)((char *)obj + s->track_off);
}

/*
 * for_each_object - every object of @slab, free or not.
 */
#define for_each_object(p, s, slab, i)                                          \
	for ((i) = 0, (p) = slab_object((s), (slab), 0); (i) < (slab)->objects; \
	     (i)++, (p) = (char *)(p) + (s)->size)

/* ---- mm/slab_debug.c ------------------------------------------------------ */

/* A debug cache's allocation and free: checked, tracked, under node.list_lock. */
void *alloc_debug(struct kmem_cache *s, gfp_t gfp, unsigned long caller, size_t orig_size);
void free_debug(struct kmem_cache *s, struct page *slab, void *object, unsigned long caller);
/* A new slab of a debug cache: every object's red zones, poison and track set to free. */
void setup_debug_objects(struct kmem_cache *s, struct page *slab);
/* Report a finding about @object of @s: what, the details, the caller, a backtrace. */
void slab_bug(struct kmem_cache *s, const void *object, unsigned long caller, const char *what,
	      const char *fmt, ...) __printf(5, 6);

/* kmalloc with an explicit caller (krealloc, kvmalloc: the tracked caller is theirs). */
void *kmalloc_caller(size_t size, gfp_t gfp, unsigned long caller);
/* Report a kfree/ksize/krealloc of a pointer that is not a live kmalloc object (slab_debug.c). */
void kfree_bug(const void *p, unsigned long caller, const char *what);

/* ---- mm/slab_common.c ----------------------------------------------------- */

/* kmalloc of more than KMALLOC_MAX_CACHE_SIZE: whole pages, PG_large_kmalloc. */
void *kmalloc_large(size_t size, gfp_t gfp, unsigned long caller);
void free_large_kmalloc(struct page *page, const void *p, unsigned long caller);
/* Print "func+0x1c/0x80" (or the hex address) for @addr into @buf. */
const char *slab_symbol(unsigned long addr, char *buf, size_t size);

#endif /* _MM_SLAB_H */
