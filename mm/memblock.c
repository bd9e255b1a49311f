/*
 * mm/memblock.c - the boot-time memory map and early allocator.
 *
 * Two sorted arrays of physical ranges: memblock.memory (RAM) and
 * memblock.reserved (in use). Invariants of each array, after every call:
 *
 *   - regions are sorted by base and do not overlap or touch: adding a range
 *     merges it with every region it overlaps or touches;
 *   - no region is empty; total_size is the sum of the sizes.
 *
 * A reserved range need not lie inside memory (the device tree's reserved
 * ranges may name firmware outside RAM); free memory is memory minus
 * reserved, computed on demand:
 *
 *   memory    [=========================================]
 *   reserved     [==]        [=====]          [=]
 *   free      [=]    [======]       [========]   [======]
 *
 * Early allocations go top down (the highest free range that fits), so that
 * the low memory ZONE_DMA needs stays free, as in Linux. The tables are
 * static, INIT_MEMBLOCK_REGIONS entries each; Linux doubles them when they
 * fill up, Pagoda reports -ENOMEM.
 *
 * memblock_free_all() ends memblock's life: every free page goes to the
 * buddy allocator (memblock_free_pages in mm/page_alloc.c), and later
 * memblock allocations fail with a warning.
 *
 * Context: boot only, one CPU; no locks.
 *
 * See: include/kernel/memblock.h, Linux Documentation/core-api/boot-time-mm.rst,
 * labs/buddy/README.md.
 */
#include <kernel/memblock.h>
#include <kernel/mm.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include "internal.h"

static struct memblock_region memory_regions[INIT_MEMBLOCK_REGIONS];
static struct memblock_region reserved_regions[INIT_MEMBLOCK_REGIONS];

struct memblock memblock = {
    .current_limit = PHYS_ADDR_MAX,
    .memory = {.max = INIT_MEMBLOCK_REGIONS, .regions = memory_regions, .name = "memory"},
    .reserved = {.max = INIT_MEMBLOCK_REGIONS, .regions = reserved_regions, .name = "reserved"},
};

static bool memblock_handed_over; /* memblock_free_all() has run */

void memblock_reset(void)
{
	memblock.memory.cnt = memblock.reserved.cnt = 0;
	memblock.memory.total_size = memblock.reserved.total_size = 0;
	memblock.current_limit = PHYS_ADDR_MAX;
	memblock_handed_over = false;
}

static phys_addr_t rgn_end(const struct memblock_region *r)
{
	return r->base + r->size;
}

/* Clamp @size so that base + size does not wrap. */
static phys_addr_t cap_size(phys_addr_t base, phys_addr_t size)
{
	return size < PHYS_ADDR_MAX - base ? size : PHYS_ADDR_MAX - base;
}

static void recount(struct memblock_type *type)
{
	type->total_size = 0;
	for (unsigned long i = 0; i < type->cnt; i++)
		type->total_size += type->regions[i].size;
}

/* Add [base, base + size) to @type, merging with what it overlaps or touches. */
static int memblock_add_range(struct memblock_type *type, phys_addr_t base, phys_addr_t size)
{
	struct memblock_region *r = type->regions;
	phys_addr_t end;
	unsigned long i, j;

	size = cap_size(base, size);
	if (size == 0)
		return 0;
	end = base + size;
	/* regions [i, j) overlap or touch the new range */
	for (i = 0; i < type->cnt && rgn_end(&r[i]) < base; i++)
		;
	for (j = i; j < type->cnt && r[j].base <= end; j++)
		;
	if (i == j) {
		if (type->cnt == type->max) {
			printk("memblock: %s table full (%lu regions): [mem 0x%016llx-0x%016llx] "
			       "not recorded\n",
			       type->name, type->max, base, end - 1);
			return -ENOMEM;
		}
		memmove(&r[i + 1], &r[i], (type->cnt - i) * sizeof(*r));
		type->cnt++;
	} else {
		base = MIN(base, r[i].base);
		end = MAX(end, rgn_end(&r[j - 1]));
		memmove(&r[i + 1], &r[j], (type->cnt - j) * sizeof(*r));
		type->cnt -= j - i - 1;
	}
	r[i].base = base;
	r[i].size = end - base;
	recount(type);
	return 0;
}

