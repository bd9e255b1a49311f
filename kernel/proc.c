/*
 * kernel/proc.c - processes and the scheduler.
 *
 * Life of a process:
 *
 *   UNUSED --alloc_proc--> USED --fork/userinit--> RUNNABLE <--+
 *                                                    |         | yield, wakeup
 *                                          scheduler |         |
 *                                                    v         |
 *                                                 RUNNING -----+--> SLEEPING
 *                                                    |
 *                                               exit |
 *                                                    v
 *   UNUSED <----------- wait (parent) ------------ ZOMBIE
 *
 * Each CPU runs scheduler() on its boot stack. It picks a RUNNABLE process,
 * marks it RUNNING and swtch()es to it; the process comes back by calling
 * sched() (from yield, sleep or exit) with its own p->lock held, which the
 * scheduler releases. Holding p->lock across swtch() is what makes the
 * hand-over atomic: no other CPU can pick the same process half-switched.
 *
 * Lock order: wait_lock, then p->lock (of a parent before a child's).
 */
#include <kernel/proc.h>
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include <kernel/mm.h>
#include <kernel/uaccess.h>
#include <kernel/trap.h>
#include <kernel/file.h>
#include <kernel/fs.h>
#include <kernel/ktest.h>
#include <kernel/setup.h>
#include <kernel/bootargs.h>

struct cpu cpus[NCPU];
int ncpus_online;
struct proc proc[NPROC];
struct spinlock wait_lock = SPINLOCK_INIT("wait_lock");

static struct proc *initproc;
static int nextpid = 1;
static struct spinlock pid_lock = SPINLOCK_INIT("nextpid");

static void forkret(void);
void crashtest_run(void);

void proc_init(void)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &proc[i];
		spin_lock_init(&p->lock, "proc");
		p->state = UNUSED;
	}
}

int cpuid(void)
{
	return this_cpu()->id;
}

struct proc *myproc(void)
{
	struct proc *p;

	push_off();
	p = this_cpu()->proc;
	pop_off();
	return p;
}

static int alloc_pid(void)
{
	int pid;

	spin_lock(&pid_lock);
	pid = nextpid++;
	spin_unlock(&pid_lock);
	return pid;
}

/*
 * Find an UNUSED slot and prepare it to run forkret() in the kernel.
 * Return: the process with p->lock held, or NULL if the table is full.
 */
static struct proc *alloc_proc(void)
{
	struct proc *p;

	for (p = proc; p < &proc[NPROC]; p++) {
		spin_lock(&p->lock);
		if (p->state == UNUSED)
			goto found;
		spin_unlock(&p->lock);
	}
	return NULL;

found:
	/* a kernel stack from the vmalloc area, with a guard page below */
	p->kstack = kstack_alloc();
	if (!p->kstack) {
		spin_unlock(&p->lock);
		return NULL;
	}
	p->pid = alloc_pid();
	p->state = USED;
	p->killed = 0;
	p->xstate = 0;
	p->chan = NULL;
	p->mm = NULL;
	p->cwd = NULL;
	memset(p->ofile, 0, sizeof(p->ofile));
	/* user registers at the very top of the kernel stack */
	p->regs = (struct pt_regs *)(p->kstack + KSTACK_SIZE - sizeof(struct pt_regs));
	memset(p->regs, 0, sizeof(*p->regs));
	context_init(&p->context, forkret, (u64)p->regs);
	return p;
}

/* Release everything a dead process still owns. Caller holds p->lock. */
static void free_proc(struct proc *p)
{
	if (p->mm)
		mmput(p->mm);
	p->mm = NULL;
	kstack_free(p->kstack);
	p->kstack = 0;
	p->pid = 0;
	p->parent = NULL;
	p->name[0] = '\0';
	p->chan = NULL;
	p->killed = 0;
	p->xstate = 0;
	p->state = UNUSED;
}

/* Create the first process; it execs /init from forkret(). */
void userinit(void)
{
	struct proc *p = alloc_proc();

	if (!p)
		panic("userinit: no process slot");
	initproc = p;
	strlcpy(p->name, "init", sizeof(p->name));
	p->state = RUNNABLE;
	spin_unlock(&p->lock);
}

/* Start /init with the words after " -- " in the boot arguments. */
static void __noreturn start_init(void)
{
	static char buf[256];
	char *argv[MAXARG];
	const char *rest = bootargs_init_args(boot_command_line);
	int argc = 1;

	argv[0] = "init";
	if (rest) {
		int n = bootargs_split(rest, buf, sizeof(buf), argv + 1, MAXARG - 2);
		if (n < 0)
			printk("init: too many arguments after --, ignoring them\n");
		else
			argc += n;
	}
	argv[argc] = NULL;
	if (exec("/init", argv) < 0)
		panic("start_init: cannot exec /init (is fs.img built and attached?)");
	user_return();
}

/*
 * A new process's first instructions in the kernel: swtch() from the
 * scheduler "returns" here with p->lock held.
 */
