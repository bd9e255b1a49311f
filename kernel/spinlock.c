/*
 * kernel/spinlock.c - spinlocks and the interrupt-disable nesting they use.
 *
 * spin_lock() disables interrupts first (push_off), then spins on an atomic
 * swap. The acquire/release built-ins order the critical section's loads and
 * stores after the lock is taken and before it is released, on both the
 * compiler's and the CPU's side (RISC-V: amoswap.aq/.rl; ARM: ldaxr/stlr).
 */
#include <kernel/spinlock.h>
#include <kernel/arch.h>
#include <kernel/proc.h>
#include <kernel/printk.h>

void spin_lock_init(struct spinlock *lk, const char *name)
{
	lk->locked = 0;
	lk->name = name;
	lk->cpu = NULL;
}

void spin_lock(struct spinlock *lk)
{
	push_off();
	if (spin_is_held(lk))
		panic("spin_lock: %s: already held by this CPU (recursive locking)", lk->name);
	while (__atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE) != 0)
		cpu_relax();
	lk->cpu = this_cpu();
}

void spin_unlock(struct spinlock *lk)
{
	if (!spin_is_held(lk))
		panic("spin_unlock: %s: not held by this CPU", lk->name);
	lk->cpu = NULL;
	__atomic_store_n(&lk->locked, 0, __ATOMIC_RELEASE);
	pop_off();
}

bool spin_is_held(struct spinlock *lk)
{
	return lk->locked && lk->cpu == this_cpu();
}

void push_off(void)
{
	bool was_on = arch_irqs_enabled();
	struct cpu *c;

	arch_local_irq_disable();
	c = this_cpu();
	if (c->noff == 0)
		c->intena = was_on;
	c->noff++;
}

void pop_off(void)
{
	struct cpu *c = this_cpu();

	if (arch_irqs_enabled())
		panic("pop_off: interrupts enabled inside a critical section");
	if (c->noff < 1)
		panic("pop_off: unbalanced (no matching push_off)");
	c->noff--;
	if (c->noff == 0 && c->intena)
		arch_local_irq_enable();
}
