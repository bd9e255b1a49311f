/*
 * kernel/main.c - start_kernel(): the boot order, from the first C code to
 * the scheduler.
 *
 *   arch_setup          trap vector, early console (SBI / firmware)
 *   device tree         memory, reserved ranges, CPUs, command line
 *   mem_init            memblock, mem_map, zones and the buddy allocator
 *                       over free RAM (logs the memory map and watermarks)
 *   kmem_cache_init     the slab allocator and kmalloc's caches (slab_debug=)
 *   mm_cache_init, mmap_init, pagecache_init
 *                       the mm's own caches: mm_struct, vm_area_struct,
 *                       page_cache_entry
 *   paging_init         kernel page table with per-section permissions
 *   vmalloc_init        the vmalloc area (kernel stacks come from it)
 *   zero_page_init      the shared zero page for reads of untouched memory
 *   arch_devices_init   UART, interrupt controller, timer source, power
 *   console_init, binit, iinit, fileinit, procfs_init, rtc_init
 *                       console, buffer cache, inodes, open files, /proc,
 *                       the real-time clock (boot time for /proc/stat)
 *   virtio_disk_init    the root disk (without it only ktest= can run)
 *   proc_init, userinit the process table, the first process (it mounts /
 *                       and execs /init)
 *   smp_init            secondary CPUs started and waited for (kernel/smpboot.c)
 *   scheduler           never returns
 */
#include <kernel/setup.h>
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/mm.h>
#include <kernel/string.h>
#include <kernel/console.h>
#include <kernel/bootargs.h>
#include <kernel/fs.h>
#include <kernel/file.h>
#include <kernel/buf.h>
#include <kernel/virtio.h>
#include <kernel/slab.h>
#include <kernel/smpboot.h>
#include <kernel/rtc.h>

const void *boot_dtb;
u64 boot_dtb_pa;
struct boot_info boot_info;
char boot_command_line[512];
bool root_disk_ready;
extern bool panic_poweroff;
void printk_init_time(void);

void start_kernel(u64 hwid, u64 dtb_pa)
{
	struct cpu *c = &cpus[0];

	c->id = 0;
	c->hwid = hwid;
	cpu_setup_stacks(c);
	arch_setup(dtb_pa);
	printk_init_time();

	boot_dtb_pa = dtb_pa;
	boot_dtb = __va(dtb_pa);
	if (fdt_check(boot_dtb, 1 << 20) < 0)
		panic("start_kernel: no valid device tree at physical 0x%llx", dtb_pa);
	if (fdt_parse_boot_info(boot_dtb, &boot_info) < 0)
		panic("start_kernel: cannot parse the device tree");
	strlcpy(boot_command_line, boot_info.bootargs, sizeof(boot_command_line));
	panic_poweroff = bootarg_present(boot_command_line, "panic");

	printk("Pagoda kernel (%s), booting on CPU id %llu\n", arch_name, hwid);
	printk("Kernel command line: %s\n", boot_command_line);

	mem_init();
	kmem_cache_init();
	mm_cache_init();
	mmap_init();
	pagecache_init();
	paging_init();
	boot_paging_ready = true;
	vmalloc_init();
	zero_page_init();
	arch_devices_init();
	console_init();
	binit();
	iinit();
	fileinit();
	procfs_init();
	rtc_init();
	root_disk_ready = virtio_disk_init() == 0;
	if (!root_disk_ready)
		printk("virtio-blk: no root disk; only in-kernel tests can run\n");
	proc_init();
	userinit();

	c->online = true;
	ncpus_online = 1;
	smp_init();
	arch_cpu_init();
	scheduler();
}
