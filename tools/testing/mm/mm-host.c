/*
 * tools/testing/mm/mm-host.c - the host environment for the real mm/
 * sources: RAM, CPUs, locks, printk and panic, the invariant checker and
 * the operation interpreter (see mm-host.h).
 *
 * "Physical" RAM starts at MM_HOST_RAM_BASE (0x80000000, as on RISC-V) and
 * lives in one malloc'd arena; the stub <kernel/arch.h> makes __va(pa) =
 * pa + mm_host_page_offset point into it. Locks only check the rules (one
 * thread); cpuid() returns mm_host_cpu so a test can play several CPUs.
 *
 * Used by the host unit tests (with ktest-host.c), the fuzzer
 * (fuzz/buddy_fuzz.c) and the benchmark (bench/).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kernel/types.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/proc.h>
#include <kernel/mm.h>
#include <kernel/memblock.h>
#include <kernel/smp.h>
#include <kernel/errno.h>
#include "mm-host.h"

u64 mm_host_page_offset;
int mm_host_cpu;
int ncpus_online = 4;

/* ---- printk and panic ----------------------------------------------------- */

char mm_host_log[16384];
static size_t log_len;
static int verbose = -1;

void mm_host_log_clear(void)
{
	log_len = 0;
	mm_host_log[0] = '\0';
}

int printk(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (verbose < 0)
		verbose = getenv("MM_HOST_VERBOSE") != NULL;
	if (verbose)
		printf("# printk: %s%s", msg, strchr(msg, '\n') ? "" : "\n");
	for (const char *p = msg; *p && log_len + 1 < sizeof(mm_host_log); p++)
		mm_host_log[log_len++] = *p;
	mm_host_log[log_len] = '\0';
	return n;
}

char mm_host_panic_msg[512];
static jmp_buf *panic_env;

void mm_host_expect_panic(jmp_buf *env)
{
	mm_host_panic_msg[0] = '\0';
	panic_env = env;
}

void mm_host_no_panic(void)
{
	panic_env = NULL;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(mm_host_panic_msg, sizeof(mm_host_panic_msg), fmt, ap);
	va_end(ap);
	if (panic_env) {
		jmp_buf *env = panic_env;

		panic_env = NULL;
		longjmp(*env, 1);
	}
	printf("# kernel panic: %s\n", mm_host_panic_msg);
	fflush(stdout);
	abort();
}

/* ---- locks: one thread, so they only check the rules ----------------------- */

int mm_host_noff; /* nesting of push_off() */
/* by arch_local_irq_disable (local_irq_save); the inlines are in stubs/kernel/arch.h */
int mm_host_irqs_disabled;
static bool intena; /* were interrupts on at the outermost push_off()? */

/* As the kernel's: the outermost push_off remembers, the matching pop_off restores. */
void push_off(void)
{
	bool was_on = arch_irqs_enabled();

	mm_host_irqs_disabled = 1;
	if (mm_host_noff == 0)
		intena = was_on;
	mm_host_noff++;
}

void pop_off(void)
{
	if (mm_host_noff < 1)
		panic("pop_off: unbalanced");
	if (--mm_host_noff == 0 && intena)
		arch_local_irq_enable();
}

void (*mm_host_pending_irq)(void);

/* Run the pending interrupt's handler, interrupts off, as the trap entry would. */
void mm_host_deliver_irq(void)
{
	void (*handler)(void) = mm_host_pending_irq;

	mm_host_pending_irq = NULL;
	push_off();
	handler();
	pop_off();
}

/* An IPI to @cpu: play that CPU while @fn runs, with its interrupts off. */
int smp_call_function_single(int cpu, void (*fn)(void *arg), void *arg)
{
	int self = mm_host_cpu;

	if (cpu < 0 || cpu >= NCPU)
		return -EINVAL;
	mm_host_cpu = cpu;
	push_off();
	fn(arg);
	pop_off();
	mm_host_cpu = self;
	return 0;
}

void spin_lock_init(struct spinlock *lk, const char *name)
{
	lk->locked = 0;
	lk->name = name;
	lk->cpu = NULL;
}

