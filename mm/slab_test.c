/*
 * mm/slab_test.c - KTAP suites for the slab allocator under QEMU:
 *
 *   slab        kmalloc's classes and large sizes, dedicated caches with
 *               constructors and alignment, GFP flags (DMA, atomic under a
 *               spinlock, zeroing), /proc/slabinfo's text, the kernel's own
 *               caches (task_struct, filp, inode_cache, ...)
 *   slab_debug  each debugging check fires and names the cache, the object
 *               and the caller: a double free of a kmalloc object, writes
 *               past either end, a write after free (the report's text:
 *               which bytes, found and expected), a free to the wrong
 *               cache; kmemleak-lite finds an object nothing points to
 *   slab_smp    every CPU allocating and freeing at once (kernel threads),
 *               objects freed on other CPUs than they came from, with and
 *               without debugging; the caches' invariants afterwards
 *
 * The debugging cases make their own debug caches (flags to
 * kmem_cache_create), so they run with or without the boot argument; the
 * kmalloc double-free case needs `slab_debug` (make test boots with it).
 */
#include <kernel/ktest.h>
#include <kernel/slab.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/string.h>
#include <kernel/seq_buf.h>
#include <kernel/spinlock.h>
#include "slab.h"

#define DEBUG_FLAGS SLAB_DEBUG_FLAGS

static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncmp(hay, needle, n) == 0)
			return true;
	return false;
}

static bool validate(struct ktest *t, struct kmem_cache *s)
{
	char why[200];

	if (slab_validate(s, why, sizeof(why)) == 0)
		return true;
	ktest_fail(t, __FILE__, __LINE__, "%s", why);
	return false;
}

static struct kmem_cache *kmalloc_cache_of(const void *p)
{
	struct page *slab = virt_to_head_page(p);

	return PageSlab(slab) ? slab->slab_cache : NULL;
}

/* ---- slab ------------------------------------------------------------------------- */

static void test_kmalloc_every_class(struct ktest *t)
{
	for (unsigned int i = 0; i < KMALLOC_CLASSES; i++) {
		size_t size = kmalloc_sizes[i];
		u8 *p = kmalloc(size, GFP_KERNEL);

		KTEST_ASSERT_TRUE(t, p != NULL);
		KTEST_EXPECT_TRUE(t, kmalloc_cache_of(p) == kmalloc_caches[KMALLOC_NORMAL][i]);
		KTEST_EXPECT_EQ(t, ksize(p), size);
		KTEST_EXPECT_EQ(t, (u64)p % 8, 0);
		memset(p, 0x11, size);
		kfree(p);
		/* one byte more: the next class (or pages) */
		p = kmalloc(size + 1, GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, p != NULL);
		KTEST_EXPECT_TRUE(t, ksize(p) > size);
		kfree(p);
	}
	KTEST_EXPECT_TRUE(t, kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
}

static void test_kmalloc_large_comes_from_pages(struct ktest *t)
{
	unsigned long before;
	u8 *p;

	drain_all_pages(NULL);
	before = nr_free_pages();
	p = kmalloc(100 * 1024, GFP_KERNEL); /* an order-5 block */
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_TRUE(t, PageLargeKmalloc(virt_to_page(p)));
	KTEST_EXPECT_EQ(t, ksize(p), 128 * 1024);
	p[100 * 1024 - 1] = 1;
	kfree(p);
	drain_all_pages(NULL);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
}

static void test_kzalloc_kcalloc_krealloc(struct ktest *t)
{
	u8 *p = kmalloc(200, GFP_KERNEL), *q;
	bool zero = true;

	KTEST_ASSERT_TRUE(t, p != NULL);
	memset(p, 0xff, 200);
	kfree(p);
	p = kzalloc(200, GFP_KERNEL);
	for (int i = 0; i < 200; i++)
		zero &= p[i] == 0;
	KTEST_EXPECT_TRUE(t, zero);
	for (int i = 0; i < 200; i++)
		p[i] = (u8)i;
	q = krealloc(p, 5000, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, q != NULL);
	bool same = true;
	for (int i = 0; i < 200; i++)
		same &= q[i] == (u8)i;
	KTEST_EXPECT_TRUE(t, same);
	kfree(q);
	KTEST_EXPECT_TRUE(t, kcalloc(~0UL / 4, 8, GFP_KERNEL) == NULL); /* overflow */
	p = kcalloc(4, 100, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, p && p[399] == 0);
	kfree(p);
}

static int ctor_runs;

static void test_ctor(void *obj)
{
	__atomic_add_fetch(&ctor_runs, 1, __ATOMIC_RELAXED);
	memset(obj, 0x42, 24);
}

static void test_dedicated_cache(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("ktest_objs", 24, 64, 0, test_ctor);
	void *p[100];

	KTEST_ASSERT_TRUE(t, s != NULL);
	KTEST_EXPECT_STREQ(t, kmem_cache_name(s), "ktest_objs");
	ctor_runs = 0;
	for (int i = 0; i < 100; i++) {
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, p[i] != NULL);
		KTEST_EXPECT_EQ(t, (u64)p[i] % 64, 0);
		KTEST_EXPECT_EQ(t, *(u8 *)p[i], 0x42);
	}
	/* the constructor ran once per object of each new slab, not per allocation */
	KTEST_EXPECT_EQ(t, ctor_runs % s->objects, 0);
	KTEST_EXPECT_TRUE(t, ctor_runs >= 100);
	for (int i = 0; i < 100; i++)
		kmem_cache_free(s, p[i]);
	validate(t, s);
	int runs = ctor_runs;
	for (int i = 0; i < 10; i++)
		kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
	KTEST_EXPECT_EQ(t, ctor_runs, runs);
	kmem_cache_destroy(s);
}

