/*
 * kernel/irq.h - device interrupt handlers. The architecture's interrupt
 * controller code claims an interrupt and calls handle_irq(), which runs the
 * handler registered for that number.
 */
#ifndef _KERNEL_IRQ_H
#define _KERNEL_IRQ_H

#include <kernel/types.h>

#define NR_IRQS 128

typedef void (*irq_handler_t)(int irq, void *dev);

/* Register @fn for @irq and enable it. Return: 0 or -EBUSY/-EINVAL. */
int request_irq(int irq, irq_handler_t fn, const char *name, void *dev);
/* Run @irq's handler. Return: false if none is registered. */
bool handle_irq(int irq);

/**
 * kstat_irqs - how many times @irq was handled since boot (/proc/stat).
 * Context: any. Return: the count (0 for a number out of range).
 */
u64 kstat_irqs(int irq);

/* The architecture's interrupt entry brackets its work with these. */
void irq_enter(void);
void irq_exit(void);
/* Is this CPU handling an interrupt? (Such code must not sleep.) */
bool in_interrupt(void);

#endif /* _KERNEL_IRQ_H */
