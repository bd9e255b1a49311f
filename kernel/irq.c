/*
 * kernel/irq.c - a table of device interrupt handlers, filled by drivers
 * with request_irq() and consulted by the architecture's interrupt code.
 */
#include <kernel/irq.h>
#include <kernel/arch.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/proc.h>

struct irq_desc {
	irq_handler_t fn;
	const char *name;
	void *dev;
	u64 count;
};

static struct irq_desc irq_table[NR_IRQS];

int request_irq(int irq, irq_handler_t fn, const char *name, void *dev)
{
	if (irq <= 0 || irq >= NR_IRQS || !fn)
		return -EINVAL;
	if (irq_table[irq].fn)
		return -EBUSY;
	irq_table[irq] = (struct irq_desc){fn, name, dev, 0};
	arch_irq_enable(irq);
	return 0;
}

bool handle_irq(int irq)
{
	if (irq <= 0 || irq >= NR_IRQS || !irq_table[irq].fn)
		return false;
	irq_table[irq].count++;
	irq_table[irq].fn(irq, irq_table[irq].dev);
	return true;
}

u64 kstat_irqs(int irq)
{
	if (irq <= 0 || irq >= NR_IRQS)
		return 0;
	return READ_ONCE(irq_table[irq].count);
}

void irq_enter(void)
{
	this_cpu()->irq_depth++;
}

void irq_exit(void)
{
	this_cpu()->irq_depth--;
}

bool in_interrupt(void)
{
	bool in;

	push_off();
	in = this_cpu()->irq_depth > 0;
	pop_off();
	return in;
}
