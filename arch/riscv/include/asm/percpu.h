/*
 * asm/percpu.h - the architecture's part of struct cpu. RISC-V needs none
 * beyond the fields entry.S uses at the start of struct cpu.
 */
#ifndef _ASM_RISCV_PERCPU_H
#define _ASM_RISCV_PERCPU_H

struct arch_cpu {
	int unused;
};

#endif /* _ASM_RISCV_PERCPU_H */
