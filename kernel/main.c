/*
 * kernel/main.c - start_kernel(): the boot order, from the first C code to
 * the scheduler, and the secondary CPUs' entry.
 *
 *   arch_setup          trap vector, early console (SBI / firmware)
 *   device tree         memory, reserved ranges, CPUs, command line
 *   mem_init            page allocator over free RAM (logs the memory map)
 *   kmem_cache_init     the slab allocator: kmalloc's caches (slab_debug=), then
 *                       the mm's own caches (mm_struct, vm_area_struct, page cache)
 *   paging_init         kernel page table with per-section permissions
 *   arch_devices_init   UART, interrupt controller, timer source, power
 *   console, buffers, inodes, files, real-time clock, virtio disk
 *   proc_init, userinit the first process (it will mount / and exec /init)
 *   secondary CPUs      started and waited for
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
#include <kernel/rtc.h>

const void *boot_dtb;
u64 boot_dtb_pa;
struct boot_info boot_info;
char boot_command_line[512];
bool root_disk_ready;
extern bool panic_poweroff;
void printk_init_time(void);

#define OVERFLOW_STACK 4096
static u8 overflow_stacks[NCPU][OVERFLOW_STACK] __aligned(16);
static volatile bool secondaries_may_run;

static void cpu_setup_stacks(struct cpu *c)
{
	c->overflow_sp = (u64)&overflow_stacks[c->id][OVERFLOW_STACK];
}

static void start_secondaries(void)
{
	int next = 1;

	for (int i = 0; i < boot_info.ncpus && next < NCPU; i++) {
		u64 hw = boot_info.cpu_ids[i];
		if (hw == cpus[0].hwid)
			continue;
		struct cpu *c = &cpus[next];
		c->id = next;
		c->hwid = hw;
		cpu_setup_stacks(c);
		if (arch_start_cpu(next, hw) < 0) {
			printk("smp: CPU with id %llu did not start\n", hw);
			continue;
		}
		for (u64 spin = 0; !READ_ONCE(c->online) && spin < 100000000; spin++)
			cpu_relax();
		if (!c->online)
			printk("smp: CPU%d (id %llu) failed to come online\n", next, hw);
		else
			ncpus_online++;
		next++;
	}
	printk("smp: %d CPU%s online\n", ncpus_online, ncpus_online > 1 ? "s" : "");
}

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
	start_secondaries();
	secondaries_may_run = true;
	arch_cpu_init();
	scheduler();
}

void secondary_start_kernel(int cpu)
{
	struct cpu *c = &cpus[cpu];

	switch_mm(NULL);
	arch_cpu_init();
	printk("CPU%d: online (id %llu)\n", cpu, c->hwid);
	WRITE_ONCE(c->online, true);
	while (!READ_ONCE(secondaries_may_run))
		cpu_relax();
	scheduler();
}
