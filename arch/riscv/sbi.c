/*
 * arch/riscv/sbi.c - thin wrappers around `ecall` into OpenSBI.
 *
 * Registers: a7 = extension id, a6 = function id, a0..a5 = arguments;
 * OpenSBI returns an error code in a0 and a value in a1.
 *
 * See: RISC-V SBI specification, chapter 3 "Binary Encoding".
 */
#include <asm/sbi.h>

struct sbiret sbi_ecall(long ext, long fid, u64 arg0, u64 arg1, u64 arg2, u64 arg3)
{
	register u64 a0 __asm__("a0") = arg0;
	register u64 a1 __asm__("a1") = arg1;
	register u64 a2 __asm__("a2") = arg2;
	register u64 a3 __asm__("a3") = arg3;
	register u64 a6 __asm__("a6") = fid;
	register u64 a7 __asm__("a7") = ext;
	__asm__ __volatile__("ecall"
			     : "+r"(a0), "+r"(a1)
			     : "r"(a2), "r"(a3), "r"(a6), "r"(a7)
			     : "memory");
	return (struct sbiret){(long)a0, (long)a1};
}

void sbi_console_putchar(int c)
{
	sbi_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, (u64)c, 0, 0, 0);
}

void sbi_set_timer(u64 when)
{
	sbi_ecall(SBI_EXT_TIME, 0, when, 0, 0, 0);
}

void sbi_send_ipi(u64 hart_mask, u64 hart_mask_base)
{
	sbi_ecall(SBI_EXT_IPI, 0, hart_mask, hart_mask_base, 0, 0);
}

void sbi_remote_sfence_vma(u64 hart_mask, u64 hart_mask_base, u64 start, u64 size)
{
	sbi_ecall(SBI_EXT_RFENCE, 1, hart_mask, hart_mask_base, start, size);
}

long sbi_hart_start(u64 hartid, u64 start_pa, u64 opaque)
{
	return sbi_ecall(SBI_EXT_HSM, 0, hartid, start_pa, opaque, 0).error;
}

bool sbi_probe_extension(long ext)
{
	struct sbiret r = sbi_ecall(SBI_EXT_BASE, 3, (u64)ext, 0, 0, 0);
	return r.error == 0 && r.value != 0;
}
