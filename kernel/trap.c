/*
 * kernel/trap.c - generic trap work shared by the architectures: the timer
 * tick (time, CPU accounting, the load average), killing a faulting user process with a one-line reason, and the
 * return to user mode.
 */
#include <kernel/trap.h>
#include <kernel/arch.h>
#include <kernel/proc.h>
#include <kernel/printk.h>
#include <kernel/mm.h>
#include <kernel/cputime.h>
#include <kernel/loadavg.h>

u64 ticks;
struct spinlock tickslock = SPINLOCK_INIT("time");

void timer_tick(struct pt_regs *regs)
{
	struct cpu *c = this_cpu();

	account_process_tick(user_mode(regs));
	if (c->id == 0) {
		u64 now;

		spin_lock(&tickslock);
		now = ++ticks;
		wakeup(&ticks);
		spin_unlock(&tickslock);
		calc_global_load(now);
	}
}

/*
 * A user program did something its address space does not allow. This is
 * the program's fault, never the kernel's: one line for the student, then
 * the process dies with status -1 on its way out of the trap.
 */
void user_fault(struct pt_regs *regs, const char *cause, u64 addr)
{
	struct proc *p = myproc();

	printk("pid %d (%s): killed: %s at address 0x%llx, pc 0x%llx\n", p->pid, p->name, cause,
	       addr, regs_pc(regs));
	setkilled(p);
}

void user_page_fault(struct pt_regs *regs, const char *cause, u64 addr, unsigned int flags)
{
	struct proc *p = myproc();
	u64 maj = p->maj_flt;
	const char *why;

	if (fault_in_page(p->mm, addr, flags | FAULT_FLAG_USER, &why) == 0) {
		if (p->maj_flt == maj)
			p->min_flt++; /* no file was read for it (/proc/PID/stat) */
		return;
	}
	printk("pid %d (%s): killed: %s at address 0x%llx (%s), pc 0x%llx\n", p->pid, p->name,
	       cause, addr, why, regs_pc(regs));
	setkilled(p);
}

void user_return(void)
{
	struct proc *p = myproc();

	arch_local_irq_disable();
	this_cpu()->kernel_sp = p->kstack + KSTACK_SIZE;
	ret_to_user(p->regs);
}
