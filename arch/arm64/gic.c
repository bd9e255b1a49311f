/*
 * arch/arm64/gic.c - the Generic Interrupt Controller, versions 2 and 3.
 *
 * INTIDs: 0-15 SGIs (software, between CPUs), 16-31 PPIs (private to a CPU,
 * e.g. the timer, 27), 32-1019 SPIs (shared devices: UART 33, virtio 48+).
 *
 *  GICv2 (default on QEMU virt): all memory-mapped.
 *    distributor GICD  0x000 CTLR, 0x100 ISENABLER, 0x400 IPRIORITYR,
 *                      0x800 ITARGETSR, 0xF00 SGIR
 *    CPU interface GICC 0x00 CTLR, 0x04 PMR, 0x0C IAR (ack), 0x10 EOIR
 *
 *  GICv3 (`GIC=3`): distributor as above (plus IROUTER at 0x6000 for SPI
 *  affinity routing), one redistributor per CPU (GICR: RD frame, then SGI
 *  frame at +0x10000 holding the SGI/PPI enables), and the CPU interface
 *  as system registers (ICC_IAR1_EL1, ICC_EOIR1_EL1, ICC_PMR_EL1, ...).
 *
 * SPIs go to CPU 0; SGIs and PPIs are enabled on every CPU.
 *
 * See: Arm GIC Architecture Specification v2 and v3/v4 (IHI 0048, IHI 0069).
 */
#include <kernel/arch.h>
#include <kernel/io.h>
#include <kernel/fdt.h>
#include <kernel/setup.h>
#include <kernel/proc.h>
#include <kernel/printk.h>
#include "arm64.h"

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_SGIR 0xf00
#define GICD_IROUTER 0x6000
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define GICR_TYPER 0x08
#define GICR_WAKER 0x14
#define GICR_SGI 0x10000
#define GICR_STRIDE 0x20000

static int version;
static volatile u8 *gicd, *gicc, *gicr_base;
static u64 gicr_size;

/* GICv3 CPU interface registers (encoded names: no assembler support needed) */
#define ICC_SRE_EL1 "s3_0_c12_c12_5"
#define ICC_PMR_EL1 "s3_0_c4_c6_0"
#define ICC_IGRPEN1_EL1 "s3_0_c12_c12_7"
#define ICC_IAR1_EL1 "s3_0_c12_c12_0"
#define ICC_EOIR1_EL1 "s3_0_c12_c12_1"
#define ICC_SGI1R_EL1 "s3_0_c12_c11_5"
#define icc_read(r)                                                          \
	({                                                                   \
		u64 __v;                                                     \
		__asm__ __volatile__("mrs %0, " r : "=r"(__v) : : "memory"); \
		__v;                                                         \
	})
#define icc_write(r, v) __asm__ __volatile__("msr " r ", %0" : : "r"((u64)(v)) : "memory")

const char *gic_name(void)
{
	return version == 3 ? "GICv3" : "GICv2";
}

static void gicd_wait_rwp(void)
{
	for (int i = 0; i < 1000000 && (readl(gicd + GICD_CTLR) & (1u << 31)); i++)
		cpu_relax();
}

void gic_init(void)
{
	u64 dbase = 0x08000000, dsize = 0x10000, cbase = 0x08010000, csize = 0x10000;
	int node = fdt_find_compatible(boot_dtb, "arm,gic-v3", -1);

	if (node >= 0) {
		version = 3;
		fdt_read_reg(boot_dtb, node, 0, &dbase, &dsize);
		fdt_read_reg(boot_dtb, node, 1, &cbase, &gicr_size);
		gicd = ioremap(dbase, dsize);
		gicr_base = ioremap(cbase, gicr_size);
	} else {
		version = 2;
		node = fdt_find_compatible(boot_dtb, "arm,cortex-a15-gic", -1);
		if (node < 0)
			node = fdt_find_compatible(boot_dtb, "arm,gic-400", -1);
		if (node >= 0) {
			fdt_read_reg(boot_dtb, node, 0, &dbase, &dsize);
			fdt_read_reg(boot_dtb, node, 1, &cbase, &csize);
		}
		gicd = ioremap(dbase, dsize);
		gicc = ioremap(cbase, csize);
	}
	if (!gicd || (!gicc && !gicr_base))
		panic("gic_init: cannot map the interrupt controller");

	writel(0, gicd + GICD_CTLR);
	if (version == 3) {
		gicd_wait_rwp();
		/* all SPIs in group 1, so they signal as IRQs */
		u32 lines = 32 * ((readl(gicd + GICD_TYPER) & 0x1f) + 1);
		for (u32 i = 32; i < lines && i < 1020; i += 32)
			writel(0xffffffff, gicd + GICD_IGROUPR + i / 8);
		writel((1u << 4) | (1u << 1), gicd + GICD_CTLR); /* ARE_NS | EnableGrp1NS */
		gicd_wait_rwp();
	} else {
		writel(1, gicd + GICD_CTLR);
	}
}

