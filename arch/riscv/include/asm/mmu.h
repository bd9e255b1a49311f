/*
 * asm/mmu.h - the architecture's part of an address space (mm->context).
 * RISC-V keeps no per-mm state yet; the field is here for a future ASID.
 */
#ifndef _ASM_RISCV_MMU_H
#define _ASM_RISCV_MMU_H

#include <kernel/types.h>

typedef struct {
	u64 asid;
} mm_context_t;

#endif /* _ASM_RISCV_MMU_H */
