/*
 * tools/testing/slab/test_cache.c - dedicated caches: layout and alignment,
 * constructors, the full / partial / empty life of slabs, giving empty
 * slabs back (min_partial, shrink, reap), colouring, destroy, and the
 * arguments kmem_cache_create refuses.
 */
#include <stdio.h>
#include "ktest-host.h"
#include "slab-host.h"

static int ctor_calls;

static void count_ctor(void *p)
{
	ctor_calls++;
	*(u32 *)p = 0xc0ffee;
}

static void check(void)
{
	char why[256];

	if (slab_host_check(why, sizeof(why)))
		ktest_fail(__FILE__, __LINE__, "%s", why);
}

TEST(objects_are_aligned_as_asked)
{
	static const unsigned int aligns[] = {0, 8, 16, 32, 64, 128, 256, 512};

	slab_host_boot(32, "");
	for (unsigned i = 0; i < ARRAY_SIZE(aligns); i++) {
		struct kmem_cache *s = kmem_cache_create("aligned", 40, aligns[i], 0, NULL);
		void *p[50];

		ASSERT_NOT_NULL(s);
		for (int k = 0; k < 50; k++) {
			p[k] = kmem_cache_alloc(s, GFP_KERNEL);
			ASSERT_NOT_NULL(p[k]);
			EXPECT_EQ((uintptr_t)p[k] % MAX(aligns[i], 8U), 0);
		}
		for (int k = 0; k < 50; k++)
			kmem_cache_free(s, p[k]);
		kmem_cache_destroy(s);
	}
	check();
}

TEST(hwcache_align_puts_objects_on_cache_lines)
{
	struct kmem_cache *s;
	void *p;

	slab_host_boot(32, "");
	s = kmem_cache_create("hw", 100, 0, SLAB_HWCACHE_ALIGN, NULL);
	ASSERT_NOT_NULL(s);
	EXPECT_EQ(s->size, 128);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	EXPECT_EQ((uintptr_t)p % 64, 0);
	kmem_cache_free(s, p);
	/* small objects: half or a quarter of a line, not a whole one */
	kmem_cache_destroy(s);
	s = kmem_cache_create("hw-small", 12, 0, SLAB_HWCACHE_ALIGN, NULL);
	EXPECT_EQ(s->size, 16);
	kmem_cache_destroy(s);
}

/* The layout alone (no memory is allocated): what calc_slab_order() chose. */
static void layout(struct kmem_cache *s, unsigned int size, unsigned int align)
{
	memset(s, 0, sizeof(*s));
	if (__kmem_cache_create(s, "layout", size, align, 0, NULL) != 0)
		ktest_fail(__FILE__, __LINE__, "no layout for %u bytes", size);
}

TEST(slab_order_keeps_waste_small)
{
	static struct kmem_cache s;

	/* small objects: one page is plenty and wastes nothing */
	layout(&s, 64, 0);
	EXPECT_EQ(s.size, 64);
	EXPECT_EQ(s.order, 0);
	EXPECT_EQ(s.objects, 64);
	layout(&s, 8, 0);
	EXPECT_EQ(s.order, 0);
	EXPECT_EQ(s.objects, 512);
	/* 700 bytes: 5 per page wastes 15%; two pages hold 11 and waste 6% */
	layout(&s, 700, 0);
	EXPECT_EQ(s.size, 704);
	EXPECT_EQ(s.order, 1);
	EXPECT_EQ(s.objects, 11);
	/* 2 KiB: 8 objects need 4 pages (at least 8 objects per slab when it costs nothing) */
	layout(&s, 2048, 0);
	EXPECT_EQ(s.order, 2);
	EXPECT_EQ(s.objects, 8);
	/* 3000 bytes: 4 pages hold 5 (27% wasted), 8 pages hold 10 (8%) */
	layout(&s, 3000, 0);
	EXPECT_EQ(s.order, 3);
	EXPECT_EQ(s.objects, 10);
	/* up to 8 KiB (four fit in an order-3 slab) no slab wastes more than a quarter */
	for (unsigned int size = 8; size <= 8192; size += 8) {
		layout(&s, size, 0);
		unsigned long slab = PAGE_SIZE << s.order;

		if (slab % s.size * 4 > slab || s.objects < 1)
			ktest_fail(__FILE__, __LINE__, "%u bytes: order %u, %u objects, %lu wasted",
				   size, s.order, s.objects, slab % s.size);
	}
	/* larger than an order-3 slab: one object, the smallest order that holds it */
	layout(&s, 40000, 0);
	EXPECT_EQ(s.order, 4);
	EXPECT_EQ(s.objects, 1);
}

