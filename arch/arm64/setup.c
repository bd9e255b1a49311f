/*
 * arch/arm64/setup.c - AArch64 platform bring-up on QEMU's virt board:
 * exception vectors, the PL011 console, the GIC, the generic timer, PSCI
 * for secondary CPUs and power-off, and semihosting for the exit status.
 *
 * See: Arm Power State Coordination Interface (DEN 0022); Arm semihosting
 * specification (SYS_EXIT_EXTENDED); Documentation/qemu-virt.md (the board);
 * README.md ("ARM64 specifics").
 */
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/setup.h>
#include <kernel/smpboot.h>
#include <kernel/string.h>
#include <kernel/fdt.h>
#include <kernel/errno.h>
#include <asm/sysreg.h>
#include "arm64.h"

const char arch_name[] = "arm64";
u64 arch_timer_freq = 62500000;

extern char vectors[];
extern char secondary_entry[];

#define PSCI_CPU_ON 0xc4000003UL
#define PSCI_SYSTEM_OFF 0x84000008UL
static bool psci_smc; /* conduit: hvc (the default at EL1) or smc */

static long psci_call(u64 fn, u64 a0, u64 a1, u64 a2)
{
	register u64 x0 __asm__("x0") = fn;
	register u64 x1 __asm__("x1") = a0;
	register u64 x2 __asm__("x2") = a1;
	register u64 x3 __asm__("x3") = a2;

	if (psci_smc)
		__asm__ __volatile__("smc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
	else
		__asm__ __volatile__("hvc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
	return (long)x0;
}

void arch_setup(u64 dtb_pa)
{
	(void)dtb_pa;
	write_sysreg(vbar_el1, vectors);
	isb();
	arch_timer_freq = read_sysreg(cntfrq_el0);
}

void arch_devices_init(void)
{
	int node = fdt_path_offset(boot_dtb, "/psci");
	int len;

	if (node >= 0) {
		const char *m = fdt_getprop(boot_dtb, node, "method", &len);
		psci_smc = m && strcmp(m, "smc") == 0;
	}
	gic_init();
	gic_init_cpu();
	pl011_init();
	arm64_mmu_early_done();
	printk("arm64: %s, timer %llu Hz (virtual), PSCI via %s, %s, %d CPUs in device tree\n",
	       gic_name(), arch_timer_freq, psci_smc ? "smc" : "hvc",
	       arm64_has_pan ? "PAN" : "PAN emulated by TTBR0 switching (no FEAT_PAN)",
	       boot_info.ncpus);
}

void arch_timer_set_next(void)
{
	write_sysreg(cntv_tval_el0, arch_timer_freq / HZ);
	write_sysreg(cntv_ctl_el0, 1); /* enable, not masked */
	isb();
}

void arch_cpu_init(void)
{
	cpuinfo_store_cpu();
	write_sysreg(vbar_el1, vectors);
	isb();
	gic_init_cpu();
	arch_timer_set_next();
}

int arch_start_cpu(int cpu, u64 hwid, bool at_boot_entry)
{
	u64 entry = at_boot_entry ? __pa(_start) : __pa(secondary_entry);
	long err = psci_call(PSCI_CPU_ON, hwid, entry, at_boot_entry ? 0 : (u64)cpu);

	return err ? -EIO : 0;
}

/*
 * crashtest=reenter: jump to the boot entry as a stray jump would, at its
 * physical address. TTBR0 gets early_pgd, whose identity map keeps the
 * target reachable while the MMU is on (head.S turns it on again there).
 */
void __noreturn arch_reenter_boot_entry(void)
{
	extern char early_pgd[];
	register u64 x0 __asm__("x0") = 0;

	arch_local_irq_disable();
	write_sysreg(ttbr0_el1, __pa(early_pgd));
	__asm__ __volatile__("isb\n\ttlbi vmalle1\n\tdsb nsh\n\tisb\n\tbr %0"
			     :
			     : "r"(__pa(_start)), "r"(x0)
			     : "memory");
	__builtin_unreachable();
}

void __noreturn arm64_secondary_start(int cpu, bool via_boot_entry)
{
	set_this_cpu(&cpus[cpu]);
	secondary_start_kernel(cpu, via_boot_entry);
}

void arch_send_ipi(int cpu)
{
	gic_send_sgi(cpu, IPI_STOP);
}

void arch_console_putc(int c)
{
	pl011_putc(c);
}

/*
 * Semihosting SYS_EXIT_EXTENDED (0x20) takes a pointer to {reason, code};
 * reason ADP_Stopped_ApplicationExit (0x20026) makes QEMU exit with code.
 * QEMU is started with -semihosting-config enable=on by arch.mk.
 */
void __noreturn arch_poweroff(int status)
{
	static volatile u64 block[2];
	register u64 x0 __asm__("x0") = 0x20;
	register u64 x1 __asm__("x1") = (u64)block;

	block[0] = 0x20026;
	block[1] = (u64)status;
	__asm__ __volatile__("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	arch_halt();
}

void __noreturn arch_halt(void)
{
	arch_local_irq_disable();
	for (;;)
		arch_wait_for_interrupt();
}
