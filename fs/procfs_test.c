/*
 * fs/procfs_test.c - in-kernel tests of /proc's generators (KTAP suite
 * "procfs"): the fields of /proc/PID/stat and status for a kernel thread
 * as it sleeps and as a zombie, /proc/stat's per-CPU lines against its
 * total, meminfo's field order, uptime and cpuinfo.
 *
 * Run with `make qemu BOOTARGS=ktest=procfs` (or ktest=all). The user
 * side (PIDs in /proc's listing, cmdline, AnonPages across fork, user
 * time) is tested by usertests (procpids, proccmdline, procanon,
 * proccputime), and Linux's own tools read a snapshot in tools/test.py
 * (stage procps).
 *
 * See: include/kernel/ktest.h, fs/procfs.c, fs/proc_pid.c.
 */
#include <kernel/types.h>
#include <kernel/gfp.h>
#include <kernel/ktest.h>
#include <kernel/proc.h>
#include <kernel/seq_buf.h>
#include <kernel/string.h>
#include <uapi/pagoda/procfs.h>
#include "internal.h"

#define TEXT_SIZE 16384

static char *text; /* TEXT_SIZE bytes, per case */

static const char *generate(int minor)
{
	struct seq_buf m;

	seq_buf_init(&m, text, TEXT_SIZE);
	if (!procfs_generate(minor, &m))
		return "";
	return text;
}

static const char *generate_pid(int pid, int kind)
{
	struct seq_buf m;

	seq_buf_init(&m, text, TEXT_SIZE);
	proc_pid_show(&m, pid, kind);
	return text;
}

/* The decimal number at *@pp, after blanks; advances. */
static long number(const char **pp)
{
	const char *p = *pp;
	long v = 0, sign = 1;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '-') {
		sign = -1;
		p++;
	}
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (*p++ - '0');
	*pp = p;
	return sign * v;
}

/* The line of @s starting with @prefix, or NULL. */
static const char *line_of(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *l = s; *l;) {
		if (strncmp(l, prefix, n) == 0)
			return l;
		while (*l && *l != '\n')
			l++;
		if (*l)
			l++;
	}
	return NULL;
}

struct stat_fields {
	int nfields; /* after the name: 50 in Linux's format */
	char name[20];
	char state;
	long f[53]; /* f[i] = field (i) of proc_pid_stat(5), numeric ones */
};

/* Split a /proc/PID/stat line into fields. */
static void parse_stat(const char *s, struct stat_fields *st)
{
	const char *open = strchr(s, '('), *close = NULL;

	memset(st, 0, sizeof(*st));
	for (const char *q = s; *q; q++)
		if (*q == ')')
			close = q;
	if (!open || !close || close - open - 1 >= (long)sizeof(st->name))
		return;
	st->f[1] = number(&s);
	memcpy(st->name, open + 1, close - open - 1);
	s = close + 2;
	st->state = *s++;
	for (int i = 4; i <= 52 && *s && *s != '\n'; i++) {
		st->f[i] = number(&s);
		st->nfields = i - 2;
	}
}

/* the waiter sleeps on a channel of its own: only the test wakes it (on
 * &ticks every tick would make it runnable for a moment, and its State
 * could read R between two checks) */
static struct spinlock thread_go_lock = SPINLOCK_INIT("ktest go");
static int thread_go; /* thread_go_lock */
static int waiter_fn(void *arg)
{
	(void)arg;
	spin_lock(&thread_go_lock);
	while (!thread_go)
		sleep(&thread_go, &thread_go_lock);
	spin_unlock(&thread_go_lock);
	return 3;
}

/*
 * Read @pid's stat until its state is @want, for up to 10 s of ticks: on a
 * busy host a virtual CPU can stand still for a long while, so a bound in
 * yields (or in instructions) would give up too soon.
 */
static void wait_for_state(int pid, char want, struct stat_fields *st)
{
	u64 start = READ_ONCE(ticks);

	do {
		parse_stat(generate_pid(pid, PROC_PID_STAT), st);
		if (st->state == want)
			return;
		yield();
	} while (READ_ONCE(ticks) - start < 10 * HZ);
}

