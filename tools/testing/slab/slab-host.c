/*
 * tools/testing/slab/slab-host.c - the host environment of the slab tests
 * (see slab-host.h): boot, the invariant checker, and the operation
 * interpreter with its shadow model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kernel/types.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/irq.h>
#include <kernel/ksyms.h>
#include <kernel/setup.h>
#include "slab-host.h"

char boot_command_line[512];
struct proc *slab_host_current;
int slab_host_stack_dumps;
bool slab_host_in_irq;

void dump_stack(void)
{
	slab_host_stack_dumps++;
}

bool in_interrupt(void)
{
	return slab_host_in_irq;
}

const char *ksym_lookup(u64 addr, u64 *offset, u64 *size)
{
	(void)addr;
	(void)offset;
	(void)size;
	return NULL;
}

void slab_host_boot(unsigned long ram_mb, const char *cmdline)
{
	static struct proc init = {.pid = 1, .name = "init"};

	snprintf(boot_command_line, sizeof(boot_command_line), "%s", cmdline ? cmdline : "");
	mm_host_boot_mb(ram_mb);
	slab_host_stack_dumps = 0;
	slab_host_in_irq = false;
	slab_host_current = &init;
	kmem_cache_init();
}

struct kmem_cache *slab_host_find(const char *name)
{
	struct kmem_cache *s;

	list_for_each_entry(s, &slab_caches, list)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

int slab_host_check(char *why, size_t size)
{
	struct kmem_cache *s;
	unsigned long unrcl = 0, rcl = 0;

	list_for_each_entry(s, &slab_caches, list) {
		unsigned long pages = 0;
		struct page *slab;

		if (slab_validate(s, why, size))
			return -1;
		/* pages: every slab, wherever it is */
		list_for_each_entry(slab, &s->node.partial, slab_list)
			pages += 1UL << slab->slab_order;
		list_for_each_entry(slab, &s->node.full, slab_list)
			pages += 1UL << slab->slab_order;
		for (int cpu = 0; cpu < NCPU; cpu++) {
			struct kmem_cache_cpu *c = &s->cpu_slab[cpu];

			if (c->slab)
				pages += 1UL << c->slab->slab_order;
			list_for_each_entry(slab, &c->partial, slab_list)
				pages += 1UL << slab->slab_order;
		}
		if (s->flags & SLAB_RECLAIM_ACCOUNT)
			rcl += pages;
		else
			unrcl += pages;
	}
	if (rcl != nr_slab_reclaimable) {
		snprintf(why, size, "reclaimable caches hold %lu pages, nr_slab_reclaimable is %lu",
			 rcl, nr_slab_reclaimable);
		return -1;
	}
	if (unrcl != nr_slab_unreclaimable) {
		snprintf(why, size, "caches hold %lu pages, nr_slab_unreclaimable is %lu", unrcl,
			 nr_slab_unreclaimable);
		return -1;
	}
	return mm_host_check(why, size);
}

/* ---- the operation interpreter -------------------------------------------------- */

#define NCACHES 6
#define NLIVE 600
#define CTOR_MAGIC 0xc0ffee00c0ffee00ULL

struct live {
	void *p;
	int cache; /* index into caches[], or -1: kmalloc */
	size_t size;
	u32 seed;
};

struct model {
	struct kmem_cache *caches[NCACHES];
	unsigned int csize[NCACHES], calign[NCACHES];
	bool cctor[NCACHES];
	struct live live[NLIVE];
	int nlive;
	u32 next_seed;
	const u8 *data;
	size_t size, pos;
	char name[NCACHES][16];
};

static unsigned int take(struct model *m)
{
	return m->pos < m->size ? m->data[m->pos++] : 0;
}

static unsigned int take16(struct model *m)
{
	return take(m) | (take(m) << 8);
}

static void ctor_magic(void *p)
{
	*(u64 *)p = CTOR_MAGIC;
}

