/*
 * asm/csr.h - RISC-V supervisor control and status registers: numbers, bits
 * and accessors. Only arch/riscv includes this.
 *
 * See: The RISC-V Instruction Set Manual, Volume II (Privileged), ch. 4
 * "Supervisor-Level ISA".
 */
#ifndef _ASM_RISCV_CSR_H
#define _ASM_RISCV_CSR_H

#include <kernel/types.h>

/* sstatus */
#define SR_SIE (1UL << 1)  /* supervisor interrupts enabled */
#define SR_SPIE (1UL << 5) /* SIE before the trap */
#define SR_SPP (1UL << 8)  /* previous mode: 1 = supervisor, 0 = user */
#define SR_FS (3UL << 13)  /* floating-point state */
#define SR_SUM (1UL << 18) /* supervisor may access user memory */
#define SR_MXR (1UL << 19)

/* sie / sip */
#define IE_SSIE (1UL << 1) /* software (IPI) */
#define IE_STIE (1UL << 5) /* timer */
#define IE_SEIE (1UL << 9) /* external (PLIC) */

/* scause */
#define CAUSE_IRQ_FLAG (1UL << 63)
#define IRQ_S_SOFT 1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT 9
#define EXC_INST_MISALIGNED 0
#define EXC_INST_ACCESS 1
#define EXC_ILLEGAL_INST 2
#define EXC_BREAKPOINT 3
#define EXC_LOAD_MISALIGNED 4
#define EXC_LOAD_ACCESS 5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS 7
#define EXC_ECALL_U 8
#define EXC_ECALL_S 9
#define EXC_INST_PAGE_FAULT 12
#define EXC_LOAD_PAGE_FAULT 13
#define EXC_STORE_PAGE_FAULT 15

/* satp */
#define SATP_MODE_SV39 (8UL << 60)
#define SATP_ASID_SHIFT 44

#define CSR_STIMECMP 0x14d

#define csr_read(csr)                                                            \
	({                                                                       \
		unsigned long __v;                                               \
		__asm__ __volatile__("csrr %0, " #csr : "=r"(__v) : : "memory"); \
		__v;                                                             \
	})
#define csr_write(csr, val)                                                         \
	({                                                                          \
		unsigned long __v = (unsigned long)(val);                           \
		__asm__ __volatile__("csrw " #csr ", %0" : : "rK"(__v) : "memory"); \
	})
#define csr_set(csr, val)                                                           \
	({                                                                          \
		unsigned long __v = (unsigned long)(val);                           \
		__asm__ __volatile__("csrs " #csr ", %0" : : "rK"(__v) : "memory"); \
	})
#define csr_clear(csr, val)                                                         \
	({                                                                          \
		unsigned long __v = (unsigned long)(val);                           \
		__asm__ __volatile__("csrc " #csr ", %0" : : "rK"(__v) : "memory"); \
	})

#endif /* _ASM_RISCV_CSR_H */
