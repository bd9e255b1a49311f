/*
 * tools/testing/slab/test_cpu.c - the per-CPU fast path: allocation and
 * free on the owning CPU take no lock (the statistics say which path ran),
 * remote frees land on the slab's own freelist and are picked up by the
 * owner, each CPU has its own slab, shrink gathers every CPU's objects
 * (through smp_call_function_single), and an interrupt that allocates while
 * the slow path has interrupts on for the page allocator.
 */
#include <stdio.h>
#include "ktest-host.h"
#include "slab-host.h"

static void check(void)
{
	char why[256];

	if (slab_host_check(why, sizeof(why)))
		ktest_fail(__FILE__, __LINE__, "%s", why);
}

TEST(cache_objects_come_from_the_cpu_freelist)
{
	struct kmem_cache *s;
	struct kmem_cache_cpu *c;
	void *p[16], *q;

	slab_host_boot(32, "");
	s = kmem_cache_create("fast", 256, 0, 0, NULL); /* 16 per slab */
	c = &s->cpu_slab[0];
	/* the first allocation: a new slab becomes this CPU's, its objects the freelist */
	p[0] = kmem_cache_alloc(s, GFP_KERNEL);
	ASSERT_NOT_NULL(p[0]);
	EXPECT_PTR_EQ(c->slab, virt_to_head_page(p[0]));
	EXPECT_EQ(c->nr_free, 15);
	EXPECT_EQ(c->alloc_slowpath, 1);
	for (int i = 1; i < 16; i++) {
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
		EXPECT_PTR_EQ(virt_to_head_page(p[i]), c->slab);
		EXPECT_NE((uintptr_t)p[i], (uintptr_t)p[i - 1]);
	}
	EXPECT_EQ(c->alloc_fastpath, 15);
	EXPECT_NULL(c->freelist);
	/* free to the CPU slab: push; allocate: pop the same object (LIFO, cache-hot) */
	kmem_cache_free(s, p[5]);
	EXPECT_PTR_EQ(c->freelist, p[5]);
	EXPECT_EQ(c->free_fastpath, 1);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	EXPECT_PTR_EQ(q, p[5]);
	EXPECT_EQ(c->alloc_slowpath, 1);
	for (int i = 0; i < 16; i++)
		kmem_cache_free(s, p[i]);
	EXPECT_EQ(c->nr_free, 16);
	EXPECT_EQ(c->free_slowpath, 0);
	check();
	kmem_cache_shrink(s);
	kmem_cache_destroy(s);
}

TEST(alloc_and_free_on_one_cpu_stay_on_the_fast_path)
{
	struct kmem_cache *s = NULL;
	struct kmem_cache_cpu *c;
	void *p;

	slab_host_boot(32, "");
	s = kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(64)];
	c = &s->cpu_slab[0];
	p = kmalloc(64, GFP_KERNEL); /* the first: a slab for this CPU (slow path) */
	kfree(p);
	unsigned int fast_a = c->alloc_fastpath, slow_a = c->alloc_slowpath;
	unsigned int fast_f = c->free_fastpath, slow_f = c->free_slowpath;

	for (int i = 0; i < 1000; i++) {
		p = kmalloc(64, GFP_KERNEL);
		kfree(p);
	}
	EXPECT_EQ(c->alloc_fastpath - fast_a, 1000);
	EXPECT_EQ(c->free_fastpath - fast_f, 1000);
	EXPECT_EQ(c->alloc_slowpath, slow_a);
	EXPECT_EQ(c->free_slowpath, slow_f);
	EXPECT_FALSE(s->node.list_lock.locked);
	check();
}

TEST(each_cpu_has_its_own_slab)
{
	struct kmem_cache *s;
	void *a, *b;

	slab_host_boot(32, "");
	s = kmem_cache_create("percpu", 128, 0, 0, NULL);
	mm_host_cpu = 0;
	a = kmem_cache_alloc(s, GFP_KERNEL);
	mm_host_cpu = 1;
	b = kmem_cache_alloc(s, GFP_KERNEL);
	EXPECT_NE((uintptr_t)virt_to_head_page(a), (uintptr_t)virt_to_head_page(b));
	EXPECT_PTR_EQ(s->cpu_slab[0].slab, virt_to_head_page(a));
	EXPECT_PTR_EQ(s->cpu_slab[1].slab, virt_to_head_page(b));
	check();
	kmem_cache_free(s, a); /* from CPU 1: a remote free */
	EXPECT_EQ(s->cpu_slab[1].free_slowpath, 1);
	mm_host_cpu = 0;
	kmem_cache_free(s, b);
	kmem_cache_destroy(s);
	check();
}

