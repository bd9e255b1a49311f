/*
 * kernel/proc.h - processes, CPUs and the scheduler.
 *
 * Each process has one thread: a user address space (struct mm_struct), a
 * kernel stack with a guard page below it, and saved registers. A CPU runs
 * its scheduler loop on its boot stack and swtch()es into a process and back.
 *
 * Processes are struct procs from a slab cache, on proc_list (kernel/proc.c).
 *
 * Locking:
 *   p->lock protects state, chan, killed, xstate and pid of p;
 *   wait_lock protects every p->parent and must be taken before any p->lock;
 *   proc_list_lock protects proc_list (p->list); order: wait_lock,
 *   proc_list_lock, p->lock.
 * A process that sleeps holds no spinlock but p->lock, which sleep() drops
 * in the scheduler.
 */
#ifndef _KERNEL_PROC_H
#define _KERNEL_PROC_H

#include <kernel/types.h>
#include <kernel/spinlock.h>
#include <kernel/list.h>
#include <kernel/arch.h>
#include <asm/percpu.h>
#include <uapi/pagoda/param.h>

#define NCPU 8
#define HZ 100 /* timer ticks per second; sleep() and uptime() count these */

struct mm_struct;
struct file;
struct inode;

/* where a CPU's ticks went (the columns of /proc/stat's cpu lines) */
enum cpu_usage_stat {
	CPUTIME_USER,	/* a process in user mode */
	CPUTIME_SYSTEM, /* a process (or kernel thread) in the kernel */
	CPUTIME_IDLE,	/* no process to run */
	CPUTIME_IOWAIT, /* idle, while a process that slept here waits for the disk */
	NR_CPU_STATS
};

/*
 * Per-CPU state. The first fields are used by the architecture's trap entry
 * code at fixed offsets (asm/ptrace.h checks them): keep them first.
 */
struct cpu {
	u64 kernel_sp;		/* top of the running process's kernel stack */
	u64 scratch[3];		/* trap entry spills registers here */
	u64 overflow_sp;	/* emergency stack for kernel stack overflows */
	struct proc *proc;	/* process running on this CPU, or NULL */
	struct context context; /* swtch() here to enter the scheduler loop */
	int noff;		/* depth of push_off() nesting */
	int intena;		/* were interrupts enabled before push_off()? */
	int id;			/* logical CPU number, 0 = boot CPU */
	u64 hwid;		/* hart id / MPIDR affinity */
	bool online;
	/* CPU time (kernel/cputime.c), in ticks; only this CPU's tick writes them */
	u64 cpustat[NR_CPU_STATS];
	u64 nr_switches;      /* processes this CPU switched to (scheduler) */
	int nr_iowait;	      /* processes waiting for the disk that slept here (atomic) */
	int irq_depth;	      /* > 0 while handling an interrupt (in_interrupt()) */
	struct arch_cpu arch; /* the architecture's per-CPU state (asm/percpu.h) */
};

extern struct cpu cpus[NCPU];
extern int ncpus_online;

enum procstate { UNUSED, USED, SLEEPING, RUNNABLE, RUNNING, ZOMBIE };

struct proc {
	struct spinlock lock;

	/* p->lock must be held when using these: */
	enum procstate state;
	void *chan;	/* if non-zero, sleeping on chan */
	int killed;	/* if non-zero, have been killed */
	int last_errno; /* error of the last failed system call (geterrno) */
	int xstate;	/* exit status to be returned to parent's wait */
	int pid;

	/* wait_lock must be held when using this: */
	struct proc *parent;

	/* proc_list_lock must be held when using this: */
	struct list_head list; /* on proc_list */

	/* private to the process, so p->lock need not be held: */
	u64 kstack;		/* lowest address of the kernel stack */
	struct pt_regs *regs;	/* user registers, at the top of kstack */
	struct context context; /* swtch() here to run the process */
	struct mm_struct *mm;	/* user address space; exec and exit change it under
				 * p->lock, as /proc readers mmget() it under p->lock */
	struct file *ofile[NOFILE];
	struct inode *cwd;
	char name[16];
	int (*kthread_fn)(void *arg); /* a kernel thread's function (kernel_thread) */
	void *kthread_arg;

