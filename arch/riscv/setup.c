/*
 * arch/riscv/setup.c - RISC-V platform bring-up: early console, trap vector,
 * devices of the virt board found in the device tree, timer, secondary
 * harts (SBI HSM), IPIs and power-off through the virt test device.
 *
 * The boot hart is whichever hart OpenSBI chose; it becomes logical CPU 0.
 * The others are started by arch_start_cpu() and enter secondary_entry in
 * head.S (or, through a firmware race, _start: see head.S), which calls
 * riscv_secondary_start() below.
 *
 * See: Documentation/qemu-virt.md (the board); the RISC-V SBI specification
 * (HSM, SRST and legacy console extensions).
 */
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/setup.h>
#include <kernel/smpboot.h>
#include <kernel/string.h>
#include <kernel/fdt.h>
#include <kernel/io.h>
#include <kernel/errno.h>
#include <asm/csr.h>
#include <asm/sbi.h>
#include "riscv.h"

const char arch_name[] = "riscv";
u64 arch_timer_freq = 10000000;

static bool has_sstc;
static void *test_dev; /* sifive,test0: write here to exit QEMU */

extern char handle_exception[];
extern char secondary_entry[];

void arch_setup(u64 dtb_pa)
{
	(void)dtb_pa;
	csr_write(stvec, (u64)handle_exception);
	csr_write(sscratch, 0);
	csr_clear(sstatus, SR_SUM | SR_FS);
}

/* Does the ISA string of the first cpu node mention extension @ext? */
static bool isa_has(const char *ext)
{
	int cpus = fdt_path_offset(boot_dtb, "/cpus");
	int len;
	size_t n = strlen(ext);

	if (cpus < 0)
		return false;
	for (int node = fdt_first_subnode(boot_dtb, cpus); node >= 0;
	     node = fdt_next_subnode(boot_dtb, node)) {
		const char *isa = fdt_getprop(boot_dtb, node, "riscv,isa", &len);
		if (!isa)
			continue;
		/* multi-letter extensions follow '_' in the ISA string */
		for (const char *s = isa; (s = strchr(s, '_')) != NULL;) {
			s++;
			if (strncmp(s, ext, n) == 0 && (s[n] == '_' || s[n] == '\0'))
				return true;
		}
		return false;
	}
	return false;
}

void arch_devices_init(void)
{
	u64 base, size;
	int node;

	if (boot_info.timebase_frequency)
		arch_timer_freq = boot_info.timebase_frequency;
	has_sstc = isa_has("sstc");

	node = fdt_find_compatible(boot_dtb, "sifive,test0", -1);
	if (node >= 0 && fdt_read_reg(boot_dtb, node, 0, &base, &size) == 0)
		test_dev = ioremap(base, PAGE_SIZE);

	plic_init();
	uart_init();
	printk("riscv: timer %llu Hz via %s, %d CPUs in device tree\n", arch_timer_freq,
	       has_sstc ? "Sstc (stimecmp)" : "SBI TIME", boot_info.ncpus);
}

void arch_timer_set_next(void)
{
	u64 next = arch_counter_read() + arch_timer_freq / HZ;

	if (has_sstc)
		csr_write(0x14d, next); /* stimecmp */
	else
		sbi_set_timer(next);
}

void arch_cpu_init(void)
{
	cpuinfo_store_cpu();
	csr_write(stvec, (u64)handle_exception);
	csr_write(sscratch, 0);
	plic_init_hart();
	csr_set(sie, IE_SEIE | IE_STIE | IE_SSIE);
	arch_timer_set_next();
}

int arch_start_cpu(int cpu, u64 hwid, bool at_boot_entry)
{
	long err;

	if (at_boot_entry) /* what OpenSBI 1.1's start race does: a1 = the DTB */
		err = sbi_hart_start(hwid, __pa(_start), boot_dtb_pa);
	else
		err = sbi_hart_start(hwid, __pa(secondary_entry), (u64)cpu);
	return err ? -EIO : 0;
}

/*
 * crashtest=reenter: jump to the boot entry as a stray jump would, at its
 * physical address. early_pgd maps both that (identity) and the kernel's
 * own addresses, so switching to it first keeps this code mapped.
 */
void __noreturn arch_reenter_boot_entry(void)
{
	extern char early_pgd[];
	u64 satp = SATP_MODE_SV39 | (__pa(early_pgd) >> PAGE_SHIFT);
	register u64 a0 __asm__("a0") = this_cpu()->hwid;
	register u64 a1 __asm__("a1") = boot_dtb_pa;

	arch_local_irq_disable();
	__asm__ __volatile__("csrw satp, %0\n\tsfence.vma\n\tjr %1"
			     :
			     : "r"(satp), "r"(__pa(_start)), "r"(a0), "r"(a1)
			     : "memory");
	__builtin_unreachable();
}

void __noreturn riscv_secondary_start(int cpu, bool via_boot_entry)
{
	set_this_cpu(&cpus[cpu]);
	secondary_start_kernel(cpu, via_boot_entry);
}

void arch_send_ipi(int cpu)
{
	u64 hart = cpus[cpu].hwid;

	sbi_send_ipi(1UL << (hart % 64), hart - hart % 64);
}

void arch_console_putc(int c)
{
	if (uart_ready())
		uart_putc_sync(c);
	else
		sbi_console_putchar(c);
}

void __noreturn arch_poweroff(int status)
{
	if (test_dev) {
		/* 0x5555 = pass (exit 0); (code << 16) | 0x3333 = fail with code */
		u32 v = status == 0 ? 0x5555 : (((u32)status & 0xffff) << 16) | 0x3333;
		writel(v, test_dev);
	}
	/* SBI system reset: shutdown (exit status 0 in QEMU) */
	sbi_ecall(SBI_EXT_SRST, 0, 0, 0, 0, 0);
	arch_halt();
}

void __noreturn arch_halt(void)
{
	arch_local_irq_disable();
	for (;;)
		arch_wait_for_interrupt();
}
