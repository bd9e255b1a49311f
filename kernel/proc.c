/*
 * kernel/proc.c - processes and the scheduler.
 *
 * Life of a process:
 *
 *   (none) --alloc_proc--> USED --fork/userinit--> RUNNABLE <--+
 *                                                    |         | yield, wakeup
 *                                          scheduler |         |
 *                                                    v         |
 *                                                 RUNNING -----+--> SLEEPING
 *                                                    |
 *                                               exit |
 *                                                    v
 *   (freed) <---------- wait (parent) ------------ ZOMBIE
 *
 * A struct proc comes from the slab cache "task_struct" (Linux's name) and
 * sits on proc_list from alloc_proc() until wait() frees it; NPROC is no
 * longer the size of a table but a limit on how many exist at once (so that
 * a fork bomb meets EAGAIN, as with Linux's RLIMIT_NPROC). Walkers of the
 * list (the scheduler, wakeup, kill, wait) hold proc_list_lock, so a
 * process is never freed under them: wait() unlinks it first.
 *
 * Each CPU runs scheduler() on its boot stack. It picks a RUNNABLE process,
 * marks it RUNNING and swtch()es to it; the process comes back by calling
 * sched() (from yield, sleep or exit) with its own p->lock held, which the
 * scheduler releases. Holding p->lock across swtch() is what makes the
 * hand-over atomic: no other CPU can pick the same process half-switched.
 *
 * The scheduler takes the first RUNNABLE process on the list and moves it
 * to the end, so processes take turns (round robin).
 *
 * Lock order: wait_lock, then proc_list_lock, then p->lock (of a parent
 * before a child's).
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
#include <kernel/slab.h>

struct cpu cpus[NCPU];
int ncpus_online;
struct list_head proc_list = LIST_HEAD_INIT(proc_list);
struct spinlock proc_list_lock = SPINLOCK_INIT("proc_list");
struct spinlock wait_lock = SPINLOCK_INIT("wait_lock");
static struct kmem_cache *task_struct_cachep;
static int nr_procs; /* on proc_list; at most NPROC (proc_list_lock) */

static struct proc *initproc;
static int nextpid = 1;
static struct spinlock pid_lock = SPINLOCK_INIT("nextpid");
u64 total_forks;

static void forkret(void);
void crashtest_run(void);

void proc_init(void)
{
	task_struct_cachep = kmem_cache_create("task_struct", sizeof(struct proc), 0,
					       SLAB_HWCACHE_ALIGN | SLAB_PANIC, NULL);
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
	total_forks++;
	spin_unlock(&pid_lock);
	return pid;
}

/*
 * Allocate a process, put it on proc_list and prepare it to run forkret()
 * in the kernel.
 * Return: the process with p->lock held, or NULL (NPROC reached, no memory).
 */
static struct proc *alloc_proc(void)
{
	struct proc *p;

	spin_lock(&proc_list_lock);
	if (nr_procs >= NPROC) {
		spin_unlock(&proc_list_lock);
		return NULL;
	}
	nr_procs++;
	spin_unlock(&proc_list_lock);
	p = kmem_cache_zalloc(task_struct_cachep, GFP_KERNEL);
	if (!p)
		goto fail;
	spin_lock_init(&p->lock, "proc");
	/* a kernel stack from the vmalloc area, with a guard page below */
	p->kstack = kstack_alloc();
	if (!p->kstack) {
		kmem_cache_free(task_struct_cachep, p);
		goto fail;
	}
	p->pid = alloc_pid();
	p->start_time = READ_ONCE(ticks);
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
	/* USED: on the list, but no walker does anything with it yet */
	spin_lock(&proc_list_lock);
	list_add_tail(&p->list, &proc_list);
	spin_unlock(&proc_list_lock);
	spin_lock(&p->lock);
	return p;

fail:
	spin_lock(&proc_list_lock);
	nr_procs--;
	spin_unlock(&proc_list_lock);
	return NULL;
}

/*
 * Release everything a dead process still owns. Caller holds p->lock; the
 * struct itself goes with __unlist_proc() and kmem_cache_free().
 */
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