void spin_lock(struct spinlock *lk)
{
	push_off();
	if (lk->locked)
		panic("spin_lock: %s: already held (recursive locking)", lk->name);
	lk->locked = 1;
}

void spin_unlock(struct spinlock *lk)
{
	if (!lk->locked)
		panic("spin_unlock: %s: not held", lk->name);
	lk->locked = 0;
	pop_off();
}

bool spin_is_held(struct spinlock *lk)
{
	return lk->locked;
}

/* ---- boot ------------------------------------------------------------------ */

static u8 *arena;
static size_t arena_size;

void mm_host_boot(const struct mm_host_config *cfg)
{
	static const struct mm_host_config defaults = {
	    .ram_mb = 64, .dma_mb = -1, .min_free_kbytes = -1};
	size_t size;
	u64 base = MM_HOST_RAM_BASE, end;
	long dma_mb;

	if (!cfg)
		cfg = &defaults;
	size = (cfg->ram_mb ? cfg->ram_mb : 64) << 20;
	if (size > arena_size) {
		free(arena);
		arena = NULL;
		if (posix_memalign((void **)&arena, 1 << 22, size) != 0) {
			printf("# mm_host_boot: cannot allocate %zu MiB\n", size >> 20);
			abort();
		}
		arena_size = size;
	}
	mm_host_page_offset = (u64)(uintptr_t)arena - base;
	end = base + size;

	memblock_reset();
	min_free_kbytes = 1024;
	user_min_free_kbytes = cfg->min_free_kbytes;
	nr_alloc_fallbacks = nr_pageblocks_stolen = 0;
	kswapd_wakeups = direct_reclaim_stalls = 0;
	page_poisoning = !cfg->no_poison;
	mm_host_cpu = 0;
	mm_host_noff = 0;
	mm_host_irqs_disabled = 0;
	mm_host_pending_irq = NULL;
	mm_host_log_clear();

	memblock_add(base, size);
	/* like a real boot: firmware and the kernel image low, the device tree high */
	memblock_reserve(base, 0x280000);
	memblock_reserve(end - 0x200000, 0x2000);
	for (int i = 0; i < cfg->nreserved; i++)
		memblock_reserve(cfg->reserved[i].base, cfg->reserved[i].size);
	if (cfg->cma.size)
		memblock_reserve(cfg->cma.base, cfg->cma.size);
	dma_mb = cfg->dma_mb < 0 ? 16 : cfg->dma_mb;
	mm_core_init((phys_addr_t)dma_mb << 20);
	for (u64 pa = cfg->cma.base; pa < cfg->cma.base + cfg->cma.size;
	     pa += PAGE_SIZE << pageblock_order)
		init_cma_reserved_pageblock(pfn_to_page(pa >> PAGE_SHIFT));
}

void mm_host_boot_mb(unsigned long ram_mb)
{
	struct mm_host_config cfg = {.ram_mb = ram_mb, .dma_mb = -1, .min_free_kbytes = -1};

	mm_host_boot(&cfg);
}

/* ---- the checker ------------------------------------------------------------ */

enum { ST_NONE, ST_FREE, ST_PCP };

#define FAILF(...)                                \
	do {                                      \
		snprintf(why, size, __VA_ARGS__); \
		free(state);                      \
		return -1;                        \
	} while (0)