static void test_pid_stat_and_status_of_a_kernel_thread(struct ktest *t)
{
	struct stat_fields st;
	int me = myproc()->pid, pid;
	const char *s;

	text = (char *)__get_free_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_TRUE(t, text != NULL);
	spin_lock(&thread_go_lock);
	thread_go = 0;
	spin_unlock(&thread_go_lock);
	pid = kernel_thread(waiter_fn, NULL, "ktest (waiter)");
	KTEST_ASSERT_TRUE(t, pid > 0);
	wait_for_state(pid, 'S', &st); /* let it reach its sleep */
	KTEST_EXPECT_EQ(t, st.f[1], pid);
	/* a name with a blank and parentheses: the fields start after the last ')' */
	KTEST_EXPECT_STREQ(t, st.name, "ktest (waiter)");
	KTEST_EXPECT_EQ(t, st.state, 'S');
	KTEST_EXPECT_EQ(t, st.nfields, 50);	       /* (3) .. (52) */
	KTEST_EXPECT_EQ(t, st.f[4], me);	       /* ppid */
	KTEST_EXPECT_EQ(t, st.f[8], -1);	       /* tpgid: no terminal */
	KTEST_EXPECT_EQ(t, st.f[9], 0x00200000);       /* PF_KTHREAD */
	KTEST_EXPECT_TRUE(t, st.f[22] <= (long)ticks); /* starttime */
	KTEST_EXPECT_EQ(t, st.f[23], 0);	       /* no address space */

	s = generate_pid(pid, PROC_PID_STATUS);
	KTEST_EXPECT_TRUE(t, line_of(s, "Name:\tktest (waiter)\n") != NULL);
	KTEST_EXPECT_TRUE(t, line_of(s, "State:\tS (sleeping)\n") != NULL);
	KTEST_EXPECT_TRUE(t, line_of(s, "Kthread:\t1\n") != NULL);
	KTEST_EXPECT_TRUE(t, line_of(s, "VmSize:") == NULL); /* no mm: no Vm lines */
	s = line_of(s, "PPid:\t");
	KTEST_ASSERT_TRUE(t, s != NULL);
	s += 6;
	KTEST_EXPECT_EQ(t, number(&s), me);
	KTEST_EXPECT_STREQ(t, generate_pid(pid, PROC_PID_COMM), "ktest (waiter)\n");
	KTEST_EXPECT_STREQ(t, generate_pid(pid, PROC_PID_CMDLINE), "");

	/* it exits: a zombie, with its exit code, until wait() */
	spin_lock(&thread_go_lock);
	thread_go = 1;
	wakeup(&thread_go);
	spin_unlock(&thread_go_lock);
	wait_for_state(pid, 'Z', &st);
	KTEST_EXPECT_EQ(t, st.state, 'Z');
	KTEST_EXPECT_EQ(t, st.f[52], 3 << 8); /* exit_code as wait() reports it */
	KTEST_EXPECT_EQ(t, wait(0), pid);
	KTEST_EXPECT_STREQ(t, generate_pid(pid, PROC_PID_STAT), ""); /* gone */
	free_pages((unsigned long)text, 2);
}

static void test_stat_cpu_lines_add_up(struct ktest *t)
{
	long total[4], sum[4] = {0}, v;
	int ncpu = 0;
	const char *s, *l;

	text = (char *)__get_free_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_TRUE(t, text != NULL);
	s = generate(PROC_STAT);
	KTEST_ASSERT_TRUE(t, strncmp(s, "cpu  ", 5) == 0);
	l = s + 4;
	for (int i = 0; i < 4; i++) /* user nice system idle */
		total[i] = number(&l);
	for (l = strchr(s, '\n') + 1; strncmp(l, "cpu", 3) == 0; l = strchr(l, '\n') + 1) {
		const char *p = l + 3;
		KTEST_EXPECT_EQ(t, number(&p), ncpu);
		for (int i = 0; i < 4; i++)
			sum[i] += number(&p);
		ncpu++;
	}
	KTEST_EXPECT_EQ(t, ncpu, ncpus_online);
	/* the CPUs keep ticking between the total and the per-CPU lines: the
	 * per-CPU sums may be a few ticks ahead, never behind */
	for (int i = 0; i < 4; i++)
		KTEST_EXPECT_TRUE(t, sum[i] >= total[i] && sum[i] <= total[i] + 4 * ncpu);
	KTEST_EXPECT_EQ(t, total[1], 0); /* nice: Pagoda has no nice levels */
	KTEST_EXPECT_TRUE(t, total[3] > 0);
	for (const char *name = "intr \0ctxt \0btime \0processes \0procs_running \0procs_blocked ";
	     *name; name += strlen(name) + 1)
		KTEST_EXPECT_TRUE(t, line_of(s, name) != NULL);
	l = line_of(s, "processes ") + 10;
	v = number(&l);
	KTEST_EXPECT_TRUE(t, v >= 1 && v == (long)total_forks);
	l = line_of(s, "procs_running ") + 14;
	KTEST_EXPECT_TRUE(t, number(&l) >= 1); /* this test is running */
	free_pages((unsigned long)text, 2);
}

