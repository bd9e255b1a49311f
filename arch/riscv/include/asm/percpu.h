/*
 * asm/percpu.h - the architecture's part of struct cpu: what each hart
 * reported about itself (arch/riscv/cpuinfo.c, for /proc/cpuinfo).
 */
#ifndef _ASM_RISCV_PERCPU_H
#define _ASM_RISCV_PERCPU_H

#include <kernel/types.h>

struct arch_cpu {
	u64 mvendorid, marchid, mimpid; /* from SBI, read on the hart itself */
};

#endif /* _ASM_RISCV_PERCPU_H */
