/*
 * user/usertests/proc.c - processes: fork() running out, exit statuses,
 * wait(), orphans, kill() and sleep().
 *
 * Timing checks use uptime() ticks (HZ = 100) and are generous: the suite
 * runs under an emulator on a loaded machine.
 */
#include "usertests.h"

/* How long "quickly" is, in ticks: far less than the 1000-tick sleeps. */
#define PROMPT 300

void test_forkbomb(void)
{
	int p[2], n = 0, pid = 0, reaped = 0, w;
	char c;

	/* Children block on the pipe until the parent has hit the limit. */
	CHECK(pipe(p) == 0, "pipe failed");
	while (n < 10 * NPROC) {
		pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			close(p[1]);
			read(p[0], &c, 1);
			exit(0);
		}
		n++;
	}
	close(p[1]);
	close(p[0]);
	while ((w = wait(0)) >= 0)
		reaped++;
	CHECK(pid < 0, "fork() still worked after %d children (NPROC is %d)", n, NPROC);
	CHECK(n > 0, "not even one fork() worked");
	CHECK(reaped == n, "forked %d children but reaped %d", n, reaped);

	/*
	 * Every slot came back: forking works again, about as often. (A few
	 * slots may be held for a moment by orphans of earlier tests that
	 * init has not reaped yet.)
	 */
	for (int i = 0; i < 2; i++) {
		int k;
		for (k = 0; k < n; k++) {
			pid = fork();
			if (pid < 0)
				break;
			if (pid == 0)
				exit(0);
		}
		CHECK(k >= n - 4, "round %d: only %d of %d forks worked after reaping", i, k, n);
		while (wait(0) >= 0)
			;
	}
}

void test_exit_status(void)
{
	int values[] = {0, 1, 42, 255, 1000, -5};
	int n = sizeof(values) / sizeof(values[0]);
	int pids[6], status;

	for (int i = 0; i < n; i++) {
		pids[i] = ut_fork();
		if (pids[i] == 0)
			exit(values[i]);
	}
	/* Reap in the opposite order of exiting, by pid. */
	for (int left = n; left > 0; left--) {
		int w = wait(&status), found = 0;
		CHECK(w > 0, "wait() returned %d with %d children left", w, left);
		for (int i = 0; i < n; i++) {
			if (pids[i] == w) {
				CHECK(status == values[i], "exit(%d) was delivered as %d",
				      values[i], status);
				pids[i] = -1;
				found = 1;
			}
		}
		CHECK(found, "wait() returned %d, which is not a child", w);
	}
	/* wait(0) must also work: the status is simply not stored. */
	if (ut_fork() == 0)
		exit(3);
	CHECK(wait(0) > 0, "wait(0) failed");
}

void test_wait_nochild(void)
{
	int status = 12345, pid;

	CHECK(wait(&status) == -1, "wait() with no children did not return -1");
	CHECK(status == 12345, "wait() with no children changed the status to %d", status);
	CHECK(wait(0) == -1, "wait(0) with no children did not return -1");
	pid = ut_fork();
	if (pid == 0)
		exit(0);
	CHECK(wait(0) == pid, "wait() did not return the child");
	CHECK(wait(0) == -1, "a second wait() after the only child did not return -1");
}

void test_orphans(void)
{
	int p[2], pid, status;
	char buf[8];

	/*
	 * Many orphans in a row: if init did not reap them, they would stay
	 * zombies and the process table (NPROC slots) would fill up.
	 */
	for (int i = 0; i < 2 * NPROC; i++) {
		pid = ut_fork();
		if (pid == 0) {
			if (fork() < 0)
				exit(2);
			exit(0); /* the grandchild, if any, exits at once too */
		}
		status = ut_wait(pid);
		CHECK(status == 0, "round %d: fork() of a grandchild failed (orphans not reaped?)",
		      i);
	}

	/* An orphan keeps running after its parent has gone. */
	CHECK(pipe(p) == 0, "pipe failed");
	pid = ut_fork();
	if (pid == 0) {
		if (fork() == 0) {
			sleep(5); /* until after the parent has exited */
			write(p[1], "alive", 5);
			exit(0);
		}
		exit(0);
	}
	close(p[1]);
	CHECK(ut_wait(pid) == 0, "the middle process failed");
	CHECK(read(p[0], buf, sizeof(buf)) == 5 && memcmp(buf, "alive", 5) == 0,
	      "the orphan did not report in");
	CHECK(read(p[0], buf, sizeof(buf)) == 0, "the pipe did not reach end of file");
	CHECK(wait(0) == -1, "an orphan was reparented to its grandparent, not to init");
}

