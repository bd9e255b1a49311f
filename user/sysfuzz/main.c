/*
 * user/sysfuzz/main.c - sysfuzz, a random system-call fuzzer: it makes
 * thousands of system calls with a mix of valid and invalid arguments
 * (calls.c says which) and checks that the kernel survives them and gives
 * back the memory they took.
 *
 * Usage: sysfuzz [-s SEED] [-n CALLS] [-b BATCH] [-j JOBS] [-k FIRST] [-t TICKS] [-d DIR] [-v]
 *   -s SEED   the random stream (default 1): a seed always makes the same calls
 *   -n CALLS  stop after this many system calls in all (default 10000)
 *   -b BATCH  calls per batch (default 100); each batch runs in its own child
 *   -j JOBS   run JOBS batches at once (default 1, at most 8): they race each
 *             other in the scratch directory, on other CPUs
 *   -k FIRST  number of the first batch (default 0): `sysfuzz -s 7 -k 123 -n 100
 *             -v` replays batch 123 of seed 7 (with -b 100), printing each call
 *   -t TICKS  kill a batch still running after TICKS (default 3000, 30 s; a
 *             loaded host slows the guest down, so be generous). A batch that
 *             exec'd its crafted ELF file (random code, which may loop) is
 *             counted apart from one stuck anywhere else, which is announced
 *             with its number 2 s before the kill (time for Ctrl-P)
 *   -d DIR    the scratch directory (default /fz), emptied before and after
 *   -v        print every call before it is made (to find the one that crashes)
 *
 * A batch may end early: a fault kills it (it unmaps and protects its own
 * memory at random), it kills itself, or it execs. The driver counts how
 * each batch ended and starts the next, until CALLS calls have been made in
 * all (a page of MAP_SHARED|MAP_ANONYMOUS memory counts them across the
 * batches). At the end it compares MemFree (/proc/meminfo) with its value
 * at the start and prints a verdict:
 *
 *   sysfuzz: seed 1: 200000 calls in 2104 batches, 96 s: 1930 finished,
 *            160 killed (faults), 14 exited early, 0 ran a looping program,
 *            0 timed out
 *   sysfuzz: MemFree 118232 kB at the start, 118100 kB at the end (-0.11%)
 *   sysfuzz: PASS: the kernel survived 200000 calls and memory came back
 *
 * Exit status: 0 PASS, 1 FAIL (memory did not come back within 1%), 2 usage.
 * A kernel that does not survive never gets to print a verdict.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/mman.h"
#include "kernel/param.h"
#include "user/user.h"
#include "sysfuzz.h"

#define HZ 100 /* uptime() ticks per second */

struct fz_options fz_opt = {.seed = 1, .dir = "/fz"};
struct fz_shared *fz_shared;

struct tally {
	long batches;
	long finished;	/* ran all their calls */
	long killed;	/* a fault or a kill ended them */
	long early;	/* exit() or exec() ended them */
	long looped;	/* the crafted program they exec'd ran until the timeout */
	long timed_out; /* anything else still running at the timeout */
};

static void usage(void)
{
	fprintf(2, "usage: sysfuzz [-s SEED] [-n CALLS] [-b BATCH] [-j JOBS] [-k FIRST] "
		   "[-t TICKS] [-d DIR] [-v]\n");
	exit(2);
}

static uint64 atou64(const char *s)
{
	uint64 v = 0;

	if (*s < '0' || *s > '9')
		usage();
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (uint64)(*s - '0');
	if (*s)
		usage();
	return v;
}

/* MemFree of /proc/meminfo, in kB; -1 if it cannot be read. */
static long memfree_kb(void)
{
	static char text[2048];
	int fd = open("/proc/meminfo", O_RDONLY), n;
	char *p = text;

	if (fd < 0)
		return -1;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	text[n] = 0;
	while (*p && strncmp(p, "MemFree:", 8) != 0) {
		while (*p && *p != '\n')
			p++;
		if (*p)
			p++;
	}
	if (!*p)
		return -1;
	p += 8;
	while (*p == ' ')
		p++;
	return atoi(p);
}