static void forkret(void)
{
	static bool first = true;
	struct proc *p = myproc();

	spin_unlock(&p->lock);
	if (first) {
		/* file-system setup sleeps, so it runs in a process, not in start_kernel */
		first = false;
		if (root_disk_ready) {
			fsinit(ROOTDEV);
			begin_op();
			p->cwd = namei("/");
			end_op();
		}
		crashtest_run();
		char spec[128];
		if (bootarg_get(boot_command_line, "ktest", spec, sizeof(spec)) > 0) {
			int failed = ktest_run(spec);
			arch_poweroff(failed ? 1 : 0);
		}
		start_init();
	}
	user_return();
}

int fork(void)
{
	struct proc *p = myproc(), *np;
	int pid;

	np = alloc_proc();
	if (!np)
		return -EAGAIN;
	/* np is USED, not RUNNABLE: no CPU will pick it, so its lock need not be
	 * held while its address space is copied (which may take a while) */
	spin_unlock(&np->lock);
	np->mm = dup_mm(p->mm);
	if (!np->mm) {
		spin_lock(&np->lock);
		free_proc(np);
		spin_unlock(&np->lock);
		return -ENOMEM;
	}
	spin_lock(&np->lock);
	*np->regs = *p->regs;
	regs_set_return(np->regs, 0); /* fork() returns 0 in the child */
	for (int i = 0; i < NOFILE; i++)
		if (p->ofile[i])
			np->ofile[i] = filedup(p->ofile[i]);
	np->cwd = idup(p->cwd);
	strlcpy(np->name, p->name, sizeof(np->name));
	pid = np->pid;
	spin_unlock(&np->lock);

	spin_lock(&wait_lock);
	np->parent = p;
	spin_unlock(&wait_lock);

	spin_lock(&np->lock);
	np->state = RUNNABLE;
	spin_unlock(&np->lock);
	return pid;
}

/* Give p's children to init. Caller holds wait_lock. */
static void reparent(struct proc *p)
{
	for (struct proc *pp = proc; pp < &proc[NPROC]; pp++) {
		if (pp->parent == p) {
			pp->parent = initproc;
			wakeup(initproc);
		}
	}
}

void exit(int status)
{
	struct proc *p = myproc();

	if (p == initproc)
		panic("init exited with status %d (attempted to kill init)", status);
	for (int fd = 0; fd < NOFILE; fd++) {
		if (p->ofile[fd]) {
			fileclose(p->ofile[fd]);
			p->ofile[fd] = NULL;
		}
	}
	begin_op();
	iput(p->cwd);
	end_op();
	p->cwd = NULL;

	/* give the address space back now, in process context: writing back
	 * shared file mappings sleeps, which wait()'s locks would not allow */
	spin_lock(&p->lock); /* /proc readers take their mm reference under it */
	struct mm_struct *mm = p->mm;
	p->mm = NULL;
	spin_unlock(&p->lock);
	switch_mm(NULL);
	if (mm)
		mmput(mm);

	spin_lock(&wait_lock);
	reparent(p);
	wakeup(p->parent);
	spin_lock(&p->lock);
	p->xstate = status;
	p->state = ZOMBIE;
	spin_unlock(&wait_lock);
	sched();
	panic("exit: zombie pid %d ran again", p->pid);
}

int wait(u64 status_uaddr)
{
	struct proc *p = myproc();

	spin_lock(&wait_lock);
	for (;;) {
		bool have_kids = false;
		for (struct proc *pp = proc; pp < &proc[NPROC]; pp++) {
			if (pp->parent != p)
				continue;
			spin_lock(&pp->lock);
			have_kids = true;
			if (pp->state == ZOMBIE) {
				int pid = pp->pid, xstate = pp->xstate;
				free_proc(pp);
				spin_unlock(&pp->lock);
				spin_unlock(&wait_lock);
				/* copy after unlocking: the copy may fault a page in */
				if (status_uaddr &&
				    copy_to_user(status_uaddr, &xstate, sizeof(xstate)) < 0)
					return -EFAULT;
				return pid;
			}
			spin_unlock(&pp->lock);
		}
		if (!have_kids || killed(p)) {
			spin_unlock(&wait_lock);
			return -ECHILD;
		}
		sleep(p, &wait_lock);
	}
}

void scheduler(void)
{
	struct cpu *c = this_cpu();

	c->proc = NULL;
	for (;;) {
		bool ran = false;

		/* let devices interrupt: the running processes may all be waiting */
		arch_local_irq_enable();
		for (struct proc *p = proc; p < &proc[NPROC]; p++) {
			spin_lock(&p->lock);
			if (p->state == RUNNABLE) {
				p->state = RUNNING;
				c->proc = p;
				switch_mm(p->mm);
				swtch(&c->context, &p->context);
				/* back with p->lock held; p no longer runs here.
				 * Leave its page table: it may be freed by wait(). */
				switch_mm(NULL);
				c->proc = NULL;
				ran = true;
			}
			spin_unlock(&p->lock);
		}
		if (!ran) {
			arch_local_irq_enable();
			arch_wait_for_interrupt();
		}
	}
}

/*
 * Switch to this CPU's scheduler. The caller holds exactly p->lock and has
 * changed p->state. intena belongs to this kernel thread, not to the CPU,
 * so it is saved and restored around the switch.
 */