static void test_meminfo_in_linux_order(struct ktest *t)
{
	static const char *const order[] = {
	    "MemTotal",	    "MemFree",	      "MemAvailable",  "Buffers",      "Cached",
	    "SwapCached",   "Active",	      "Inactive",      "Active(anon)", "Inactive(anon)",
	    "Active(file)", "Inactive(file)", "Unevictable",   "Mlocked",      "SwapTotal",
	    "SwapFree",	    "Dirty",	      "Writeback",     "AnonPages",    "Mapped",
	    "Shmem",	    "KReclaimable",   "Slab",	       "SReclaimable", "SUnreclaim",
	    "KernelStack",  "PageTables",     "SecPageTables", "NFS_Unstable", "Bounce",
	    "WritebackTmp", "CommitLimit",    "Committed_AS",  "VmallocTotal", "VmallocUsed",
	    "VmallocChunk", "Percpu",	      "CmaTotal",      "CmaFree",
	};
	const char *s, *l;
	long total, free, stacks;

	text = (char *)__get_free_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_TRUE(t, text != NULL);
	s = generate(PROC_MEMINFO);
	l = s;
	for (unsigned i = 0; i < ARRAY_SIZE(order); i++) {
		size_t n = strlen(order[i]);
		bool ok = strncmp(l, order[i], n) == 0 && l[n] == ':';
		if (!ok)
			ktest_fail(t, __FILE__, __LINE__, "line %u is not %s:", i + 1, order[i]);
		l = strchr(l, '\n');
		KTEST_ASSERT_TRUE(t, l != NULL);
		l++;
	}
	KTEST_EXPECT_EQ(t, *l, '\0');
	l = s + strlen("MemTotal:");
	total = number(&l);
	l = line_of(s, "MemFree:") + strlen("MemFree:");
	free = number(&l);
	KTEST_EXPECT_TRUE(t, free > 0 && free <= total);
	l = line_of(s, "KernelStack:") + strlen("KernelStack:");
	stacks = number(&l);
	KTEST_EXPECT_TRUE(t, stacks >= (long)(KSTACK_SIZE / 1024)); /* ours at least */
	free_pages((unsigned long)text, 2);
}

static void test_uptime_and_cpuinfo(struct ktest *t)
{
	const char *s;
	long up, idle, n = 0;

	text = (char *)__get_free_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_TRUE(t, text != NULL);
	s = generate(PROC_UPTIME);
	up = number(&s);
	KTEST_EXPECT_EQ(t, *s, '.');
	s++;
	KTEST_EXPECT_TRUE(t, number(&s) < 100);
	idle = number(&s);
	KTEST_EXPECT_TRUE(t, up == (long)(ticks / HZ) || up + 1 == (long)(ticks / HZ));
	KTEST_EXPECT_TRUE(t, idle <= (up + 1) * ncpus_online);
	s = generate(PROC_CPUINFO);
	for (const char *l = s; (l = line_of(l, "processor\t: ")) != NULL; l++) {
		const char *p = l + 12;
		KTEST_EXPECT_EQ(t, number(&p), n);
		n++;
	}
	KTEST_EXPECT_EQ(t, n, ncpus_online);
	free_pages((unsigned long)text, 2);
}

static struct ktest_case procfs_cases[] = {
    KTEST_CASE(test_pid_stat_and_status_of_a_kernel_thread),
    KTEST_CASE(test_stat_cpu_lines_add_up),
    KTEST_CASE(test_meminfo_in_linux_order),
    KTEST_CASE(test_uptime_and_cpuinfo),
    {},
};
KTEST_SUITE(procfs, procfs_cases);
