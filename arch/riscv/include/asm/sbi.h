/*
 * asm/sbi.h - calls into the Supervisor Binary Interface (OpenSBI).
 *
 * See: RISC-V SBI specification v1.0 (base, TIME, IPI, RFENCE, HSM, SRST).
 */
#ifndef _ASM_RISCV_SBI_H
#define _ASM_RISCV_SBI_H

#include <kernel/types.h>

#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494D45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_RFENCE 0x52464E43
#define SBI_EXT_HSM 0x48534D
#define SBI_EXT_SRST 0x53525354

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_ecall(long ext, long fid, u64 a0, u64 a1, u64 a2, u64 a3);
void sbi_console_putchar(int c);
void sbi_set_timer(u64 when);
void sbi_send_ipi(u64 hart_mask, u64 hart_mask_base);
void sbi_remote_sfence_vma(u64 hart_mask, u64 hart_mask_base, u64 start, u64 size);
long sbi_hart_start(u64 hartid, u64 start_pa, u64 opaque);
bool sbi_probe_extension(long ext);

#endif /* _ASM_RISCV_SBI_H */
