/*
 * mm/slab_common.c - the slab allocator's front end: creating and
 * destroying caches, kmalloc's size classes and its large allocations,
 * krealloc/ksize, the boot argument slab_debug, and /proc/slabinfo.
 *
 * kmalloc's caches. Thirteen size classes, a geometric series with two
 * extra steps (96 and 192) where many objects cluster, each in three
 * flavours picked by the gfp flags:
 *
 *   kmalloc-8 .. kmalloc-8k           GFP_KERNEL, GFP_ATOMIC, ... (unmovable)
 *   kmalloc-rcl-8 .. kmalloc-rcl-8k   __GFP_RECLAIMABLE: objects a shrinker can free
 *   dma-kmalloc-8 .. dma-kmalloc-8k   GFP_DMA: in ZONE_DMA
 *
 * A request rounds up to its class: kmalloc(100) uses kmalloc-128 and
 * wastes 28 bytes (internal fragmentation, at most a third of an object
 * with these classes, and ksize() tells the caller how much it really
 * got). Above KMALLOC_MAX_CACHE_SIZE (8 KiB) kmalloc takes whole pages from
 * the page allocator (kmalloc_large), marked PG_large_kmalloc so that
 * kfree() knows.
 *
 * The first cache, "kmem_cache" (the cache of struct kmem_cache itself), is
 * a static object: every other cache, kmalloc's included, comes from it.
 *
 * slab_debug (Linux's boot argument):
 *   slab_debug                 red zones, poison, tracking and consistency
 *                              checks on every cache
 *   slab_debug=FZPU            letters: F consistency checks, Z red zones,
 *                              P poison, U tracking of callers (and kmemleak);
 *                              "-" none
 *   slab_debug=FZ,filp,kmalloc-64    only on the named caches
 *
 * Lock: slab_lock protects slab_caches (every cache); taken before a
 * cache's node.list_lock; nothing is allocated while it is held.
 *
 * See: mm/slab.c, include/kernel/slab.h, Linux mm/slab_common.c,
 * Documentation/mm/slub.rst (slab_debug), labs/slab/README.md.
 */
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/ksyms.h>
#include <kernel/seq_buf.h>
#include <kernel/bootargs.h>
#include <kernel/setup.h>
#include <kernel/lab.h>
#include "slab.h"

struct list_head slab_caches = LIST_HEAD_INIT(slab_caches);
struct spinlock slab_lock = SPINLOCK_INIT("slab_caches");
struct kmem_cache *kmem_cache;
struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_CLASSES];

const unsigned int kmalloc_sizes[KMALLOC_CLASSES] = {
    8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};

static struct kmem_cache boot_kmem_cache;
static char kmalloc_names[NR_KMALLOC_TYPES][KMALLOC_CLASSES][20];
static char slab_debug_caches[128]; /* slab_debug=...,NAME,NAME: only these */

const char *slab_symbol(unsigned long addr, char *buf, size_t size)
{
	u64 off, sz;
	const char *fn = addr ? ksym_lookup(addr, &off, &sz) : NULL;

	if (fn)
		snprintf(buf, size, "%s+0x%llx/0x%llx", fn, off, sz);
	else
		snprintf(buf, size, "0x%lx", addr);
	return buf;
}

/* ---- kmalloc of whole pages ---------------------------------------------------------- */

void *kmalloc_large(size_t size, gfp_t gfp, unsigned long caller)
{
	unsigned int order = get_order(size);
	struct page *page;

	if (order > MAX_PAGE_ORDER) {
		char sym[96];

		if (!(gfp & __GFP_NOWARN))
			printk(
			    "kmalloc: %zu bytes is more than KMALLOC_MAX_SIZE (4 MiB), from %s\n",
			    size, slab_symbol(caller, sym, sizeof(sym)));
		return NULL;
	}
	page = alloc_pages(gfp & ~__GFP_MOVABLE, order);
	if (!page)
		return NULL;
	page->flags |= 1UL << PG_large_kmalloc;
	return page_address(page);
}

