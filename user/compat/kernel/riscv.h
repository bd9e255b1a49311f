/*
 * user/compat/kernel/riscv.h - the page-size and address-space values that
 * xv6 course programs take from "kernel/riscv.h", with the same meaning on
 * both of Pagoda's architectures (the name is xv6's; nothing in here is
 * RISC-V only, so the same program builds for ARM64 too).
 *
 * xv6's header also holds the kernel's CSR accessors (inline assembly) and
 * page-table entry bits. A user program can use neither on Pagoda: it runs
 * in user mode, and its page tables are the kernel's business (they differ
 * between the architectures; /proc/PID/maps and smaps show a mapping's
 * permissions instead). So they are left out, and a program that uses them
 * fails to build rather than misbehaving.
 *
 *   PGSIZE, PGSHIFT   Pagoda's page size on both architectures: 4 KiB
 *   PGROUNDUP(a)      round up / down to a page boundary (as xv6's: any
 *   PGROUNDDOWN(a)    integer type; give a uint64 for addresses)
 *   MAXVA             an address no user memory reaches on either
 *                     architecture; every access at or above it faults.
 *                     Pagoda's user space ends at 2^38 on RISC-V (Sv39's
 *                     lower half, xv6's MAXVA) and at 2^39 on ARM64
 *                     (TTBR0's range), where the stack and mmap() areas
 *                     lie above 2^38: so MAXVA here is 2^39, not xv6's 2^38.
 *
 * See: user/compat/kernel/memlayout.h, README.md ("Bringing xv6 programs").
 */
#ifndef _USER_COMPAT_KERNEL_RISCV_H
#define _USER_COMPAT_KERNEL_RISCV_H

/* Written exactly as a course program might define it itself: an identical
 * second definition is allowed, a different one is not. */
#define PGSIZE 4096
#define PGSHIFT 12

#define PGROUNDUP(sz) (((sz) + PGSIZE - 1) & ~(PGSIZE - 1))
#define PGROUNDDOWN(a) ((a) & ~(PGSIZE - 1))

#define MAXVA (1L << 39)

#endif /* _USER_COMPAT_KERNEL_RISCV_H */