int mm_host_check(char *why, size_t size)
{
	unsigned long npages = max_pfn - min_low_pfn;
	u8 *state = calloc(npages, 1);
	struct zone *zone;

	if (mm_host_noff != 0)
		FAILF("interrupts left off (%d push_off without pop_off)", mm_host_noff);
	if (mm_host_irqs_disabled)
		FAILF("interrupts left off (local_irq_save without local_irq_restore)");
	for_each_populated_zone(zone) {
		unsigned long total = 0, cma_total = 0, managed = 0;

		if (zone->lock.locked)
			FAILF("zone %s: lock left held", zone->name);
		for (unsigned order = 0; order < NR_PAGE_ORDERS; order++) {
			unsigned long count = 0;

			for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
				struct page *page;

				list_for_each_entry(page, &zone->free_area[order].free_list[mt],
						    lru) {
					unsigned long pfn = page_to_pfn(page);
					int pb_mt;

					if (++count > npages)
						FAILF("zone %s order %u: free list loops",
						      zone->name, order);
					if (!pfn_valid(pfn) || !zone_spans_pfn(zone, pfn) ||
					    pfn + (1UL << order) > zone_end_pfn(zone))
						FAILF(
						    "zone %s: free block pfn 0x%lx order %u outside "
						    "the zone",
						    zone->name, pfn, order);
					if (!PageBuddy(page) || buddy_order(page) != order)
						FAILF(
						    "pfn 0x%lx on order-%u list: PageBuddy %d order %u",
						    pfn, order, PageBuddy(page), buddy_order(page));
					if (pfn & ((1UL << order) - 1))
						FAILF("pfn 0x%lx on order-%u list is not aligned",
						      pfn, order);
					if (page_zone(page) != zone || page_ref_count(page) != 0)
						FAILF("pfn 0x%lx: zone %s refcount %d", pfn,
						      page_zone(page)->name, page_ref_count(page));
					pb_mt = get_pageblock_migratetype(page);
					if ((pb_mt == MIGRATE_CMA) != (mt == MIGRATE_CMA) ||
					    (pb_mt == MIGRATE_ISOLATE) != (mt == MIGRATE_ISOLATE))
						FAILF("pfn 0x%lx: on the %s list in a %s pageblock",
						      pfn, migratetype_names[mt],
						      migratetype_names[pb_mt]);
					for (unsigned long i = 0; i < (1UL << order); i++) {
						struct page *p = page + i;

						if (state[pfn + i - min_low_pfn] != ST_NONE)
							FAILF("pfn 0x%lx is in two free blocks",
							      pfn + i);
						state[pfn + i - min_low_pfn] = ST_FREE;
						if (i && (PageBuddy(p) || page_ref_count(p) != 0))
							FAILF("tail pfn 0x%lx of free block 0x%lx: "
							      "PageBuddy %d refcount %d",
							      pfn + i, pfn, PageBuddy(p),
							      page_ref_count(p));
						if (PageReserved(p))
							FAILF("reserved pfn 0x%lx is free",
							      pfn + i);
					}
					total += 1UL << order;
					if (pb_mt == MIGRATE_CMA)
						cma_total += 1UL << order;
					/* a free buddy of the same order should have merged */
					if (order < MAX_PAGE_ORDER) {
						unsigned long bpfn = pfn ^ (1UL << order);
						struct page *b = pfn_to_page(bpfn);

						if (pfn_valid(bpfn) && zone_spans_pfn(zone, bpfn) &&
						    PageBuddy(b) && buddy_order(b) == order) {
							int bmt = get_pageblock_migratetype(b);
							bool ok_apart = order >= pageblock_order &&
									bmt != pb_mt &&
									(bmt >= MIGRATE_PCPTYPES ||
									 pb_mt >= MIGRATE_PCPTYPES);
							if (!ok_apart)
								FAILF(
								    "free buddies 0x%lx and 0x%lx of "
								    "order %u did not merge",
								    pfn, bpfn, order);
						}
					}
				}
			}
			if (count != zone->free_area[order].nr_free)
				FAILF("zone %s order %u: nr_free %lu but %lu blocks on the lists",
				      zone->name, order, zone->free_area[order].nr_free, count);
		}
		if (total != zone_page_state(zone, NR_FREE_PAGES))
			FAILF("zone %s: NR_FREE_PAGES %lu but %lu pages on the free lists",
			      zone->name, zone_page_state(zone, NR_FREE_PAGES), total);
		if (cma_total != zone_page_state(zone, NR_FREE_CMA_PAGES))
			FAILF("zone %s: NR_FREE_CMA_PAGES %lu but %lu free in CMA blocks",
			      zone->name, zone_page_state(zone, NR_FREE_CMA_PAGES), cma_total);
		for (int cpu = 0; cpu < NCPU; cpu++) {
			struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
			int n = 0;

			for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
				struct page *page;

				list_for_each_entry(page, &pcp->lists[mt], lru) {
					unsigned long pfn = page_to_pfn(page);

					if (++n > (int)npages)
						FAILF("pcp list loops");
					if (page_zone(page) != zone || PageBuddy(page) ||
					    page_ref_count(page) != 0 || PageReserved(page))
						FAILF("pcp page pfn 0x%lx: zone %s buddy %d ref %d",
						      pfn, page_zone(page)->name, PageBuddy(page),
						      page_ref_count(page));
					if (state[pfn - min_low_pfn] != ST_NONE)
						FAILF("pfn 0x%lx is both on a pcp list and free",
						      pfn);
					state[pfn - min_low_pfn] = ST_PCP;
				}
			}
			if (n != pcp->count)
				FAILF("zone %s cpu %d: pcp count %d but %d pages listed",
				      zone->name, cpu, pcp->count, n);
			if (pcp->count >= pcp->high)
				FAILF("zone %s cpu %d: pcp count %d not below high %d", zone->name,
				      cpu, pcp->count, pcp->high);
		}
		for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone); pfn++)
			managed += !PageReserved(pfn_to_page(pfn));
		if (managed != zone_managed_pages(zone))
			FAILF("zone %s: managed_pages %lu but %lu pages not reserved", zone->name,
			      zone_managed_pages(zone), managed);
	}
	free(state);
	return 0;
}

