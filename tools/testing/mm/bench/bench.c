/*
 * tools/testing/mm/bench/bench.c - the page allocator's benchmarks (run by
 * tools/bench-buddy.py, `make bench`): the real mm/ sources built for the
 * host at -O2 without sanitizers, next to a plain free-list allocator.
 *
 *   bench_*_order0/3   N alloc+free pairs each; under callgrind, each
 *                      function's inclusive instruction count / N is the
 *                      cost of one pair (the buddy's order 0 is a per-CPU
 *                      list hit; order 3 splits and merges every time)
 *   frag               the fragmentation workload (mm-host.c) with and
 *                      without grouping by mobility
 *
 * The free-list baseline is the simplest allocator that could serve the
 * same calls: one list of free blocks per order, carved once, a lock and a
 * counter; no splitting, merging, zones or watermarks. Page poisoning is
 * off in both (it would add the same 4 KiB memset to each).
 *
 * Usage: buddy-bench [N]       (prints nothing useful without callgrind
 *                               except the fragmentation figures)
 */
#include <stdio.h>
#include <stdlib.h>
#include "../mm-host.h"

/* ---- the baseline ---------------------------------------------------------- */

struct fl_block {
	struct fl_block *next;
};

static struct {
	struct spinlock lock;
	struct fl_block *free[NR_PAGE_ORDERS];
	unsigned long nr_free;
} fl;

/* Carve [@base, @base + @bytes) into blocks of @order. */
static void fl_init(void *base, unsigned long bytes, unsigned int order)
{
	unsigned long size = PAGE_SIZE << order;

	spin_lock_init(&fl.lock, "freelist");
	for (unsigned long off = 0; off + size <= bytes; off += size) {
		struct fl_block *b = (struct fl_block *)((char *)base + off);

		b->next = fl.free[order];
		fl.free[order] = b;
		fl.nr_free += 1UL << order;
	}
}

__attribute__((noinline)) static void *fl_alloc(unsigned int order)
{
	struct fl_block *b;

	spin_lock(&fl.lock);
	b = fl.free[order];
	if (b) {
		fl.free[order] = b->next;
		fl.nr_free -= 1UL << order;
	}
	spin_unlock(&fl.lock);
	return b;
}

__attribute__((noinline)) static void fl_free(void *p, unsigned int order)
{
	struct fl_block *b = p;

	spin_lock(&fl.lock);
	b->next = fl.free[order];
	fl.free[order] = b;
	fl.nr_free += 1UL << order;
	spin_unlock(&fl.lock);
}

/* ---- the measured loops ---------------------------------------------------- */

static volatile unsigned long sink;

__attribute__((noinline)) void bench_freelist_order0(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		void *p = fl_alloc(0);
		sink += (unsigned long)p;
		fl_free(p, 0);
	}
}

__attribute__((noinline)) void bench_freelist_order3(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		void *p = fl_alloc(3);
		sink += (unsigned long)p;
		fl_free(p, 3);
	}
}

__attribute__((noinline)) void bench_buddy_order0(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		unsigned long p = __get_free_pages(GFP_KERNEL, 0);
		sink += p;
		free_pages(p, 0);
	}
}

__attribute__((noinline)) void bench_buddy_order3(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		unsigned long p = __get_free_pages(GFP_KERNEL, 3);
		sink += p;
		free_pages(p, 3);
	}
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 10000;
	struct mm_host_config cfg = {
	    .ram_mb = 128, .dma_mb = -1, .min_free_kbytes = -1, .no_poison = true};
	static char fl_arena[2][64 * 4096] __attribute__((aligned(4096)));

	if (argc > 2) {
		/* frag SEED STEPS: the fragmentation benchmark */
		unsigned long seed = strtoul(argv[1], NULL, 0), steps = strtoul(argv[2], NULL, 0);
		unsigned long f1, s1, f2, s2;
		unsigned long with = mm_host_frag_workload(128, seed, steps, true, &f1, &s1);
		unsigned long without = mm_host_frag_workload(128, seed, steps, false, &f2, &s2);

		printf("frag grouped %lu fallbacks %lu stolen %lu\n", with, f1, s1);
		printf("frag ungrouped %lu fallbacks %lu stolen %lu\n", without, f2, s2);
		return 0;
	}
	fl_init(fl_arena[0], sizeof(fl_arena[0]), 0);
	fl_init(fl_arena[1], sizeof(fl_arena[1]), 3);
	mm_host_boot(&cfg);
	/* warm up: the per-CPU list gets its batch, the first unmovable fallback happens */
	bench_buddy_order0(10);
	bench_buddy_order3(10);
	bench_freelist_order0(10);
	bench_freelist_order3(10);

	bench_freelist_order0(n);
	bench_buddy_order0(n);
	bench_freelist_order3(n);
	bench_buddy_order3(n);
	printf("ran %lu pairs of each\n", n);
	return 0;
}