/* Take @p (UNUSED) off proc_list. Caller holds proc_list_lock, not p->lock. */
static void __unlist_proc(struct proc *p)
{
	list_del(&p->list);
	nr_procs--;
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
		spin_lock(&proc_list_lock);
		__unlist_proc(np);
		spin_unlock(&proc_list_lock);
		kmem_cache_free(task_struct_cachep, np);
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

/* A kernel thread's first instructions: swtch() returns here with p->lock held. */
static void kthread_start(void)
{
	struct proc *p = myproc();

	spin_unlock(&p->lock);
	exit(p->kthread_fn(p->kthread_arg));
}

int kernel_thread(int (*fn)(void *arg), void *arg, const char *name)
{
	struct proc *p = myproc(), *np;
	int pid;

	np = alloc_proc();
	if (!np)
		return -EAGAIN;
	np->kthread_fn = fn;
	np->kthread_arg = arg;
	context_init(&np->context, kthread_start, (u64)np->regs);
	np->cwd = p && p->cwd ? idup(p->cwd) : NULL;
	strlcpy(np->name, name, sizeof(np->name));
	pid = np->pid;
	spin_unlock(&np->lock);

	spin_lock(&wait_lock);
	np->parent = p ? p : initproc;
	spin_unlock(&wait_lock);

	spin_lock(&np->lock);
	np->state = RUNNABLE;
	spin_unlock(&np->lock);
	return pid;
}

/* Give p's children to init. Caller holds wait_lock. */
static void reparent(struct proc *p)
{
	struct proc *pp;
	bool gave = false;

	spin_lock(&proc_list_lock);
	for_each_process(pp) {
		if (pp->parent == p) {
			pp->parent = initproc;
			gave = true;
		}
	}
	spin_unlock(&proc_list_lock);
	if (gave)
		wakeup(initproc);
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
	if (p->cwd) { /* (a kernel thread started without a disk has none) */
		begin_op();
		iput(p->cwd);
		end_op();
		p->cwd = NULL;
	}

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
		struct proc *pp, *zombie = NULL;

		spin_lock(&proc_list_lock);
		for_each_process(pp) {
			if (pp->parent != p)
				continue;
			spin_lock(&pp->lock);
			have_kids = true;
			if (pp->state == ZOMBIE) {
				zombie = pp;
				break;
			}
			spin_unlock(&pp->lock);
		}
		if (zombie) {
			int pid = zombie->pid, xstate = zombie->xstate;

			/* its CPU time (and its children's) now counts as ours */
			p->cutime += zombie->utime + zombie->cutime;
			p->cstime += zombie->stime + zombie->cstime;
			p->cmin_flt += zombie->min_flt + zombie->cmin_flt;
			p->cmaj_flt += zombie->maj_flt + zombie->cmaj_flt;
			free_proc(zombie);
			spin_unlock(&zombie->lock);
			__unlist_proc(zombie); /* no walker can reach it now */
			spin_unlock(&proc_list_lock);
			spin_unlock(&wait_lock);
			kmem_cache_free(task_struct_cachep, zombie);
			/* copy after unlocking: the copy may fault a page in */
			if (status_uaddr && copy_to_user(status_uaddr, &xstate, sizeof(xstate)) < 0)
				return -EFAULT;
			return pid;
		}
		spin_unlock(&proc_list_lock);
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
		struct proc *p, *next = NULL;

		/* let devices interrupt: the running processes may all be waiting */
		arch_local_irq_enable();
		spin_lock(&proc_list_lock);
		for_each_process(p) {
			spin_lock(&p->lock);
			if (p->state == RUNNABLE) {
				next = p;
				/* to the end of the list: the others go first next time */
				list_move_tail(&p->list, &proc_list);
				break;
			}
			spin_unlock(&p->lock);
		}
		spin_unlock(&proc_list_lock);
		if (!next) {
			arch_local_irq_enable();
			arch_wait_for_interrupt();
			continue;
		}
		p = next;
		p->state = RUNNING;
		p->cpu = c->id;
		c->proc = p;
		c->nr_switches++;
		switch_mm(p->mm);
		swtch(&c->context, &p->context);
		/* back with p->lock held; p no longer runs here.
		 * Leave its page table: it may be freed by wait(). */
		switch_mm(NULL);
		c->proc = NULL;
		spin_unlock(&p->lock);
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
	if (p->state == SLEEPING)
		p->nvcsw++; /* it waits for something */
	else if (p->state == RUNNABLE)
		p->nivcsw++; /* preempted (or yielded) while it could have run on */
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
	struct proc *me = myproc(), *p;

	spin_lock(&proc_list_lock);
	for_each_process(p) {
		if (p == me)
			continue;
		spin_lock(&p->lock);
		if (p->state == SLEEPING && p->chan == chan)
			p->state = RUNNABLE;
		spin_unlock(&p->lock);
	}
	spin_unlock(&proc_list_lock);
}

int kill(int pid)
{
	struct proc *p;

	spin_lock(&proc_list_lock);
	for_each_process(p) {
		spin_lock(&p->lock);
		if (p->pid == pid && p->state != UNUSED && p->state != ZOMBIE) {
			if (p == initproc || p->kthread_fn) {
				/*
				 * init's death would take the kernel down, and a
				 * kernel thread never returns to user space to die:
				 * Linux ignores such signals silently; Pagoda says
				 * so with EPERM.
				 */
				spin_unlock(&p->lock);
				spin_unlock(&proc_list_lock);
				return -EPERM;
			}
			p->killed = 1;
			if (p->state == SLEEPING)
				p->state = RUNNABLE; /* it notices in its sleep loop or on return */
			spin_unlock(&p->lock);
			spin_unlock(&proc_list_lock);
			return 0;
		}
		spin_unlock(&p->lock);
	}
	spin_unlock(&proc_list_lock);
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

	struct proc *p;

	printk("\n  PID  PPID STATE   CPU  MEM(KiB) NAME\n");
	for_each_process(p) {
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

bool proc_get_info(int pid, struct proc_info *info, bool want_mm)
{
	struct proc *p;
	bool found = false;

	memset(info, 0, sizeof(*info));
	spin_lock(&wait_lock); /* for p->parent */
	spin_lock(&proc_list_lock);
	for_each_process(p) {
		spin_lock(&p->lock);
		if (p->pid == pid && p->state != UNUSED) {
			found = true;
			info->pid = p->pid;
			info->ppid = p->parent ? p->parent->pid : 0;
			info->state = p->state;
			info->in_iowait = p->in_iowait;
			info->xstate = p->xstate;
			info->cpu = p->cpu;
			strlcpy(info->name, p->name, sizeof(info->name));
			info->start_time = p->start_time;
			info->utime = p->utime;
			info->stime = p->stime;
			info->cutime = p->cutime;
			info->cstime = p->cstime;
			info->min_flt = p->min_flt;
			info->maj_flt = p->maj_flt;
			info->cmin_flt = p->cmin_flt;
			info->cmaj_flt = p->cmaj_flt;
			info->nvcsw = p->nvcsw;
			info->nivcsw = p->nivcsw;
			info->kthread = p->kthread_fn != NULL;
			if (want_mm && p->mm) {
				info->mm = p->mm; /* exit() clears p->mm under p->lock */
				mmget(info->mm);
			}
		}
		spin_unlock(&p->lock);
		if (found)
			break;
	}
	spin_unlock(&proc_list_lock);
	spin_unlock(&wait_lock);
	return found;
}

int proc_next_pid(int pid)
{
	struct proc *p;
	int best = 0;

	spin_lock(&proc_list_lock);
	for_each_process(p) {
		/* p->pid changes only before p joins the list, or under this
		 * lock in wait(); 0 on a failed fork's way out */
		int q = READ_ONCE(p->pid);
		if (q >= pid && q > 0 && (best == 0 || q < best))
			best = q;
	}
	spin_unlock(&proc_list_lock);
	return best;
}

void proc_counts(int *running, int *blocked, int *total)
{
	struct proc *p;
	int r = 0, b = 0, n = 0;

	spin_lock(&proc_list_lock);
	for_each_process(p) {
		spin_lock(&p->lock);
		if (p->state == RUNNABLE || p->state == RUNNING)
			r++;
		else if (p->state == SLEEPING && p->in_iowait)
			b++;
		if (p->state != UNUSED)
			n++;
		spin_unlock(&p->lock);
	}
	spin_unlock(&proc_list_lock);
	*running = r;
	*blocked = b;
	*total = n;
}

int proc_last_pid(void)
{
	int pid;

	spin_lock(&pid_lock);
	pid = nextpid - 1;
	spin_unlock(&pid_lock);
	return pid;
}

void io_schedule_begin(void)
{
	struct proc *p = myproc();
	int cpu;

	if (!p)
		return;
	push_off(); /* stay on this CPU while choosing its counter */
	cpu = cpuid();
	__atomic_fetch_add(&cpus[cpu].nr_iowait, 1, __ATOMIC_RELAXED);
	pop_off();
	spin_lock(&p->lock);
	p->iowait_cpu = cpu;
	p->in_iowait = true;
	spin_unlock(&p->lock);
}

void io_schedule_end(void)
{
	struct proc *p = myproc();

	if (!p)
		return;
	spin_lock(&p->lock);
	p->in_iowait = false;
	spin_unlock(&p->lock);
	__atomic_fetch_sub(&cpus[p->iowait_cpu].nr_iowait, 1, __ATOMIC_RELAXED);
}