void sched(void)
{
	struct proc *p = myproc();
	struct cpu *c = this_cpu();
	int intena;

	if (!spin_is_held(&p->lock))
		panic("sched: p->lock not held");
	if (c->noff != 1)
		panic("sched: %d locks held (only p->lock may be)", c->noff);
	if (p->state == RUNNING)
		panic("sched: process still RUNNING");
	if (arch_irqs_enabled())
		panic("sched: interrupts enabled");
	intena = c->intena;
	swtch(&p->context, &c->context);
	this_cpu()->intena = intena;
}

void yield(void)
{
	struct proc *p = myproc();

	spin_lock(&p->lock);
	p->state = RUNNABLE;
	sched();
	spin_unlock(&p->lock);
}

/*
 * Sleep on @chan, atomically releasing @lk; reacquire @lk on wakeup.
 * Taking p->lock before dropping @lk means a wakeup() (which needs p->lock)
 * cannot slip in between the check the caller made and the sleep.
 */
void sleep(void *chan, struct spinlock *lk)
{
	struct proc *p = myproc();

	spin_lock(&p->lock);
	spin_unlock(lk);
	p->chan = chan;
	p->state = SLEEPING;
	sched();
	p->chan = NULL;
	spin_unlock(&p->lock);
	spin_lock(lk);
}

void wakeup(void *chan)
{
	struct proc *me = myproc();

	for (struct proc *p = proc; p < &proc[NPROC]; p++) {
		if (p == me)
			continue;
		spin_lock(&p->lock);
		if (p->state == SLEEPING && p->chan == chan)
			p->state = RUNNABLE;
		spin_unlock(&p->lock);
	}
}

int kill(int pid)
{
	for (struct proc *p = proc; p < &proc[NPROC]; p++) {
		spin_lock(&p->lock);
		if (p->pid == pid && p->state != UNUSED && p->state != ZOMBIE) {
			p->killed = 1;
			if (p->state == SLEEPING)
				p->state = RUNNABLE; /* it notices in its sleep loop or on return */
			spin_unlock(&p->lock);
			return 0;
		}
		spin_unlock(&p->lock);
	}
	return -ESRCH;
}

void setkilled(struct proc *p)
{
	spin_lock(&p->lock);
	p->killed = 1;
	spin_unlock(&p->lock);
}

bool killed(struct proc *p)
{
	bool k;

	spin_lock(&p->lock);
	k = p->killed;
	spin_unlock(&p->lock);
	return k;
}

int growproc(long n)
{
	return (int)mm_brk(myproc()->mm, n);
}

int either_copyout(int user_dst, u64 dst, const void *src, u64 len)
{
	if (user_dst)
		return copy_to_user(dst, src, len) < 0 ? -1 : 0;
	memmove((void *)dst, src, len);
	return 0;
}

int either_copyin(void *dst, int user_src, u64 src, u64 len)
{
	if (user_src)
		return copy_from_user(dst, src, len) < 0 ? -1 : 0;
	memmove(dst, (const void *)src, len);
	return 0;
}

/* ^P on the console: list processes. No locks: this is for a wedged machine. */
void procdump(void)
{
	static const char *const names[] = {
	    [UNUSED] = "unused",   [USED] = "used",   [SLEEPING] = "sleep",
	    [RUNNABLE] = "runble", [RUNNING] = "run", [ZOMBIE] = "zombie",
	};

	printk("\n  PID  PPID STATE   CPU  MEM(KiB) NAME\n");
	for (struct proc *p = proc; p < &proc[NPROC]; p++) {
		if (p->state == UNUSED)
			continue;
		int cpu = -1;
		for (int i = 0; i < NCPU; i++)
			if (cpus[i].proc == p)
				cpu = i;
		printk("%5d %5d %-7s %3d %9llu %s\n", p->pid, p->parent ? p->parent->pid : 0,
		       names[p->state], cpu, p->mm ? p->mm->rss_pages * (PAGE_SIZE / 1024) : 0,
		       p->name);
	}
}

/* Is there a live (not exited) process @pid? */
bool proc_pid_alive(int pid)
{
	bool alive = false;

	for (struct proc *p = proc; p < &proc[NPROC]; p++) {
		spin_lock(&p->lock);
		if (p->pid == pid && p->state != UNUSED && p->state != ZOMBIE)
			alive = true;
		spin_unlock(&p->lock);
	}
	return alive;
}

/*
 * get_task_mm_by_pid - a reference to process @pid's address space (for
 * /proc), and its name in @comm (16 bytes). Return: the mm (mmput() it), or
 * NULL if there is no such process or it has none.
 */
struct mm_struct *get_task_mm_by_pid(int pid, char *comm)
{
	struct mm_struct *mm = NULL;

	for (struct proc *p = proc; p < &proc[NPROC]; p++) {
		spin_lock(&p->lock);
		if (p->pid == pid && p->state != UNUSED && p->mm) {
			mm = p->mm;
			mmget(mm);
			strlcpy(comm, p->name, 16);
		}
		spin_unlock(&p->lock);
		if (mm)
			break;
	}
	return mm;
}