	/*
	 * Accounting for /proc (kernel/cputime.c). Each field has one writer:
	 * utime/stime the tick of the CPU running the process; the fault
	 * counts the process itself; nvcsw/nivcsw/cpu the process in sched();
	 * cutime/cstime its own wait(). Readers on other CPUs read them
	 * without a lock (aligned 64-bit words: no torn values).
	 */
	u64 start_time;		/* ticks since boot when it was created */
	u64 utime, stime;	/* ticks it ran in user mode / in the kernel */
	u64 cutime, cstime;	/* the same, summed over its waited-for children */
	u64 min_flt, maj_flt;	/* page faults without / with a file read */
	u64 cmin_flt, cmaj_flt; /* the same, summed over its waited-for children */
	u64 nvcsw, nivcsw;	/* switches away: it slept (voluntary) / was preempted */
	int cpu;		/* CPU it last ran on */
	int iowait_cpu;		/* while in_iowait: the CPU whose nr_iowait counts it */
	bool in_iowait;		/* sleeping for the disk: 'D' in /proc (p->lock) */
};

extern struct list_head proc_list;
extern struct spinlock proc_list_lock;
extern struct spinlock wait_lock;

/* Every process; the caller holds proc_list_lock (procdump() does without). */
#define for_each_process(p) list_for_each_entry(p, &proc_list, list)

struct proc *myproc(void);
int cpuid(void);

void proc_init(void);
void userinit(void);
void __noreturn scheduler(void);
void sched(void);
void yield(void);
void sleep(void *chan, struct spinlock *lk);
void wakeup(void *chan);
/*
 * kill - mark process @pid killed; it exits when it next returns to user
 * space, and a sleep or a long system call it is in ends early.
 * Context: process context. Return: 0, -ESRCH (no such process) or -EPERM
 * (init, whose death would panic the kernel, or a kernel thread).
 */
int kill(int pid);
bool killed(struct proc *p);
void setkilled(struct proc *p);
int fork(void);
/*
 * kernel_thread - a process that runs @fn(@arg) in the kernel (no user
 * address space) and exits with its return value; the caller is its parent
 * and reaps it with wait(0). Context: process context.
 * Return: its pid, or -EAGAIN.
 */
int kernel_thread(int (*fn)(void *arg), void *arg, const char *name);
void __noreturn exit(int status);
int wait(u64 status_uaddr);
int growproc(long n);
void procdump(void);
int exec(const char *path, char **argv);

/* Copy to/from either a user address (user != 0) or a kernel address. */
int either_copyout(int user_dst, u64 dst, const void *src, u64 len);
int either_copyin(void *dst, int user_src, u64 src, u64 len);

/* Kill the current process because of a fault; prints a one-line reason. */
void __noreturn kill_current(const char *why, u64 addr, u64 pc);

/* timer ticks since boot, protected by tickslock; sleepers wait on &ticks */
extern u64 ticks;
extern struct spinlock tickslock;

/*
 * Counters and snapshots for /proc (kernel/proc.c).
 */
extern u64 total_forks; /* processes created since boot (pid_lock) */

/* A copy of one process's fields, taken under its locks (proc_get_info). */
struct proc_info {
	int pid, ppid;
	enum procstate state;
	bool in_iowait;
	int xstate;
	int cpu;
	char name[16];
	u64 start_time, utime, stime, cutime, cstime;
	u64 min_flt, maj_flt, cmin_flt, cmaj_flt, nvcsw, nivcsw;
	bool kthread;	      /* a kernel thread (no user program ever) */
	struct mm_struct *mm; /* with a reference (mmput() it), or NULL */
};

/**
 * proc_get_info - snapshot process @pid for /proc
 * @pid:  process id
 * @info: filled in
 * @want_mm: also take a reference to its address space (info->mm)
 *
 * Context: process context; takes wait_lock, proc_list_lock and p->lock.
 * Return: true if the process exists (a zombie too), false if not.
 */
bool proc_get_info(int pid, struct proc_info *info, bool want_mm);
/**
 * proc_next_pid - the smallest pid >= @pid of an existing process (zombies
 * included), for listing /proc.
 * Context: process context. Return: the pid, or 0 if there is none.
 */
int proc_next_pid(int pid);
/**
 * proc_counts - count processes by what they are doing
 * @running: RUNNABLE or RUNNING
 * @blocked: sleeping for the disk (Linux's uninterruptible sleep)
 * @total:   every process on the list
 * Context: any (takes proc_list_lock and each p->lock).
 */
void proc_counts(int *running, int *blocked, int *total);
/* the pid most recently handed out (/proc/loadavg's last field) */
int proc_last_pid(void);
/**
 * io_schedule_begin / io_schedule_end - bracket a wait for the disk: the
 * process shows as 'D' in /proc, counts in procs_blocked and the load
 * average, and the CPU's idle time meanwhile is iowait.
 * Context: process context; the caller holds no spinlock.
 */
void io_schedule_begin(void);
void io_schedule_end(void);

#endif /* _KERNEL_PROC_H */
