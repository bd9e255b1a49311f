/*
 * arch/arm64/arm64.h - private interfaces between the files of arch/arm64.
 */
#ifndef _ARCH_ARM64_PRIVATE_H
#define _ARCH_ARM64_PRIVATE_H

#include <kernel/types.h>

struct pt_regs;

/* pl011.c */
void pl011_early_init(void);
void pl011_init(void);
void pl011_putc(int c);

/* gic.c */
#define IPI_STOP 1   /* SGI used to stop CPUs on panic */
#define TIMER_PPI 27 /* EL1 virtual timer */
void gic_init(void);
void gic_init_cpu(void);
u32 gic_ack(void); /* returns the INTID (1023 = none) */
void gic_eoi(u32 intid);
void gic_send_sgi(int cpu, int sgi);
const char *gic_name(void);

/* mmu.c */
void arm64_mmu_early_done(void);
void arm64_enter_from_user(void);

void __noreturn arm64_secondary_start(int cpu, bool via_boot_entry);

/* cpuinfo.c: record this CPU's identification registers (called on each CPU) */
void cpuinfo_store_cpu(void);

#endif
