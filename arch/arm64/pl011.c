/*
 * arch/arm64/pl011.c - the virt board's PL011 UART.
 *
 * Output is synchronous (wait while the transmit FIFO is full), so printk
 * works in any context. Received characters raise an interrupt and go to
 * console_intr(). Until ioremap() works, the early boot maps the UART's
 * physical address 1:1 (the early TTBR0 table), so printk works from the
 * first line of C.
 *
 * Registers: DR 0x00 data, FR 0x18 flags (bit 4 RXFE: receive FIFO empty,
 * bit 5 TXFF: transmit FIFO full), CR 0x30 control, IMSC 0x38 interrupt mask
 * (bit 4 RX, bit 6 receive timeout), ICR 0x44 interrupt clear.
 *
 * See: Arm PrimeCell UART (PL011) Technical Reference Manual.
 */
#include <kernel/arch.h>
#include <kernel/io.h>
#include <kernel/irq.h>
#include <kernel/fdt.h>
#include <kernel/setup.h>
#include <kernel/console.h>
#include "arm64.h"

#define DR 0x00
#define FR 0x18
#define CR 0x30
#define IMSC 0x38
#define ICR 0x44
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)

static volatile u8 *uart = (volatile u8 *)0x09000000UL; /* identity-mapped at first */

void pl011_putc(int c)
{
	while (readl(uart + FR) & FR_TXFF)
		cpu_relax();
	writel((u32)c, uart + DR);
}

static void pl011_intr(int irq, void *dev)
{
	(void)irq;
	(void)dev;
	/*
	 * Acknowledge first, then drain. The other order loses input: a
	 * character arriving after the last read but before the clear would
	 * have its interrupt cleared too, and sit in the FIFO unseen until
	 * the next key.
	 */
	writel(0x7ff, uart + ICR);
	while (!(readl(uart + FR) & FR_RXFE))
		console_intr(readl(uart + DR) & 0xff);
}

/* Map the UART properly and turn on receive interrupts. */
void pl011_init(void)
{
	u64 base = 0x09000000, size = 0x1000;
	int irq = 33;
	int node = fdt_find_compatible(boot_dtb, "arm,pl011", -1);
	volatile u8 *u;

	if (node >= 0) {
		fdt_read_reg(boot_dtb, node, 0, &base, &size);
		irq = arch_dt_irq(boot_dtb, node);
	}
	u = ioremap(base, PAGE_SIZE);
	if (!u)
		return;
	uart = u;
	writel(0x7ff, uart + ICR);
	writel((1u << 4) | (1u << 6), uart + IMSC);
	writel((1u << 0) | (1u << 8) | (1u << 9), uart + CR); /* UARTEN, TXE, RXE */
	if (irq >= 0)
		request_irq(irq, pl011_intr, "pl011", NULL);
}