static void test_gfp_flags(struct ktest *t)
{
	struct spinlock lk;
	void *p;

	/* GFP_ATOMIC under a spinlock: never sleeps, never turns interrupts on */
	spin_lock_init(&lk, "ktest");
	spin_lock(&lk);
	p = kmalloc(700, GFP_ATOMIC);
	KTEST_EXPECT_TRUE(t, p != NULL);
	KTEST_EXPECT_FALSE(t, arch_irqs_enabled());
	kfree(p);
	spin_unlock(&lk);
	/* GFP_DMA: the dma caches, ZONE_DMA memory */
	p = kmalloc(100, GFP_DMA | __GFP_NOWARN);
	if (contig_page_data.node_zones[ZONE_DMA].managed_pages) {
		KTEST_ASSERT_TRUE(t, p != NULL);
		KTEST_EXPECT_STREQ(t, kmalloc_cache_of(p)->name, "dma-kmalloc-128");
		KTEST_EXPECT_EQ(t, page_zonenum(virt_to_page(p)), ZONE_DMA);
	}
	kfree(p);
	p = kmalloc(100, GFP_KERNEL | __GFP_RECLAIMABLE);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_STREQ(t, kmalloc_cache_of(p)->name, "kmalloc-rcl-128");
	kfree(p);
}

static char proc_text[16384];

static void test_slabinfo_lists_the_kernels_caches(struct ktest *t)
{
	static const char *const caches[] = {
	    "kmem_cache",     "kmalloc-64",  "kmalloc-8k",  "dma-kmalloc-64",
	    "kmalloc-rcl-64", "task_struct", "mm_struct",   "vm_area_struct",
	    "vmap_area",      "filp",	     "inode_cache", "page_cache_entry",
	};
	struct seq_buf m;
	char want[40];

	seq_buf_init(&m, proc_text, sizeof(proc_text));
	slabinfo_show(&m);
	KTEST_EXPECT_TRUE(t, strncmp(proc_text, "slabinfo - version: 2.1\n", 24) == 0);
	KTEST_EXPECT_FALSE(t, seq_buf_has_overflowed(&m));
	for (unsigned int i = 0; i < ARRAY_SIZE(caches); i++) {
		snprintf(want, sizeof(want), "\n%-17s ", caches[i]);
		if (!contains(proc_text, want))
			ktest_fail(t, __FILE__, __LINE__, "no line for %s in /proc/slabinfo",
				   caches[i]);
	}
	/* processes come from task_struct: this one and init's at least */
	struct slabinfo info;
	struct kmem_cache *s;

	list_for_each_entry(s, &slab_caches, list) {
		if (strcmp(s->name, "task_struct"))
			continue;
		get_slabinfo(s, &info);
		KTEST_EXPECT_TRUE(t, info.active_objs >= 1);
		KTEST_EXPECT_TRUE(t, info.active_objs <= info.num_objs);
	}
	KTEST_EXPECT_TRUE(t, nr_slab_reclaimable + nr_slab_unreclaimable > 0);
}

static struct ktest_case slab_cases[] = {
    KTEST_CASE(test_kmalloc_every_class),
    KTEST_CASE(test_kmalloc_large_comes_from_pages),
    KTEST_CASE(test_kzalloc_kcalloc_krealloc),
    KTEST_CASE(test_dedicated_cache),
    KTEST_CASE(test_gfp_flags),
    KTEST_CASE(test_slabinfo_lists_the_kernels_caches),
    {},
};
KTEST_SUITE(slab, slab_cases);