/* Take [base, base + size) out of @type, splitting a region if needed. */
static int memblock_remove_range(struct memblock_type *type, phys_addr_t base, phys_addr_t size)
{
	struct memblock_region *r = type->regions;
	phys_addr_t end;
	unsigned long i = 0;
	int err = 0;

	size = cap_size(base, size);
	end = base + size;
	while (size && i < type->cnt) {
		phys_addr_t rbase = r[i].base, rend = rgn_end(&r[i]);

		if (rend <= base || rbase >= end) {
			i++;
		} else if (rbase < base && rend > end) {
			/* the hole is inside this region: it becomes two */
			if (type->cnt == type->max) {
				err = -ENOMEM;
				break;
			}
			memmove(&r[i + 2], &r[i + 1], (type->cnt - i - 1) * sizeof(*r));
			type->cnt++;
			r[i].size = base - rbase;
			r[i + 1].base = end;
			r[i + 1].size = rend - end;
			i += 2;
		} else if (rbase < base) {
			r[i++].size = base - rbase;
		} else if (rend > end) {
			r[i].base = end;
			r[i++].size = rend - end;
		} else {
			memmove(&r[i], &r[i + 1], (type->cnt - i - 1) * sizeof(*r));
			type->cnt--;
		}
	}
	recount(type);
	return err;
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	return memblock_add_range(&memblock.memory, base, size);
}

int memblock_remove(phys_addr_t base, phys_addr_t size)
{
	return memblock_remove_range(&memblock.memory, base, size);
}

int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	return memblock_add_range(&memblock.reserved, base, size);
}

int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	return memblock_remove_range(&memblock.reserved, base, size);
}

/*
 * Free range number @idx: walk memory regions, and inside each the gaps
 * between reserved regions. O(regions) per call, fine for 128 regions.
 */
static bool free_range(u64 idx, phys_addr_t *out_start, phys_addr_t *out_end)
{
	struct memblock_type *res = &memblock.reserved;
	u64 n = 0;

	for (unsigned long m = 0; m < memblock.memory.cnt; m++) {
		phys_addr_t cur = memblock.memory.regions[m].base;
		phys_addr_t mend = rgn_end(&memblock.memory.regions[m]);

		for (unsigned long k = 0; k < res->cnt && cur < mend; k++) {
			const struct memblock_region *r = &res->regions[k];

			if (rgn_end(r) <= cur)
				continue;
			if (r->base >= mend)
				break;
			if (r->base > cur && n++ == idx) {
				*out_start = cur;
				*out_end = r->base;
				return true;
			}
			cur = rgn_end(r);
		}
		if (cur < mend && n++ == idx) {
			*out_start = cur;
			*out_end = mend;
			return true;
		}
	}
	return false;
}

bool __next_free_mem_range(u64 *idx, phys_addr_t *out_start, phys_addr_t *out_end)
{
	if (!free_range(*idx, out_start, out_end))
		return false;
	(*idx)++;
	return true;
}

phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
				      phys_addr_t end)
{
	phys_addr_t fs, fe;
	u64 n = 0;

	if (memblock_handed_over) {
		printk("memblock: allocation of %llu bytes after the buddy allocator took over\n",
		       size);
		return 0;
	}
	if (size == 0 || align == 0 || (align & (align - 1)))
		return 0;
	end = MIN(end, memblock.current_limit);
	while (free_range(n, &fs, &fe))
		n++;
	/* top down: the last free range first */
	while (n-- > 0) {
		free_range(n, &fs, &fe);
		fs = MAX(fs, start);
		fe = MIN(fe, end);
		if (fe <= fs || fe - fs < size)
			continue;
		phys_addr_t cand = ALIGN_DOWN(fe - size, align);
		/* cand == 0 would read as failure: physical page 0 is never handed out */
		if (cand >= fs && cand != 0) {
			if (memblock_reserve(cand, size) < 0)
				return 0;
			return cand;
		}
	}
	return 0;
}

phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_phys_alloc_range(size, align, 0, PHYS_ADDR_MAX);
}

void *memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	phys_addr_t pa = memblock_phys_alloc(size, align);
	void *va;

	if (!pa)
		return NULL;
	va = __va(pa);
	memset(va, 0, size);
	return va;
}

void memblock_free(void *ptr, size_t size)
{
	if (ptr)
		memblock_phys_free(__pa(ptr), size);
}

void memblock_enforce_memory_limit(phys_addr_t limit)
{
	phys_addr_t seen = 0, cut = PHYS_ADDR_MAX;

	/* find the address at which @limit bytes of memory have been seen */
	for (unsigned long i = 0; i < memblock.memory.cnt; i++) {
		struct memblock_region *r = &memblock.memory.regions[i];

		if (seen + r->size >= limit) {
			cut = r->base + (limit - seen);
			break;
		}
		seen += r->size;
	}
	if (cut != PHYS_ADDR_MAX)
		memblock_remove(cut, PHYS_ADDR_MAX - cut);
}

void memblock_set_current_limit(phys_addr_t limit)
{
	memblock.current_limit = limit;
}

phys_addr_t memblock_start_of_DRAM(void)
{
	return memblock.memory.cnt ? memblock.memory.regions[0].base : 0;
}

phys_addr_t memblock_end_of_DRAM(void)
{
	return memblock.memory.cnt ? rgn_end(&memblock.memory.regions[memblock.memory.cnt - 1]) : 0;
}

phys_addr_t memblock_phys_mem_size(void)
{
	return memblock.memory.total_size;
}

phys_addr_t memblock_reserved_size(void)
{
	return memblock.reserved.total_size;
}

bool memblock_is_memory(phys_addr_t addr)
{
	struct memblock_region *r;

	for_each_mem_region(r)
		if (addr >= r->base && addr < rgn_end(r))
			return true;
	return false;
}

bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size)
{
	struct memblock_region *r;
	phys_addr_t end = base + cap_size(base, size);

	for_each_reserved_mem_region(r)
		if (r->base < end && rgn_end(r) > base)
			return true;
	return false;
}

static void dump_type(struct memblock_type *type)
{
	printk(" %s.cnt  = 0x%lx\n", type->name, type->cnt);
	for (unsigned long i = 0; i < type->cnt; i++) {
		struct memblock_region *r = &type->regions[i];
		printk(" %s[0x%lx]\t[0x%016llx-0x%016llx], 0x%016llx bytes\n", type->name, i,
		       r->base, rgn_end(r) - 1, r->size);
	}
}

void memblock_dump_all(void)
{
	printk("MEMBLOCK configuration:\n");
	printk(" memory size = 0x%016llx reserved size = 0x%016llx\n", memblock.memory.total_size,
	       memblock.reserved.total_size);
	dump_type(&memblock.memory);
	dump_type(&memblock.reserved);
}

/* Give [start_pfn, end_pfn) to the buddy in naturally aligned blocks. */
static unsigned long free_pages_memory(unsigned long start, unsigned long end)
{
	unsigned long n = end > start ? end - start : 0;

	while (start < end) {
		unsigned int order = MAX_PAGE_ORDER;

		/* the largest order at which start is aligned and the block fits */
		while (order > 0 &&
		       ((start & ((1UL << order) - 1)) || start + (1UL << order) > end))
			order--;
		memblock_free_pages(pfn_to_page(start), start, order);
		start += 1UL << order;
	}
	return n;
}

unsigned long memblock_free_all(void)
{
	phys_addr_t start, end;
	unsigned long pages = 0;
	u64 i;

	if (memblock_handed_over)
		return 0;
	for_each_free_mem_range(i, &start, &end)
		pages += free_pages_memory(PAGE_ALIGN(start) >> PAGE_SHIFT, end >> PAGE_SHIFT);
	memblock_handed_over = true;
	return pages;
}