/* A batch running in a child, watched by a second child (the watchdog). */
struct slot {
	int used;
	uint64 batch;
	int ncalls;
	int pid, dog;
	int status, dog_status;
	int done, dog_done;
};

#define MAX_JOBS 8

static struct slot slots[MAX_JOBS];

/*
 * Is process @pid running the crafted ELF file a batch writes (calls.c,
 * c_mkelf)? Such a program is random bytes and may well loop for ever; its
 * /proc/PID/maps names its image "/elf".
 */
static int runs_crafted_program(int pid)
{
	static char text[4096];
	char path[32];
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	for (int i = 0; i + 5 <= n; i++)
		if (memcmp(text + i, "/elf\n", 5) == 0)
			return 1;
	return 0;
}

/* Start batch @batch in @s. Return: 0, or -1 if fork failed. */
static int start_batch(struct slot *s, uint64 batch, int ncalls, int timeout)
{
	int pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		fz_run_batch(batch, ncalls);
	s->dog = fork();
	if (s->dog == 0) {
		sleep(timeout);
		if (runs_crafted_program(pid)) {
			kill(pid);
			exit(8);
		}
		/* time for a look at the stuck processes (Ctrl-P) before the kill */
		printf("sysfuzz: batch %llu is still running after %d ticks: Ctrl-P lists "
		       "the processes; killing it in 2 s\n",
		       batch, timeout);
		sleep(2 * HZ);
		kill(pid);
		exit(7);
	}
	s->used = 1;
	s->batch = batch;
	s->ncalls = ncalls;
	s->pid = pid;
	s->status = s->dog_status = 0;
	s->done = 0;
	s->dog_done = s->dog < 0;
	return 0;
}

/* How did the batch in @s end? */
static void tally_batch(struct slot *s, struct tally *t, int timeout)
{
	t->batches++;
	if (s->status == 0) {
		t->finished++;
	} else if (s->status == -1 && s->dog_status == 8) {
		t->looped++;
	} else if (s->status == -1 && s->dog_status == 7) {
		t->timed_out++;
		printf("sysfuzz: batch %llu timed out after %d ticks (replay: -k %llu -n %d -v)\n",
		       s->batch, timeout, s->batch, s->ncalls);
	} else if (s->status == -1) {
		t->killed++;
	} else {
		t->early++;
	}
	s->used = 0;
}

/* Wait for one child of a running batch to end; tally the batch when both did. */
static void reap_one(int njobs, struct tally *t, int timeout)
{
	int st, w = wait(&st);

	if (w < 0) {
		for (int j = 0; j < njobs; j++)
			slots[j].used = 0; /* cannot happen: nothing left to wait for */
		return;
	}
	for (int j = 0; j < njobs; j++) {
		struct slot *s = &slots[j];
		if (!s->used)
			continue;
		if (w == s->pid) {
			s->done = 1;
			s->status = st;
			if (!s->dog_done)
				kill(s->dog);
		} else if (w == s->dog) {
			s->dog_done = 1;
			s->dog_status = st;
		} else {
			continue;
		}
		if (s->done && s->dog_done)
			tally_batch(s, t, timeout);
		return;
	}
}

