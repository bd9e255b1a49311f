/*
 * arch/riscv/plic.c - the Platform-Level Interrupt Controller.
 *
 * Each interrupt source has a priority; each context (a hart in a given
 * privilege mode) has an enable bit per source, a priority threshold and a
 * claim/complete register. On QEMU's virt board hart h's S-mode context is
 * 2h + 1 (2h is its M-mode context, used by OpenSBI).
 *
 *   base + 4*irq                      priority of irq
 *   base + 0x2000 + 0x80*ctx          enable bits, 32 irqs per word
 *   base + 0x200000 + 0x1000*ctx      threshold
 *   base + 0x200004 + 0x1000*ctx      claim (read) / complete (write)
 *
 * See: RISC-V PLIC specification v1.0.0.
 */
#include <kernel/arch.h>
#include <kernel/io.h>
#include <kernel/irq.h>
#include <kernel/fdt.h>
#include <kernel/setup.h>
#include <kernel/proc.h>
#include <kernel/printk.h>
#include "riscv.h"

static volatile u8 *plic;
static u32 enabled[NR_IRQS / 32];

static int s_context(void)
{
	return 2 * (int)this_cpu()->hwid + 1;
}

void plic_init(void)
{
	u64 base = 0x0c000000, size = 0x600000;
	int node = fdt_find_compatible(boot_dtb, "riscv,plic0", -1);

	if (node < 0)
		node = fdt_find_compatible(boot_dtb, "sifive,plic-1.0.0", -1);
	if (node >= 0)
		fdt_read_reg(boot_dtb, node, 0, &base, &size);
	plic = ioremap(base, size);
}

void plic_init_hart(void)
{
	int ctx = s_context();

	for (int w = 0; w < NR_IRQS / 32; w++)
		writel(enabled[w], plic + 0x2000 + 0x80 * ctx + 4 * w);
	writel(0, plic + 0x200000 + 0x1000 * ctx);
}

void arch_irq_enable(int irq)
{
	enabled[irq / 32] |= 1u << (irq % 32);
	writel(1, plic + 4 * irq);
	/* route to every online hart's S-mode context */
	for (int i = 0; i < NCPU; i++) {
		if (!cpus[i].online && &cpus[i] != this_cpu())
			continue;
		int ctx = 2 * (int)cpus[i].hwid + 1;
		writel(enabled[irq / 32], plic + 0x2000 + 0x80 * ctx + 4 * (irq / 32));
	}
}

int plic_claim(void)
{
	return (int)readl(plic + 0x200004 + 0x1000 * s_context());
}

void plic_complete(int irq)
{
	writel((u32)irq, plic + 0x200004 + 0x1000 * s_context());
}

int arch_dt_irq(const void *dtb, int node)
{
	int len;
	const u8 *p = fdt_getprop(dtb, node, "interrupts", &len);

	if (!p || len < 4)
		return -1;
	return (int)(((u32)p[0] << 24) | ((u32)p[1] << 16) | ((u32)p[2] << 8) | p[3]);
}
