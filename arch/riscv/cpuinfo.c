/*
 * arch/riscv/cpuinfo.c - /proc/cpuinfo on RISC-V, in Linux's format:
 *
 *   processor	: 0                          Pagoda's CPU number
 *   hart		: 0                          the hart id (device tree "reg")
 *   isa		: rv64imach_zicsr_...        the hart's ISA, as user programs may use it
 *   mmu		: sv39                       the translation mode Pagoda runs
 *   mvendorid	: 0x0                        JEDEC vendor, from SBI
 *   marchid		: 0x70200                    microarchitecture (QEMU: its version)
 *   mimpid		: 0x70200                    implementation
 *
 * The ISA string comes from the hart's device-tree node ("riscv,isa").
 * Pagoda keeps the floating-point and vector units off (sstatus.FS and VS
 * stay 0: a user program's first FP instruction traps), so, as Linux does
 * when built without FPU support, the F, D, Q and V letters and the
 * multi-letter extensions that need those units (Zf*, Zd*, Zq*, Zv*) are
 * left out: the line says what a program may use.
 *
 * mvendorid, marchid and mimpid are machine-mode registers; S-mode asks
 * the SBI (base extension, functions 4-6), once per hart, on that hart.
 *
 * See: Linux Documentation/arch/riscv/ and arch/riscv/kernel/cpu.c (the
 * format); the RISC-V SBI specification, chapter 4 (base extension).
 */
#include <kernel/arch.h>
#include <kernel/fdt.h>
#include <kernel/proc.h>
#include <kernel/seq_buf.h>
#include <kernel/setup.h>
#include <kernel/string.h>
#include <asm/sbi.h>
#include "riscv.h"

#define SBI_BASE_GET_MVENDORID 4
#define SBI_BASE_GET_MARCHID 5
#define SBI_BASE_GET_MIMPID 6

static u64 sbi_base_value(long fid)
{
	struct sbiret r = sbi_ecall(SBI_EXT_BASE, fid, 0, 0, 0, 0);

	return r.error ? 0 : (u64)r.value;
}

void cpuinfo_store_cpu(void)
{
	struct arch_cpu *a = &this_cpu()->arch;

	a->mvendorid = sbi_base_value(SBI_BASE_GET_MVENDORID);
	a->marchid = sbi_base_value(SBI_BASE_GET_MARCHID);
	a->mimpid = sbi_base_value(SBI_BASE_GET_MIMPID);
}

/* The "riscv,isa" string of the cpu node whose reg is @hartid, or NULL. */
static const char *hart_isa(u64 hartid)
{
	int cpus = fdt_path_offset(boot_dtb, "/cpus"), len;

	if (cpus < 0)
		return NULL;
	for (int node = fdt_first_subnode(boot_dtb, cpus); node >= 0;
	     node = fdt_next_subnode(boot_dtb, node)) {
		u64 reg, size;
		if (fdt_read_reg(boot_dtb, node, 0, &reg, &size) < 0 || reg != hartid)
			continue;
		return fdt_getprop(boot_dtb, node, "riscv,isa", &len);
	}
	return NULL;
}

/* Is the multi-letter extension @ext (length @n) one that needs FP or vector state? */
static bool needs_fp_state(const char *ext, size_t n)
{
	static const char *const prefixes[] = {"zf", "zd", "zq", "zv"};

	for (unsigned i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (n >= 2 && strncmp(ext, prefixes[i], 2) == 0)
			return true;
	return false;
}

/* Print @isa without what needs the FP/vector units Pagoda leaves off. */
static void show_isa(struct seq_buf *m, const char *isa)
{
	const char *s = isa;
	char c[2] = {0, 0};

	/* "rv64" then single letters up to the first '_' */
	for (; *s && *s != '_'; s++) {
		bool base = s - isa >= 4;
		if (base && (*s == 'f' || *s == 'd' || *s == 'q' || *s == 'v'))
			continue;
		c[0] = *s;
		seq_buf_puts(m, c);
	}
	while (*s == '_') {
		const char *ext = ++s;
		size_t n = 0;

		while (ext[n] && ext[n] != '_')
			n++;
		if (!needs_fp_state(ext, n)) {
			seq_buf_puts(m, "_");
			for (size_t i = 0; i < n; i++) {
				c[0] = ext[i];
				seq_buf_puts(m, c);
			}
		}
		s = ext + n;
	}
}

void arch_show_cpuinfo(struct seq_buf *m, int cpu)
{
	struct cpu *c = &cpus[cpu];
	const char *isa = hart_isa(c->hwid);

	seq_buf_printf(m, "processor\t: %d\n", cpu);
	seq_buf_printf(m, "hart\t\t: %llu\n", c->hwid);
	seq_buf_printf(m, "isa\t\t: ");
	if (isa)
		show_isa(m, isa);
	seq_buf_printf(m, "\nmmu\t\t: sv39\n");
	seq_buf_printf(m, "mvendorid\t: 0x%llx\n", c->arch.mvendorid);
	seq_buf_printf(m, "marchid\t\t: 0x%llx\n", c->arch.marchid);
	seq_buf_printf(m, "mimpid\t\t: 0x%llx\n\n", c->arch.mimpid);
}