/* The pattern of live object @l at byte @i (a ctor cache keeps its magic word). */
static u8 pattern(const struct live *l, size_t i)
{
	return (u8)(l->seed * 31 + i * 7 + (i >> 8));
}

static size_t first_patterned(const struct live *l, const struct model *m)
{
	return (l->cache >= 0 && m->cctor[l->cache]) ? 8 : 0;
}

static void fill(struct model *m, struct live *l)
{
	u8 *p = l->p;

	for (size_t i = first_patterned(l, m); i < l->size; i++)
		p[i] = pattern(l, i);
}

static void verify(struct model *m, const struct live *l, const char *when)
{
	const u8 *p = l->p;

	if (l->cache >= 0 && m->cctor[l->cache] && *(const u64 *)p != CTOR_MAGIC)
		panic("%s: object %p of cache %s lost its constructed state", when, l->p,
		      m->caches[l->cache]->name);
	for (size_t i = first_patterned(l, m); i < l->size; i++)
		if (p[i] != pattern(l, i))
			panic(
			    "%s: object %p (%zu bytes, %s) byte %zu is 0x%02x, not 0x%02x: another "
			    "object overlaps it, or the allocator wrote into it",
			    when, l->p, l->size,
			    l->cache >= 0 ? m->caches[l->cache]->name : "kmalloc", i, p[i],
			    pattern(l, i));
}

static void check_new(struct model *m, void *p, size_t size, unsigned int align, gfp_t gfp,
		      int cache)
{
	if (size == 0) {
		if (p != ZERO_SIZE_PTR)
			panic("kmalloc(0) returned %p, not ZERO_SIZE_PTR", p);
		return;
	}
	if ((uintptr_t)p % align)
		panic("object %p is not aligned to %u", p, align);
	if ((gfp & __GFP_ZERO))
		for (size_t i = 0; i < size; i++)
			if (((u8 *)p)[i] != 0)
				panic("__GFP_ZERO object %p byte %zu is 0x%02x", p, i,
				      ((u8 *)p)[i]);
	if ((gfp & GFP_DMA) && page_zonenum(virt_to_page(p)) != ZONE_DMA)
		panic("GFP_DMA object %p is not in ZONE_DMA", p);
	if (cache < 0 && size <= KMALLOC_MAX_CACHE_SIZE) {
		struct page *slab = virt_to_head_page(p);

		if (!PageSlab(slab) || ksize(p) < size)
			panic("kmalloc(%zu) = %p: not a slab object of a class that fits", size, p);
	}
	for (int i = 0; i < m->nlive; i++) {
		const struct live *o = &m->live[i];

		if ((u8 *)p < (u8 *)o->p + MAX(o->size, 1) && (u8 *)o->p < (u8 *)p + size)
			panic("new object %p (%zu bytes) overlaps live object %p (%zu bytes)", p,
			      size, o->p, o->size);
	}
}

static void add_live(struct model *m, void *p, int cache, size_t size)
{
	struct live *l = &m->live[m->nlive++];

	*l = (struct live){p, cache, size, m->next_seed++};
	fill(m, l);
}

static void free_live(struct model *m, int i)
{
	struct live *l = &m->live[i];

	verify(m, l, "free");
	if (l->cache >= 0)
		kmem_cache_free(m->caches[l->cache], l->p);
	else
		kfree(l->p);
	m->live[i] = m->live[--m->nlive];
}

static int cache_objects(struct model *m, int c)
{
	int n = 0;

	for (int i = 0; i < m->nlive; i++)
		n += m->live[i].cache == c;
	return n;
}

