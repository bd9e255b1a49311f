/*
 * tools/testing/lib/ktest-host.c - the runner behind ktest-host.h: keeps the
 * list of registered tests, runs each one (in a forked child by default),
 * prints KTAP and sets the exit status.
 *
 * A child reports its verdict through its exit status:
 *   0 = pass, KTEST_EXIT_FAIL = an EXPECT/ASSERT failed, KTEST_EXIT_SKIP =
 *   skipped, with the reason sent back through a pipe; anything else (a
 *   signal, ASan's exit status 1, a timeout) is a crash, reported as
 *   "not ok" with the reason.
 * Diagnostics go to stdout, flushed before the child exits, so they appear
 * just above the test's result line as KTAP wants.
 *
 * With -t NAME -c FD (a lab grader's run, see ktest-host.h) one test runs in
 * this process, which the grader started; the verdict is the grader's, from
 * the "end" line written to FD after the test returns: a process that ends
 * any other way never writes it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>

#include "ktest-host.h"

#define KTEST_EXIT_FAIL 42
#define KTEST_EXIT_SKIP 43

static struct ktest_case *ktest_list;
static int ktest_count;

/* State of the test now running (in this process). */
static int cur_failed;
static int cur_skipped;
static char cur_skip_reason[256];

/* Graded runs: where the checkpoint lines go, the grader's seed, the digest. */
static int cp_fd = -1;
static unsigned long long run_seed;
static unsigned long long cur_checks;
static unsigned long long cur_digest = 0xcbf29ce484222325ULL; /* FNV-1a offset basis */

static unsigned long long fnv1a(unsigned long long h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

int ktest_check(const char *file, int line, int ok)
{
	const char *base = strrchr(file, '/');
	int rec[2] = {line, !!ok};

	base = base ? base + 1 : file;
	cur_checks++;
	cur_digest = fnv1a(cur_digest, base, strlen(base));
	cur_digest = fnv1a(cur_digest, rec, sizeof(rec));
	return !!ok;
}

int ktest_driven(void)
{
	return cp_fd >= 0;
}

/* Write all of @buf to @fd (a pipe to the grader). */
static void write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		buf += w;
		n -= (size_t)w;
	}
}

void ktest_report(const char *fmt, ...)
{
	char line[4096];
	va_list ap;
	int n;

	if (cp_fd < 0)
		return;
	line[0] = 'r';
	line[1] = ' ';
	va_start(ap, fmt);
	n = vsnprintf(line + 2, sizeof(line) - 3, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	n = n + 2 < (int)sizeof(line) - 1 ? n + 2 : (int)sizeof(line) - 2;
	line[n++] = '\n';
	write_all(cp_fd, line, (size_t)n);
}

void ktest_register(struct ktest_case *tc)
{
	tc->next = ktest_list;
	ktest_list = tc;
	ktest_count++;
}

void ktest_fail(const char *file, int line, const char *fmt, ...)
{
	const char *base = strrchr(file, '/');
	va_list ap;

	printf("# %s:%d: ", base ? base + 1 : file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	cur_failed = 1;
}

void ktest_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cur_skip_reason, sizeof(cur_skip_reason), fmt, ap);
	va_end(ap);
	cur_skipped = 1;
}

void ktest_log(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

int ktest_failed(void)
{
	return cur_failed;
}

/*
 * The kernel has strlcpy (see stubs/kernel/string.h); glibc before 2.38 does
 * not. Defined here, it also takes precedence over a C library's own.
 */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

int ktest_str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

void *ktest_read_file(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long len;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		/* Exactly len bytes (at least 1 for malloc): ASan sees any overread. */
		buf = malloc(len ? (size_t)len : 1);
		if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
			free(buf);
			buf = NULL;
		}
		if (buf && lenp)
			*lenp = (size_t)len;
	}
	fclose(f);
	return buf;
}

const char *ktest_data_path(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", KTEST_DATA_DIR, name);
	return path;
}

static unsigned long long rand_state = 0x9e3779b97f4a7c15ULL;

/*
 * The test's own seed, mixed with the run's (-s): the same test sees other
 * numbers in every graded run, and its usual ones without -s.
 */
