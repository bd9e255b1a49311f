/*
 * asm/cpu.h - per-CPU pointer, interrupt masking, barriers, counter and the
 * user-access window on AArch64.
 *
 * TPIDR_EL1 holds this CPU's struct cpu (user code cannot see it).
 *
 * The user-access window: on CPUs with PAN (ARMv8.1, e.g. -cpu max) the
 * kernel runs with PSTATE.PAN = 1 and clears it only inside the copy
 * helpers. Cortex-A72 (ARMv8.0) has no PAN, so there Pagoda emulates it:
 * while in the kernel, TTBR0_EL1 points at an empty table with the reserved
 * ASID 0, and only the copy helpers (and the return to user mode) load the
 * process's table. Either way a stray user pointer faults in the kernel.
 */
#ifndef _ASM_ARM64_CPU_H
#define _ASM_ARM64_CPU_H

#include <asm/sysreg.h>

struct cpu;

static inline struct cpu *this_cpu(void)
{
	return (struct cpu *)read_sysreg(tpidr_el1);
}

static inline void set_this_cpu(struct cpu *c)
{
	write_sysreg(tpidr_el1, c);
}

static inline void arch_local_irq_enable(void)
{
	__asm__ __volatile__("msr daifclr, #2" ::: "memory");
}

static inline void arch_local_irq_disable(void)
{
	__asm__ __volatile__("msr daifset, #2" ::: "memory");
}

static inline bool arch_irqs_enabled(void)
{
	return !(read_sysreg(daif) & PSR_I_BIT);
}

static inline void arch_wait_for_interrupt(void)
{
	__asm__ __volatile__("dsb sy\n\twfi" ::: "memory");
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("yield" ::: "memory");
}

extern bool arm64_has_pan;
void arm64_uaccess_ttbr0_enable(void);
void arm64_uaccess_ttbr0_disable(void);

static inline void user_access_begin(void)
{
	if (arm64_has_pan)
		SET_PAN(0);
	else
		arm64_uaccess_ttbr0_enable();
}

static inline void user_access_end(void)
{
	if (arm64_has_pan)
		SET_PAN(1);
	else
		arm64_uaccess_ttbr0_disable();
}

static inline void smp_mb(void)
{
	__asm__ __volatile__("dmb ish" ::: "memory");
}

static inline u64 arch_counter_read(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

#endif /* _ASM_ARM64_CPU_H */
