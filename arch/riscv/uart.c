/*
 * arch/riscv/uart.c - the virt board's 16550-compatible UART.
 *
 * Output is synchronous (poll until the transmit holding register is empty:
 * QEMU's UART is never busy for long), so printk works from any context,
 * even in panic. Input raises an interrupt; each received character goes to
 * console_intr(), which does line editing.
 *
 * Registers (byte-wide, at base + n):
 *   0 RBR (read) / THR (write)    1 IER interrupt enable
 *   2 FCR FIFO control (write)    3 LCR line control (bit 7: divisor latch)
 *   5 LSR line status: bit 0 = data ready, bit 5 = THR empty
 *
 * See: National Semiconductor PC16550D data sheet.
 */
#include <kernel/arch.h>
#include <kernel/io.h>
#include <kernel/irq.h>
#include <kernel/fdt.h>
#include <kernel/setup.h>
#include <kernel/printk.h>
#include <kernel/console.h>
#include "riscv.h"

#define RBR 0
#define THR 0
#define IER 1
#define FCR 2
#define LCR 3
#define LSR 5
#define LSR_DR 0x01
#define LSR_THRE 0x20

static volatile u8 *uart;

bool uart_ready(void)
{
	return uart != NULL;
}

void uart_putc_sync(int c)
{
	while ((readb(uart + LSR) & LSR_THRE) == 0)
		cpu_relax();
	writeb((u8)c, uart + THR);
}

void uart_intr(int irq, void *dev)
{
	(void)irq;
	(void)dev;
	while (readb(uart + LSR) & LSR_DR)
		console_intr(readb(uart + RBR));
}

void uart_init(void)
{
	u64 base = 0x10000000, size = 0x100;
	int irq = 10;
	int node = fdt_find_compatible(boot_dtb, "ns16550a", -1);
	volatile u8 *u;

	if (node >= 0) {
		fdt_read_reg(boot_dtb, node, 0, &base, &size);
		irq = arch_dt_irq(boot_dtb, node);
	}
	u = ioremap(base, PAGE_SIZE);
	writeb(0x00, u + IER); /* no interrupts while we set up */
	writeb(0x80, u + LCR); /* divisor latch */
	writeb(0x03, u + 0);   /* 38400 baud (QEMU ignores it) */
	writeb(0x00, u + 1);
	writeb(0x03, u + LCR); /* 8 bits, no parity, 1 stop bit */
	writeb(0x07, u + FCR); /* enable and reset FIFOs */
	uart = u;
	if (irq >= 0 && request_irq(irq, uart_intr, "uart", NULL) == 0)
		writeb(0x01, u + IER); /* receive interrupts */
}
