/*
 * user/usertests/main.c - the usertests runner: the stress suite for the
 * kernel's system call layer, process management, memory and file system.
 *
 * Usage: usertests [-q] [-l] [-t TICKS] [NAME...]
 *   NAME      run only the tests whose name contains NAME (any of them)
 *   -q        quick: skip the slowest tests (reported as SKIP)
 *   -l        list the tests (name and question) and exit
 *   -t TICKS  kill a test that runs longer than TICKS; 0 turns the
 *             watchdog off (default: 2000 ticks, 20 s at HZ=100, and more
 *             for the tests that need it)
 *
 * Output is KTAP, so a harness can count results:
 *
 *   KTAP version 1
 *   1..N
 *   ok 1 what if read() is passed a bad buffer pointer?
 *   # badptr.c:42: read(fd, 0xffffffc080200000, 512) returned 512
 *   not ok 2 what if write() is passed a bad buffer pointer?
 *   ...
 *   # usertests: P passed, F failed
 *
 * and the exit status is 0 only if every test passed.
 *
 * Each test runs in its own child, in a fresh scratch directory /ut.tmp,
 * watched by a second child (the watchdog) that kills it when it runs out
 * of time: a test that crashes or hangs is one failure, and the suite goes
 * on. A test passes if its child exits with status 0.
 */
#include "usertests.h"

#define SCRATCH "/ut.tmp"
#define DEFAULT_TIMEOUT 2000 /* ticks */

