/*
 * kernel/slab.h - the slab allocator: caches of same-sized kernel objects
 * (kmem_cache_*) and kmalloc(), under Linux's names.
 *
 * Two ways in:
 *
 *   dedicated caches   one per kind of object that the kernel allocates
 *                      often (a struct file, an inode, a VMA):
 *                        cachep = kmem_cache_create("filp", sizeof(struct file), 0,
 *                                                   SLAB_PANIC, NULL);
 *                        f = kmem_cache_zalloc(cachep, GFP_KERNEL);
 *                        kmem_cache_free(cachep, f);
 *   kmalloc            any size: rounded up to a size class (8, 16, 32, 64,
 *                      96, 128, 192, 256, 512, 1k, 2k, 4k, 8k), each a cache
 *                      named kmalloc-N; above 8 KiB whole pages from the
 *                      page allocator. kfree() finds the cache from the
 *                      address.
 *
 * GFP flags are the page allocator's (kernel/gfp.h): GFP_KERNEL may sleep,
 * GFP_ATOMIC never does; __GFP_ZERO clears the object; GFP_DMA and
 * __GFP_RECLAIMABLE pick the dma-kmalloc-N and kmalloc-rcl-N caches.
 *
 * Alignment: every object is aligned to 8 bytes (ARCH_KMALLOC_MINALIGN);
 * kmalloc objects of a power-of-two size are naturally aligned unless
 * slab_debug is on (its red zones move them); a cache asks for more with
 * @align or SLAB_HWCACHE_ALIGN.
 *
 * Context: every function here may be called with spinlocks held and from
 * interrupt handlers when the flags do not allow sleeping (GFP_ATOMIC,
 * GFP_NOWAIT), except kmem_cache_create/destroy/shrink (process context).
 *
 * See: mm/slab.c (the allocator), mm/slab_common.c (kmalloc, /proc/slabinfo),
 * mm/kmemleak.c, labs/slab/README.md, Linux include/linux/slab.h.
 */
#ifndef _KERNEL_SLAB_H
#define _KERNEL_SLAB_H

#include <kernel/types.h>
#include <kernel/gfp.h>

typedef unsigned int slab_flags_t;

/* kmem_cache_create() flags (Linux's names and values) */
#define SLAB_CONSISTENCY_CHECKS 0x00000100U /* debug: check objects on alloc and free */
#define SLAB_RED_ZONE 0x00000400U	    /* debug: guard bytes around each object */
#define SLAB_POISON 0x00000800U		    /* debug: fill free objects with 0x6b */
#define SLAB_KMALLOC 0x00001000U	    /* one of kmalloc's caches */
#define SLAB_HWCACHE_ALIGN 0x00002000U	    /* align objects to cache lines */
#define SLAB_CACHE_DMA 0x00004000U	    /* objects in ZONE_DMA */
#define SLAB_STORE_USER 0x00010000U	    /* debug: remember who allocated and freed */
#define SLAB_RECLAIM_ACCOUNT 0x00020000U    /* objects can be reclaimed: SReclaimable */
#define SLAB_PANIC 0x00040000U		    /* panic if kmem_cache_create() fails */
#define SLAB_NOLEAKTRACE 0x00800000U	    /* kmemleak does not report its objects */

/* what the boot argument slab_debug turns on (letters F, Z, P, U) */
#define SLAB_DEBUG_FLAGS (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

#define ARCH_KMALLOC_MINALIGN 8
#define ARCH_SLAB_MINALIGN 8
#define KMALLOC_MIN_SIZE 8
#define KMALLOC_SHIFT_HIGH 13 /* the largest kmalloc cache: 8 KiB */
#define KMALLOC_MAX_CACHE_SIZE (1UL << KMALLOC_SHIFT_HIGH)
/* the largest kmalloc() at all: one MAX_PAGE_ORDER block (4 MiB) */
#define KMALLOC_MAX_SIZE (PAGE_SIZE << MAX_PAGE_ORDER)

/*
 * kmalloc(0) returns ZERO_SIZE_PTR: not NULL (it did not fail), but any
 * access faults; kfree() accepts it.
 */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

struct kmem_cache;

