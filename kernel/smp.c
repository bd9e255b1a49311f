/*
 * kernel/smp.c - inter-processor interrupts: stopping CPUs on panic and
 * running a function on another CPU.
 *
 * The architecture delivers every IPI to ipi_handler(). A panic makes the
 * receiving CPU print its backtrace and stop; otherwise the CPU runs the
 * function posted in its call slot, if any, and marks it done.
 *
 * Serialisation: call_busy admits one caller at a time (one outstanding call
 * in the system), so a slot needs no lock of its own: the caller fills it,
 * smp_mb() orders that before the IPI, and the target clears `pending` after
 * the function returned. call_busy is not a spinlock on purpose: waiters
 * keep interrupts enabled, so two CPUs calling each other cannot deadlock
 * (each still answers the other's IPI).
 */
#include <kernel/smp.h>
#include <kernel/proc.h>
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <kernel/errno.h>
#include <kernel/trap.h>

struct call_slot {
	void (*fn)(void *arg);
	void *arg;
	volatile int pending;
};

static struct call_slot slots[NCPU];
static u32 call_busy;

void panic_stop_cpu(struct pt_regs *regs);

int smp_call_function_single(int cpu, void (*fn)(void *arg), void *arg)
{
	int err = 0;

	if (cpu < 0 || cpu >= NCPU || !cpus[cpu].online)
		return -EINVAL;
	push_off();
	if (cpu == cpuid()) {
		fn(arg);
		pop_off();
		return 0;
	}
	pop_off();
	while (__atomic_exchange_n(&call_busy, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
	slots[cpu].fn = fn;
	slots[cpu].arg = arg;
	slots[cpu].pending = 1;
	smp_mb();
	arch_send_ipi(cpu);
	for (u64 spin = 0; READ_ONCE(slots[cpu].pending); spin++) {
		if (spin > 200000000) {
			err = -ETIMEDOUT;
			printk("smp_call_function_single: CPU%d did not answer\n", cpu);
			break;
		}
		cpu_relax();
	}
	__atomic_store_n(&call_busy, 0, __ATOMIC_RELEASE);
	return err;
}

void ipi_handler(struct pt_regs *regs)
{
	struct call_slot *s = &slots[this_cpu()->id];

	if (panicking)
		panic_stop_cpu(regs);
	if (READ_ONCE(s->pending)) {
		smp_mb();
		s->fn(s->arg);
		smp_mb();
		WRITE_ONCE(s->pending, 0);
	}
}
