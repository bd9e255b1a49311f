/*
 * asm/sysreg.h - AArch64 system register access and the bits Pagoda uses.
 * Only arch/arm64 includes this.
 *
 * See: Arm Architecture Reference Manual for A-profile (Arm ARM), D13
 * "AArch64 System Register Descriptions"; D8 "The AArch64 Virtual Memory
 * System Architecture".
 */
#ifndef _ASM_ARM64_SYSREG_H
#define _ASM_ARM64_SYSREG_H

#include <kernel/types.h>

#define read_sysreg(r)                                                        \
	({                                                                    \
		u64 __v;                                                      \
		__asm__ __volatile__("mrs %0, " #r : "=r"(__v) : : "memory"); \
		__v;                                                          \
	})
#define write_sysreg(r, v)                                                      \
	do {                                                                    \
		u64 __v = (u64)(v);                                             \
		__asm__ __volatile__("msr " #r ", %0" : : "r"(__v) : "memory"); \
	} while (0)

#define isb() __asm__ __volatile__("isb" ::: "memory")
#define dsb(opt) __asm__ __volatile__("dsb " #opt ::: "memory")
#define dmb(opt) __asm__ __volatile__("dmb " #opt ::: "memory")

/* ESR_EL1: exception class (bits 31:26) */
#define ESR_EC_SHIFT 26
#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_WFX 0x01
#define ESR_EC_FP_ASIMD 0x07
#define ESR_EC_ILLEGAL 0x0e
#define ESR_EC_SVC64 0x15
#define ESR_EC_SYS64 0x18
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_PC_ALIGN 0x22
#define ESR_EC_DABT_LOW 0x24
#define ESR_EC_DABT_CUR 0x25
#define ESR_EC_SP_ALIGN 0x26
#define ESR_EC_SERROR 0x2f
#define ESR_EC_BRK64 0x3c
#define ESR_WNR (1UL << 6) /* data abort caused by a write */

/* PSTATE / SPSR */
#define PSR_MODE_EL0t 0x0
#define PSR_MODE_EL1h 0x5
#define PSR_I_BIT (1UL << 7)
#define PSR_PAN_BIT (1UL << 22)

/* MSR PAN, #imm: written as raw instructions so the assembler need not
 * accept ARMv8.1 syntax; only executed on CPUs that have PAN */
#define SET_PAN(x) __asm__ __volatile__(".inst 0xd500409f | (" #x " << 8)" ::: "memory")

#endif /* _ASM_ARM64_SYSREG_H */
