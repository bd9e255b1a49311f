/*
 * mm/init.c - memory at boot: fill memblock with RAM and what is reserved in
 * it, set up zones and the buddy allocator (mm/mm_init.c), then build the
 * kernel's own page table.
 *
 * The boot log shows the physical memory map the way Linux's early log
 * does, then the zones, watermarks and the kernel's virtual layout:
 *
 *   Memory map (from the device tree):
 *     [mem 0x0000000080000000-0x0000000087ffffff] System RAM (128 MiB)
 *     [mem 0x0000000080000000-0x000000008003ffff] reserved: mmode_resv0@80000000
 *     [mem 0x0000000080200000-0x0000000080245fff] kernel image
 *     [mem 0x0000000087e00000-0x0000000087e01fff] device tree
 *
 * Boot arguments read here (Linux's names where Linux has one):
 *   mem=SIZE             use only the first SIZE of RAM
 *   dma_limit=SIZE       size of ZONE_DMA (default 16M; 0: no DMA zone)
 *   min_free_kbytes=N    instead of sqrt(16 * lowmem KiB)
 *   page_poison=0|1      fill freed pages with 0x5a (default 1)
 *   memblock=debug       log memblock's tables before the hand-over
 *
 * Kernel page table (swapper_pg_dir): text read-execute, rodata read-only,
 * data/bss and the rest of RAM read-write and never executable.
 */
#include <kernel/mm.h>
#include <kernel/memblock.h>
#include <kernel/setup.h>
#include <kernel/printk.h>
#include <kernel/bootargs.h>
#include <kernel/string.h>
#include "internal.h"

u64 ram_start, ram_end;

static void show_range(u64 start, u64 end, const char *what)
{
	printk("  [mem 0x%016llx-0x%016llx] %s\n", start, end - 1, what);
}

static void reserve_or_warn(u64 start, u64 end, const char *what)
{
	if (end > start && memblock_reserve(start, end - start) < 0)
		printk("  (could not reserve %s: memblock table full)\n", what);
}

/* Read the memory-related boot arguments. Return: ZONE_DMA's size. */
static phys_addr_t mm_bootargs(void)
{
	phys_addr_t dma_limit = DMA_LIMIT_DEFAULT;
	char buf[32];
	u64 v;

	if (bootarg_get(boot_command_line, "dma_limit", buf, sizeof(buf)) > 0) {
		if (parse_size(buf, &v) == 0)
			dma_limit = v;
		else
			printk("  dma_limit=%s ignored (not a size)\n", buf);
	}
	if (bootarg_get(boot_command_line, "min_free_kbytes", buf, sizeof(buf)) > 0) {
		if (parse_u64(buf, &v) == 0 && v <= 262144)
			user_min_free_kbytes = (int)v;
		else
			printk("  min_free_kbytes=%s ignored (0..262144)\n", buf);
	}
	if (bootarg_get(boot_command_line, "page_poison", buf, sizeof(buf)) > 0)
		page_poisoning = strcmp(buf, "0") != 0 && strcmp(buf, "off") != 0;
	return dma_limit;
}

void mem_init(void)
{
	struct boot_info *bi = &boot_info;
	u64 kstart = __pa(_start), kend = __pa(_end);
	char buf[32], what[64];
	phys_addr_t dma_limit;
	unsigned long reserved_kb;

	if (bi->nmem == 0)
		panic("mem_init: the device tree lists no memory");
	/* Pagoda uses the RAM bank the kernel was loaded into. */
	for (int i = 0; i < bi->nmem; i++) {
		if (kstart >= bi->mem[i].base && kstart < bi->mem[i].base + bi->mem[i].size) {
			ram_start = bi->mem[i].base;
			ram_end = bi->mem[i].base + bi->mem[i].size;
		}
	}
	if (!ram_end)
		panic("mem_init: the kernel at 0x%llx is not inside any memory node", kstart);

	printk("Memory map (from the device tree):\n");
	snprintf(what, sizeof(what), "System RAM (%llu MiB)", (ram_end - ram_start) >> 20);
	show_range(ram_start, ram_end, what);
	memblock_add(ram_start, ram_end - ram_start);

	if (bootarg_get(boot_command_line, "mem", buf, sizeof(buf)) > 0) {
		u64 limit;
		if (parse_size(buf, &limit) == 0 && limit >= (16UL << 20) &&
		    ram_start + limit < ram_end) {
			memblock_enforce_memory_limit(limit);
			ram_end = memblock_end_of_DRAM();
			printk("  mem=%s: using only [mem 0x%016llx-0x%016llx]\n", buf, ram_start,
			       ram_end - 1);
		} else {
			printk("  mem=%s ignored (not a size between 16M and the RAM size)\n", buf);
		}
	}

	for (int i = 0; i < bi->nrsv; i++) {
		snprintf(what, sizeof(what), "reserved: %s", bi->rsv[i].name);
		show_range(bi->rsv[i].base, bi->rsv[i].base + bi->rsv[i].size, what);
		reserve_or_warn(bi->rsv[i].base, bi->rsv[i].base + bi->rsv[i].size, what);
	}
	/* below the kernel: firmware (OpenSBI) even where the DT forgets to say so */
	if (kstart > ram_start)
		reserve_or_warn(ram_start, ALIGN_DOWN(kstart, 2UL << 20), "firmware");
	show_range(kstart, kend, "kernel image");
	reserve_or_warn(kstart, PAGE_ALIGN(kend), "kernel image");
	show_range(boot_dtb_pa, boot_dtb_pa + bi->dtb_size, "device tree");
	reserve_or_warn(ALIGN_DOWN(boot_dtb_pa, PAGE_SIZE), PAGE_ALIGN(boot_dtb_pa + bi->dtb_size),
			"device tree");
	if (bi->truncated)
		printk(
		    "  (device tree lists more ranges than Pagoda tracks; extra ones ignored)\n");

	dma_limit = mm_bootargs();
	if (bootarg_get(boot_command_line, "memblock", buf, sizeof(buf)) > 0 &&
	    strcmp(buf, "debug") == 0)
		memblock_dump_all();
	mm_core_init(dma_limit);
	/* reserved inside RAM: firmware, kernel, device tree, mem_map, ... */
	reserved_kb = (ram_end - ram_start) / 1024 - totalram_pages() * (PAGE_SIZE / 1024);

	printk("Memory: %luK/%lluK available (%lluK kernel code, %lluK rodata, %lluK data+bss, "
	       "%luK reserved)\n",
	       nr_free_pages() * (PAGE_SIZE / 1024), (ram_end - ram_start) >> 10,
	       (u64)(_etext - _start) >> 10, (u64)(_erodata - _srodata) >> 10,
	       (u64)(_end - _sdata) >> 10, reserved_kb);
}