void ktest_srand(unsigned long long seed)
{
	if (run_seed) {
		seed ^= run_seed * 0x9e3779b97f4a7c15ULL;
		seed = (seed ^ (seed >> 31)) * 0xbf58476d1ce4e5b9ULL;
		seed ^= seed >> 29;
	}
	rand_state = seed ? seed : 0x9e3779b97f4a7c15ULL;
}

unsigned long long ktest_run_seed(void)
{
	return run_seed;
}

/* xorshift64*: fixed sequence for a given seed, same on every host. */
unsigned long long ktest_rand(void)
{
	rand_state ^= rand_state >> 12;
	rand_state ^= rand_state << 25;
	rand_state ^= rand_state >> 27;
	return rand_state * 0x2545f4914f6cdd1dULL;
}

/* Order tests by file name, then line: stable whatever the constructor order. */
static int case_before(const struct ktest_case *a, const struct ktest_case *b)
{
	int c = strcmp(a->file, b->file);

	return c < 0 || (c == 0 && a->line < b->line);
}

static void sort_cases(void)
{
	struct ktest_case *sorted = NULL, *tc, **pp;

	while ((tc = ktest_list)) {
		ktest_list = tc->next;
		for (pp = &sorted; *pp && case_before(*pp, tc); pp = &(*pp)->next)
			;
		tc->next = *pp;
		*pp = tc;
	}
	ktest_list = sorted;
}

static int selected(const struct ktest_case *tc, int nfilters, char **filters)
{
	int i;

	if (nfilters == 0)
		return 1;
	for (i = 0; i < nfilters; i++) {
		if (strstr(tc->name, filters[i]) || fnmatch(filters[i], tc->name, 0) == 0)
			return 1;
	}
	return 0;
}

static void run_here(struct ktest_case *tc)
{
	cur_failed = 0;
	cur_skipped = 0;
	cur_skip_reason[0] = '\0';
	tc->run();
	fflush(stdout);
}

enum verdict { PASS, FAIL, SKIP_ };

/* Run @tc in a child; return its verdict, describing a crash in @why. */
static enum verdict run_forked(struct ktest_case *tc, int timeout, char *why, size_t whysz)
{
	int status, fds[2];
	ssize_t got;
	pid_t pid;

	if (pipe(fds) < 0) {
		snprintf(why, whysz, "pipe failed: %s", strerror(errno));
		return FAIL;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		snprintf(why, whysz, "fork failed: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return FAIL;
	}
	if (pid == 0) {
		close(fds[0]);
		alarm((unsigned)timeout);
		run_here(tc);
		if (cur_failed)
			_exit(KTEST_EXIT_FAIL);
		if (cur_skipped) {
			/* The reason goes back through the pipe; it fits in PIPE_BUF. */
			got = write(fds[1], cur_skip_reason, strlen(cur_skip_reason));
			_exit(got >= 0 ? KTEST_EXIT_SKIP : KTEST_EXIT_FAIL);
		}
		_exit(0);
	}
	close(fds[1]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(why, whysz, "waitpid failed: %s", strerror(errno));
			close(fds[0]);
			return FAIL;
		}
	}
	got = read(fds[0], cur_skip_reason, sizeof(cur_skip_reason) - 1);
	cur_skip_reason[got > 0 ? got : 0] = '\0';
	close(fds[0]);
	if (WIFEXITED(status)) {
		switch (WEXITSTATUS(status)) {
		case 0:
			return PASS;
		case KTEST_EXIT_FAIL:
			return FAIL;
		case KTEST_EXIT_SKIP:
			return SKIP_;
		default:
			/* where the report lands depends on who reads the streams:
			 * above this line here, below it in a grader's summary */
			snprintf(why, whysz,
				 "crashed: exit status %d (a sanitizer's report, \"==PID==ERROR\" "
				 "or \"runtime error\", is in this test's output)",
				 WEXITSTATUS(status));
			return FAIL;
		}
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		snprintf(why, whysz, "timed out after %d s (KTEST_TIMEOUT)", timeout);
	else if (WIFSIGNALED(status))
		snprintf(why, whysz, "crashed: signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(why, whysz, "crashed: wait status 0x%x", status);
	return FAIL;
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-l] [-n] [-s SEED] [name-or-glob ...]\n"
		"       %s -t NAME -c FD [-s SEED]\n"
		"  -l       list the tests and exit\n"
		"  -n       no fork: run tests in this process (for gdb)\n"
		"  -s SEED  mix SEED into every test's random numbers\n"
		"  -t NAME  run only the test called NAME, in this process, and write\n"
		"           \"end CHECKS DIGEST FAILED SKIPPED\" to FD (-c) when it returns\n"
		"           (how the lab graders run tests: see ktest-host.h)\n"
		"  KTEST_TIMEOUT=seconds bounds each forked test (default 120)\n",
		prog, prog);
}

