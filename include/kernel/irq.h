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

#endif /* _KERNEL_IRQ_H */