void free_large_kmalloc(struct page *page, const void *p, unsigned long caller)
{
	if (!PageLargeKmalloc(page) || p != page_address(page)) {
		kfree_bug(p, caller,
			  PageLargeKmalloc(page) ? "pointer inside a large kmalloc block"
						 : "not from kmalloc, or freed already");
		return;
	}
	page->flags &= ~(1UL << PG_large_kmalloc);
	__free_pages(page, (unsigned int)page->private);
}

/* ---- ksize, krealloc ------------------------------------------------------------------ */

size_t ksize(const void *p)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(p))
		return 0;
	page = virt_to_head_page(p);
	if (PageSlab(page)) {
		struct kmem_cache *s = page->slab_cache;

		/* the caller may use all of it now: no kmalloc red zone inside */
		slab_debug_set_size(s, (void *)p, s->object_size);
		return s->object_size;
	}
	if (PageLargeKmalloc(page))
		return PAGE_SIZE << page->private;
	kfree_bug(p, (unsigned long)__builtin_return_address(0),
		  "ksize of a pointer kmalloc did "
		  "not return");
	return 0;
}

void *krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	unsigned long caller = (unsigned long)__builtin_return_address(0);
	size_t old_size, usable;
	struct page *page;
	void *n;

	if (ZERO_OR_NULL_PTR(p))
		return kmalloc_caller(new_size, gfp, caller);
	if (new_size == 0) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	page = virt_to_head_page(p);
	if (PageSlab(page)) {
		struct kmem_cache *s = page->slab_cache;

		usable = s->object_size;
		old_size = slab_debug_orig_size(s, p);
		if (new_size <= usable) {
			/* fits where it is: only the debug bookkeeping changes */
			if ((gfp & __GFP_ZERO) && new_size > old_size)
				memset((u8 *)p + old_size, 0, new_size - old_size);
			slab_debug_set_size(s, (void *)p, new_size);
			return (void *)p;
		}
	} else if (PageLargeKmalloc(page)) {
		usable = old_size = PAGE_SIZE << page->private;
		if (new_size <= usable && new_size > KMALLOC_MAX_CACHE_SIZE)
			return (void *)p;
	} else {
		kfree_bug(p, caller, "krealloc of a pointer kmalloc did not return");
		return NULL;
	}
	n = kmalloc_caller(new_size, gfp, caller);
	if (!n)
		return NULL;
	memcpy(n, p, MIN(old_size, new_size));
	kfree(p);
	return n;
}

/* ---- caches ------------------------------------------------------------------------------ */

/* slab_debug's flags for a cache called @name */
static slab_flags_t debug_flags_for(const char *name)
{
	const char *p = slab_debug_caches;
	size_t len = strlen(name);

	if (!slab_debug_flags || !*p)
		return slab_debug_flags;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n == len && strncmp(p, name, n) == 0)
			return slab_debug_flags;
		p += n + (end ? 1 : 0);
	}
	return 0;
}

static void add_cache(struct kmem_cache *s)
{
	spin_lock(&slab_lock);
	list_add(&s->list, &slab_caches);
	spin_unlock(&slab_lock);
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *))
{
	struct kmem_cache *s = NULL;
	const char *why = NULL;

	if (!name || !*name)
		why = "no name";
	else if (size == 0 || size > KMALLOC_MAX_SIZE)
		why = "object size 0 or above 4 MiB";
	else if (align & (align - 1))
		why = "alignment not a power of two";
	else if (in_interrupt())
		why = "called from an interrupt handler";
	if (!why) {
		s = kmem_cache_zalloc(kmem_cache, GFP_KERNEL);
		if (!s)
			why = "no memory";
		else if (__kmem_cache_create(s, name, size, align, flags | debug_flags_for(name),
					     ctor) < 0)
			why = "no slab layout fits the object";
	}
	if (why) {
		if (s)
			kmem_cache_free(kmem_cache, s);
		if (flags & SLAB_PANIC)
			panic("kmem_cache_create: cannot create cache %s: %s", name ? name : "?",
			      why);
		printk("kmem_cache_create: cannot create cache %s: %s\n", name ? name : "?", why);
		return NULL;
	}
	add_cache(s);
	return s;
}

