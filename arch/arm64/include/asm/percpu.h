/*
 * asm/percpu.h - the arm64 part of struct cpu.
 */
#ifndef _ASM_ARM64_PERCPU_H
#define _ASM_ARM64_PERCPU_H

#include <kernel/types.h>

struct arch_cpu {
	u64 user_ttbr0; /* TTBR0_EL1 value of the current mm (table | ASID) */
	u32 gic_cpu_if; /* GICv2 CPU interface number (SGI target) */
	/* identification registers, read on the CPU itself (cpuinfo.c) */
	u64 midr, isar0, isar1;
};

#endif /* _ASM_ARM64_PERCPU_H */