/* -t NAME: one test, here, for a grader that reads FD. */
static int run_one(const char *name)
{
	char line[128];
	struct ktest_case *tc;
	int n;

	for (tc = ktest_list; tc; tc = tc->next)
		if (strcmp(tc->name, name) == 0)
			break;
	if (!tc) {
		fprintf(stderr, "no test called %s\n", name);
		return 2;
	}
	/* the digest starts from the seed: one seen in an earlier run is of no use */
	cur_checks = 0;
	cur_digest = fnv1a(cur_digest, &run_seed, sizeof(run_seed));
	run_here(tc);
	n = snprintf(line, sizeof(line), "end %llu %016llx %d %d\n", cur_checks, cur_digest,
		     cur_failed, cur_skipped);
	if (cur_skipped)
		ktest_report("skip %s", cur_skip_reason);
	write_all(cp_fd, line, (size_t)n);
	return 0;
}

int main(int argc, char **argv)
{
	struct ktest_case *tc;
	int list = 0, nofork = 0, opt, n = 0, i = 0, timeout = 120;
	const char *one = NULL;
	int pass = 0, fail = 0, skip = 0;
	const char *env = getenv("KTEST_TIMEOUT");
	char why[256];
	enum verdict v;

	while ((opt = getopt(argc, argv, "lnhs:t:c:")) != -1) {
		switch (opt) {
		case 'l':
			list = 1;
			break;
		case 'n':
			nofork = 1;
			break;
		case 's':
			run_seed = strtoull(optarg, NULL, 0);
			break;
		case 't':
			one = optarg;
			break;
		case 'c':
			cp_fd = atoi(optarg);
			break;
		default:
			usage(argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (env && atoi(env) > 0)
		timeout = atoi(env);
	/* Line-buffered so KTAP lines interleave correctly with sanitizer output. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	sort_cases();
	if (one || cp_fd >= 0) {
		if (!one || cp_fd < 0) {
			usage(argv[0]);
			return 2;
		}
		return run_one(one);
	}

	for (tc = ktest_list; tc; tc = tc->next)
		n += selected(tc, argc - optind, argv + optind);
	if (list) {
		for (tc = ktest_list; tc; tc = tc->next) {
			if (selected(tc, argc - optind, argv + optind))
				printf("%s\n", tc->name);
		}
		return 0;
	}

	printf("KTAP version 1\n1..%d\n", n);
	for (tc = ktest_list; tc; tc = tc->next) {
		if (!selected(tc, argc - optind, argv + optind))
			continue;
		i++;
		why[0] = '\0';
		if (nofork) {
			run_here(tc);
			v = cur_failed ? FAIL : cur_skipped ? SKIP_ : PASS;
		} else {
			cur_skip_reason[0] = '\0';
			v = run_forked(tc, timeout, why, sizeof(why));
		}
		if (why[0])
			printf("# %s\n", why);
		if (v == PASS) {
			pass++;
			printf("ok %d %s\n", i, tc->name);
		} else if (v == SKIP_) {
			skip++;
			printf("ok %d %s # SKIP%s%s\n", i, tc->name, cur_skip_reason[0] ? " " : "",
			       cur_skip_reason);
		} else {
			fail++;
			printf("not ok %d %s\n", i, tc->name);
		}
	}
	printf("# Totals: pass:%d fail:%d skip:%d\n", pass, fail, skip);
	return fail ? 1 : 0;
}