/* ---- slab_debug ------------------------------------------------------------------- */

/* Did exactly one report come, about @what in @cache for @object? */
static void expect_report(struct ktest *t, unsigned long before, const char *what,
			  const char *cache, const void *object, int line)
{
	if (slab_error_count != before + 1) {
		ktest_fail(t, __FILE__, line, "%lu reports, expected 1 (%s)",
			   slab_error_count - before, what);
		return;
	}
	if (!contains(slab_last_error.what, what) || strcmp(slab_last_error.cache, cache) ||
	    slab_last_error.object != object || !slab_last_error.caller)
		ktest_fail(t, __FILE__, line,
			   "reported \"%s\" in %s for %p, expected \"%s\" in %s for %p",
			   slab_last_error.what, slab_last_error.cache, slab_last_error.object,
			   what, cache, object);
}

#define EXPECT_REPORT(t, before, what, cache, object) \
	expect_report(t, before, what, cache, object, __LINE__)

static void test_double_free_of_kmalloc_is_caught(struct ktest *t)
{
	struct kmem_cache *s = kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(64)];
	unsigned long before;
	void *p, *a, *b;

	if (!(s->flags & SLAB_STORE_USER)) {
		ktest_skip(t, "boot with slab_debug");
		return;
	}
	p = kmalloc(64, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	kfree(p);
	printk("    # (a report of a deliberate double free follows)\n");
	before = slab_error_count;
	kfree(p);
	EXPECT_REPORT(t, before, "double free", "kmalloc-64", p);
	/* and the object was not put on the free list twice */
	a = kmalloc(64, GFP_KERNEL);
	b = kmalloc(64, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, a != b);
	kfree(a);
	kfree(b);
}

/*
 * Did the report just captured in @log say which bytes changed, from the
 * object's start (@range, e.g. "object+40..+43"), what the first of them
 * holds (@found) and what it should (@expected)?
 */
static void expect_bytes_line(struct ktest *t, const char *log, const char *range, u8 found,
			      u8 expected, int line)
{
	char want[96];

	snprintf(want, sizeof(want), "bytes %s (0x", range);
	if (!contains(log, want))
		ktest_fail(t, __FILE__, line, "the report does not say \"%s\":\n%s", want, log);
	snprintf(want, sizeof(want), "): found 0x%02x, expected 0x%02x; restored", found, expected);
	if (!contains(log, want))
		ktest_fail(t, __FILE__, line, "the report does not say \"%s\":\n%s", want, log);
}

#define EXPECT_BYTES_LINE(t, log, range, found, expected) \
	expect_bytes_line(t, log, range, found, expected, __LINE__)

static void test_red_zones_and_poison(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("ktest_debug", 40, 0, DEBUG_FLAGS, NULL);
	static char log[1024]; /* the report's first lines; the backtrace may be cut */
	unsigned long before;
	u8 *p;

	KTEST_ASSERT_TRUE(t, s != NULL);
	printk("    # (reports of deliberate overruns follow)\n");
	p = kmem_cache_alloc(s, GFP_KERNEL);
	p[40] = 0x11; /* one past the end ... */
	p[43] = 0x22; /* ... and a few more */
	before = slab_error_count;
	printk_capture_begin(log, sizeof(log));
	kmem_cache_free(s, p);
	printk_capture_end();
	EXPECT_REPORT(t, before, "right red zone", "ktest_debug", p);
	EXPECT_BYTES_LINE(t, log, "object+40..+43", 0x11, SLUB_RED_ACTIVE);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	p[-1] = 0x33; /* one before the start */
	before = slab_error_count;
	printk_capture_begin(log, sizeof(log));
	kmem_cache_free(s, p);
	printk_capture_end();
	EXPECT_REPORT(t, before, "left red zone", "ktest_debug", p);
	EXPECT_BYTES_LINE(t, log, "object-1..-1", 0x33, SLUB_RED_ACTIVE);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, p);
	p[7] = 7; /* a write after free */
	before = slab_error_count;
	printk_capture_begin(log, sizeof(log));
	u8 *q = kmem_cache_alloc(s, GFP_KERNEL);
	printk_capture_end();
	EXPECT_REPORT(t, before, "poison overwritten", "ktest_debug", p);
	EXPECT_BYTES_LINE(t, log, "object+7..+7", 0x07, POISON_FREE);
	kmem_cache_free(s, q);
	validate(t, s);
	kmem_cache_destroy(s);
}