void test_kill_sleep(void)
{
	int p[2], pid, status, t0, t1;
	char c;

	CHECK(pipe(p) == 0, "pipe failed");
	pid = ut_fork();
	if (pid == 0) {
		write(p[1], "s", 1);
		sleep(1000);
		exit(0);
	}
	CHECK(read(p[0], &c, 1) == 1, "the child did not start");
	sleep(2); /* let it get into sleep() */
	t0 = uptime();
	CHECK(kill(pid) == 0, "kill(%d) failed", pid);
	status = ut_wait(pid);
	t1 = uptime();
	CHECK(status == KILLED, "the killed sleeper exited with %d, not %d", status, KILLED);
	CHECK(t1 - t0 < PROMPT, "wait() took %d ticks after kill()", t1 - t0);
}

void test_kill_none(void)
{
	int pid, r;

	r = kill(99999);
	CHECK(r == -1, "kill(99999) returned %d", r);
	r = kill(0x7fffffff);
	CHECK(r == -1, "kill(0x7fffffff) returned %d", r);
	pid = ut_fork();
	if (pid == 0)
		exit(0);
	CHECK(ut_wait(pid) == 0, "the child failed");
	r = kill(pid);
	CHECK(r == -1, "kill() of reaped pid %d returned %d", pid, r);
}

/* Start a child that blocks in a pipe read (@writing = 0) or write (1), then kill it. */
static void kill_blocked(int writing)
{
	int p[2], ready[2], pid, status, t0, t1;
	char c = 0;

	CHECK(pipe(p) == 0 && pipe(ready) == 0, "pipe failed");
	pid = ut_fork();
	if (pid == 0) {
		static char buf[4096];
		write(ready[1], "r", 1);
		if (writing) {
			close(p[0]); /* the parent keeps the read end, and never reads */
			while (write(p[1], buf, sizeof(buf)) > 0)
				;
		} else {
			close(p[1]); /* the parent keeps the write end, and never writes */
			read(p[0], buf, 1);
		}
		exit(0);
	}
	CHECK(read(ready[0], &c, 1) == 1, "the child did not start");
	sleep(3); /* let it block */
	t0 = uptime();
	CHECK(kill(pid) == 0, "kill(%d) failed", pid);
	status = ut_wait(pid);
	t1 = uptime();
	CHECK(status == KILLED, "a child blocked %s a pipe exited with %d, not %d",
	      writing ? "writing" : "reading", status, KILLED);
	CHECK(t1 - t0 < PROMPT, "wait() took %d ticks after kill()", t1 - t0);
	close(p[0]);
	close(p[1]);
	close(ready[0]);
	close(ready[1]);
}

void test_kill_pipe(void)
{
	kill_blocked(0);
	kill_blocked(1);
}

void test_sleep_uptime(void)
{
	int t0, t1;

	t0 = uptime();
	CHECK(t0 >= 0, "uptime() returned %d", t0);
	CHECK(sleep(5) == 0, "sleep(5) failed");
	t1 = uptime();
	CHECK(t1 - t0 >= 5, "sleep(5) returned after %d ticks", t1 - t0);
	CHECK(t1 - t0 < PROMPT, "sleep(5) took %d ticks", t1 - t0);

	t0 = uptime();
	sleep(0);
	sleep(-1); /* must not mean "sleep for 4 billion ticks" */
	t1 = uptime();
	CHECK(t1 - t0 < PROMPT, "sleep(0) and sleep(-1) took %d ticks", t1 - t0);
}
