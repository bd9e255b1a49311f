/*
 * kernel/panic.c - the last words of a kernel that cannot go on.
 *
 * panic() prints the reason, then a symbolized backtrace of the panicking
 * CPU, then asks every other CPU (by IPI) to print its own backtrace and
 * stop, one after another so the lines do not mix. A second panic or fault
 * on the same CPU while it prints the first (console output itself broken,
 * say) cuts the report short: one line if it can, then power off or halt,
 * never a loop of reports.
 *
 * With the boot argument `panic=N` (any N, as in Linux) the machine powers
 * off with exit status 3 after the report: the test harness uses it so a
 * panic ends the QEMU run instead of hanging it.
 */
#include <kernel/printk.h>
#include <kernel/arch.h>
#include <kernel/proc.h>
#include <kernel/ksyms.h>
#include <kernel/trap.h>
#include <kernel/bootargs.h>
#include <kernel/setup.h>

bool panic_poweroff;
static volatile int panic_cpu = -1;
static volatile int stopped_cpus;

struct trace_state {
	int depth;
	u64 last_pc;
	int repeats;
};

static void flush_repeats(struct trace_state *st)
{
	if (st->repeats)
		printk("  ... the frame above %d more time%s\n", st->repeats,
		       st->repeats > 1 ? "s" : "");
	st->repeats = 0;
}

/* Print one frame; repeated frames (deep recursion) are counted, not listed. */
static bool print_frame(u64 pc, void *arg)
{
	struct trace_state *st = arg;
	u64 off, size;
	const char *name = ksym_lookup(pc, &off, &size);

	if (st->depth > 0) {
		/* a return address may lie just past the end of its function
		 * (after a call to a noreturn function): name it by pc - 1 */
		name = ksym_lookup(pc - 1, &off, &size);
		off++;
	}
	st->depth++;
	if (pc == st->last_pc) {
		st->repeats++; /* deep recursion: say it once */
		return true;
	}
	flush_repeats(st);
	st->last_pc = pc;
	if (name)
		printk("  [<%016llx>] %s+0x%llx/0x%llx\n", pc, name, off, size);
	else
		printk("  [<%016llx>] ?\n", pc);
	return true;
}

static void print_trace(struct pt_regs *regs)
{
	struct cpu *c = this_cpu();
	struct proc *p = c->proc;

	if (p)
		printk("Call trace (CPU %d, pid %d %s):\n", c->id, p->pid, p->name);
	else
		printk("Call trace (CPU %d, scheduler):\n", c->id);
	struct trace_state st = {0, 0, 0};

	arch_stack_walk(regs, print_frame, &st);
	flush_repeats(&st);
}

void dump_stack(void)
{
	print_trace(NULL);
}

static void __noreturn panic_finish(void)
{
	struct cpu *me = this_cpu();

	/* other CPUs: print their traces one at a time, then stop */
	for (int i = 0; i < NCPU; i++) {
		if (&cpus[i] == me || !cpus[i].online)
			continue;
		int before = stopped_cpus;
		arch_send_ipi(i);
		for (u64 spin = 0; stopped_cpus == before && spin < 50000000; spin++)
			cpu_relax();
	}
	printk("---[ end Kernel panic ]---\n");
	if (panic_poweroff)
		arch_poweroff(3);
	arch_halt();
}

/*
 * This CPU failed again while printing its panic report. Try one line (if
 * printing is what fails, the nested failure lands here once more and skips
 * it), then end the run as the first panic would have.
 */
static void __noreturn panic_nested(void)
{
	static int nested;

	arch_local_irq_disable();
	if (nested++ == 0)
		printk("\n---[ panic while printing the panic report: cut short ]---\n");
	if (panic_poweroff)
		arch_poweroff(3);
	arch_halt();
}

/* Become the panicking CPU; return only if this CPU is the first to panic. */
static void panic_claim(void)
{
	int me = this_cpu()->id;
	int old = __sync_val_compare_and_swap(&panic_cpu, -1, me);

	if (old == me)
		panic_nested();
	if (old != -1)
		arch_halt(); /* another CPU is already panicking and will stop us */
	panicking = 1;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	arch_local_irq_disable();
	panic_claim();
	printk("Kernel panic - not syncing: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	print_trace(NULL);
	panic_finish();
}

/* A fault the kernel cannot handle: say what and where, then panic. */
void kernel_fault(struct pt_regs *regs, const char *cause, u64 addr)
{
	arch_local_irq_disable();
	panic_claim();
	printk("Unable to handle kernel %s at virtual address %016llx\n", cause, addr);
	if (addr < PAGE_SIZE)
		printk("(a NULL pointer dereference?)\n");
	else if (addr < TASK_SIZE)
		printk("(a user address touched outside copy_to_user/copy_from_user?)\n");
	show_regs(regs);
	print_trace(regs);
	printk("Kernel panic - not syncing: kernel fault: %s\n", cause);
	panic_finish();
}

void kernel_stack_overflow(struct pt_regs *regs)
{
	struct proc *p = this_cpu()->proc;

	arch_local_irq_disable();
	panic_claim();
	printk("kernel stack overflow: sp %016llx is in the guard page below the kernel stack\n",
	       regs_sp(regs));
	if (p)
		printk("task: pid %d (%s), stack %016llx-%016llx\n", p->pid, p->name, p->kstack,
		       p->kstack + KSTACK_SIZE);
	print_trace(regs);
	printk("Kernel panic - not syncing: kernel stack overflow\n");
	panic_finish();
}

/* Another CPU panicked: print this CPU's trace, then stop (see kernel/smp.c). */
void panic_stop_cpu(struct pt_regs *regs)
{
	print_trace(regs);
	__sync_fetch_and_add(&stopped_cpus, 1);
	arch_halt();
}