static void map_or_die(u64 va, u64 pa, u64 size, pgprot_t prot, bool huge, const char *what)
{
	if (map_range(swapper_pg_dir, va, pa, size, prot, huge) < 0)
		panic("paging_init: cannot map %s", what);
}

void paging_init(void)
{
	u64 kstart = __pa(_start), kend = __pa(_end);

	swapper_pg_dir = (pte_t *)get_zeroed_page(GFP_KERNEL);
	if (!swapper_pg_dir)
		panic("paging_init: no memory for the kernel page table");

	map_or_die((u64)_start, kstart, (u64)(_etext - _start), PAGE_KERNEL_EXEC, false, "text");
	map_or_die((u64)_srodata, __pa(_srodata), (u64)(_erodata - _srodata), PAGE_KERNEL_RO, false,
		   "rodata");
	map_or_die((u64)_sdata, __pa(_sdata), PAGE_ALIGN(_end) - (u64)_sdata, PAGE_KERNEL, false,
		   "data");
	/* the rest of RAM, with large pages where alignment allows */
	if (kstart > ram_start)
		map_or_die((u64)__va(ram_start), ram_start, kstart - ram_start, PAGE_KERNEL, true,
			   "low RAM");
	map_or_die((u64)__va(PAGE_ALIGN(kend)), PAGE_ALIGN(kend), ram_end - PAGE_ALIGN(kend),
		   PAGE_KERNEL, true, "RAM");
	/* a device tree beyond mem= stays readable */
	if (boot_dtb_pa >= ram_end || boot_dtb_pa < ram_start) {
		u64 s = ALIGN_DOWN(boot_dtb_pa, PAGE_SIZE);
		map_or_die((u64)__va(s), s, PAGE_ALIGN(boot_dtb_pa + boot_info.dtb_size) - s,
			   PAGE_KERNEL_RO, false, "device tree");
	}
	/* create the vmalloc area's upper tables now, so every process's root
	 * table, which copies the kernel's root entries (RISC-V), shares them */
	for (u64 va = VMALLOC_START; va < VMALLOC_END; va += pt_level_size(PT_LEVELS - 1))
		if (!walk_pgtable(swapper_pg_dir, va, true))
			panic("paging_init: no memory for kernel tables");
	switch_mm(NULL);

	printk("Virtual kernel memory layout:\n");
	printk("    vmalloc : 0x%016lx - 0x%016lx (%4lu GiB)\n", VMALLOC_START, VMALLOC_END,
	       (VMALLOC_END - VMALLOC_START) >> 30);
	printk("    lowmem  : 0x%016llx - 0x%016llx (direct map of RAM)\n", (u64)__va(ram_start),
	       (u64)__va(ram_end));
	printk("      .text : 0x%016llx - 0x%016llx (read-execute)\n", (u64)_start, (u64)_etext);
	printk("    .rodata : 0x%016llx - 0x%016llx (read-only)\n", (u64)_srodata, (u64)_erodata);
	printk("      .data : 0x%016llx - 0x%016llx\n", (u64)_sdata, (u64)_edata);
	printk("       .bss : 0x%016llx - 0x%016llx\n", (u64)__bss_start, (u64)__bss_end);
	printk("    user    : 0x%016x - 0x%016lx\n", 0, TASK_SIZE);
}