/* List (up to 8 of) @s's live objects with where they were allocated. */
static void report_live_objects(struct kmem_cache *s)
{
	struct page *slab;
	unsigned int i, shown = 0;
	char sym[96];
	void *p;

	if (!(s->flags & SLAB_STORE_USER))
		return;
	spin_lock(&s->node.list_lock);
	for (int pass = 0; pass < 2; pass++) {
		struct list_head *head = pass ? &s->node.full : &s->node.partial;

		list_for_each_entry(slab, head, slab_list) {
			for_each_object(p, s, slab, i) {
				struct slab_track *t = get_track(s, p);

				if (t->state != SLAB_OBJ_ALLOCATED || shown++ >= 8)
					continue;
				printk("  object 0x%llx allocated by %s (pid %u)\n",
				       (u64)(uintptr_t)p,
				       slab_symbol(t->alloc_caller, sym, sizeof(sym)), t->pid);
			}
		}
	}
	spin_unlock(&s->node.list_lock);
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	struct slabinfo info;

	if (!s)
		return;
	if (s == kmem_cache) {
		printk("kmem_cache_destroy: the cache of caches cannot be destroyed\n");
		return;
	}
	spin_lock(&slab_lock);
	if (--s->refcount > 0) {
		spin_unlock(&slab_lock);
		return;
	}
	spin_unlock(&slab_lock);
	if (__kmem_cache_shutdown(s) < 0) {
		get_slabinfo(s, &info);
		printk("kmem_cache_destroy: cache %s still has %lu live objects: not destroyed\n",
		       s->name, info.active_objs);
		report_live_objects(s);
		dump_stack();
		spin_lock(&slab_lock);
		s->refcount++;
		spin_unlock(&slab_lock);
		return;
	}
	spin_lock(&slab_lock);
	list_del(&s->list);
	spin_unlock(&slab_lock);
	kmem_cache_free(kmem_cache, s);
}

int kmem_cache_shrink(struct kmem_cache *s)
{
	flush_all_cpus(s);
	__kmem_cache_shrink(s);
	return 0;
}

unsigned long kmem_cache_reap(void)
{
	struct kmem_cache *s;
	unsigned long pages = 0;

	spin_lock(&slab_lock);
	list_for_each_entry(s, &slab_caches, list)
		pages += __kmem_cache_shrink(s);
	spin_unlock(&slab_lock);
	return pages;
}

/* ---- boot ---------------------------------------------------------------------------------- */

/* Read slab_debug (or Linux's older name, slub_debug). */
static void slab_debug_setup(const char *cmdline)
{
	char buf[160];
	const char *name = bootarg_present(cmdline, "slab_debug") ? "slab_debug" : "slub_debug";
	int n;

	slab_debug_flags = 0;
	slab_debug_caches[0] = '\0';
	if (!bootarg_present(cmdline, name))
		return;
	n = bootarg_get(cmdline, name, buf, sizeof(buf));
	if (n <= 0 || !buf[0]) {
		slab_debug_flags = SLAB_DEBUG_FLAGS; /* the flag alone: everything */
		return;
	}
	const char *p = buf;

	for (; *p && *p != ','; p++) {
		switch (*p) {
		case 'F':
		case 'f':
			slab_debug_flags |= SLAB_CONSISTENCY_CHECKS;
			break;
		case 'Z':
		case 'z':
			slab_debug_flags |= SLAB_RED_ZONE;
			break;
		case 'P':
		case 'p':
			slab_debug_flags |= SLAB_POISON;
			break;
		case 'U':
		case 'u':
			slab_debug_flags |= SLAB_STORE_USER;
			break;
		case '-':
			break;
		default:
			printk("slab_debug: unknown option '%c' ignored\n", *p);
		}
	}
	if (*p == ',')
		snprintf(slab_debug_caches, sizeof(slab_debug_caches), "%s", p + 1);
}

