/*
 * kernel/smpboot.h - starting the secondary CPUs (kernel/smpboot.c) and the
 * contract with each architecture's entry code (arch/<arch>/head.S).
 *
 * What head.S must do, on every architecture:
 *   - at the boot entry, before writing any memory: an atomic lottery on a
 *     word in .data; only the first CPU there zeroes .bss and calls
 *     start_kernel(); every later one goes on as at the secondary entry;
 *   - at the secondary entry (and for those later arrivals): claim the slot
 *     i with cpu_start_hwid[i] == this CPU's hardware id by an atomic swap
 *     to CPU_START_NONE, then call secondary_start_kernel(i, via_boot_entry)
 *     on boot stack slot i;
 *   - with no slot to claim: call cpu_entry_stray() on a spare stack (one
 *     stray at a time), and if it returns, park with interrupts off.
 */
#ifndef _KERNEL_SMPBOOT_H
#define _KERNEL_SMPBOOT_H

#include <kernel/types.h>

struct cpu;

#define CPU_START_NONE (~0ULL)

/* hardware id of the CPU being started as logical CPU i, or CPU_START_NONE */
extern u64 cpu_start_hwid[];
/* set once the kernel's own page table is live (switch_mm(NULL) is safe) */
extern bool boot_paging_ready;

/**
 * cpu_setup_stacks - give @c its emergency stack for kernel stack overflows.
 * @c: a CPU not yet running
 *
 * Context: boot, before @c runs.
 */
void cpu_setup_stacks(struct cpu *c);

/**
 * smp_init - start every other CPU of the device tree and wait for each.
 *
 * A CPU that does not arrive within the timeout is given up (its logical
 * number is reused; should it arrive later, it is parked). Ends with
 * "smp: N CPUs online" and lets the started CPUs enter the scheduler.
 *
 * Context: boot CPU, once, at the end of start_kernel().
 */
void smp_init(void);

/**
 * secondary_start_kernel - a started CPU's first C code.
 * @cpu: the logical CPU number it claimed
 * @via_boot_entry: it arrived at the boot entry (firmware start race)
 *
 * Context: the new CPU, on its boot stack, interrupts off; never returns.
 */
void __noreturn secondary_start_kernel(int cpu, bool via_boot_entry);

/**
 * cpu_entry_stray - a CPU entered the kernel with no pending start to claim.
 * @hwid: its hardware id
 * @via_boot_entry: it came in at the boot entry (else the secondary entry)
 *
 * Panics when it is the boot CPU or an online CPU (a jump back into an entry
 * is a kernel bug); otherwise logs one line and counts it.
 *
 * Context: head.S, under its stray lock, interrupts off, on the spare stack.
 * Return: when the caller should park the CPU.
 */
void cpu_entry_stray(u64 hwid, bool via_boot_entry);

#endif /* _KERNEL_SMPBOOT_H */