static void test_wrong_cache_and_bad_pointers(struct ktest *t)
{
	struct kmem_cache *a = kmem_cache_create("ktest_a", 32, 0, DEBUG_FLAGS, NULL);
	struct kmem_cache *b = kmem_cache_create("ktest_b", 32, 0, DEBUG_FLAGS, NULL);
	unsigned long before;
	u8 *p;

	KTEST_ASSERT_TRUE(t, a && b);
	printk("    # (reports of deliberate bad frees follow)\n");
	p = kmem_cache_alloc(a, GFP_KERNEL);
	before = slab_error_count;
	kmem_cache_free(b, p);
	EXPECT_REPORT(t, before, "wrong cache", "ktest_b", p);
	before = slab_error_count;
	kmem_cache_free(a, p + 4);
	EXPECT_REPORT(t, before, "invalid free", "ktest_a", p + 4);
	kmem_cache_free(a, p);
	before = slab_error_count;
	kmem_cache_free(a, p);
	EXPECT_REPORT(t, before, "double free", "ktest_a", p);
	validate(t, a);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
}

static void *kept; /* kmemleak must see this reference */

static void test_kmemleak_finds_unreferenced_objects(struct ktest *t)
{
	unsigned long mark, hidden[4], found;

	if (!kmemleak_enabled()) {
		ktest_skip(t, "boot with slab_debug (tracking on every cache)");
		return;
	}
	mark = kmemleak_mark();
	kept = kmalloc(100, GFP_KERNEL);
	for (int i = 0; i < 4; i++) {
		void *leak = kzalloc(100, GFP_KERNEL);

		/* keep only a scrambled copy: no pointer to it is left in memory */
		hidden[i] = (unsigned long)leak ^ 0x5555555555555555UL;
	}
	printk("    # (reports of deliberate leaks follow)\n");
	found = kmemleak_scan(mark, "ktest");
	/*
	 * All four, unless a stale copy of an address survived somewhere
	 * kmemleak looks (registers spilled by an interrupt into per-CPU data,
	 * say): scanning conservatively can miss a leak, never invent one.
	 * The referenced object must not be among them.
	 */
	KTEST_EXPECT_TRUE(t, found >= 3 && found <= 4);
	for (int i = 0; i < 4; i++)
		kfree((void *)(hidden[i] ^ 0x5555555555555555UL));
	kfree(kept);
	kept = NULL;
	KTEST_EXPECT_EQ(t, kmemleak_scan(mark, "ktest"), 0);
}

static struct ktest_case slab_debug_cases[] = {
    KTEST_CASE(test_double_free_of_kmalloc_is_caught),
    KTEST_CASE(test_red_zones_and_poison),
    KTEST_CASE(test_wrong_cache_and_bad_pointers),
    KTEST_CASE(test_kmemleak_finds_unreferenced_objects),
    {},
};
KTEST_SUITE(slab_debug, slab_debug_cases);

/* ---- slab_smp --------------------------------------------------------------------- */

#define SMP_ROUNDS 20000
#define SMP_LIVE 48
#define SMP_RING 64

/*
 * The workers share a ring of objects: each puts some of its objects there
 * and frees what others put, so many frees happen on another CPU than the
 * allocation (the per-CPU slabs' remote-free path).
 */
static struct {
	struct spinlock lock;
	void *obj[SMP_RING];
	struct kmem_cache *cache[SMP_RING];
	unsigned int head;
	struct kmem_cache *plain, *debug;
	int errors;
	int cpus_seen; /* a bit per CPU the workers ran on */
	int arrived, nthreads;
} smp;

