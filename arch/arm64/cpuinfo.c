/*
 * arch/arm64/cpuinfo.c - /proc/cpuinfo on AArch64, in Linux's format:
 *
 *   processor	: 0                 Pagoda's CPU number
 *   BogoMIPS	: 125.00            2 x the generic timer's frequency in MHz
 *   Features	: crc32             what user programs may use (below)
 *   CPU implementer	: 0x41              MIDR_EL1 fields: Arm Ltd.
 *   CPU architecture: 8
 *   CPU variant	: 0x0
 *   CPU part	: 0xd08             Cortex-A72
 *   CPU revision	: 3
 *
 * BogoMIPS: Linux on arm64 calibrates its delay loop on the generic timer,
 * so the number is derived from the timer frequency, not measured; the same
 * formula here gives the same number (62.5 MHz -> 125.00).
 *
 * Features are, as on Linux, the hardware capabilities a user program may
 * use (Linux's hwcaps), decoded from the ID_AA64ISAR0/ISAR1_EL1 registers.
 * Pagoda leaves FP/SIMD off (CPACR_EL1.FPEN = 0; programs are built
 * -mgeneral-regs-only), so fp, asimd and everything that executes in the
 * SIMD registers (aes, sha*, pmull, dotprod, ...) are not listed, and
 * neither is what would need the kernel to enable or emulate it (cpuid,
 * evtstrm, pointer authentication, BTI, MTE). What remains are
 * general-purpose instructions: on a Cortex-A72 that is crc32; -cpu max
 * adds atomics, lrcpc, ilrcpc, flagm, flagm2, sb and rng.
 *
 * Each CPU reads its own registers at bring-up (cpuinfo_store_cpu), as
 * big.LITTLE systems differ per core.
 *
 * See: Linux Documentation/arch/arm64/elf_hwcaps.rst (the names and the ID
 * register fields they come from) and cpu-feature-registers.rst; the Arm
 * ARM, D17 (MIDR_EL1, ID_AA64ISAR0_EL1, ID_AA64ISAR1_EL1).
 */
#include <kernel/arch.h>
#include <kernel/proc.h>
#include <kernel/seq_buf.h>
#include <asm/sysreg.h>
#include "arm64.h"

void cpuinfo_store_cpu(void)
{
	struct arch_cpu *a = &this_cpu()->arch;

	a->midr = read_sysreg(midr_el1);
	a->isar0 = read_sysreg(id_aa64isar0_el1);
	a->isar1 = read_sysreg(id_aa64isar1_el1);
}

struct hwcap {
	const char *name;
	bool isar1;	  /* field of ID_AA64ISAR1_EL1 (else ISAR0) */
	int shift;	  /* the 4-bit field's position */
	unsigned min_val; /* present when the field is at least this */
};

/* In Linux's order of /proc/cpuinfo names (elf_hwcaps.rst) */
static const struct hwcap hwcaps[] = {
    {"crc32", false, 16, 1},				/* ISAR0.CRC32 */
    {"atomics", false, 20, 2},				/* ISAR0.Atomic: LSE */
    {"lrcpc", true, 20, 1},				/* ISAR1.LRCPC */
    {"ilrcpc", true, 20, 2},   {"flagm", false, 52, 1}, /* ISAR0.TS */
    {"sb", true, 36, 1},				/* ISAR1.SB */
    {"flagm2", false, 52, 2},  {"rng", false, 60, 1},	/* ISAR0.RNDR */
};

void arch_show_cpuinfo(struct seq_buf *m, int cpu)
{
	const struct arch_cpu *a = &cpus[cpu].arch;
	u64 bogo_x100 = arch_timer_freq * 2 / 10000; /* hundredths */
	u64 midr = a->midr;

	seq_buf_printf(m, "processor\t: %d\n", cpu);
	seq_buf_printf(m, "BogoMIPS\t: %llu.%02llu\n", bogo_x100 / 100, bogo_x100 % 100);
	seq_buf_printf(m, "Features\t:");
	for (unsigned i = 0; i < ARRAY_SIZE(hwcaps); i++) {
		const struct hwcap *h = &hwcaps[i];
		unsigned v = ((h->isar1 ? a->isar1 : a->isar0) >> h->shift) & 0xf;
		if (v >= h->min_val)
			seq_buf_printf(m, " %s", h->name);
	}
	seq_buf_printf(m, "\n");
	/* MIDR_EL1: implementer [31:24], variant [23:20], architecture [19:16],
	 * part number [15:4], revision [3:0]; architecture 0xf means "see the
	 * ID registers", which Linux prints as 8 */
	seq_buf_printf(m, "CPU implementer\t: 0x%02llx\n", (midr >> 24) & 0xff);
	seq_buf_printf(m, "CPU architecture: 8\n");
	seq_buf_printf(m, "CPU variant\t: 0x%llx\n", (midr >> 20) & 0xf);
	seq_buf_printf(m, "CPU part\t: 0x%03llx\n", (midr >> 4) & 0xfff);
	seq_buf_printf(m, "CPU revision\t: %llu\n\n", midr & 0xf);
}
