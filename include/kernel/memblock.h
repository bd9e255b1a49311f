/*
 * kernel/memblock.h - the boot-time memory map and early allocator
 * (Linux's memblock).
 *
 * Before the buddy allocator exists, the kernel knows memory as two lists of
 * physical ranges, each kept sorted and merged:
 *
 *   memblock.memory    RAM (device tree /memory, cut by mem=)
 *   memblock.reserved  in use: firmware, kernel image, device tree,
 *                      /reserved-memory, and every early allocation
 *
 * Free memory is memory minus reserved. memblock_alloc() carves early
 * allocations (the struct page array, pageblock bitmaps) out of free memory,
 * top down, and reserves them. memblock_free_all() then hands every free
 * page to the buddy allocator, once; memblock allocations fail after that.
 *
 * Boot only: one CPU, no locking.
 *
 * See: mm/memblock.c, Linux Documentation/core-api/boot-time-mm.rst.
 */
#ifndef _KERNEL_MEMBLOCK_H
#define _KERNEL_MEMBLOCK_H

#include <kernel/types.h>

#define INIT_MEMBLOCK_REGIONS 128
#define PHYS_ADDR_MAX (~(phys_addr_t)0)

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
};

struct memblock_type {
	unsigned long cnt;	/* regions in use */
	unsigned long max;	/* size of the regions array */
	phys_addr_t total_size; /* bytes in all regions */
	struct memblock_region *regions;
	const char *name;
};

struct memblock {
	phys_addr_t current_limit; /* allocations stay below this */
	struct memblock_type memory;
	struct memblock_type reserved;
};

extern struct memblock memblock;

/*
 * memblock_add / memblock_remove / memblock_reserve / memblock_phys_free -
 * add a range to memory, take it out of memory, mark it in use, or no
 * longer in use (the opposite of memblock_reserve).
 * Return: 0, or -ENOMEM when the region table is full (the range is then
 * not, or only partly, recorded).
 */
int memblock_add(phys_addr_t base, phys_addr_t size);
int memblock_remove(phys_addr_t base, phys_addr_t size);
int memblock_reserve(phys_addr_t base, phys_addr_t size);
int memblock_phys_free(phys_addr_t base, phys_addr_t size);

/*
 * memblock_phys_alloc_range - reserve @size bytes aligned to @align (a power
 * of two) inside [@start, @end) and below current_limit, as high as possible.
 * Return: the physical address, or 0 when nothing fits.
 */
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
				      phys_addr_t end);
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align);
/* The same, zeroed, as a direct-map address. Return: NULL when nothing fits. */
void *memblock_alloc(phys_addr_t size, phys_addr_t align);
/* Give back a memblock_alloc()ed block (before memblock_free_all()). */
void memblock_free(void *ptr, size_t size);

/* mem=: drop all memory above the first @limit bytes of it. */
void memblock_enforce_memory_limit(phys_addr_t limit);
void memblock_set_current_limit(phys_addr_t limit);

phys_addr_t memblock_start_of_DRAM(void);
phys_addr_t memblock_end_of_DRAM(void);
phys_addr_t memblock_phys_mem_size(void);
phys_addr_t memblock_reserved_size(void);
bool memblock_is_memory(phys_addr_t addr);
/* Does [base, base + size) overlap a reserved range? */
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size);

/*
 * __next_free_mem_range - the free range number *@idx (memory not reserved,
 * in address order) in [*@out_start, *@out_end), and *@idx advanced.
 * Return: false when there is none.
 */
bool __next_free_mem_range(u64 *idx, phys_addr_t *out_start, phys_addr_t *out_end);
#define for_each_free_mem_range(i, p_start, p_end) \
	for ((i) = 0; __next_free_mem_range(&(i), (p_start), (p_end));)

#define for_each_mem_region(rgn)              \
	for ((rgn) = memblock.memory.regions; \
	     (rgn) < memblock.memory.regions + memblock.memory.cnt; (rgn)++)
#define for_each_reserved_mem_region(rgn)       \
	for ((rgn) = memblock.reserved.regions; \
	     (rgn) < memblock.reserved.regions + memblock.reserved.cnt; (rgn)++)

/* Log both lists (boot argument memblock=debug). */
void memblock_dump_all(void);

/*
 * memblock_free_all - hand every free page to the buddy allocator, in the
 * largest naturally aligned blocks that fit; memblock allocations fail from
 * now on. Context: boot, after free_area_init().
 * Return: the number of pages handed over.
 */
unsigned long memblock_free_all(void);

/* For tests: forget everything (the host tests boot many times). */
void memblock_reset(void);

#endif /* _KERNEL_MEMBLOCK_H */