static void op_create(struct model *m)
{
	static const unsigned int aligns[] = {0, 8, 16, 64, 128, 256};
	int c = (int)(take(m) % NCACHES);
	unsigned int size, align;
	slab_flags_t flags = 0;
	unsigned int f = take(m);

	if (m->caches[c])
		return;
	size = 1 + take16(m) % (f & 0x80 ? 9000 : 600);
	align = aligns[take(m) % ARRAY_SIZE(aligns)];
	if (f & 1)
		flags |= SLAB_HWCACHE_ALIGN;
	if (f & 2)
		flags |= SLAB_RECLAIM_ACCOUNT;
	if ((f & 4) && contig_page_data.node_zones[ZONE_DMA].managed_pages)
		flags |= SLAB_CACHE_DMA;
	m->cctor[c] = (f & 8) && size >= 8;
	snprintf(m->name[c], sizeof(m->name[c]), "test-%d", c);
	m->caches[c] =
	    kmem_cache_create(m->name[c], size, align, flags, m->cctor[c] ? ctor_magic : NULL);
	if (!m->caches[c])
		panic("kmem_cache_create(%u bytes, align %u, flags 0x%x) failed", size, align,
		      flags);
	if (kmem_cache_size(m->caches[c]) != size)
		panic("kmem_cache_size is %u, created with %u", kmem_cache_size(m->caches[c]),
		      size);
	m->csize[c] = size;
	m->calign[c] = MAX(align, 8U);
	if ((flags & SLAB_HWCACHE_ALIGN) && size > 32)
		m->calign[c] = MAX(m->calign[c], 64U);
}

static void op_destroy(struct model *m)
{
	int c = (int)(take(m) % NCACHES);
	unsigned long errors = slab_error_count;

	if (!m->caches[c])
		return;
	if (cache_objects(m, c)) {
		/* refused, loudly, and still usable */
		mm_host_log_clear();
		kmem_cache_destroy(m->caches[c]);
		if (!strstr(mm_host_log, m->name[c]) || !slab_host_find(m->name[c]))
			panic("kmem_cache_destroy of %s with live objects did not refuse by name",
			      m->name[c]);
		return;
	}
	kmem_cache_destroy(m->caches[c]);
	if (slab_host_find(m->name[c]) || slab_error_count != errors)
		panic("kmem_cache_destroy of empty cache %s failed", m->name[c]);
	m->caches[c] = NULL;
}

static gfp_t random_gfp(struct model *m)
{
	static const gfp_t gfps[] = {GFP_KERNEL,
				     GFP_ATOMIC,
				     GFP_KERNEL | __GFP_ZERO,
				     GFP_NOWAIT,
				     GFP_KERNEL | __GFP_RECLAIMABLE,
				     GFP_DMA,
				     GFP_KERNEL,
				     GFP_KERNEL};
	gfp_t gfp = gfps[take(m) % ARRAY_SIZE(gfps)];

	if ((gfp & GFP_DMA) && !contig_page_data.node_zones[ZONE_DMA].managed_pages)
		gfp = GFP_KERNEL;
	return gfp;
}

static void op_cache_alloc(struct model *m)
{
	int c = (int)(take(m) % NCACHES);
	gfp_t gfp = random_gfp(m) & ~(__GFP_DMA | __GFP_RECLAIMABLE);
	void *p;

	if (!m->caches[c] || m->nlive == NLIVE)
		return;
	if (m->cctor[c])
		gfp &= ~__GFP_ZERO;
	p = kmem_cache_alloc(m->caches[c], gfp);
	if (!p)
		return; /* out of memory is allowed */
	check_new(m, p, m->csize[c], m->calign[c], gfp, c);
	if (m->cctor[c] && *(u64 *)p != CTOR_MAGIC)
		panic("object %p of %s is not constructed", p, m->caches[c]->name);
	add_live(m, p, c, m->csize[c]);
}

static void op_kmalloc(struct model *m)
{
	unsigned int r = take16(m);
	size_t size;
	gfp_t gfp = random_gfp(m);
	void *p;

	if (m->nlive == NLIVE)
		return;
	if (r % 16 == 0)
		size = 8192 + take16(m) % 40000; /* large */
	else if (r % 16 == 1)
		size = 0;
	else
		size = 1 + r % (r & 0x100 ? 8192 : 300);
	p = kmalloc(size, gfp);
	if (!p)
		return;
	check_new(m, p, size,
		  size && !(size & (size - 1)) && !slab_debug_flags && size <= 8192
		      ? (unsigned int)MIN(size, 4096UL)
		      : 8,
		  gfp, -1);
	if (size == 0)
		return;
	add_live(m, p, -1, size);
}

