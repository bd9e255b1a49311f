/*
 * user/top.c - a one-screen summary of the system and its processes, from
 * /proc, in the layout of Linux's top in batch mode (top -b -n 1).
 *
 * Usage: top [-b] [-n FRAMES] [-d SECONDS]
 *   -n N   print N frames (default 1), one every -d seconds
 *   -d S   the interval over which CPU use is measured (default 1)
 *   -b     accepted for Linux habits; output is always plain text
 *
 *   top - 00:13:48 up 0 min,  load average: 0.00, 0.00, 0.00
 *   Tasks:   3 total,   1 running,   2 sleeping,   0 stopped,   0 zombie
 *   %Cpu(s):  0.3 us,  1.0 sy,  0.0 ni, 98.7 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st
 *   KiB Mem :   126396 total,   125400 free,      700 used,      296 buff/cache
 *   KiB Swap:        0 total,        0 free,        0 used.   123332 avail Mem
 *
 *     PID S  %CPU  %MEM    VIRT    RES     TIME+ COMMAND
 *       4 R   2.0   0.0      84      24   0:00.02 top
 *
 * The clock is UTC: boot time (btime in /proc/stat, from the real-time
 * clock) plus the uptime. CPU percentages are measured over the interval:
 * top reads /proc/stat and every /proc/PID/stat, sleeps, and reads them
 * again. %CPU of a process is of one CPU (a busy process on 3 CPUs shows
 * 100.0, the CPU line 33.3 us). VIRT and RES are KiB; used is total -
 * available (MemAvailable), as Linux's top (procps 4) computes it.
 *
 * See: user/procps.h, ps, vmstat, /proc/loadavg (kernel/loadavg.c).
 */
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"
#include "user/procps.h"

struct frame {
	int n;
	int pids[PROCPS_MAXPROCS];
	uint64 cpu[PROCPS_MAXPROCS]; /* utime + stime */
	struct procps_cpu total;
	long uptime;
};

static char text[8192];
static struct frame before, after;
static struct procps_stat stats[PROCPS_MAXPROCS];

static void sample(struct frame *f, int keep_stats)
{
	struct procps_stat s;

	procps_read("/proc/stat", text, sizeof(text));
	procps_cpu_line(text, &f->total);
	f->uptime = procps_uptime_centis();
	f->n = 0;
	int pids[PROCPS_MAXPROCS], n = procps_pids(pids, PROCPS_MAXPROCS);
	for (int i = 0; i < n; i++) {
		if (procps_read_stat(pids[i], &s) < 0)
			continue;
		f->pids[f->n] = s.pid;
		f->cpu[f->n] = s.utime + s.stime;
		if (keep_stats)
			stats[f->n] = s;
		f->n++;
	}
}

/* tenths of a percent */
static uint64 permille(uint64 part, uint64 total)
{
	return total ? (part * 1000 + total / 2) / total : 0;
}

static void print_permille(const char *fmt_label, uint64 pm)
{
	printf("%3lu.%lu %s", pm / 10, pm % 10, fmt_label);
}

