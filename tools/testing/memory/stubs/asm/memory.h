/*
 * tools/testing/memory/stubs/asm/memory.h - the user address-space layout
 * of RISC-V Sv39 (arch/riscv/include/asm/memory.h), without the kernel's
 * direct map: on the host that points into the test's arena (the mm
 * tests' kernel/arch.h sets it up).
 */
#ifndef _ASM_MEMORY_H
#define _ASM_MEMORY_H

#define PAGE_SHIFT 12 /* as tools/testing/mm/stubs/kernel/arch.h */
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define TASK_SIZE 0x0000004000000000UL
#define USER_STACK_TOP (TASK_SIZE - PAGE_SIZE)

#endif /* _ASM_MEMORY_H */
