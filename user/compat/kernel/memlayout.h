/*
 * user/compat/kernel/memlayout.h - the memory-layout names xv6 course
 * programs take from "kernel/memlayout.h", with values that hold on both of
 * Pagoda's architectures.
 *
 * Both values are xv6's and only for compatibility: they describe xv6's
 * machine, not Pagoda's. A user program cannot see physical addresses on
 * either kernel, so programs use them in two ways, and both still work:
 *
 *   KERNBASE   as an address a user program must not be able to touch:
 *              0x80000000 is a user address under Pagoda (the kernel lives
 *              in the upper half of the address space), but nothing is
 *              mapped there unless the program puts something there
 *              itself (sbrk() past 2 GiB, or mmap() with MAP_FIXED), so
 *              an access faults and kills the program, as on xv6
 *   PHYSTOP    PHYSTOP - KERNBASE as "how much RAM the machine has": 128
 *              MiB, Pagoda's default MEM too. Pagoda's RAM starts at
 *              0x80000000 on RISC-V but at 0x40000000 on ARM64, and its
 *              size is whatever MEM= says; /proc/meminfo tells the truth
 *
 * Not here: xv6's device addresses (UART0, VIRTIO0, PLIC, CLINT), KSTACK,
 * and TRAMPOLINE, TRAPFRAME and USYSCALL. Pagoda maps no trampoline or trap
 * frame into user space (the kernel half is mapped in every address space
 * on RISC-V, TTBR1 holds it on ARM64) and has no USYSCALL page, so there is
 * no value to give them that a program could rely on.
 *
 * See: user/compat/kernel/riscv.h (PGSIZE, MAXVA), README.md ("Bringing
 * xv6 programs").
 */
#ifndef _USER_COMPAT_KERNEL_MEMLAYOUT_H
#define _USER_COMPAT_KERNEL_MEMLAYOUT_H

#define KERNBASE 0x80000000L
#define PHYSTOP (KERNBASE + 128 * 1024 * 1024)

#endif /* _USER_COMPAT_KERNEL_MEMLAYOUT_H */