static void frame(void)
{
	long btime, load_int[3] = {0}, load_frac[3] = {0}, memtotal, memfree, buff, cache, avail;
	int running = 0, sleeping = 0, zombie = 0;
	uint64 up;

	sample(&after, 1);
	/* the header */
	procps_read("/proc/stat", text, sizeof(text));
	btime = procps_field(text, "btime");
	up = after.uptime > 0 ? (uint64)after.uptime / 100 : 0;
	{
		uint64 t = (btime > 0 ? (uint64)btime : 0) + up;
		printf("top - %02lu:%02lu:%02lu up ", t / 3600 % 24, t / 60 % 60, t % 60);
	}
	if (up >= 86400)
		printf("%lu days, ", up / 86400);
	if (up % 86400 >= 3600)
		printf("%2lu:%02lu,", up % 86400 / 3600, up % 3600 / 60);
	else
		printf("%lu min,", up % 3600 / 60);
	if (procps_read("/proc/loadavg", text, sizeof(text)) > 0) {
		const char *p = text;
		for (int i = 0; i < 3; i++) {
			load_int[i] = procps_num(&p);
			if (*p == '.')
				p++;
			load_frac[i] = procps_num(&p);
		}
	}
	printf("  load average: %ld.%02ld, %ld.%02ld, %ld.%02ld\n", load_int[0], load_frac[0],
	       load_int[1], load_frac[1], load_int[2], load_frac[2]);
	for (int i = 0; i < after.n; i++) {
		switch (stats[i].state) {
		case 'R':
			running++;
			break;
		case 'Z':
			zombie++;
			break;
		default:
			sleeping++;
		}
	}
	printf("Tasks: %3d total, %3d running, %3d sleeping,   0 stopped, %3d zombie\n", after.n,
	       running, sleeping, zombie);
	/* the CPU line, over the interval */
	struct procps_cpu *a = &before.total, *b = &after.total;
	uint64 dt = procps_cpu_total(b) - procps_cpu_total(a);
	printf("%%Cpu(s): ");
	print_permille("us, ", permille(b->user - a->user, dt));
	print_permille("sy, ", permille(b->system - a->system, dt));
	print_permille("ni, ", permille(b->nice - a->nice, dt));
	print_permille("id, ", permille(b->idle - a->idle, dt));
	print_permille("wa, ", permille(b->iowait - a->iowait, dt));
	print_permille("hi, ", permille(b->irq - a->irq, dt));
	print_permille("si, ", permille(b->softirq - a->softirq, dt));
	print_permille("st\n", permille(b->steal - a->steal, dt));
	/* memory */
	procps_read("/proc/meminfo", text, sizeof(text));
	memtotal = procps_field(text, "MemTotal:");
	memfree = procps_field(text, "MemFree:");
	buff = procps_field(text, "Buffers:");
	cache = procps_field(text, "Cached:") + procps_field(text, "SReclaimable:");
	avail = procps_field(text, "MemAvailable:");
	printf("KiB Mem : %8ld total, %8ld free, %8ld used, %8ld buff/cache\n", memtotal, memfree,
	       memtotal - avail, buff + cache);
	printf("KiB Swap: %8ld total, %8ld free, %8ld used. %8ld avail Mem\n",
	       procps_field(text, "SwapTotal:"), procps_field(text, "SwapFree:"),
	       procps_field(text, "SwapTotal:") - procps_field(text, "SwapFree:"), avail);
	/* the processes */
	printf("\n  PID S  %%CPU  %%MEM    VIRT     RES     TIME+ COMMAND\n");
	long interval = after.uptime - before.uptime; /* hundredths = clock ticks */
	for (int i = 0; i < after.n; i++) {
		struct procps_stat *s = &stats[i];
		uint64 was = after.cpu[i], cpu_pm, mem_pm;
		char time[24];

		for (int j = 0; j < before.n; j++)
			if (before.pids[j] == s->pid)
				was = before.cpu[j];
		cpu_pm = interval > 0 ? permille(after.cpu[i] - was, (uint64)interval) : 0;
		mem_pm = memtotal > 0 ? permille(s->rss * PAGE_KB, (uint64)memtotal) : 0;
		procps_fmt_time(time, sizeof(time), after.cpu[i], 1);
		printf("%5d %c %3lu.%lu %3lu.%lu %7lu %7lu %9s %s\n", s->pid, s->state, cpu_pm / 10,
		       cpu_pm % 10, mem_pm / 10, mem_pm % 10, s->vsize / 1024, s->rss * PAGE_KB,
		       time, s->comm);
	}
}

static int number_arg(const char *s)
{
	int v = 0;

	if (!s || *s < '0' || *s > '9')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static void usage(void)
{
	fprintf(2, "usage: top [-b] [-n FRAMES] [-d SECONDS]\n");
	exit(2);
}

int main(int argc, char *argv[])
{
	int frames = 1, delay = 1;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-b") == 0)
			continue;
		if (strcmp(argv[i], "-n") == 0 && (frames = number_arg(argv[++i])) > 0)
			continue;
		if (strcmp(argv[i], "-d") == 0 && (delay = number_arg(argv[++i])) > 0)
			continue;
		usage();
	}
	for (int f = 0; f < frames; f++) {
		sample(&before, 0);
		sleep(delay * 100); /* ticks: HZ = 100 */
		if (f > 0)
			printf("\n");
		frame();
	}
	exit(0);
}