TEST(slab_size_keeps_waste_small)
{
	struct kmem_cache *s;

	slab_host_boot(32, "");
	/* 700-byte objects: 5 in 4 KiB (15% wasted) -> 2 pages hold 11 (6%) */
	s = kmem_cache_create("odd", 700, 0, 0, NULL);
	ASSERT_NOT_NULL(s);
	EXPECT_GE(s->objects, 8);
	EXPECT_LE((PAGE_SIZE << s->order) % s->size * 16, PAGE_SIZE << s->order);
	kmem_cache_destroy(s);
	/* bigger than the largest slab order: one object per slab */
	s = kmem_cache_create("huge", 70000, 0, 0, NULL);
	ASSERT_NOT_NULL(s);
	EXPECT_EQ(s->objects, 1);
	EXPECT_EQ(s->order, 5);
	void *p = kmem_cache_alloc(s, GFP_KERNEL);
	ASSERT_NOT_NULL(p);
	memset(p, 1, 70000);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	check();
}

TEST(constructor_runs_once_per_object_not_per_allocation)
{
	struct kmem_cache *s;
	void *p;

	slab_host_boot(32, "");
	ctor_calls = 0;
	s = kmem_cache_create("ctor", 64, 0, 0, count_ctor);
	ASSERT_NOT_NULL(s);
	EXPECT_EQ(ctor_calls, 0);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	ASSERT_NOT_NULL(p);
	EXPECT_EQ(ctor_calls, (int)s->objects); /* the whole slab, at its creation */
	EXPECT_EQ(*(u32 *)p, 0xc0ffee);
	for (int i = 0; i < 100; i++) {
		kmem_cache_free(s, p);
		p = kmem_cache_alloc(s, GFP_KERNEL);
		EXPECT_EQ(*(u32 *)p, 0xc0ffee); /* freed in its constructed state: still is */
	}
	EXPECT_EQ(ctor_calls, (int)s->objects);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

TEST(slabs_go_full_partial_empty_and_back_to_the_buddy)
{
	struct kmem_cache *s;
	void *p[17];
	unsigned long before;

	slab_host_boot(32, "");
	drain_all_pages(NULL);
	before = nr_free_pages();
	s = kmem_cache_create("life", 256, 0, 0, NULL);
	ASSERT_NOT_NULL(s);
	ASSERT_EQ(s->objects, 16);
	ASSERT_EQ(s->order, 0);
	struct kmem_cache_cpu *c0 = &s->cpu_slab[0];

	/* 16 objects: one slab, this CPU's */
	for (int i = 0; i < 16; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	EXPECT_EQ(s->node.nr_slabs, 1);
	struct page *s1 = virt_to_head_page(p[0]);
	EXPECT_PTR_EQ(c0->slab, s1);
	EXPECT_NULL(c0->freelist);
	/* the 17th: the used-up slab goes to node.full, a new one becomes the CPU slab */
	p[16] = kmem_cache_alloc(s, GFP_KERNEL);
	EXPECT_EQ(s->node.nr_slabs, 2);
	EXPECT_PTR_EQ(list_first_entry(&s->node.full, struct page, slab_list), s1);
	EXPECT_FALSE(s1->frozen);
	EXPECT_PTR_EQ(c0->slab, virt_to_head_page(p[16]));
	check();
	/* a free into the full slab: it becomes this CPU's partial slab */
	kmem_cache_free(s, p[0]);
	EXPECT_TRUE(list_empty(&s->node.full));
	EXPECT_EQ(c0->nr_partial, 1);
	EXPECT_TRUE(s1->frozen);
	EXPECT_EQ(s1->inuse, 15);
	check();
	/* the rest of it from another CPU: the objects go on the slab's own freelist */
	mm_host_cpu = 1;
	for (int i = 1; i < 16; i++)
		kmem_cache_free(s, p[i]);
	mm_host_cpu = 0;
	EXPECT_EQ(s1->inuse, 0);
	EXPECT_EQ(c0->nr_partial, 1);
	check();
	/* shrink: CPU slabs back to the node, the empty one back to the buddy */
	kmem_cache_shrink(s);
	EXPECT_EQ(s->node.nr_slabs, 1);
	EXPECT_EQ(c0->nr_partial, 0);
	EXPECT_NULL(c0->slab);
	EXPECT_EQ(s->node.nr_partial, 1); /* the slab with p[16] */
	check();
	kmem_cache_free(s, p[16]);
	EXPECT_EQ(s->node.nr_slabs, 1); /* an empty slab is kept: min_partial */
	kmem_cache_shrink(s);
	EXPECT_EQ(s->node.nr_slabs, 0);
	kmem_cache_destroy(s);
	check();
	drain_all_pages(NULL);
	EXPECT_EQ(nr_free_pages(), before);
}

TEST(empty_slabs_beyond_min_partial_go_back_at_once)
{
	struct kmem_cache *s;
	static void *p[16 * 20];

	slab_host_boot(32, "");
	s = kmem_cache_create("many", 256, 0, 0, NULL);
	ASSERT_NOT_NULL(s);
	for (int i = 0; i < 16 * 20; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	EXPECT_EQ(s->node.nr_slabs, 20);
	/* freed from another CPU: slabs pass through its partial list to the node */
	mm_host_cpu = 2;
	for (int i = 0; i < 16 * 20; i++)
		kmem_cache_free(s, p[i]);
	mm_host_cpu = 0;
	check();
	/* kept: min_partial on the node, a few on CPU 2, CPU 0's slab */
	EXPECT_LE(s->node.nr_slabs, s->min_partial + s->cpu_partial_slabs + 1);
	EXPECT_GE(s->min_partial, 2);
	kmem_cache_destroy(s);
	check();
}

TEST(shrink_and_reap_give_empty_slabs_back)
{
	struct kmem_cache *s;
	void *p[64];
	unsigned long pages;

	slab_host_boot(32, "");
	s = kmem_cache_create("reap", 512, 0, 0, NULL);
	for (int i = 0; i < 64; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	pages = nr_slab_unreclaimable;
	for (int i = 0; i < 64; i++)
		kmem_cache_free(s, p[i]);
	kmem_cache_shrink(s); /* CPU slabs back, then the node's empties */
	EXPECT_LT(nr_slab_unreclaimable, pages);
	EXPECT_EQ(s->node.nr_slabs, 0);
	for (int i = 0; i < 64; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < 64; i++)
		kmem_cache_free(s, p[i]);
	/* reap takes only what no CPU holds */
	kmem_cache_shrink(s);
	for (int i = 0; i < 8; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	mm_host_cpu = 1;
	for (int i = 0; i < 8; i++)
		kmem_cache_free(s, p[i]);
	mm_host_cpu = 0;
	kmem_cache_destroy(s);
	check();
}

TEST(reap_returns_node_empty_slabs)
{
	struct kmem_cache *s;
	static void *p[8 * 10];

	slab_host_boot(32, "slab_debug=F,reap2"); /* a debug cache has no CPU slabs */
	s = kmem_cache_create("reap2", 512, 0, 0, NULL);
	ASSERT_TRUE(s->flags & SLAB_CONSISTENCY_CHECKS);
	for (int i = 0; i < 8 * 10; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < 8 * 10; i++)
		kmem_cache_free(s, p[i]);
	EXPECT_EQ(s->node.nr_slabs, s->min_partial); /* the rest went back already */
	EXPECT_EQ(kmem_cache_reap(), (unsigned long)s->min_partial << s->order);
	EXPECT_EQ(s->node.nr_slabs, 0);
	kmem_cache_destroy(s);
	check();
}

TEST(slabs_are_coloured)
{
	struct kmem_cache *s;
	static void *p[200];
	unsigned int colours[3];

	slab_host_boot(32, "");
	/* 200-byte slots: 20 per page, 96 bytes spare: colours 0 and 64 */
	s = kmem_cache_create("colour", 200, 0, 0, NULL);
	ASSERT_EQ(s->objects, 20);
	ASSERT_EQ(s->colour, 2);
	for (int i = 0; i < 60; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int k = 0; k < 3; k++) {
		struct page *slab = virt_to_head_page(p[k * 20]);

		colours[k] = slab->s_mem;
		EXPECT_EQ((uintptr_t)p[k * 20] % PAGE_SIZE, slab->s_mem);
	}
	EXPECT_NE(colours[0], colours[1]);
	EXPECT_EQ(colours[0], colours[2]);
	for (int i = 0; i < 60; i++)
		kmem_cache_free(s, p[i]);
	kmem_cache_destroy(s);
	check();
}

TEST(reclaimable_caches_count_as_sreclaimable)
{
	struct kmem_cache *s;
	void *p;

	slab_host_boot(32, "");
	s = kmem_cache_create("rcl", 128, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	EXPECT_EQ(nr_slab_reclaimable, 0);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	EXPECT_EQ(nr_slab_reclaimable, 1UL << s->order);
	EXPECT_EQ(get_pageblock_migratetype(virt_to_page(p)), MIGRATE_RECLAIMABLE);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	EXPECT_EQ(nr_slab_reclaimable, 0);
	check();
}

TEST(destroy_refuses_a_cache_with_live_objects)
{
	struct kmem_cache *s;
	void *p;

	slab_host_boot(32, "");
	s = kmem_cache_create("busy", 48, 0, 0, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	mm_host_log_clear();
	kmem_cache_destroy(s);
	EXPECT_TRUE(strstr(mm_host_log, "cache busy still has 1 live objects") != NULL);
	EXPECT_PTR_EQ(slab_host_find("busy"), s);
	kmem_cache_free(s, p); /* still works */
	kmem_cache_destroy(s);
	EXPECT_NULL(slab_host_find("busy"));
	kmem_cache_destroy(NULL);
	check();
}

TEST(create_refuses_bad_arguments)
{
	jmp_buf env;

	slab_host_boot(32, "");
	EXPECT_NULL(kmem_cache_create("zero", 0, 0, 0, NULL));
	EXPECT_NULL(kmem_cache_create("align3", 32, 3, 0, NULL));
	EXPECT_NULL(kmem_cache_create(NULL, 32, 0, 0, NULL));
	EXPECT_NULL(kmem_cache_create("toobig", 5 << 20, 0, 0, NULL));
	slab_host_in_irq = true;
	EXPECT_NULL(kmem_cache_create("irq", 32, 0, 0, NULL));
	slab_host_in_irq = false;
	if (setjmp(env) == 0) {
		mm_host_expect_panic(&env);
		kmem_cache_create("panic", 0, 0, SLAB_PANIC, NULL);
		mm_host_no_panic();
		ktest_fail(__FILE__, __LINE__, "SLAB_PANIC did not panic");
	}
	EXPECT_TRUE(strstr(mm_host_panic_msg, "cannot create cache panic") != NULL);
}

TEST(zalloc_zeroes_and_cache_objects_are_reused)
{
	struct kmem_cache *s;
	u8 *p, *q;

	slab_host_boot(32, "");
	s = kmem_cache_create("z", 96, 0, 0, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	memset(p, 0xab, 96);
	kmem_cache_free(s, p);
	q = kmem_cache_zalloc(s, GFP_KERNEL);
	EXPECT_PTR_EQ(q, p); /* LIFO on this CPU: the cache-hot object */
	for (int i = 0; i < 96; i++)
		EXPECT_EQ(q[i], 0);
	kmem_cache_free(s, q);
	kmem_cache_destroy(s);
}
