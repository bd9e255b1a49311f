/*
 * arch/riscv/riscv.h - private interfaces between the files of arch/riscv.
 */
#ifndef _ARCH_RISCV_PRIVATE_H
#define _ARCH_RISCV_PRIVATE_H

#include <kernel/types.h>

struct pt_regs;

void uart_init(void);
bool uart_ready(void);
void uart_putc_sync(int c);
void uart_intr(int irq, void *dev);

void plic_init(void);
void plic_init_hart(void);
int plic_claim(void);
void plic_complete(int irq);

void __noreturn riscv_secondary_start(int cpu, bool via_boot_entry);

/* cpuinfo.c: record this hart's identification (called on each hart) */
void cpuinfo_store_cpu(void);

#endif
