/*
 * user/usertests/memtools.c - the memory tools pmap and smem against the
 * kernel's /proc/PID/smaps: do they show what the kernel counts, and do
 * the counts move the way the concepts say (lazy allocation, sharing after
 * fork, USS growing when shared pages are written)?
 *
 * Each test runs the tool as a child (exec /pmap or /smem) with its
 * standard output on a pipe, and parses what it printed.
 */
#include "usertests.h"
#include "kernel/mman.h"
#include "user/procmaps.h"

#define TOOL_OUT 8192
#define SLACK_KB 16 /* rounding: Pss is rounded down per mapping */

static char out[TOOL_OUT];
static struct procmap maps[128];

/* Run /@argv[0] with its output in @out; return its exit status. */
static int run_tool(char **argv)
{
	int fds[2], len = 0, status;
	char path[32];

	CHECK(pipe(fds) == 0, "pipe failed");
	int pid = ut_fork();
	if (pid == 0) {
		close(1);
		CHECK(dup(fds[1]) == 1, "dup failed");
		close(fds[0]);
		close(fds[1]);
		snprintf(path, sizeof(path), "/%s", argv[0]);
		exec(path, argv);
		printf("# exec %s failed\n", path);
		exit(127);
	}
	close(fds[1]);
	for (int n; len < TOOL_OUT - 1 && (n = read(fds[0], out + len, TOOL_OUT - 1 - len)) > 0;)
		len += n;
	out[len] = 0;
	close(fds[0]);
	status = ut_wait(pid);
	return status;
}

/* The line of @out that starts with @prefix (after leading spaces), or NULL. */
static char *find_line(const char *prefix)
{
	uint len = strlen(prefix);

	for (char *l = out; *l;) {
		char *p = l;
		while (*p == ' ')
			p++;
		if (strncmp(p, prefix, len) == 0)
			return p;
		while (*l && *l != '\n')
			l++;
		if (*l)
			l++;
	}
	return 0;
}

/* Parse up to @max unsigned decimal numbers from @p (stops at a non-number word). */
static int numbers(char *p, long *v, int max)
{
	int n = 0;

	while (n < max) {
		while (*p == ' ')
			p++;
		if (*p < '0' || *p > '9')
			break;
		long x = 0;
		while (*p >= '0' && *p <= '9')
			x = x * 10 + (*p++ - '0');
		v[n++] = x;
	}
	return n;
}

