/*
 * kernel/cputime.c - where the CPUs' time goes, and the files that tell:
 * /proc/stat and /proc/uptime.
 *
 * Pagoda samples, as Linux does without precise accounting: at every timer
 * tick (HZ = 100 a second on each CPU) the tick's CPU charges one tick to
 * whatever it interrupted:
 *
 *   a process in user mode   p->utime and the CPU's CPUTIME_USER
 *   a process in the kernel  p->stime and CPUTIME_SYSTEM (kernel threads too)
 *   the scheduler's loop     CPUTIME_IDLE, or CPUTIME_IOWAIT while a process
 *                            that went to sleep on this CPU waits for the disk
 *
 * A process that runs between ticks is never charged: the figures are
 * statistics, good over many ticks. Linux prints them in USER_HZ (100)
 * units, "clock ticks" (sysconf(_SC_CLK_TCK)); Pagoda's HZ is the same, and
 * jiffies_to_clock_t() says so in one place.
 *
 * Locking: each CPU writes only its own cpus[].cpustat; readers add them up
 * without a lock (aligned 64-bit words), so a line may be a tick behind.
 *
 * See: Linux kernel/sched/cputime.c, fs/proc/stat.c and fs/proc/uptime.c;
 * proc(5) for the formats; kernel/loadavg.c; kernel/drivers/rtc.c (btime).
 */
#include <kernel/proc.h>
#include <kernel/irq.h>
#include <kernel/rtc.h>
#include <kernel/seq_buf.h>
#include <kernel/cputime.h>

#define USER_HZ 100 /* what user space divides by (sysconf(_SC_CLK_TCK)) */

u64 jiffies_to_clock_t(u64 j)
{
	return j * USER_HZ / HZ;
}

void account_process_tick(bool user)
{
	struct cpu *c = this_cpu();
	struct proc *p = c->proc;

	if (!p) {
		int t = READ_ONCE(c->nr_iowait) > 0 ? CPUTIME_IOWAIT : CPUTIME_IDLE;
		c->cpustat[t]++;
	} else if (user) {
		p->utime++;
		c->cpustat[CPUTIME_USER]++;
	} else {
		p->stime++;
		c->cpustat[CPUTIME_SYSTEM]++;
	}
}

/* One "cpu" line: user nice system idle iowait irq softirq steal guest guest_nice. */
static void show_cpu_line(struct seq_buf *m, const char *name, const u64 *st)
{
	seq_buf_printf(m, "%s %llu 0 %llu %llu %llu 0 0 0 0 0\n", name,
		       jiffies_to_clock_t(st[CPUTIME_USER]), jiffies_to_clock_t(st[CPUTIME_SYSTEM]),
		       jiffies_to_clock_t(st[CPUTIME_IDLE]),
		       jiffies_to_clock_t(st[CPUTIME_IOWAIT]));
}

static bool cpu_present(int cpu)
{
	return READ_ONCE(cpus[cpu].online);
}

/*
 * /proc/stat (Linux's fields; nice, irq, softirq, steal and guest time are
 * always 0: Pagoda has no nice levels, does not time its interrupts and
 * runs no guests).
 */
void show_stat(struct seq_buf *m)
{
	u64 sum[NR_CPU_STATS] = {0}, intr = 0, ctxt = 0;
	int running, blocked, total;

	for (int cpu = 0; cpu < NCPU; cpu++) {
		if (!cpu_present(cpu))
			continue;
		for (int i = 0; i < NR_CPU_STATS; i++) {
			u64 v = READ_ONCE(cpus[cpu].cpustat[i]);
			sum[i] += v;
			intr += v; /* every tick is one timer interrupt */
		}
		ctxt += READ_ONCE(cpus[cpu].nr_switches);
	}
	show_cpu_line(m, "cpu ", sum);
	for (int cpu = 0; cpu < NCPU; cpu++) {
		char name[8];
		u64 st[NR_CPU_STATS];

		if (!cpu_present(cpu))
			continue;
		for (int i = 0; i < NR_CPU_STATS; i++)
			st[i] = READ_ONCE(cpus[cpu].cpustat[i]);
		snprintf(name, sizeof(name), "cpu%d", cpu);
		show_cpu_line(m, name, st);
	}
	/* intr: the total (timer ticks included), then each device irq's count */
	for (int irq = 0; irq < NR_IRQS; irq++)
		intr += kstat_irqs(irq);
	seq_buf_printf(m, "intr %llu", intr);
	for (int irq = 0; irq < NR_IRQS; irq++)
		seq_buf_printf(m, " %llu", kstat_irqs(irq));
	seq_buf_printf(m, "\n");
	proc_counts(&running, &blocked, &total);
	seq_buf_printf(m, "ctxt %llu\n", ctxt);
	seq_buf_printf(m, "btime %llu\n", getboottime());
	seq_buf_printf(m, "processes %llu\n", READ_ONCE(total_forks));
	seq_buf_printf(m, "procs_running %d\n", running);
	seq_buf_printf(m, "procs_blocked %d\n", blocked);
	seq_buf_printf(m, "softirq 0 0 0 0 0 0 0 0 0 0 0\n");
}

/* /proc/uptime: seconds since boot, and seconds the CPUs spent idle (summed). */
void uptime_show(struct seq_buf *m)
{
	u64 up = READ_ONCE(ticks), idle = 0;

	for (int cpu = 0; cpu < NCPU; cpu++)
		if (cpu_present(cpu))
			idle += READ_ONCE(cpus[cpu].cpustat[CPUTIME_IDLE]);
	seq_buf_printf(m, "%llu.%02llu %llu.%02llu\n", up / HZ, up % HZ * 100 / HZ, idle / HZ,
		       idle % HZ * 100 / HZ);
}
