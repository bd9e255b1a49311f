/*
 * kernel/smp.h - running a function on another CPU.
 *
 * smp_call_function_single() sends the target CPU an inter-processor
 * interrupt; its IPI handler runs @fn(@arg) in interrupt context (so @fn
 * must not sleep) and the caller waits for it to finish. One call at a time
 * system-wide; calls to the current CPU run directly with interrupts off.
 */
#ifndef _KERNEL_SMP_H
#define _KERNEL_SMP_H

#include <kernel/types.h>

/* Return: 0, -EINVAL (no such CPU online), or -ETIMEDOUT (it never answered). */
int smp_call_function_single(int cpu, void (*fn)(void *arg), void *arg);

#endif /* _KERNEL_SMP_H */