static void create_kmalloc_caches(void)
{
	static const char *const prefix[NR_KMALLOC_TYPES] = {"kmalloc-", "kmalloc-rcl-",
							     "dma-kmalloc-"};
	static const slab_flags_t type_flags[NR_KMALLOC_TYPES] = {0, SLAB_RECLAIM_ACCOUNT,
								  SLAB_CACHE_DMA};

	for (int type = 0; type < NR_KMALLOC_TYPES; type++) {
		for (int i = 0; i < KMALLOC_CLASSES; i++) {
			unsigned int size = kmalloc_sizes[i];
			char *name = kmalloc_names[type][i];

			if (size >= 1024)
				snprintf(name, 20, "%s%uk", prefix[type], size / 1024);
			else
				snprintf(name, 20, "%s%u", prefix[type], size);
			kmalloc_caches[type][i] =
			    kmem_cache_create(name, size, ARCH_KMALLOC_MINALIGN,
					      SLAB_KMALLOC | SLAB_PANIC | type_flags[type], NULL);
		}
	}
}

void kmem_cache_init(void)
{
	struct kmem_cache *s;

	/* start from nothing (host tests boot many times) */
	INIT_LIST_HEAD(&slab_caches);
	spin_lock_init(&slab_lock, "slab_caches");
	memset(kmalloc_caches, 0, sizeof(kmalloc_caches));
	memset(&boot_kmem_cache, 0, sizeof(boot_kmem_cache));
	nr_slab_reclaimable = nr_slab_unreclaimable = 0;
	slab_error_count = 0;
	slab_debug_setup(boot_command_line);

	kmem_cache = &boot_kmem_cache;
	if (__kmem_cache_create(kmem_cache, "kmem_cache", sizeof(struct kmem_cache), 0,
				SLAB_HWCACHE_ALIGN | debug_flags_for("kmem_cache"), NULL) < 0)
		panic("kmem_cache_init: no layout for struct kmem_cache");
	add_cache(kmem_cache);
	create_kmalloc_caches();
	/* kmalloc-64, found by size: not through kmalloc_index(), which is the
	 * slab lab's task 5 (so that the tasks before it can boot the host tests) */
	s = NULL;
	for (int i = 0; i < KMALLOC_CLASSES; i++)
		if (kmalloc_sizes[i] == 64)
			s = kmalloc_caches[KMALLOC_NORMAL][i];
	printk("slab: %d kmalloc caches of 8..%lu bytes, kmalloc-64 slabs: %u objects in %lu "
	       "KiB%s%s\n",
	       NR_KMALLOC_TYPES * KMALLOC_CLASSES, KMALLOC_MAX_CACHE_SIZE, s->objects,
	       (PAGE_SIZE << s->order) >> 10, slab_debug_flags ? ", slab_debug on" : "",
	       slab_debug_caches[0] ? " for some caches" : "");
}

/* ---- /proc/slabinfo --------------------------------------------------------------------- */

/*
 * /proc/slabinfo, Linux's version 2.1 format: per cache the objects in use
 * and in all, the slot size, objects per slab and pages per slab; SLAB's
 * tunables (always 0 for SLUB) and the slab counts.
 */
void slabinfo_show(struct seq_buf *m)
{
	struct kmem_cache *s;
	struct slabinfo info;

	seq_buf_printf(m, "slabinfo - version: 2.1\n");
	seq_buf_printf(m, "# name            <active_objs> <num_objs> <objsize> <objperslab> "
			  "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
			  "slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	spin_lock(&slab_lock);
	list_for_each_entry(s, &slab_caches, list) {
		get_slabinfo(s, &info);
		seq_buf_printf(m, "%-17s %6lu %6lu %6u %4u %4d", s->name, info.active_objs,
			       info.num_objs, s->size, info.objects_per_slab,
			       1 << info.cache_order);
		seq_buf_printf(m, " : tunables %4u %4u %4u", 0, 0, 0);
		seq_buf_printf(m, " : slabdata %6lu %6lu %6lu\n", info.active_slabs, info.num_slabs,
			       0UL);
	}
	spin_unlock(&slab_lock);
}
