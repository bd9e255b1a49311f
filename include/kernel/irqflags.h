/*
 * kernel/irqflags.h - local_irq_save()/local_irq_restore(): turn this CPU's
 * interrupts off and later back to what they were (Linux's names).
 *
 * Cheaper than push_off()/pop_off() (two CSR or system-register accesses,
 * no per-CPU nesting count), for very short sections on hot paths that
 * take no spinlock inside, such as the page allocator's per-CPU lists. A
 * spinlock taken inside still works: it sees interrupts already off.
 */
#ifndef _KERNEL_IRQFLAGS_H
#define _KERNEL_IRQFLAGS_H

#include <kernel/arch.h>

static inline unsigned long local_irq_save(void)
{
	unsigned long was_on = arch_irqs_enabled();

	arch_local_irq_disable();
	return was_on;
}

static inline void local_irq_restore(unsigned long flags)
{
	if (flags)
		arch_local_irq_enable();
}

#endif /* _KERNEL_IRQFLAGS_H */