void mm_host_free_per_order(unsigned long *nr)
{
	struct zone *zone;

	drain_all_pages(NULL);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		nr[o] = 0;
	for_each_populated_zone(zone)
		for (int o = 0; o < NR_PAGE_ORDERS; o++)
			nr[o] += zone->free_area[o].nr_free;
}

unsigned long mm_host_free_share_at_least(unsigned int order)
{
	unsigned long big = 0, all = 0;
	struct zone *zone;

	for_each_populated_zone(zone) {
		for (unsigned o = 0; o < NR_PAGE_ORDERS; o++) {
			unsigned long pages = zone->free_area[o].nr_free << o;

			all += pages;
			if (o >= order)
				big += pages;
		}
	}
	return all ? big * 10000 / all : 0;
}

/* ---- the operation interpreter (randomized test and fuzzer) ---------------- */

struct live {
	struct page *page;
	unsigned int order;
	u64 tag;
	size_t exact; /* alloc_pages_exact size, 0 for alloc_pages */
};

#define MAX_LIVE 2048

static const gfp_t op_gfps[8] = {
    GFP_KERNEL,		  GFP_ATOMIC, GFP_HIGHUSER_MOVABLE,    GFP_KERNEL | __GFP_RECLAIMABLE,
    GFP_DMA | GFP_KERNEL, GFP_NOWAIT, GFP_KERNEL | __GFP_ZERO, GFP_USER | __GFP_MEMALLOC,
};
static const u8 op_orders[16] = {0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4, 6, 9, 10, 11};

static void ops_fail(const char *what, unsigned long a, unsigned long b)
{
	panic("mm_host_run_ops: %s (0x%lx, 0x%lx)", what, a, b);
}

static void tag_block(struct page *page, unsigned long npages, u64 tag)
{
	for (unsigned long i = 0; i < npages; i++)
		*(u64 *)page_address(page + i) = tag + i;
}

static void check_tag(struct page *page, unsigned long npages, u64 tag)
{
	for (unsigned long i = 0; i < npages; i++)
		if (*(u64 *)page_address(page + i) != tag + i)
			ops_fail("a live page was overwritten", page_to_pfn(page) + i, tag);
}

static unsigned long live_pages(const struct live *l)
{
	return l->exact ? PAGE_ALIGN(l->exact) >> PAGE_SHIFT : 1UL << l->order;
}