static const struct ut_test tests[] = {
    /* bad pointers */
    {"readbadptr", "what if read() is passed a bad buffer pointer?", test_read_badptr},
    {"writebadptr", "what if write() is passed a bad buffer pointer?", test_write_badptr},
    {"pipebadptr", "what if pipe() is passed a bad array pointer?", test_pipe_badptr},
    {"fstatbadptr", "what if fstat() is passed a bad stat pointer?", test_fstat_badptr},
    {"execbadptr", "what if exec() is passed a bad path, argv array or argument string?",
     test_exec_badptr},
    {"openbadptr", "what if open() is passed a bad path pointer?", test_open_badptr},
    {"mknodbadptr", "what if mknod() is passed a bad path pointer?", test_mknod_badptr},
    {"unlinkbadptr", "what if unlink() is passed a bad path pointer?", test_unlink_badptr},
    {"linkbadptr", "what if either path given to link() is a bad pointer?", test_link_badptr},
    {"mkdirbadptr", "what if mkdir() is passed a bad path pointer?", test_mkdir_badptr},
    {"chdirbadptr", "what if chdir() is passed a bad path pointer?", test_chdir_badptr},
    {"waitbadptr", "what if wait() is passed a bad status pointer?", test_wait_badptr},
    {"badfd", "what if read, write, close, fstat or dup get a bad file descriptor?", test_badfd},
    {"badlen", "what if read() or write() get a negative or huge length?", test_badlen},
    /* memory */
    {"sbrkzero", "does memory from sbrk() read as zero, even after a shrink and regrow?",
     test_sbrk_zero},
    {"sbrkshrink", "is memory released by a negative sbrk() really gone?", test_sbrk_shrink},
    {"sbrkuntouched",
     "can sbrk() memory that was never touched be handed to read, write, pipe and fstat?",
     test_sbrk_untouched},
    {"sbrkexhaust",
     "what if a process allocates memory until none is left, and does it all come back?",
     test_sbrk_exhaust, 1, 6000},
    {"sbrkhuge", "does asking sbrk() for 1 TiB in 1 GiB steps fail cleanly?", test_sbrk_huge, 0,
     4000},
    {"sbrkneg", "what if sbrk() is asked to shrink the heap below its start, or below 0?",
     test_sbrk_negative},
    {"nullderef", "what if a process reads or writes through a NULL pointer?", test_null_deref},
    {"textwrite", "what if a process writes to its own code or read-only data?", test_text_write},
    {"execdata", "what if a process jumps into its data segment?", test_exec_data},
    {"stackoverflow", "what if a process recurses until its stack overflows?", test_stack_overflow},
    {"cow", "does a child's write after fork() stay invisible to its parent, and vice versa?",
     test_cow},
    {"buddyinfo", "does /proc/buddyinfo show a workload's pages taken and all given back?",
     test_buddyinfo_workload},
    {"minfreekbytes",
     "does writing /proc/sys/vm/min_free_kbytes move the watermarks, and is garbage refused?",
     test_min_free_kbytes},
    /* address spaces: VMAs, lazy faults, copy-on-write, mmap */
    {"lazysbrk", "does sbrk(1 GiB) cost nothing until pages are touched?", test_lazy_sbrk},
    {"zeropage", "does reading never-written memory return zeros without using memory?",
     test_zero_page},
    {"mmapro", "does writing to a read-only mapping kill only that process?",
     test_write_readonly_mapping},
    {"cowpages", "does a copy-on-write fork of a big heap copy only the pages written?",
     test_cow_copies_only_written_pages, 0, 4000},
    {"mmapshared", "can two processes share a file through mmap(MAP_SHARED)?",
     test_mmap_shared_file},
    {"mmapprivate", "does a write to a MAP_PRIVATE file mapping stay out of the file?",
     test_mmap_private_file},
    {"munmapmiddle", "what if munmap() removes the middle of a mapping?", test_munmap_middle},
    {"mprotect", "does mprotect() take write permission away and give it back?", test_mprotect},
    {"mmaperrors", "do mmap() and munmap() report bad arguments the POSIX way?", test_mmap_errors},
    {"stackgrow", "does the stack grow on demand past its first pages?", test_stack_grows},
    {"forkbigheap", "does a fork bomb with big heaps fit in memory thanks to copy-on-write?",
     test_fork_big_heaps, 0, 4000},
    {"pmap", "does pmap show a mapping's size and its resident pages as smaps counts them?",
     test_pmap},
    {"smem",
     "does smem count pages shared after fork in RSS and half in PSS, and USS grow "
     "when they are written?",
     test_smem},
    {"slabinfo", "do the slab caches get back every object when many files and pipes come and go?",
     test_slabinfo_baseline},
    {"slabtop", "does slabtop -o list the kernel's caches from /proc/slabinfo?", test_slabtop},
    /* /proc's processes and counters */
    {"procpids",
     "does /proc list my pid and my child's, and show the child as a zombie until wait()?",
     test_proc_pids},
    {"proccmdline", "do /proc/self/cmdline and comm show a program its own arguments and name?",
     test_proc_cmdline},
    {"procanon",
     "does AnonPages count a page once when fork() shares it, and PageTables grow with a process?",
     test_proc_anon_shared},
    {"proccputime", "does a busy loop show up as user time in /proc/self/stat and /proc/stat?",
     test_proc_cputime},
    /* processes */
    {"forkbomb", "what happens when fork() runs out of process slots?", test_forkbomb, 0, 4000},
    {"exitstatus", "is the status passed to exit() delivered by wait()?", test_exit_status},
    {"waitnochild", "what does wait() return when there are no children?", test_wait_nochild},
    {"orphans", "are orphans reparented to init and reaped?", test_orphans, 0, 4000},
    {"killsleep", "does kill() cut short a sleep of 1000 ticks?", test_kill_sleep},
    {"killnone", "what does kill() return for a pid that does not exist?", test_kill_none},
    {"killpipe", "does kill() interrupt a process blocked reading or writing a pipe?",
     test_kill_pipe},
    {"sleep", "does sleep() wait as long as asked, and uptime() advance?", test_sleep_uptime},
    /* exec */
    {"execargs", "does exec() deliver MAXARG-1 long arguments intact, and refuse more?",
     test_exec_args},
    {"execnotelf", "what if exec() is given a file that is not a valid ELF program?",
     test_exec_notelf},
    {"execmissing", "what if exec() names a missing file or a directory?", test_exec_missing},
    /* file system */
    {"bigfile", "can a file grow past its singly-indirect blocks into the doubly-indirect block?",
     test_bigfile, 0, 8000},
    {"concreate", "what if several processes create and unlink files in one directory at once?",
     test_concurrent_create, 0, 4000},
    {"link", "do link() and unlink() keep names, link counts and data straight?", test_link},
    {"unlinkopen", "can an open file still be read and written after it is unlinked?",
     test_unlink_open},
    {"dirs", "do mkdir(), chdir() and '..' find their way around a directory tree?", test_dirs},
    {"dirfile", "what if a plain file is used as a directory, or a directory as a file?",
     test_dir_file},
    {"unlinkdir", "does unlink() refuse a non-empty directory, '.' and '..'?", test_unlink_dir},
    {"cwdremoved", "what if a process's current directory is removed?", test_cwd_removed},
    {"openmodes", "do open()'s flags mean what they say?", test_open_modes},
    {"nofile", "what happens when a process opens more than NOFILE files?", test_nofile},
    {"sharedoffset", "do fork() and dup() share one file offset?", test_shared_offset},
    {"bigdir", "can a directory grow past one block and shrink again?", test_bigdir},
    /* pipes */
    {"pipeorder", "does a pipe deliver a long byte stream complete and in order?", test_pipe_order},
    {"pipeload", "do all bytes arrive when several writers share one pipe?", test_pipe_load, 0,
     4000},
    {"pipeclosed", "what do pipe ends see when the other end is closed?", test_pipe_closed},
    /* what used to take the kernel down (robust.c) */
    {"proclink", "can link() give a /proc file another name, or put a name into /proc?",
     test_proc_link},
    {"proccreate", "can mkdir(), mknod() or open(O_CREATE) add a name inside /proc?",
     test_proc_create},
    {"procunlink", "can unlink() remove a /proc file, a /proc directory or /proc itself?",
     test_proc_unlink},
    {"killinit", "what if a process tries to kill init?", test_kill_init},
    {"killwrite", "does kill() stop a 32 MiB write() to a file within 2 seconds?", test_kill_write,
     0, 4000},
    {"readlazy", "does read() into a fresh 1 GiB buffer use only the pages it fills?",
     test_read_lazy_buffer},
    {"readstack", "can read() fill a buffer deep in the stack that was never touched?",
     test_read_into_new_stack},
    {"mmapeof", "what if a process touches a file mapping beyond the end of the file?",
     test_mmap_beyond_eof},
    {"shmfork",
     "does MAP_SHARED|MAP_ANONYMOUS memory stay shared after fork(), "
     "also for pages first touched after it?",
     test_shared_anon_fork},
    {"shmzero",
     "what if shared anonymous memory is read and then written: does the "
     "write stay out of the zero page?",
     test_shared_anon_zero_page},
    {"sbrkunmapped", "what if sbrk() is called after the heap was unmapped?",
     test_sbrk_after_munmap},
    {"pipebadread", "does a read() of a pipe into a bad buffer leave the bytes in the pipe?",
     test_pipe_read_badptr_keeps_bytes},
    {"hugemap", "do fork() and munmap() of a 64 GiB mapping cost only its two touched pages?",
     test_huge_mapping_cheap},
    {"sysfuzz", "does the kernel survive 3000 random system calls and get its memory back?",
     test_sysfuzz, 0, 6000},
};