TEST(remote_frees_are_picked_up_by_the_owner)
{
	struct kmem_cache *s;
	void *p[32];
	struct page *slab;

	slab_host_boot(32, "");
	s = kmem_cache_create("remote", 256, 0, 0, NULL); /* 16 per slab */
	for (int i = 0; i < 16; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	slab = s->cpu_slab[0].slab;
	/* CPU 3 frees 5 of them: onto the frozen slab's own freelist */
	mm_host_cpu = 3;
	for (int i = 0; i < 5; i++)
		kmem_cache_free(s, p[i]);
	mm_host_cpu = 0;
	EXPECT_EQ(slab->inuse, 11);
	EXPECT_NOT_NULL(slab->freelist);
	check();
	/* CPU 0's freelist is empty: the refill takes those 5, no new slab */
	for (int i = 0; i < 5; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	EXPECT_EQ(s->node.nr_slabs, 1);
	EXPECT_PTR_EQ(s->cpu_slab[0].slab, slab);
	EXPECT_EQ(slab->inuse, 16);
	for (int i = 0; i < 16; i++)
		kmem_cache_free(s, p[i]);
	kmem_cache_destroy(s);
	check();
}

TEST(shrink_gathers_every_cpu)
{
	struct kmem_cache *s;
	void *p[8][20];

	slab_host_boot(32, "");
	s = kmem_cache_create("gather", 256, 0, 0, NULL);
	for (int cpu = 0; cpu < 4; cpu++) {
		mm_host_cpu = cpu;
		for (int i = 0; i < 20; i++)
			p[cpu][i] = kmem_cache_alloc(s, GFP_KERNEL);
	}
	for (int cpu = 0; cpu < 4; cpu++) {
		mm_host_cpu = (cpu + 1) % 4;
		for (int i = 0; i < 20; i++)
			kmem_cache_free(s, p[cpu][i]);
	}
	mm_host_cpu = 0;
	check();
	EXPECT_GT(s->node.nr_slabs, 0);
	kmem_cache_shrink(s);
	for (int cpu = 0; cpu < NCPU; cpu++) {
		EXPECT_NULL(s->cpu_slab[cpu].slab);
		EXPECT_EQ(s->cpu_slab[cpu].nr_partial, 0);
	}
	EXPECT_EQ(s->node.nr_slabs, 0);
	check();
	kmem_cache_destroy(s);
}

TEST(slabinfo_counts_objects_on_cpu_freelists_as_free)
{
	struct kmem_cache *s;
	struct slabinfo info;
	void *p[10];

	slab_host_boot(32, "");
	s = kmem_cache_create("count", 64, 0, 0, NULL);
	for (int i = 0; i < 10; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	get_slabinfo(s, &info);
	EXPECT_EQ(info.active_objs, 10);
	EXPECT_EQ(info.num_objs, s->objects);
	for (int i = 0; i < 4; i++)
		kmem_cache_free(s, p[i]); /* fast path: onto CPU 0's freelist */
	mm_host_cpu = 1;
	for (int i = 4; i < 7; i++)
		kmem_cache_free(s, p[i]); /* remote: onto the slab's freelist */
	mm_host_cpu = 0;
	get_slabinfo(s, &info);
	EXPECT_EQ(info.active_objs, 3);
	for (int i = 7; i < 10; i++)
		kmem_cache_free(s, p[i]);
	get_slabinfo(s, &info);
	EXPECT_EQ(info.active_objs, 0);
	kmem_cache_destroy(s);
}

TEST(atomic_allocations_work_with_interrupts_off)
{
	void *p;

	slab_host_boot(32, "");
	push_off(); /* as in an interrupt handler or under a spinlock */
	p = kmalloc(200, GFP_ATOMIC);
	EXPECT_NOT_NULL(p);
	kfree(p);
	p = kmalloc(3000, GFP_NOWAIT);
	EXPECT_NOT_NULL(p);
	kfree(p);
	EXPECT_FALSE(arch_irqs_enabled()); /* the slow path did not turn them on */
	pop_off();
	check();
}

/* ---- an interrupt during the slow path ---- */

static struct kmem_cache *irq_cache;
static void *irq_object;

static void irq_handler_allocates(void)
{
	slab_host_in_irq = true;
	irq_object = kmem_cache_alloc(irq_cache, GFP_ATOMIC);
	slab_host_in_irq = false;
}

/*
 * CPU 0's freelist is empty and a GFP_KERNEL allocation needs a new slab:
 * ___slab_alloc turns interrupts on around the page allocator, and an
 * interrupt handler on this CPU allocates from the same cache, which gives
 * the CPU a slab of its own. The interrupted allocation must keep that
 * slab as the CPU's (its objects are already on the CPU freelist), put its
 * own new slab on the node's partial list, and take its object from the
 * CPU freelist: nothing lost, nothing handed out twice, and every page
 * comes back when all is freed.
 */
TEST(an_interrupt_that_refills_the_cpu_slab_meanwhile)
{
	struct kmem_cache *s;
	struct page *irq_slab;
	void *p;

	slab_host_boot(32, "");
	s = irq_cache = kmem_cache_create("irqrefill", 256, 0, 0, NULL); /* 16 per slab */
	irq_object = NULL;
	mm_host_pending_irq = irq_handler_allocates;
	p = kmem_cache_alloc(s, GFP_KERNEL);
	EXPECT_NULL(mm_host_pending_irq); /* the handler ran */
	ASSERT_NOT_NULL(irq_object);
	ASSERT_NOT_NULL(p);
	irq_slab = virt_to_head_page(irq_object);
	EXPECT_NE((uintptr_t)p, (uintptr_t)irq_object);
	/* the handler's slab is the CPU's; ours went to the node's partial list */
	EXPECT_PTR_EQ(s->cpu_slab[0].slab, irq_slab);
	EXPECT_PTR_EQ(virt_to_head_page(p), irq_slab);
	EXPECT_EQ(s->node.nr_slabs, 2);
	EXPECT_EQ(s->node.nr_partial, 1);
	EXPECT_EQ(s->cpu_slab[0].nr_free, 14);
	EXPECT_EQ(irq_slab->inuse, 16); /* frozen: every object is the CPU's or handed out */
	check();
	kmem_cache_free(s, p);
	kmem_cache_free(s, irq_object);
	kmem_cache_shrink(s);
	EXPECT_EQ(s->node.nr_slabs, 0); /* both slabs came back */
	check();
	kmem_cache_destroy(s);
	check();
}