void test_pmap(void)
{
	char *p = mmap(0, 64 * PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char pidarg[16], addr[20];
	long v[3];

	CHECK(p != MAP_FAILED, "mmap of 64 pages failed, errno %d", geterrno());
	for (int i = 0; i < 10; i++)
		p[i * 6 * PGSIZE] = 1;	     /* 10 of 64 pages */
	int n = procmaps_read(0, maps, 128); /* (also allocates its buffer before pmap looks) */
	CHECK(n > 0, "cannot read /proc/self/smaps");
	long vss = 0;
	for (int i = 0; i < n; i++)
		vss += (long)maps[i].size;
	snprintf(pidarg, sizeof(pidarg), "%d", getpid());
	char *argv[] = {"pmap", pidarg, 0};
	CHECK(run_tool(argv) == 0, "pmap %s failed:\n%s", pidarg, out);
	snprintf(addr, sizeof(addr), "%016lx ", (uint64)p);
	char *line = find_line(addr);
	CHECK(line, "pmap shows no mapping at %p (the mmap):\n%s", p, out);
	CHECK(numbers(line + 17, v, 3) == 3, "cannot read pmap's line: %s", line);
	CHECK(v[0] == 256, "pmap says the 64-page mapping has %ld Kbytes, not 256", v[0]);
	CHECK(v[1] == 40, "pmap says %ld KiB of it are resident; 10 pages were touched", v[1]);
	char *mode = line + 17;
	while (*mode == ' ' || (*mode >= '0' && *mode <= '9'))
		mode++;
	CHECK(strncmp(mode, "rw--- [ anon ]", 14) == 0, "pmap's mode and name: \"%s\"", mode);
	line = find_line("total kB");
	CHECK(line && numbers(line + 8, v, 3) == 3, "no total line in pmap's output:\n%s", out);
	CHECK(v[0] == vss, "pmap's total is %ld KiB, the sizes in smaps add up to %ld", v[0], vss);
	munmap(p, 64 * PGSIZE);
}

/* smem's four numbers for @pid from the last run, checked against that process's smaps. */
static void smem_of(int pid, long *v)
{
	char pfx[16];
	static struct procmap m[128];
	long want[4] = {0, 0, 0, 0};

	snprintf(pfx, sizeof(pfx), "%d ", pid);
	char *line = find_line(pfx);
	CHECK(line, "smem shows no line for pid %d:\n%s", pid, out);
	line += strlen(pfx);
	while (*line == ' ')
		line++;
	while (*line && *line != ' ')
		line++; /* the command name */
	CHECK(numbers(line, v, 4) == 4, "cannot read smem's line for pid %d:\n%s", pid, out);
	int n = procmaps_read(pid, m, 128);
	CHECK(n > 0, "cannot read /proc/%d/smaps", pid);
	for (int i = 0; i < n; i++) {
		want[0] += (long)m[i].size;
		want[1] += (long)m[i].rss;
		want[2] += (long)m[i].pss;
		want[3] += (long)(m[i].private_clean + m[i].private_dirty);
	}
	/* PSS and USS move a little meanwhile: each page this test writes that it
	 * still shared with A since fork is copied, and A's page becomes A's own */
	CHECK(v[0] == want[0] && v[1] == want[1] && v[2] - want[2] <= SLACK_KB &&
		  want[2] - v[2] <= SLACK_KB && v[3] - want[3] <= SLACK_KB &&
		  want[3] - v[3] <= SLACK_KB,
	      "smem says VSS %ld RSS %ld PSS %ld USS %ld for pid %d; its smaps adds up to %ld %ld "
	      "%ld %ld",
	      v[0], v[1], v[2], v[3], pid, want[0], want[1], want[2], want[3]);
	CHECK(v[0] >= v[1] && v[1] >= v[2] && v[2] >= v[3],
	      "pid %d: VSS %ld >= RSS %ld >= PSS %ld >= USS %ld does not hold", pid, v[0], v[1],
	      v[2], v[3]);
}

static void smem_run(int a, int b)
{
	char pa[16], pb[16];
	char *argv[] = {"smem", pa, pb, 0};

	snprintf(pa, sizeof(pa), "%d", a);
	snprintf(pb, sizeof(pb), "%d", b);
	CHECK(run_tool(argv) == 0, "smem %d %d failed:\n%s", a, b, out);
}

void test_smem(void)
{
	enum { PAGES = 128, KB = PAGES * PGSIZE / 1024 };
	int ready[2], cmd_a[2], cmd_b[2], pid_b = 0;
	long a0[4], b0[4], a1[4], b1[4];
	char c;

	CHECK(pipe(ready) == 0 && pipe(cmd_a) == 0 && pipe(cmd_b) == 0, "pipe failed");
	int pid_a = ut_fork();
	if (pid_a == 0) {
		/* only the test holds the command pipes' write ends: if it dies, A and B see EOF */
		close(cmd_a[1]);
		close(cmd_b[1]);
		close(ready[0]);
		/* A: a heap of PAGES written pages, then a child B that shares them */
		char *heap = sbrk(PAGES * PGSIZE);
		if (heap == (char *)-1)
			exit(1);
		for (int i = 0; i < PAGES; i++)
			heap[i * PGSIZE] = (char)i;
		/* B tells A it runs through a pipe of their own: were B to write to
		 * `ready`, its byte could arrive before A's report of B's pid */
		int started[2];
		if (pipe(started) != 0)
			exit(1);
		int b = fork();
		if (b == 0) {
			close(started[0]);
			write(started[1], "b", 1);
			if (read(cmd_b[0], &c, 1) != 1) /* 'w': write every page (copy-on-write) */
				exit(0);
			for (int i = 0; i < PAGES; i++)
				heap[i * PGSIZE] = 7;
			write(ready[1], "w", 1);
			read(cmd_b[0], &c, 1); /* quit */
			exit(0);
		}
		close(started[1]);
		if (b < 0 || read(started[0], &c, 1) != 1)
			exit(1);
		write(ready[1], &b, sizeof(b));
		read(cmd_a[0], &c, 1); /* quit, or EOF */
		wait(0);
		exit(0);
	}
	CHECK(read(ready[0], &pid_b, sizeof(pid_b)) == sizeof(pid_b) && pid_b > 0,
	      "process A did not report its child (or the child did not start)");
	smem_run(pid_a, pid_b);
	smem_of(pid_a, a0);
	smem_of(pid_b, b0);
	/* right after fork A and B share the heap: in RSS, half in PSS, not in USS */
	CHECK(a0[1] - a0[3] >= KB - SLACK_KB,
	      "after fork, A's RSS %ld - USS %ld should include the %d KiB heap shared with B",
	      a0[1], a0[3], KB);
	CHECK(a0[2] - a0[3] >= KB / 2 - SLACK_KB && a0[2] - a0[3] <= (a0[1] - a0[3]) / 2 + SLACK_KB,
	      "A's PSS %ld should count half of the %d KiB it shares with B (USS %ld, RSS %ld)",
	      a0[2], KB, a0[3], a0[1]);
	/* B writes every shared page: copies for B, and A's pages become its own again */
	write(cmd_b[1], "w", 1);
	CHECK(read(ready[0], &c, 1) == 1 && c == 'w', "process B did not write its pages");
	smem_run(pid_a, pid_b);
	smem_of(pid_a, a1);
	smem_of(pid_b, b1);
	CHECK(b1[3] - b0[3] >= KB - SLACK_KB,
	      "B wrote %d KiB of shared pages, but its USS went from %ld to %ld KiB", KB, b0[3],
	      b1[3]);
	CHECK(a1[3] - a0[3] >= KB - 2 * SLACK_KB,
	      "after B copied the pages, A's USS should grow by ~%d KiB: %ld -> %ld", KB, a0[3],
	      a1[3]);
	write(cmd_b[1], "q", 1);
	write(cmd_a[1], "q", 1);
	CHECK(ut_wait(pid_a) == 0, "process A failed");
}