void mm_host_run_ops(const u8 *data, size_t size, bool check_every_op)
{
	static struct live live[MAX_LIVE];
	unsigned long npages = max_pfn - min_low_pfn;
	u8 *owner = calloc(npages, 1);
	unsigned long before = nr_free_pages(), before_orders[NR_PAGE_ORDERS];
	int nlive = 0;
	u64 next_tag = 1;
	char why[256];
	size_t i = 0;

	mm_host_free_per_order(before_orders);
	before = nr_free_pages();
	while (i < size) {
		u8 op = data[i++];
		u8 arg = i < size ? data[i++] : 0;

		mm_host_cpu = (op >> 4) & 3;
		switch (op & 7) {
		case 0:
		case 1:
		case 2: {
			gfp_t gfp = op_gfps[(arg >> 4) & 7] | __GFP_NOWARN;
			unsigned int order = op_orders[arg & 15];
			struct live l = {0};
			unsigned long pfn, n;

			if (nlive == MAX_LIVE)
				break;
			if ((op & 7) == 2 && (op & 8)) {
				l.exact = ((size_t)arg + 1) * 3000; /* 1 .. 188 pages */
				void *p = alloc_pages_exact(l.exact, gfp);
				l.page = p ? virt_to_page(p) : NULL;
				l.order = get_order(l.exact);
			} else {
				l.page = alloc_pages(gfp, order);
				l.order = order;
				if (order > MAX_PAGE_ORDER && l.page)
					ops_fail("an order above MAX_PAGE_ORDER succeeded", order,
						 0);
			}
			if (!l.page)
				break;
			pfn = page_to_pfn(l.page);
			n = live_pages(&l);
			if (!pfn_valid(pfn) || !pfn_valid(pfn + n - 1))
				ops_fail("allocation outside RAM", pfn, n);
			if (pfn & ((1UL << l.order) - 1))
				ops_fail("block not aligned to its order", pfn, l.order);
			if ((gfp & __GFP_DMA) && page_zonenum(l.page) != ZONE_DMA)
				ops_fail("GFP_DMA got a page outside ZONE_DMA", pfn, 0);
			if (page_ref_count(l.page) != 1)
				ops_fail("new block's refcount is not 1", pfn,
					 page_ref_count(l.page));
			for (unsigned long k = 0; k < n; k++) {
				if (owner[pfn + k - min_low_pfn])
					ops_fail("allocated a page twice", pfn + k, 0);
				owner[pfn + k - min_low_pfn] = 1;
			}
			if (gfp & __GFP_ZERO) {
				const u64 *w = page_address(l.page);
				for (unsigned long k = 0; k < (n << PAGE_SHIFT) / 8; k++)
					if (w[k])
						ops_fail("__GFP_ZERO block not zero", pfn, k);
			}
			l.tag = next_tag;
			next_tag += n;
			tag_block(l.page, n, l.tag);
			live[nlive++] = l;
			break;
		}
		case 3:
		case 4:
		case 5: {
			struct live l;
			unsigned long pfn, n;

			if (!nlive)
				break;
			int k = arg % nlive;
			l = live[k];
			live[k] = live[--nlive];
			pfn = page_to_pfn(l.page);
			n = live_pages(&l);
			check_tag(l.page, n, l.tag);
			for (unsigned long j = 0; j < n; j++)
				owner[pfn + j - min_low_pfn] = 0;
			if (l.exact) {
				free_pages_exact(page_address(l.page), l.exact);
			} else if ((op & 7) == 5) {
				/* a second reference: the first put must not free it */
				get_page(l.page);
				__free_pages(l.page, l.order);
				if (page_ref_count(l.page) != 1)
					ops_fail("put with two references freed the block", pfn, 0);
				check_tag(l.page, n, l.tag);
				__free_pages(l.page, l.order);
			} else {
				free_pages((unsigned long)page_address(l.page), l.order);
			}
			break;
		}
		case 6:
			if (arg & 1)
				drain_all_pages(NULL);
			else
				drain_local_pages(NULL);
			break;
		case 7:
			min_free_kbytes_sysctl_handler((long)arg * 16);
			break;
		}
		if (check_every_op && mm_host_check(why, sizeof(why)) < 0)
			panic("mm_host_run_ops: after op %zu (0x%02x 0x%02x): %s", i, op, arg, why);
	}
	if (mm_host_check(why, sizeof(why)) < 0)
		panic("mm_host_run_ops: %s", why);
	while (nlive > 0) {
		struct live *l = &live[--nlive];

		check_tag(l->page, live_pages(l), l->tag);
		if (l->exact)
			free_pages_exact(page_address(l->page), l->exact);
		else
			__free_pages(l->page, l->order);
	}
	if (nr_free_pages() != before)
		ops_fail("free pages after freeing everything differ", nr_free_pages(), before);
	{
		unsigned long after[NR_PAGE_ORDERS];

		mm_host_free_per_order(after);
		for (int o = 0; o < NR_PAGE_ORDERS; o++)
			if (after[o] != before_orders[o])
				ops_fail("free blocks per order differ from before", o, after[o]);
	}
	if (mm_host_check(why, sizeof(why)) < 0)
		panic("mm_host_run_ops: at the end: %s", why);
	free(owner);
}

