/*
 * tools/testing/mm/mm-host.h - the host environment for the real mm/
 * sources (memblock, mm_init, page_alloc, vmstat): a malloc'd arena that
 * plays physical RAM at 0x80000000, simulated CPUs, printk capture, panic
 * catching, an invariant checker and an operation interpreter shared by
 * the randomized test and the fuzzer.
 *
 * See: mm-host.c, sources.mk, fuzz/buddy_fuzz.c.
 */
#ifndef _MM_HOST_H
#define _MM_HOST_H

#include <setjmp.h>
#include <stddef.h>
#include <kernel/types.h>
#include <kernel/mm.h>
#include <kernel/memblock.h>
#include "internal.h" /* mm/internal.h: ALLOC_* flags, mm_core_init */

#define MM_HOST_RAM_BASE 0x80000000ULL
#define MM_HOST_MAX_MB 256

struct mm_host_range {
	u64 base, size;
};

struct mm_host_config {
	unsigned long ram_mb; /* RAM size (default 64) */
	long dma_mb;	      /* ZONE_DMA size in MiB (default -1: 16) */
	int min_free_kbytes;  /* -1 (default): computed as at boot */
	bool no_poison;	      /* page_poisoning off (benchmarks) */
	int nreserved;	      /* ranges reserved before the hand-over */
	struct mm_host_range reserved[8];
	struct mm_host_range cma; /* turned into CMA pageblocks after boot */
};

/* Boot the allocator on a fresh arena (@cfg NULL: the defaults). */
void mm_host_boot(const struct mm_host_config *cfg);
void mm_host_boot_mb(unsigned long ram_mb);

/* Printk capture: everything since the last mm_host_log_clear(). */
extern char mm_host_log[16384];
void mm_host_log_clear(void);

/* The next panic() longjmps to @env instead of failing the test. */
extern char mm_host_panic_msg[512];
void mm_host_expect_panic(jmp_buf *env);
void mm_host_no_panic(void);

/*
 * mm_host_check - every invariant of the free lists, per-CPU lists and
 * counters (see mm-host.c). Return: 0, or -1 with the first problem in
 * @why.
 */
int mm_host_check(char *why, size_t size);

/* Free pages per order of every zone, after draining the per-CPU lists. */
void mm_host_free_per_order(unsigned long *nr /* [NR_PAGE_ORDERS] */);

/*
 * mm_host_run_ops - interpret @data as a sequence of allocator operations
 * (alloc with various gfp/orders on various CPUs, free, drain, watermark
 * change, __free_pages with an extra reference ...), checking the results
 * against a shadow model and mm_host_check() as it goes; at the end free
 * everything and check that all memory came back. Panics on any violation
 * (the fuzzer turns that into a crash report).
 */
void mm_host_run_ops(const u8 *data, size_t size, bool check_every_op);

/* How much free memory is in blocks of order >= @order (percent, x100). */
unsigned long mm_host_free_share_at_least(unsigned int order);

/*
 * mm_host_frag_workload - the fragmentation workload (test and benchmark):
 * @steps random allocations and frees mixing movable order-0 pages (80% of
 * allocations), unmovable blocks of order 0..2 (15%) and reclaimable pages,
 * holding about 70% of memory, any live block as likely to be freed as any
 * other; then every movable page is freed (as if all user processes
 * exited). With @grouping false, page_group_by_mobility_disabled is set
 * right after boot. Boots its own machine (@ram_mb).
 * Return: the share of free memory in blocks of order >= pageblock_order,
 * in hundredths of a percent; *@stolen/@fallbacks: the counters.
 */
unsigned long mm_host_frag_workload(unsigned long ram_mb, unsigned long seed, unsigned long steps,
				    bool grouping, unsigned long *fallbacks, unsigned long *stolen);

#endif /* _MM_HOST_H */
