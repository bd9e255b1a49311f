/*
 * user/vmstat.c - processes, memory, I/O and CPU at a glance, from /proc,
 * in the layout of Linux's vmstat.
 *
 * Usage: vmstat [DELAY [COUNT]]
 *   no argument   one line: averages since boot
 *   DELAY         then a line every DELAY seconds with what happened in
 *                 that interval, until COUNT lines were printed (default:
 *                 until killed)
 *
 *   procs -----------memory---------- ---swap-- -----io---- -system-- -------cpu-------
 *    r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st
 *    1  0      0 125432     49     12    0    0    14     3   52   60  0  3 90  7  0
 *
 *   r, b     processes runnable (vmstat itself among them) / waiting for the disk
 *   swpd     swap in use, KiB (Pagoda has no swap yet: 0)
 *   free     free RAM, KiB (MemFree); buff the buffer cache (Buffers);
 *            cache the page cache and reclaimable slab (Cached + SReclaimable)
 *   si, so   KiB swapped in / out per second
 *   bi, bo   blocks (1 KiB) read from / written to disk per second
 *   in, cs   interrupts and context switches per second
 *   us sy id wa st   percent of CPU time in user mode, in the kernel, idle,
 *            idle while waiting for the disk, stolen by a hypervisor
 *
 * See: /proc/stat (kernel/cputime.c), /proc/meminfo (fs/procfs.c),
 * /proc/vmstat (mm/memory.c); user/procps.h; Linux vmstat(8).
 */
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"
#include "user/procps.h"

struct sample {
	long free, buff, cache, swpd;
	long running, blocked;
	uint64 pgpgin, pgpgout, pswpin, pswpout, intr, ctxt;
	struct procps_cpu cpu;
	long uptime; /* hundredths of a second */
};

static char text[8192];

static long field_or_0(const char *name)
{
	long v = procps_field(text, name);

	return v < 0 ? 0 : v;
}

static int take_sample(struct sample *s)
{
	if (procps_read("/proc/meminfo", text, sizeof(text)) <= 0)
		return -1;
	s->free = field_or_0("MemFree:");
	s->buff = field_or_0("Buffers:");
	s->cache = field_or_0("Cached:") + field_or_0("SReclaimable:");
	s->swpd = field_or_0("SwapTotal:") - field_or_0("SwapFree:");
	if (procps_read("/proc/vmstat", text, sizeof(text)) <= 0)
		return -1;
	s->pgpgin = (uint64)field_or_0("pgpgin");
	s->pgpgout = (uint64)field_or_0("pgpgout");
	s->pswpin = (uint64)field_or_0("pswpin");
	s->pswpout = (uint64)field_or_0("pswpout");
	if (procps_read("/proc/stat", text, sizeof(text)) <= 0)
		return -1;
	procps_cpu_line(text, &s->cpu);
	s->intr = (uint64)field_or_0("intr");
	s->ctxt = (uint64)field_or_0("ctxt");
	s->running = field_or_0("procs_running");
	s->blocked = field_or_0("procs_blocked");
	s->uptime = procps_uptime_centis();
	return s->uptime < 0 ? -1 : 0;
}

/* @delta per second over @centis hundredths of a second */
static uint64 per_sec(uint64 delta, long centis)
{
	return centis > 0 ? delta * 100 / (uint64)centis : 0;
}

static uint64 pct(uint64 part, uint64 total)
{
	return total ? (part * 100 + total / 2) / total : 0;
}

/* One line: the state now (@b), rates since @a (all zero: since boot). */
static void print_line(const struct sample *a, const struct sample *b)
{
	long dt = b->uptime - a->uptime;
	struct procps_cpu d = {
	    .user = b->cpu.user - a->cpu.user,
	    .nice = b->cpu.nice - a->cpu.nice,
	    .system = b->cpu.system - a->cpu.system,
	    .idle = b->cpu.idle - a->cpu.idle,
	    .iowait = b->cpu.iowait - a->cpu.iowait,
	    .irq = b->cpu.irq - a->cpu.irq,
	    .softirq = b->cpu.softirq - a->cpu.softirq,
	    .steal = b->cpu.steal - a->cpu.steal,
	};
	uint64 total = procps_cpu_total(&d);

	printf(
	    "%2ld %2ld %6ld %6ld %6ld %6ld %4lu %4lu %5lu %5lu %4lu %4lu %2lu %2lu %2lu %2lu %2lu\n",
	    b->running, b->blocked, b->swpd, b->free, b->buff, b->cache,
	    per_sec((b->pswpin - a->pswpin) * PAGE_KB, dt),
	    per_sec((b->pswpout - a->pswpout) * PAGE_KB, dt), per_sec(b->pgpgin - a->pgpgin, dt),
	    per_sec(b->pgpgout - a->pgpgout, dt), per_sec(b->intr - a->intr, dt),
	    per_sec(b->ctxt - a->ctxt, dt), pct(d.user + d.nice, total), pct(d.system, total),
	    pct(d.idle, total), pct(d.iowait, total), pct(d.steal, total));
}

static int number_arg(const char *s)
{
	int v = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

int main(int argc, char *argv[])
{
	struct sample boot, prev, now;
	int delay = 0, count = 1;

	if (argc > 3 || (argc > 1 && (delay = number_arg(argv[1])) <= 0) ||
	    (argc > 2 && (count = number_arg(argv[2])) <= 0)) {
		fprintf(
		    2,
		    "usage: vmstat [DELAY [COUNT]]   (DELAY seconds between lines, COUNT lines)\n");
		exit(2);
	}
	if (argc == 2)
		count = -1; /* until killed */
	if (take_sample(&now) < 0) {
		fprintf(2, "vmstat: cannot read /proc (meminfo, vmstat, stat, uptime)\n");
		exit(1);
	}
	memset(&boot, 0, sizeof(boot));
	printf(
	    "procs -----------memory---------- ---swap-- -----io---- -system-- -------cpu-------\n");
	printf(
	    " r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st\n");
	print_line(&boot, &now); /* the first line: averages since boot */
	for (int i = 1; count < 0 || i < count; i++) {
		prev = now;
		sleep(delay * 100); /* ticks: HZ = 100 */
		if (take_sample(&now) < 0)
			exit(1);
		print_line(&prev, &now);
	}
	exit(0);
}
