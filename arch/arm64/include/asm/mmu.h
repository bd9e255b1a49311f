/*
 * asm/mmu.h - the architecture's part of an address space: its ASID.
 *
 * Each mm gets an 8-bit Address Space ID (1..255; 0 is reserved for the
 * empty table used while the kernel runs without PAN). User mappings are
 * non-global (nG), so TLB entries are tagged with it and a process switch
 * needs no TLB flush; destroy_context() flushes the ASID before it is reused.
 */
#ifndef _ASM_ARM64_MMU_H
#define _ASM_ARM64_MMU_H

#include <kernel/types.h>

typedef struct {
	u64 asid;
} mm_context_t;

#endif /* _ASM_ARM64_MMU_H */
