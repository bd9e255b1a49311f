/*
 * asm/memory.h - AArch64 virtual memory layout (4 KiB granule, 39-bit VA).
 *
 * With TCR_EL1.T0SZ = T1SZ = 25 the MMU translates two 512 GiB ranges:
 * TTBR0_EL1 walks the low one (user), TTBR1_EL1 the high one (kernel). So
 * unlike RISC-V, where one root table holds both halves, the kernel's table
 * is never copied into a process's: a process switch only reloads TTBR0.
 *
 *   0xffff_ffff_ffff_ffff +--------------------------+
 *                         |  (unused)                |
 *   0xffff_ffc4_0000_0000 +--------------------------+  VMALLOC_END
 *                         |  vmalloc area  (16 GiB)  |  vmalloc, vmap, ioremap,
 *                         |                          |  kernel stacks
 *   0xffff_ffc0_0000_0000 +--------------------------+  VMALLOC_START
 *                         |  direct map of all RAM   |  va = pa + PAGE_OFFSET; RAM
 *                         |  (kernel image inside,   |  starts at pa 0x4000_0000 on
 *                         |   at pa 0x4020_0000)     |  QEMU's virt board
 *   0xffff_ff80_0000_0000 +--------------------------+  PAGE_OFFSET (TTBR1 starts)
 *                         |  not translated          |
 *   0x0000_0080_0000_0000 +--------------------------+  TASK_SIZE (TTBR0 ends)
 *                         |  user stack ... heap,    |
 *                         |  data, text at 0x10000   |
 *   0x0000_0000_0000_0000 +--------------------------+
 */
#ifndef _ASM_ARM64_MEMORY_H
#define _ASM_ARM64_MEMORY_H

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)

#define PAGE_OFFSET 0xffffff8000000000UL
#define TASK_SIZE 0x0000008000000000UL
#define USER_STACK_TOP (TASK_SIZE - PAGE_SIZE)

#define VMALLOC_START 0xffffffc000000000UL
#define VMALLOC_END 0xffffffc400000000UL

/* As on RISC-V: a 16 KiB stack in the upper half of a 32 KiB-aligned slot;
 * bit 14 of any valid stack address is set, which the exception entry checks. */
#define KSTACK_SIZE 0x4000UL
#define KSTACK_SLOT (2 * KSTACK_SIZE)

#define KERNEL_PHYS_BASE 0x40200000UL

/* e_machine of executables this kernel runs (EM_AARCH64) */
#define ELF_ARCH_MACHINE 183

#endif /* _ASM_ARM64_MEMORY_H */