/*
 * kmem_cache_create - a cache of @size-byte objects aligned to @align (0:
 * ARCH_SLAB_MINALIGN), with SLAB_* @flags. @ctor, if not NULL, is run on
 * every object when its slab is created, not on every allocation: objects
 * must be freed back in their constructed state (Bonwick's object caching).
 * @name is kept (not copied): pass a string that outlives the cache.
 * Context: process context.
 * Return: the cache, or NULL (panic with SLAB_PANIC).
 */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *));
/*
 * kmem_cache_destroy - free an empty cache and its slabs. A cache with
 * live objects is not destroyed: a warning names it (and, with slab_debug,
 * its objects' allocation sites). NULL is fine. Context: process context.
 */
void kmem_cache_destroy(struct kmem_cache *s);
/*
 * kmem_cache_shrink - give every empty slab of @s back to the page
 * allocator, after taking back the objects the CPUs hold.
 * Context: process context. Return: 0.
 */
int kmem_cache_shrink(struct kmem_cache *s);
/* kmem_cache_alloc - one object. Return: the object, or NULL. */
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
/* kmem_cache_free - give @obj (from kmem_cache_alloc(@s)) back. */
void kmem_cache_free(struct kmem_cache *s, void *obj);
/* The cache's name and object size (what kmem_cache_create was asked for). */
const char *kmem_cache_name(const struct kmem_cache *s);
unsigned int kmem_cache_size(const struct kmem_cache *s);

static inline void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	return kmem_cache_alloc(s, gfp | __GFP_ZERO);
}

/*
 * kmalloc - @size bytes, physically contiguous, from the size class that
 * fits (or whole pages above KMALLOC_MAX_CACHE_SIZE).
 * Return: the memory, ZERO_SIZE_PTR for 0 bytes, or NULL.
 */
void *kmalloc(size_t size, gfp_t gfp);
/* kfree - free what kmalloc/krealloc returned; NULL and ZERO_SIZE_PTR are fine. */
void kfree(const void *p);
/*
 * krealloc - resize @p to @new_size, keeping its contents (up to the
 * smaller size); in place when the object is already large enough. @p NULL
 * is kmalloc; @new_size 0 frees @p and returns ZERO_SIZE_PTR.
 * Return: the object (maybe moved), or NULL with @p untouched.
 */
void *krealloc(const void *p, size_t new_size, gfp_t gfp);
/* ksize - the bytes the caller may really use at @p (its size class). */
size_t ksize(const void *p);

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

/* kmalloc_array - @n elements of @size bytes; NULL if the product overflows. */
static inline void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc(bytes, gfp);
}

/* kcalloc - kmalloc_array, zeroed. */
static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kmalloc_array(n, size, gfp | __GFP_ZERO);
}

/* Boot: kmalloc's caches, after the page allocator is up (mm_core_init). */
void kmem_cache_init(void);

/*
 * kmem_cache_reap - the shrinker for slabs: give every cache's empty slabs
 * back to the page allocator (for reclaim to call when memory is short,
 * once there is reclaim; today only tests call it).
 * Context: process context. Return: pages freed.
 */
unsigned long kmem_cache_reap(void);

/* Pages held by slabs: of SLAB_RECLAIM_ACCOUNT caches, and of the others. */
extern unsigned long nr_slab_reclaimable, nr_slab_unreclaimable;

struct seq_buf;
/* /proc/slabinfo, Linux's version 2.1 format (mm/slab_common.c). */
void slabinfo_show(struct seq_buf *m);

/*
 * kmemleak-lite (mm/kmemleak.c), with slab_debug's allocation tracking:
 * kmemleak_mark() returns the current allocation sequence number;
 * kmemleak_scan(mark, what) reports (printk, one line each) the tracked
 * objects allocated since @mark that are still allocated and that nothing
 * in the kernel's data, bss or other slab objects points to any more.
 * Return: the number of such leaks (0 when tracking is off).
 */
unsigned long kmemleak_mark(void);
unsigned long kmemleak_scan(unsigned long mark, const char *what);
bool kmemleak_enabled(void);
/*
 * kmemleak_off_reason - why kmemleak_scan() cannot run now (no tracking at
 * all, or a cache without it), written into @buf (@size bytes).
 * Context: takes slab_lock.
 * Return: @buf, or NULL when every cache is tracked and scans can run.
 */
const char *kmemleak_off_reason(char *buf, size_t size);
/* kmemleak_not_leak - @p is kept on purpose where kmemleak cannot see (a page, a stack). */
void kmemleak_not_leak(const void *p);

#endif /* _KERNEL_SLAB_H */