/* ---- the fragmentation workload ------------------------------------------- */

static u64 frag_rng;

static u64 frag_rand(void)
{
	/* xorshift64*: fixed seed, same sequence with and without grouping */
	frag_rng ^= frag_rng >> 12;
	frag_rng ^= frag_rng << 25;
	frag_rng ^= frag_rng >> 27;
	return frag_rng * 0x2545F4914F6CDD1DULL;
}

struct frag_obj {
	struct page *page;
	unsigned int order;
};

static void frag_free(struct frag_obj *v, unsigned long *n, unsigned long k, unsigned long *used)
{
	__free_pages(v[k].page, v[k].order);
	*used -= 1UL << v[k].order;
	v[k] = v[--*n];
}

unsigned long mm_host_frag_workload(unsigned long ram_mb, unsigned long seed, unsigned long steps,
				    bool grouping, unsigned long *fallbacks, unsigned long *stolen)
{
	struct mm_host_config cfg = {
	    .ram_mb = ram_mb, .dma_mb = -1, .min_free_kbytes = -1, .no_poison = true};
	unsigned long cap, target, used = 0, nmov = 0, nunm = 0, share;
	struct frag_obj *mov, *unm;

	mm_host_boot(&cfg);
	if (!grouping)
		page_group_by_mobility_disabled = true;
	cap = totalram_pages();
	target = cap * 7 / 10;
	mov = calloc(cap, sizeof(*mov));
	unm = calloc(cap, sizeof(*unm));
	frag_rng = seed | 1;
	for (unsigned long s = 0; s < steps; s++) {
		u64 r = frag_rand() % 100;

		if (used < target && r < 60) {
			struct frag_obj o;
			u64 kind = frag_rand() % 100;
			gfp_t gfp;

			if (kind < 80) {
				gfp = GFP_HIGHUSER_MOVABLE;
				o.order = 0;
			} else if (kind < 95) {
				gfp = GFP_KERNEL;
				o.order = (unsigned int)(frag_rand() % 3);
			} else {
				gfp = GFP_KERNEL | __GFP_RECLAIMABLE;
				o.order = 0;
			}
			o.page = alloc_pages(gfp | __GFP_NOWARN, o.order);
			if (!o.page)
				continue;
			used += 1UL << o.order;
			if (gfp & __GFP_MOVABLE)
				mov[nmov++] = o;
			else
				unm[nunm++] = o;
		} else if (nmov + nunm) {
			/* any live block is as likely to go, movable or not */
			u64 k = frag_rand() % (nmov + nunm);

			if (k < nmov)
				frag_free(mov, &nmov, k, &used);
			else
				frag_free(unm, &nunm, k - nmov, &used);
		}
	}
	/* the user processes exit: every movable page comes back */
	while (nmov)
		frag_free(mov, &nmov, nmov - 1, &used);
	drain_all_pages(NULL);
	share = mm_host_free_share_at_least(pageblock_order);
	if (fallbacks)
		*fallbacks = nr_alloc_fallbacks;
	if (stolen)
		*stolen = nr_pageblocks_stolen;
	while (nunm)
		frag_free(unm, &nunm, nunm - 1, &used);
	free(mov);
	free(unm);
	return share;
}