#define NTESTS ((int)(sizeof(tests) / sizeof(tests[0])))

int ut_quick;
char ut_self[MAXPATH];

/* ---- helpers for the tests ---- */

int ut_fork(void)
{
	int pid = fork();

	CHECK(pid >= 0, "fork() failed");
	return pid;
}

int ut_wait(int pid)
{
	int status, w;

	for (;;) {
		w = wait(&status);
		CHECK(w >= 0, "wait() returned %d while waiting for pid %d", w, pid);
		if (w == pid)
			return status;
	}
}

void ut_wait_all(const int *pids, int n, int *status)
{
	int left = n, st, w;

	while (left > 0) {
		w = wait(&st);
		CHECK(w >= 0, "wait() returned %d with %d children left", w, left);
		for (int i = 0; i < n; i++) {
			if (pids[i] == w) {
				status[i] = st;
				left--;
			}
		}
	}
}

int ut_run(void (*fn)(void))
{
	int pid = ut_fork();

	if (pid == 0) {
		fn();
		exit(0);
	}
	return ut_wait(pid);
}

int ut_open(const char *path, int omode)
{
	int fd = open(path, omode);

	CHECK(fd >= 0, "open(\"%s\", 0x%x) failed", path, omode);
	return fd;
}

uchar ut_pattern(uint64 off)
{
	return (uchar)(off * 7 + (off >> 8) + (off >> 16));
}

void ut_make_file(const char *path, int n)
{
	static uchar buf[1024];
	int fd = ut_open(path, O_CREATE | O_WRONLY | O_TRUNC);

	for (int off = 0; off < n;) {
		int m = n - off < (int)sizeof(buf) ? n - off : (int)sizeof(buf);
		for (int i = 0; i < m; i++)
			buf[i] = ut_pattern(off + i);
		CHECK(write(fd, buf, m) == m, "write to %s failed", path);
		off += m;
	}
	close(fd);
}

long ut_memfree(void)
{
	static char buf[4096];
	int fd = ut_open("/proc/meminfo", O_RDONLY);
	int n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	CHECK(n > 0, "cannot read /proc/meminfo");
	buf[n] = 0;
	char *p = buf;
	while (*p && strncmp(p, "MemFree:", 8) != 0) {
		while (*p && *p != '\n')
			p++;
		if (*p)
			p++;
	}
	CHECK(*p, "no MemFree line in /proc/meminfo");
	p += 8;
	while (*p == ' ')
		p++;
	return atoi(p) * 1024L;
}

char *ut_heap_top(void)
{
	char *cur = sbrk(0);
	uint64 pad = (PGSIZE - ((uint64)cur & (PGSIZE - 1))) & (PGSIZE - 1);
	char *top;

	CHECK(sbrk(pad + PGSIZE) != (char *)-1, "sbrk(%d) failed", (int)(pad + PGSIZE));
	top = sbrk(0);
	memset(top - PGSIZE, 0, PGSIZE);
	return top;
}

/* ---- the scratch directory ---- */

static int fresh_scratch(void)
{
	remove_tree(SCRATCH);
	return mkdir(SCRATCH);
}

/* ---- running tests ---- */

