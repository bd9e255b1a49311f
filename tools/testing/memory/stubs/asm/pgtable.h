/*
 * tools/testing/memory/stubs/asm/pgtable.h - the real RISC-V Sv39 entry
 * format (plain C, no assembly), so that mm/pgtable.c and mm/memory.c
 * build real page tables in the arena.
 */
#ifndef _MEMORY_STUB_ASM_PGTABLE_H
#define _MEMORY_STUB_ASM_PGTABLE_H

#include "../../../../../arch/riscv/include/asm/pgtable.h"

#endif /* _MEMORY_STUB_ASM_PGTABLE_H */
