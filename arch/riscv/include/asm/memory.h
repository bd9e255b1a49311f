/*
 * asm/memory.h - RISC-V (Sv39) virtual memory layout.
 *
 * Sv39 gives 39-bit virtual addresses, sign-extended to 64 bits: the lower
 * half [0, 256 GiB) belongs to user processes, the upper half to the kernel.
 * Every process's root page table shares the kernel's upper-half entries, so
 * the kernel stays mapped in every address space and a trap needs no page
 * table switch (SUM keeps user pages out of the kernel's reach).
 *
 *   0xffff_ffff_ffff_ffff +--------------------------+
 *                         |  (unused)                |
 *   0xffff_ffd4_0000_0000 +--------------------------+  VMALLOC_END
 *                         |  vmalloc area  (16 GiB)  |  vmalloc, vmap, ioremap,
 *                         |                          |  kernel stacks
 *   0xffff_ffd0_0000_0000 +--------------------------+  VMALLOC_START
 *                         |  (unused)                |
 *                         +--------------------------+
 *                         |  direct map of all RAM   |  va = pa + PAGE_OFFSET;
 *                         |  (kernel image inside,   |  the kernel is linked at
 *                         |   at pa 0x8020_0000)     |  0xffff_ffc0_8020_0000
 *   0xffff_ffc0_0000_0000 +--------------------------+  PAGE_OFFSET
 *                         |  non-canonical hole      |
 *   0x0000_0040_0000_0000 +--------------------------+  TASK_SIZE
 *                         |  user stack (grows down) |
 *                         |  ...                     |
 *                         |  heap (sbrk)             |
 *                         |  data, bss               |
 *                         |  text                    |
 *   0x0000_0000_0001_0000 +--------------------------+
 *                         |  unmapped: NULL faults   |
 *   0x0000_0000_0000_0000 +--------------------------+
 */
#ifndef _ASM_RISCV_MEMORY_H
#define _ASM_RISCV_MEMORY_H

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)

#define PAGE_OFFSET 0xffffffc000000000UL
#define TASK_SIZE 0x0000004000000000UL
#define USER_STACK_TOP (TASK_SIZE - PAGE_SIZE)

#define VMALLOC_START 0xffffffd000000000UL
#define VMALLOC_END 0xffffffd400000000UL

/* A kernel stack is 16 KiB at the top of a 32 KiB-aligned slot of the
 * vmalloc area whose lower half stays unmapped: an overflow runs into the
 * guard and faults, and the trap entry recognises it because bit 14 of the
 * stack pointer is clear. */
#define KSTACK_SIZE 0x4000UL
#define KSTACK_SLOT (2 * KSTACK_SIZE)

#define KERNEL_PHYS_BASE 0x80200000UL

/* e_machine of executables this kernel runs (EM_RISCV) */
#define ELF_ARCH_MACHINE 243

#endif /* _ASM_RISCV_MEMORY_H */