/*
 * Run test @t in a child, with a watchdog child that kills it after
 * @timeout ticks. Return: 1 if it passed.
 */
static int run_test(const struct ut_test *t, int timeout)
{
	int pid, dog = -1, status = 0, dog_status = 0, w, st;
	int test_done = 0, dog_done;

	if (fresh_scratch() < 0) {
		printf("# cannot create the scratch directory %s\n", SCRATCH);
		return 0;
	}
	pid = fork();
	if (pid < 0) {
		printf("# fork failed\n");
		return 0;
	}
	if (pid == 0) {
		if (chdir(SCRATCH) < 0) {
			printf("# cannot chdir to %s\n", SCRATCH);
			exit(1);
		}
		t->fn();
		exit(0);
	}
	if (timeout > 0) {
		dog = fork();
		if (dog == 0) {
			sleep(timeout);
			kill(pid);
			exit(7);
		}
	}
	dog_done = dog < 0;
	while (!test_done || !dog_done) {
		w = wait(&st);
		if (w < 0)
			break;
		if (w == pid) {
			test_done = 1;
			status = st;
			if (!dog_done)
				kill(dog);
		} else if (w == dog) {
			dog_done = 1;
			dog_status = st;
		}
	}
	if (!test_done) {
		printf("# lost track of the test process\n");
		return 0;
	}
	if (status == 0)
		return 1;
	if (status == KILLED && dog_status == 7)
		printf("# timed out after %d ticks\n", timeout);
	else if (status == KILLED)
		printf("# test process was killed\n");
	else
		printf("# test process exited with status %d\n", status);
	return 0;
}

static int selected(const struct ut_test *t, char **names, int nnames)
{
	if (nnames == 0)
		return 1;
	for (int i = 0; i < nnames; i++) {
		const char *n = names[i];
		uint len = strlen(n);
		for (const char *s = t->name; *s; s++) {
			if (strncmp(s, n, len) == 0)
				return 1;
		}
	}
	return 0;
}

/* Work out an absolute path to this program from argv[0]. */
static void find_self(const char *argv0)
{
	struct stat st;

	if (strlen(argv0) + 2 > MAXPATH) {
		strcpy(ut_self, "/usertests");
		return;
	}
	if (argv0[0] == '/') {
		strcpy(ut_self, argv0);
		return;
	}
	ut_self[0] = '/';
	strcpy(ut_self + 1, argv0);
	if (stat(ut_self, &st) < 0)
		strcpy(ut_self, "/usertests");
}

static void usage(void)
{
	fprintf(2, "usage: usertests [-q] [-l] [-t TICKS] [NAME...]\n");
	exit(2);
}

int main(int argc, char *argv[])
{
	char *names[MAXARG];
	int nnames = 0, list = 0, timeout = -1;
	int total = 0, passed = 0, failed = 0, skipped = 0, k = 0;

	/* Started by a broken exec() with no argv at all: don't run the suite. */
	if (argc < 1 || argv == 0 || argv[0] == 0 || argv[0][0] == 0)
		return 99;
	if (argc > 1 && strcmp(argv[1], "--check-args") == 0)
		return ut_check_args(argc, argv);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-q") == 0) {
			ut_quick = 1;
		} else if (strcmp(argv[i], "-l") == 0) {
			list = 1;
		} else if (strcmp(argv[i], "-t") == 0) {
			if (++i == argc)
				usage();
			timeout = atoi(argv[i]);
		} else if (argv[i][0] == '-') {
			usage();
		} else {
			names[nnames++] = argv[i];
		}
	}
	find_self(argv[0]);

	for (int i = 0; i < NTESTS; i++)
		total += selected(&tests[i], names, nnames);
	if (list) {
		for (int i = 0; i < NTESTS; i++) {
			if (selected(&tests[i], names, nnames))
				printf("%-14s %s%s\n", tests[i].name, tests[i].question,
				       tests[i].slow ? " (slow)" : "");
		}
		return 0;
	}

	printf("KTAP version 1\n1..%d\n", total);
	for (int i = 0; i < NTESTS; i++) {
		const struct ut_test *t = &tests[i];
		int t_out = timeout;

		if (!selected(t, names, nnames))
			continue;
		k++;
		if (ut_quick && t->slow) {
			printf("ok %d %s # SKIP slow (-q)\n", k, t->question);
			skipped++;
			continue;
		}
		if (timeout < 0)
			t_out = t->timeout ? t->timeout : DEFAULT_TIMEOUT;
		if (run_test(t, t_out)) {
			printf("ok %d %s\n", k, t->question);
			passed++;
		} else {
			printf("not ok %d %s\n", k, t->question);
			failed++;
		}
	}
	remove_tree(SCRATCH);
	if (skipped > 0)
		printf("# usertests: %d skipped\n", skipped);
	printf("# usertests: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
