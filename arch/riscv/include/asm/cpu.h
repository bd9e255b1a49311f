/*
 * asm/cpu.h - per-CPU pointer, interrupt enable, barriers, counters and the
 * user-access window on RISC-V.
 *
 * In the kernel, tp always holds this CPU's struct cpu (the trap entry code
 * restores it from sscratch when it comes from user mode, where tp belongs
 * to the program).
 */
#ifndef _ASM_RISCV_CPU_H
#define _ASM_RISCV_CPU_H

#include <asm/csr.h>

struct cpu;

static inline struct cpu *this_cpu(void)
{
	struct cpu *c;
	__asm__ __volatile__("mv %0, tp" : "=r"(c));
	return c;
}

static inline void set_this_cpu(struct cpu *c)
{
	__asm__ __volatile__("mv tp, %0" : : "r"(c) : "memory");
}

static inline void arch_local_irq_enable(void)
{
	csr_set(sstatus, SR_SIE);
}

static inline void arch_local_irq_disable(void)
{
	csr_clear(sstatus, SR_SIE);
}

static inline bool arch_irqs_enabled(void)
{
	return (csr_read(sstatus) & SR_SIE) != 0;
}

static inline void arch_wait_for_interrupt(void)
{
	__asm__ __volatile__("wfi" ::: "memory");
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("nop" ::: "memory");
}

static inline void user_access_begin(void)
{
	csr_set(sstatus, SR_SUM);
}

static inline void user_access_end(void)
{
	csr_clear(sstatus, SR_SUM);
}

static inline void smp_mb(void)
{
	__asm__ __volatile__("fence rw, rw" ::: "memory");
}

static inline u64 arch_counter_read(void)
{
	return csr_read(time);
}

#endif /* _ASM_RISCV_CPU_H */
