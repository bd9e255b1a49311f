/*
 * kernel/spinlock.h - mutual exclusion for short critical sections.
 *
 * Holding a spinlock disables interrupts on the holding CPU (an interrupt
 * handler that took the same lock would deadlock), so a holder must never
 * sleep. push_off/pop_off nest: interrupts come back on only when the
 * outermost pop_off runs and they were on before the first push_off.
 */
#ifndef _KERNEL_SPINLOCK_H
#define _KERNEL_SPINLOCK_H

#include <kernel/types.h>

struct cpu;

struct spinlock {
	u32 locked;	  /* 0 = free, 1 = held */
	const char *name; /* for debugging and lock reports */
	struct cpu *cpu;  /* the CPU holding it */
};

#define SPINLOCK_INIT(n)     \
	{                    \
		0, (n), NULL \
	}

void spin_lock_init(struct spinlock *lk, const char *name);
void spin_lock(struct spinlock *lk);
void spin_unlock(struct spinlock *lk);
bool spin_is_held(struct spinlock *lk);
void push_off(void);
void pop_off(void);

#endif /* _KERNEL_SPINLOCK_H */
