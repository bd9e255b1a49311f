/*
 * user/ps.c - the processes, from /proc (Linux's ps, in a small way).
 *
 * Usage: ps [-e | -A | -f | -ef | aux]
 *
 * Every process is listed: Pagoda has no terminals or users to select by,
 * so the options Linux users type out of habit all mean "every process".
 *
 *     PID  PPID S %CPU    VSZ   RSS     TIME CMD
 *       1     0 S  0.0     80    20 00:00:00 init
 *       2     1 S  0.0    120    60 00:00:00 sh
 *       5     2 R  2.0     84    24 00:00:00 ps -ef
 *
 * S is the state: R running or runnable, S sleeping, D waiting for the
 * disk, Z zombie (exited, its parent has not wait()ed yet). %CPU is the
 * CPU time (user + system) over the time since the process started, as in
 * Linux's ps; TIME that CPU time. VSZ and RSS are KiB: the size of the
 * address space and the part of it in RAM. CMD is the command line; a
 * kernel thread (no program) shows its name in brackets, a zombie its
 * name and <defunct>.
 *
 * See: /proc/PID/stat and cmdline (fs/proc_pid.c), user/procps.h, top,
 * proc_pid_stat(5).
 */
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"
#include "user/procps.h"

#define PF_KTHREAD 0x00200000

static void usage(void)
{
	fprintf(2, "usage: ps [-e | -A | -f | -ef | aux]   (every process, always)\n");
	exit(2);
}

int main(int argc, char *argv[])
{
	static const char *const all[] = {"-e", "-A", "-f", "-ef", "-aux", "aux", "ax", "-a"};
	int pids[PROCPS_MAXPROCS], n;
	long now = procps_uptime_centis();

	for (int i = 1; i < argc; i++) {
		int ok = 0;
		for (unsigned j = 0; j < sizeof(all) / sizeof(all[0]); j++)
			if (strcmp(argv[i], all[j]) == 0)
				ok = 1;
		if (!ok)
			usage();
	}
	n = procps_pids(pids, PROCPS_MAXPROCS);
	if (n < 0) {
		fprintf(2, "ps: cannot read /proc\n");
		exit(1);
	}
	printf("  PID  PPID S %%CPU    VSZ   RSS     TIME CMD\n");
	for (int i = 0; i < n; i++) {
		struct procps_stat s;
		char time[24], cmd[80];
		uint64 cpu, pct10 = 0;

		if (procps_read_stat(pids[i], &s) < 0)
			continue; /* exited meanwhile */
		cpu = s.utime + s.stime;
		if (now > 0 && (uint64)now > s.starttime)
			pct10 = cpu * 1000 / ((uint64)now - s.starttime);
		procps_fmt_time(time, sizeof(time), cpu, 0);
		if (s.state == 'Z')
			snprintf(cmd, sizeof(cmd), "%s <defunct>", s.comm);
		else if (s.cmd[0] == 0 || (s.flags & PF_KTHREAD))
			snprintf(cmd, sizeof(cmd), "[%s]", s.comm);
		else
			snprintf(cmd, sizeof(cmd), "%s", s.cmd);
		printf("%5d %5d %c %2lu.%lu %6lu %5lu %s %s\n", s.pid, s.ppid, s.state, pct10 / 10,
		       pct10 % 10, s.vsize / 1024, s.rss * PAGE_KB, time, cmd);
	}
	exit(0);
}