static u32 smp_rand(u32 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* Each object holds its own address in every word: overlap or corruption shows. */
static void stamp(void *p, size_t size)
{
	for (size_t i = 0; i + 8 <= size; i += 8)
		*(u64 *)((u8 *)p + i) = (u64)p ^ i;
}

static bool stamped(void *p, size_t size)
{
	for (size_t i = 0; i + 8 <= size; i += 8)
		if (*(u64 *)((u8 *)p + i) != ((u64)p ^ i))
			return false;
	return true;
}

static size_t obj_size(struct kmem_cache *s, void *p)
{
	return s ? kmem_cache_size(s) : ksize(p);
}

static void smp_free(struct kmem_cache *s, void *p)
{
	if (!stamped(p, obj_size(s, p)))
		__atomic_add_fetch(&smp.errors, 1, __ATOMIC_RELAXED);
	if (s)
		kmem_cache_free(s, p);
	else
		kfree(p);
}

static int smp_worker(void *arg)
{
	u32 x = (u32)(unsigned long)arg * 2654435761u + 1;
	void *live[SMP_LIVE] = {0};
	struct kmem_cache *lc[SMP_LIVE] = {0};

	/* start together: idle CPUs pick up runnable threads at their next tick */
	__atomic_add_fetch(&smp.arrived, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&smp.arrived, __ATOMIC_RELAXED) < smp.nthreads)
		yield();
	for (int round = 0; round < SMP_ROUNDS; round++) {
		if (round % 256 == 0)
			__atomic_or_fetch(&smp.cpus_seen, 1 << cpuid(), __ATOMIC_RELAXED);
		int i = (int)(smp_rand(&x) % SMP_LIVE);
		u32 r = smp_rand(&x);

		if (live[i]) {
			if (r & 1) {
				smp_free(lc[i], live[i]); /* here */
			} else {
				/* swap it into the ring; free whatever another worker left there */
				spin_lock(&smp.lock);
				unsigned int slot = smp.head++ % SMP_RING;
				void *old = smp.obj[slot];
				struct kmem_cache *oc = smp.cache[slot];

				smp.obj[slot] = live[i];
				smp.cache[slot] = lc[i];
				spin_unlock(&smp.lock);
				if (old)
					smp_free(oc, old);
			}
			live[i] = NULL;
			continue;
		}
		switch (r % 4) {
		case 0:
			lc[i] = smp.plain;
			break;
		case 1:
			lc[i] = smp.debug;
			break;
		default:
			lc[i] = NULL; /* kmalloc */
		}
		live[i] = lc[i] ? kmem_cache_alloc(lc[i], GFP_KERNEL)
				: kmalloc(8 + (r >> 8) % 600, (r & 2) ? GFP_ATOMIC : GFP_KERNEL);
		if (!live[i]) {
			__atomic_add_fetch(&smp.errors, 1, __ATOMIC_RELAXED);
			continue;
		}
		stamp(live[i], obj_size(lc[i], live[i]));
	}
	for (int i = 0; i < SMP_LIVE; i++)
		if (live[i])
			smp_free(lc[i], live[i]);
	return 0;
}

static void test_all_cpus_allocate_and_free_at_once(struct ktest *t)
{
	int n = MAX(ncpus_online, 2) * 2, started = 0;
	struct slabinfo before, after;

	spin_lock_init(&smp.lock, "slab_smp");
	memset(smp.obj, 0, sizeof(smp.obj));
	smp.errors = 0;
	smp.cpus_seen = 0;
	smp.arrived = 0;
	smp.nthreads = n;
	/* one cache with the per-CPU fast path, one with every debugging check */
	slab_flags_t saved = slab_debug_flags;

	slab_debug_flags = 0;
	smp.plain = kmem_cache_create("ktest_smp", 72, 0, 0, NULL);
	slab_debug_flags = saved;
	smp.debug = kmem_cache_create("ktest_smp_debug", 72, 0, DEBUG_FLAGS, NULL);
	KTEST_ASSERT_TRUE(t, smp.plain && smp.debug);
	KTEST_EXPECT_EQ(t, smp.plain->flags & SLAB_DEBUG_FLAGS, 0);
	get_slabinfo(kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(64)], &before);
	for (int i = 0; i < n; i++)
		if (kernel_thread(smp_worker, (void *)(unsigned long)(i + 1), "slab_smp") > 0)
			started++;
	KTEST_EXPECT_EQ(t, started, n);
	smp.nthreads = started;
	for (int i = 0; i < started; i++)
		KTEST_EXPECT_TRUE(t, wait(0) > 0);
	for (int i = 0; i < SMP_RING; i++)
		if (smp.obj[i])
			smp_free(smp.cache[i], smp.obj[i]);
	KTEST_EXPECT_EQ(t, smp.errors, 0);
	if (ncpus_online > 1) {
		int cpus = 0;

		for (int c = 0; c < NCPU; c++)
			cpus += (smp.cpus_seen >> c) & 1;
		KTEST_EXPECT_TRUE(t, cpus > 1); /* the workers really ran side by side */
	}
	kmem_cache_shrink(smp.plain);
	validate(t, smp.plain);
	validate(t, smp.debug);
	get_slabinfo(smp.plain, &after);
	KTEST_EXPECT_EQ(t, after.active_objs, 0);
	KTEST_EXPECT_EQ(t, after.num_slabs, 0); /* shrink gathered every CPU's slab */
	kmem_cache_destroy(smp.plain);
	kmem_cache_destroy(smp.debug);
	get_slabinfo(kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(64)], &after);
	KTEST_EXPECT_EQ(t, after.active_objs, before.active_objs);
}

static struct ktest_case slab_smp_cases[] = {
    KTEST_CASE(test_all_cpus_allocate_and_free_at_once),
    {},
};
KTEST_SUITE(slab_smp, slab_smp_cases);