static void op_free(struct model *m)
{
	if (!m->nlive)
		return;
	free_live(m, (int)(take16(m) % (unsigned int)m->nlive));
}

static void op_krealloc(struct model *m)
{
	struct live *l;
	size_t nsize;
	void *p;
	int i;

	if (!m->nlive)
		return;
	i = (int)(take16(m) % (unsigned int)m->nlive);
	l = &m->live[i];
	if (l->cache >= 0)
		return;
	nsize = 1 + take16(m) % (take(m) & 1 ? 12000 : 400);
	verify(m, l, "krealloc");
	p = krealloc(l->p, nsize, GFP_KERNEL);
	if (!p)
		return;
	/* the common prefix moved with it */
	for (size_t k = 0; k < MIN(l->size, nsize); k++)
		if (((u8 *)p)[k] != pattern(l, k))
			panic("krealloc(%p, %zu) -> %p lost byte %zu", l->p, nsize, p, k);
	l->p = p;
	l->size = nsize;
	fill(m, l);
}

void slab_host_run_ops(const u8 *data, size_t size, bool check_every_op)
{
	static struct model model;
	struct model *m = &model;
	unsigned long free_at_start;
	char why[512];

	memset(m, 0, sizeof(*m));
	m->data = data;
	m->size = size;
	drain_all_pages(NULL);
	free_at_start = nr_free_pages();
	while (m->pos < m->size) {
		unsigned int op = take(m);

		mm_host_cpu = (int)(op >> 5) % ncpus_online; /* a different CPU now and then */
		switch (op % 16) {
		case 0:
			op_create(m);
			break;
		case 1:
			op_destroy(m);
			break;
		case 2:
		case 3:
		case 4:
			op_cache_alloc(m);
			break;
		case 5:
		case 6:
		case 7:
		case 8:
			op_free(m);
			break;
		case 9:
		case 10:
		case 11:
			op_kmalloc(m);
			break;
		case 12:
			op_krealloc(m);
			break;
		case 13: {
			int c = (int)(take(m) % NCACHES);

			if (m->caches[c])
				kmem_cache_shrink(m->caches[c]);
			break;
		}
		case 14:
			kmem_cache_reap();
			break;
		default:
			kmem_cache_shrink(
			    kmalloc_caches[KMALLOC_NORMAL][take(m) % KMALLOC_CLASSES]);
			break;
		}
		if (slab_error_count)
			panic("a debugging check fired on correct use: %s: %s",
			      slab_last_error.cache, slab_last_error.what);
		if (check_every_op && slab_host_check(why, sizeof(why)))
			panic("after op %u at byte %zu: %s", op % 16, m->pos, why);
	}
	/* everything back */
	mm_host_cpu = 0;
	while (m->nlive)
		free_live(m, m->nlive - 1);
	for (int c = 0; c < NCACHES; c++) {
		if (m->caches[c])
			kmem_cache_destroy(m->caches[c]);
		if (m->caches[c] && slab_host_find(m->name[c]))
			panic("destroying %s at the end failed", m->name[c]);
	}
	{
		struct kmem_cache *s;

		list_for_each_entry(s, &slab_caches, list)
			kmem_cache_shrink(s);
	}
	if (slab_host_check(why, sizeof(why)))
		panic("at the end: %s", why);
	drain_all_pages(NULL);
	if (nr_free_pages() != free_at_start)
		panic("at the end %lu pages are free, %lu were at the start", nr_free_pages(),
		      free_at_start);
	if (slab_error_count)
		panic("a debugging check fired: %s: %s", slab_last_error.cache,
		      slab_last_error.what);
}