int main(int argc, char *argv[])
{
	long ncalls = 10000, batch_size = 100, timeout = 3000, njobs = 1;
	uint64 batch;
	struct tally t = {0};
	long before, after = -1, next_report;
	int start, secs;

	batch = 0;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '-' || argv[i][1] == 0 || argv[i][2] != 0)
			usage();
		if (argv[i][1] == 'v') {
			fz_opt.verbose = 1;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		const char *val = argv[++i];
		switch (argv[i - 1][1]) {
		case 's':
			fz_opt.seed = atou64(val);
			break;
		case 'n':
			ncalls = (long)atou64(val);
			break;
		case 'b':
			batch_size = (long)atou64(val);
			break;
		case 'k':
			batch = atou64(val);
			break;
		case 't':
			timeout = (long)atou64(val);
			break;
		case 'd':
			fz_opt.dir = val;
			break;
		case 'j':
			njobs = (long)atou64(val);
			break;
		default:
			usage();
		}
	}
	if (batch_size < 1 || ncalls < 1 || timeout < 1 || njobs < 1 || njobs > MAX_JOBS ||
	    fz_opt.dir[0] != '/' || strlen(fz_opt.dir) > MAXPATH - 16)
		usage();

	/* far from everything a batch maps, so that its stray copies miss it */
	fz_shared = mmap((void *)FZ_SHARED_ADDR, FZ_PAGE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (fz_shared != (struct fz_shared *)FZ_SHARED_ADDR) {
		fprintf(2, "sysfuzz: cannot map the shared counter page\n");
		return 1;
	}
	remove_tree(fz_opt.dir);
	if (mkdir(fz_opt.dir) < 0) {
		fprintf(2, "sysfuzz: cannot create %s\n", fz_opt.dir);
		return 1;
	}
	before = memfree_kb();
	printf("sysfuzz: seed %llu, %ld calls in batches of %ld from batch %llu, %ld at a time, "
	       "MemFree %ld kB\n",
	       fz_opt.seed, ncalls, batch_size, batch, njobs, before);
	start = uptime();
	next_report = ncalls / 10;
	for (;;) {
		long was = fz_shared->calls, running = 0;
		int free_slot = -1;

		for (int j = 0; j < njobs; j++) {
			running += slots[j].used;
			if (!slots[j].used && free_slot < 0)
				free_slot = j;
		}
		if (was >= ncalls && running == 0)
			break;
		if (was < ncalls && free_slot >= 0) {
			long left = ncalls - was;
			int n = (int)(njobs == 1 && left < batch_size ? left : batch_size);
			if (start_batch(&slots[free_slot], batch, n, (int)timeout) == 0) {
				batch++;
				continue;
			}
			if (running == 0) {
				sleep(10); /* out of processes: orphans still finishing */
				continue;
			}
		}
		reap_one(njobs, &t, (int)timeout);
		/* each running batch and its children make at most 1 + MAX_KIDS
		 * batches of calls; anything else means a stray store hit the
		 * counter */
		if (fz_shared->calls < was || fz_shared->calls > was + 8 * njobs * batch_size) {
			printf("sysfuzz: a batch overwrote the call counter (%ld -> %ld)\n", was,
			       fz_shared->calls);
			fz_shared->calls = was + batch_size;
		}
		if (fz_shared->calls >= next_report && fz_shared->calls < ncalls) {
			printf("sysfuzz: %ld calls, %ld batches, %d s\n", fz_shared->calls,
			       t.batches, (uptime() - start) / HZ);
			while (next_report <= fz_shared->calls)
				next_report += ncalls / 10 > 0 ? ncalls / 10 : ncalls;
		}
	}
	secs = (uptime() - start) / HZ;
	remove_tree(fz_opt.dir);
	/* children of killed batches may still be finishing their last calls */
	for (int i = 0; i < 50; i++) {
		after = memfree_kb();
		if (before > 0 && after > 0 && (before - after) * 100 <= before)
			break;
		sleep(10);
	}
	printf("sysfuzz: seed %llu: %ld calls in %ld batches, %d s: %ld finished, %ld killed "
	       "(faults), %ld exited early, %ld ran a looping program, %ld timed out\n",
	       fz_opt.seed, fz_shared->calls, t.batches, secs, t.finished, t.killed, t.early,
	       t.looped, t.timed_out);
	long diff = after - before, ppm = before > 0 ? diff * 10000 / before : 0;
	printf("sysfuzz: MemFree %ld kB at the start, %ld kB at the end (%s%ld.%02ld%%)\n", before,
	       after, diff < 0 ? "-" : "+", (ppm < 0 ? -ppm : ppm) / 100,
	       (ppm < 0 ? -ppm : ppm) % 100);
	if (before <= 0 || after <= 0 || (before - after) * 100 > before) {
		printf("sysfuzz: FAIL: memory did not come back within 1%%\n");
		return 1;
	}
	printf("sysfuzz: PASS: the kernel survived %ld calls and memory came back\n",
	       fz_shared->calls);
	return 0;
}
