/*
 * tools/testing/slab/bench/bench.c - the slab allocator's benchmarks (run by
 * tools/bench-slab.py, `make bench`): the real mm/ sources built for the
 * host at -O2 without sanitizers, next to the host's glibc malloc.
 *
 *   bench_kmalloc64 / bench_glibc_malloc64
 *              N pairs of kmalloc(64)+kfree and of malloc(64)+free, in the
 *              same run; under callgrind, each function's inclusive
 *              instruction count / N is the cost of one pair (kmalloc's is
 *              the per-CPU freelist hit: pop on alloc, push on free)
 *   overhead   100,000 64-byte objects from a dedicated cache, from kmalloc,
 *              with slab_debug, and from glibc malloc: bytes taken from the
 *              allocator below per object, and what is not the object itself
 *
 * Page poisoning is off (it would add a 4 KiB memset per slab page freed).
 *
 * Usage: slab-bench [N]        (meaningful under callgrind)
 *        slab-bench overhead   (prints the table)
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/setup.h>
#include "../slab-host.h"

static volatile unsigned long sink;

__attribute__((noinline)) void bench_kmalloc64(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		void *p = kmalloc(64, GFP_KERNEL);
		sink += (unsigned long)p;
		kfree(p);
	}
}

__attribute__((noinline)) void bench_glibc_malloc64(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		void *p = malloc(64);
		sink += (unsigned long)p;
		free(p);
	}
}

#define NOBJ 100000

static void *objs[NOBJ];

static void boot(const char *cmdline)
{
	struct mm_host_config cfg = {
	    .ram_mb = 128, .dma_mb = -1, .min_free_kbytes = -1, .no_poison = true};

	snprintf(boot_command_line, sizeof(boot_command_line), "%s", cmdline);
	mm_host_boot(&cfg);
	kmem_cache_init();
}

/* Pages the slab caches hold, in bytes. */
static unsigned long slab_bytes(void)
{
	return (nr_slab_reclaimable + nr_slab_unreclaimable) * PAGE_SIZE;
}

/* @bytes taken for NOBJ objects of @asked bytes each */
static void row(const char *what, unsigned long asked, unsigned long bytes, unsigned long slabs)
{
	double per = (double)bytes / NOBJ;

	printf("overhead %-28s %10lu %8.2f %8.2f %6.1f%% %lu\n", what, bytes, per, per - asked,
	       100.0 * (per - asked) / per, slabs);
}

static struct kmem_cache *kmalloc64(void)
{
	struct kmem_cache *s = kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(64)];

	kmem_cache_shrink(s); /* start from no slabs */
	return s;
}

static void overhead(void)
{
	struct kmem_cache *s;
	unsigned long before, pages;

	/* a dedicated cache of 64-byte objects */
	boot("");
	s = kmem_cache_create("bench64", 64, 0, 0, NULL);
	before = slab_bytes();
	for (int i = 0; i < NOBJ; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	pages = slab_bytes() - before;
	/* + struct page of each slab page (64 bytes, it exists anyway) + the cache */
	row("kmem_cache_create(64)", 64, pages, s->node.nr_slabs);
	printf("overhead-meta struct_kmem_cache %zu struct_page %zu slab_pages %lu\n",
	       sizeof(struct kmem_cache), sizeof(struct page), pages / PAGE_SIZE);
	for (int i = 0; i < NOBJ; i++)
		kmem_cache_free(s, objs[i]);
	kmem_cache_destroy(s);

	/* kmalloc(64): the same, from kmalloc-64 */
	s = kmalloc64();
	before = slab_bytes();
	for (int i = 0; i < NOBJ; i++)
		objs[i] = kmalloc(64, GFP_KERNEL);
	row("kmalloc(64)", 64, slab_bytes() - before, s->node.nr_slabs);
	for (int i = 0; i < NOBJ; i++)
		kfree(objs[i]);

	/* kmalloc(50): a 64-byte class for 50 bytes (internal fragmentation) */
	s = kmalloc64();
	before = slab_bytes();
	for (int i = 0; i < NOBJ; i++)
		objs[i] = kmalloc(50, GFP_KERNEL);
	row("kmalloc(50)", 50, slab_bytes() - before, s->node.nr_slabs);
	for (int i = 0; i < NOBJ; i++)
		kfree(objs[i]);

	/* with slab_debug: red zones, free pointer and tracking beside each object */
	boot("slab_debug");
	s = kmalloc64();
	before = slab_bytes();
	for (int i = 0; i < NOBJ; i++)
		objs[i] = kmalloc(64, GFP_KERNEL);
	row("kmalloc(64) with slab_debug", 64, slab_bytes() - before, s->node.nr_slabs);
	for (int i = 0; i < NOBJ; i++)
		kfree(objs[i]);

	/* glibc: what the heap grows by */
	struct mallinfo2 m0 = mallinfo2(), m1;

	for (int i = 0; i < NOBJ; i++)
		objs[i] = malloc(64);
	m1 = mallinfo2();
	row("glibc malloc(64)", 64, (m1.uordblks - m0.uordblks), 0);
	for (int i = 0; i < NOBJ; i++)
		free(objs[i]);
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 100000;

	if (argc > 1 && strcmp(argv[1], "overhead") == 0) {
		overhead();
		return 0;
	}
	boot("");
	/* warm up: this CPU's slab of kmalloc-64, glibc's tcache */
	bench_kmalloc64(10);
	bench_glibc_malloc64(10);

	bench_glibc_malloc64(n);
	bench_kmalloc64(n);
	printf("ran %lu pairs of each\n", n);
	return 0;
}