/* This CPU's redistributor: the one whose TYPER affinity matches MPIDR. */
static volatile u8 *gicr_this_cpu(void)
{
	u64 aff = read_sysreg(mpidr_el1);
	u32 want = (u32)(aff & 0xffffff) | (u32)((aff >> 32) & 0xff) << 24;

	for (u64 off = 0; off + GICR_STRIDE <= gicr_size; off += GICR_STRIDE) {
		volatile u8 *rd = gicr_base + off;
		u64 typer = readl(rd + GICR_TYPER) | (u64)readl(rd + GICR_TYPER + 4) << 32;
		if ((u32)(typer >> 32) == want)
			return rd;
	}
	return NULL;
}

void gic_init_cpu(void)
{
	if (version == 3) {
		volatile u8 *rd = gicr_this_cpu();
		if (!rd)
			panic("gic_init_cpu: no GICv3 redistributor for this CPU");
		/* wake the redistributor */
		writel(readl(rd + GICR_WAKER) & ~(1u << 1), rd + GICR_WAKER);
		for (int i = 0; i < 1000000 && (readl(rd + GICR_WAKER) & (1u << 2)); i++)
			cpu_relax();
		writel(0xffffffff, rd + GICR_SGI + GICD_IGROUPR);
		for (int i = 0; i < 32; i += 4)
			writel(0xa0a0a0a0, rd + GICR_SGI + GICD_IPRIORITYR + i);
		writel((1u << IPI_STOP) | (1u << TIMER_PPI), rd + GICR_SGI + GICD_ISENABLER);
		icc_write(ICC_SRE_EL1, icc_read(ICC_SRE_EL1) | 1);
		isb();
		icc_write(ICC_PMR_EL1, 0xf0);
		icc_write(ICC_IGRPEN1_EL1, 1);
		isb();
	} else {
		/* banked per CPU: SGIs and PPIs */
		for (int i = 0; i < 32; i += 4)
			writel(0xa0a0a0a0, gicd + GICD_IPRIORITYR + i);
		writel((1u << IPI_STOP) | (1u << TIMER_PPI), gicd + GICD_ISENABLER);
		writel(0xf0, gicc + GICC_PMR);
		writel(1, gicc + GICC_CTLR);
		/* our CPU interface number: the one bit set in a private ITARGETSR */
		u32 t = readl(gicd + GICD_ITARGETSR) & 0xff;
		int n = 0;
		while (t > 1) {
			t >>= 1;
			n++;
		}
		this_cpu()->arch.gic_cpu_if = (u32)n;
	}
}

void arch_irq_enable(int irq)
{
	if (irq < 32)
		return; /* SGIs and PPIs: enabled per CPU in gic_init_cpu */
	writeb(0xa0, gicd + GICD_IPRIORITYR + irq);
	if (version == 3) {
		u64 aff = cpus[0].hwid;
		volatile u8 *r = gicd + GICD_IROUTER + 8 * irq;
		writel((u32)(aff & 0xffffff), r);
		writel((u32)(aff >> 24) & 0xff, r + 4);
	} else {
		writeb((u8)(1u << cpus[0].arch.gic_cpu_if), gicd + GICD_ITARGETSR + irq);
	}
	writel(1u << (irq % 32), gicd + GICD_ISENABLER + 4 * (irq / 32));
	if (version == 3)
		gicd_wait_rwp();
}

u32 gic_ack(void)
{
	if (version == 3)
		return (u32)icc_read(ICC_IAR1_EL1) & 0xffffff;
	return readl(gicc + GICC_IAR) & 0x1fff;
}

void gic_eoi(u32 iar)
{
	if (version == 3) {
		icc_write(ICC_EOIR1_EL1, iar);
		isb();
	} else {
		writel(iar, gicc + GICC_EOIR);
	}
}

void gic_send_sgi(int cpu, int sgi)
{
	dsb(ish);
	if (version == 3) {
		u64 mpidr = cpus[cpu].hwid;
		u64 v = ((mpidr >> 8) & 0xff) << 16 | ((mpidr >> 16) & 0xff) << 32 |
			(u64)sgi << 24 | (1UL << (mpidr & 0xf));
		icc_write(ICC_SGI1R_EL1, v);
		isb();
	} else {
		writel((1u << (16 + cpus[cpu].arch.gic_cpu_if)) | (u32)sgi, gicd + GICD_SGIR);
	}
}

/* A device node's interrupt: GIC bindings use 3 cells <type number flags>. */
int arch_dt_irq(const void *dtb, int node)
{
	int len;
	const u8 *p = fdt_getprop(dtb, node, "interrupts", &len);

	if (!p || len < 12)
		return -1;
	u32 type = fdt_be32(p), num = fdt_be32(p + 4);
	return (int)(type == 0 ? num + 32 : num + 16);
}
