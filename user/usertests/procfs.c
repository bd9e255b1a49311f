/*
 * user/usertests/procfs.c - /proc's process files and system counters
 * (fs/procfs.c, fs/proc_pid.c, kernel/cputime.c, mm/task_mmu.c): do they
 * show what the process knows about itself, and do the figures move the
 * way the concepts say?
 */
#include "usertests.h"
#include "user/procps.h"

static char text[8192];

/* A field of /proc/@pid/status ("VmRSS:"), in its unit (kB); -1 if absent. */
static long status_field(int pid, const char *name)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (procps_read(path, text, sizeof(text)) <= 0)
		return -1;
	return procps_field(text, name);
}

static long meminfo(const char *name)
{
	CHECK(procps_read("/proc/meminfo", text, sizeof(text)) > 0, "cannot read /proc/meminfo");
	return procps_field(text, name);
}

static int listed(int pid)
{
	int pids[PROCPS_MAXPROCS], n = procps_pids(pids, PROCPS_MAXPROCS);

	for (int i = 0; i < n; i++)
		if (pids[i] == pid)
			return 1;
	return 0;
}

void test_proc_pids(void)
{
	struct procps_stat s;
	int me = getpid(), fds[2], child;
	char c;

	CHECK(listed(me), "/proc does not list my pid %d", me);
	CHECK(procps_read_stat(me, &s) == 0, "cannot read /proc/%d/stat", me);
	CHECK(s.pid == me && s.state == 'R', "my stat says pid %d state %c", s.pid, s.state);
	CHECK(status_field(me, "Pid:") == me, "status Pid: %ld", status_field(me, "Pid:"));

	/* a child that exits: a zombie (Z) in /proc until it is waited for */
	CHECK(pipe(fds) == 0, "pipe failed");
	child = ut_fork();
	if (child == 0) {
		close(fds[0]);
		write(fds[1], "x", 1);
		exit(7);
	}
	close(fds[1]);
	CHECK(read(fds[0], &c, 1) == 1, "no byte from the child");
	for (int i = 0; i < 200; i++) {
		if (procps_read_stat(child, &s) == 0 && s.state == 'Z')
			break;
		sleep(1);
	}
	CHECK(listed(child), "/proc does not list my child %d", child);
	CHECK(procps_read_stat(child, &s) == 0 && s.state == 'Z' && s.ppid == me,
	      "the exited child: state %c, ppid %d (want Z, %d)", s.state, s.ppid, me);
	CHECK(ut_wait(child) == 7, "child status");
	CHECK(!listed(child), "/proc still lists child %d after wait()", child);
	CHECK(procps_read_stat(child, &s) < 0, "/proc/%d/stat still readable after wait()", child);
	close(fds[0]);
}

void test_proc_cmdline(void)
{
	static char *argv[] = {"cat", "/proc/self/cmdline", "/proc/self/comm", 0};
	static const char want[] = "cat\0/proc/self/cmdline\0/proc/self/comm\0cat\n";
	int fds[2], len = 0, pid, n;

	CHECK(pipe(fds) == 0, "pipe failed");
	pid = ut_fork();
	if (pid == 0) {
		close(1);
		dup(fds[1]);
		close(fds[0]);
		close(fds[1]);
		exec("/cat", argv);
		exit(127);
	}
	close(fds[1]);
	while (len < (int)sizeof(text) && (n = read(fds[0], text + len, sizeof(text) - len)) > 0)
		len += n;
	close(fds[0]);
	CHECK(ut_wait(pid) == 0, "cat failed");
	CHECK(len == (int)sizeof(want) - 1 && memcmp(text, want, len) == 0,
	      "cat's own cmdline and comm: %d bytes, want the %d of \"cat\\0/proc/self/cmdline\\0"
	      "/proc/self/comm\\0cat\\n\"",
	      len, (int)sizeof(want) - 1);
}

void test_proc_anon_shared(void)
{
	int npages = ut_quick ? 128 : 512, fds[2], child;
	long anon0, anon1, anon2, pt1, pt2, rss;
	char *p = sbrk(npages * PGSIZE), c;

	CHECK(p != (char *)-1, "sbrk failed");
	anon0 = meminfo("AnonPages:");
	for (int i = 0; i < npages; i++)
		p[i * PGSIZE] = (char)i;
	anon1 = meminfo("AnonPages:");
	pt1 = meminfo("PageTables:");
	rss = status_field(getpid(), "RssAnon:");
	CHECK(anon1 - anon0 >= npages * 4 - 64, "AnonPages grew %ld kB for %d KiB written",
	      anon1 - anon0, npages * 4);
	CHECK(rss >= npages * 4, "my RssAnon is %ld kB after writing %d KiB", rss, npages * 4);

	/* a child shares every page copy-on-write: counted once, not twice */
	CHECK(pipe(fds) == 0, "pipe failed");
	child = ut_fork();
	if (child == 0) {
		close(fds[1]);
		read(fds[0], &c, 1); /* wait for the parent's measurements */
		exit(0);
	}
	close(fds[0]);
	sleep(2); /* let the child reach its read() */
	anon2 = meminfo("AnonPages:");
	pt2 = meminfo("PageTables:");
	CHECK(status_field(child, "RssAnon:") >= npages * 4,
	      "the child's RssAnon (%ld kB) does not include the shared heap",
	      status_field(child, "RssAnon:"));
	write(fds[1], "x", 1);
	close(fds[1]);
	ut_wait(child);
	CHECK(anon2 - anon1 < npages * 4 / 2,
	      "AnonPages grew %ld kB when a child shared my %d KiB (counted twice?)", anon2 - anon1,
	      npages * 4);
	CHECK(pt2 - pt1 >= 8, "PageTables grew only %ld kB with a new process", pt2 - pt1);
}

/* The user time of all CPUs: the first number of /proc/stat's "cpu" line. */
static long stat_user_ticks(void)
{
	const char *p = text + 4;

	CHECK(procps_read("/proc/stat", text, sizeof(text)) > 0, "cannot read /proc/stat");
	CHECK(strncmp(text, "cpu ", 4) == 0, "/proc/stat does not start with \"cpu \"");
	return procps_num(&p);
}

void test_proc_cputime(void)
{
	struct procps_stat s0, s1;
	long user0, user1;
	int t0;
	volatile unsigned long spin = 0;

	user0 = stat_user_ticks();
	CHECK(procps_read_stat(getpid(), &s0) == 0, "cannot read my stat");
	t0 = uptime();
	while (uptime() - t0 < 50) /* half a second of work, nearly all in user mode */
		for (int i = 0; i < 100000; i++)
			spin++;
	CHECK(procps_read_stat(getpid(), &s1) == 0, "cannot read my stat");
	user1 = stat_user_ticks();
	CHECK(s1.utime - s0.utime >= 20,
	      "50 ticks of a busy loop added %lu user ticks to /proc/self/stat (%lu system)",
	      s1.utime - s0.utime, s1.stime - s0.stime);
	CHECK(user1 - user0 >= 20, "/proc/stat's user time grew %ld ticks", user1 - user0);
}
