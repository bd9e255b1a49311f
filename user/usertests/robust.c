/*
 * user/usertests/robust.c - commands that used to take the kernel down, or
 * outlive a kill: changing names inside /proc, killing init, long system
 * calls interrupted by kill(), reads into huge lazy buffers, faults past
 * the end of a mapped file, shared anonymous memory across fork, sbrk
 * after the heap is unmapped. Each was found by hand or by the system-call
 * fuzzer (user/sysfuzz.c); every crash the fuzzer finds stays here as a
 * test.
 *
 * On a kernel with one of these bugs, the test usually does not fail: the
 * kernel panics and the whole run stops, which the harness reports.
 */
#include "usertests.h"
#include "kernel/errno.h"
#include "kernel/mman.h"

/* Expect @call to have failed with -1 and errno @err. */
#define CHECK_ERR(call, err, what)                                                            \
	do {                                                                                  \
		int _r = (call);                                                              \
		int _e = _r == -1 ? geterrno() : 0;                                           \
		CHECK(_r == -1 && _e == (err), "%s returned %d (errno %d), expected -1 (%d)", \
		      what, _r, _e, err);                                                     \
	} while (0)

/* Is there something at @path? */
static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* ---- /proc keeps its names --------------------------------------------- */

void test_proc_link(void)
{
	int fd;

	CHECK_ERR(link("/proc/self/maps", "x"), EXDEV, "link(/proc/self/maps, x)");
	CHECK_ERR(link("/proc/meminfo", "x"), EXDEV, "link(/proc/meminfo, x)");
	CHECK(!exists("x"), "a name x appeared");
	fd = ut_open("f", O_CREATE | O_RDWR);
	close(fd);
	CHECK_ERR(link("f", "/proc/f"), EXDEV, "link(f, /proc/f)");
	CHECK_ERR(link("f", "/proc/self/f"), EXDEV, "link(f, /proc/self/f)");
	CHECK_ERR(link("f", "/proc/sys/vm/f"), EXDEV, "link(f, /proc/sys/vm/f)");
	CHECK_ERR(link("/proc/meminfo", "/proc/m2"), EPERM, "link(/proc/meminfo, /proc/m2)");
	CHECK(!exists("/proc/f") && !exists("/proc/m2"), "a new name appeared in /proc");

	/* a process with a high pid: its /proc inode number is far beyond
	 * the disk's inode blocks (pid << 4) */
	for (int i = 0; i < 80; i++) {
		int pid = ut_fork();
		if (pid == 0) {
			if (getpid() < 70)
				exit(0);
			CHECK_ERR(link("/proc/self/maps", "hi"), EXDEV, "link from a high pid");
			exit(3);
		}
		int st = ut_wait(pid);
		if (st == 3)
			return;
		CHECK(st == 0, "a child exited with %d", st);
	}
	FAIL("never got a pid of 70 or more");
}

void test_proc_create(void)
{
	int fd;

	CHECK_ERR(mkdir("/proc/q"), EPERM, "mkdir(/proc/q)");
	CHECK_ERR(mkdir("/proc/self/q"), EPERM, "mkdir(/proc/self/q)");
	CHECK_ERR(mkdir("/proc/sys/vm/q"), EPERM, "mkdir(/proc/sys/vm/q)");
	CHECK_ERR(mknod("/proc/meminfo2", 2, 1), EPERM, "mknod(/proc/meminfo2)");
	CHECK_ERR(open("/proc/new", O_CREATE | O_RDWR), EACCES, "open(/proc/new, O_CREATE)");
	CHECK_ERR(open("/proc/self/new", O_CREATE | O_RDWR), EACCES,
		  "open(/proc/self/new, O_CREATE)");
	/* relative to a /proc directory as the current directory */
	CHECK(chdir("/proc/self") == 0, "chdir(/proc/self) failed");
	CHECK_ERR(mkdir("q"), EPERM, "mkdir(q) in /proc/self");
	CHECK_ERR(mknod("q", 1, 0), EPERM, "mknod(q) in /proc/self");
	CHECK_ERR(open("q", O_CREATE | O_RDWR), EACCES, "open(q, O_CREATE) in /proc/self");
	CHECK(chdir("/proc") == 0, "chdir(/proc) failed");
	CHECK_ERR(mkdir("q"), EPERM, "mkdir(q) in /proc");
	CHECK(!exists("/proc/q") && !exists("/proc/new") && !exists("/proc/meminfo2"),
	      "a new name appeared in /proc");
	/* an existing /proc file still opens with O_CREATE, as on Linux */
	fd = open("/proc/meminfo", O_CREATE | O_RDONLY);
	CHECK(fd >= 0, "open(/proc/meminfo, O_CREATE) failed");
	close(fd);
}

void test_proc_unlink(void)
{
	char buf[64];
	int fd;

	CHECK_ERR(unlink("/proc/meminfo"), EPERM, "unlink(/proc/meminfo)");
	CHECK_ERR(unlink("/proc/self/maps"), EPERM, "unlink(/proc/self/maps)");
	CHECK_ERR(unlink("/proc/self"), EPERM, "unlink(/proc/self)");
	CHECK_ERR(unlink("/proc/sys/vm/min_free_kbytes"), EPERM, "unlink(min_free_kbytes)");
	CHECK_ERR(unlink("/proc/sys/vm"), EPERM, "unlink(/proc/sys/vm)");
	CHECK_ERR(unlink("/proc"), EBUSY, "unlink(/proc)");
	CHECK(chdir("/") == 0, "chdir(/) failed");
	CHECK_ERR(unlink("proc"), EBUSY, "unlink(proc) from /");
	fd = ut_open("/proc/meminfo", O_RDONLY);
	CHECK(read(fd, buf, sizeof(buf)) > 0, "/proc/meminfo reads nothing any more");
	close(fd);
}

/* ---- init cannot be killed ------------------------------------------------ */

void test_kill_init(void)
{
	int fd;

	CHECK_ERR(kill(1), EPERM, "kill(1)");
	/* had it worked, init would be gone (and the kernel with it) by now */
	sleep(5);
	fd = open("/proc/1/maps", O_RDONLY);
	CHECK(fd >= 0, "init (pid 1) is gone");
	close(fd);
	/* from a child too, whose parent is not init */
	int pid = ut_fork();
	if (pid == 0) {
		CHECK_ERR(kill(1), EPERM, "kill(1) from a child");
		exit(0);
	}
	CHECK(ut_wait(pid) == 0, "the child failed");
}

/* ---- long system calls end at a kill ---------------------------------------- */

#define BIG_WRITE (32 << 20) /* as big as the whole disk */

void test_kill_write(void)
{
	struct stat st;
	int fd, pid, t0, t1, st_child;

	fd = ut_open("big", O_CREATE | O_RDWR);
	close(fd);
	pid = ut_fork();
	if (pid == 0) {
		/* never touched: the write reads it as zeros, costing no memory */
		char *buf = sbrk(BIG_WRITE);
		if (buf == (char *)-1)
			exit(2);
		fd = open("big", O_WRONLY);
		write(fd, buf, BIG_WRITE);
		exit(3); /* the write finished (or failed) before the kill */
	}
	/* let it get going: some blocks must be written before the kill */
	for (int i = 0; i < 200; i++) {
		sleep(5);
		CHECK(stat("big", &st) == 0, "stat(big) failed");
		if (st.size >= 64 * 1024)
			break;
	}
	CHECK(st.size > 0, "the child wrote nothing in 10 seconds");
	t0 = uptime();
	CHECK(kill(pid) == 0, "kill(%d) failed", pid);
	st_child = ut_wait(pid);
	t1 = uptime();
	CHECK(st_child == KILLED, "the writer exited with %d instead of being killed", st_child);
	/* a tick is 10 ms: 2 s is far longer than one 2-KiB transaction */
	CHECK(t1 - t0 < 200, "the writer died %d ticks after kill()", t1 - t0);
	CHECK(stat("big", &st) == 0 && st.size < BIG_WRITE / 2,
	      "the file has %llu bytes: the write went on after the kill", st.size);
	CHECK(unlink("big") == 0, "unlink(big) failed");
}

/* ---- copies fault pages in as they go ------------------------------------------- */

#define SMALL_FILE (14 * 1024)

void test_read_lazy_buffer(void)
{
	long before, after;
	char *buf;
	int fd, n;

	ut_make_file("small", SMALL_FILE);
	buf = sbrk(1 << 30);
	CHECK(buf != (char *)-1, "sbrk(1 GiB) failed");
	fd = ut_open("small", O_RDONLY);
	before = ut_memfree();
	n = read(fd, buf, 1 << 30);
	after = ut_memfree();
	close(fd);
	CHECK(n == SMALL_FILE, "read() of a %d-byte file into 1 GiB returned %d", SMALL_FILE, n);
	/* 4 pages of data, a few of page tables and kernel noise */
	CHECK(before - after < 256 * 1024, "the read used %ld KiB", (before - after) / 1024);
	for (int i = 0; i < SMALL_FILE; i++)
		CHECK((uchar)buf[i] == ut_pattern(i), "byte %d read wrong", i);
	/* the same through a pipe and from a device file */
	int fds[2];
	CHECK(pipe(fds) == 0, "pipe() failed");
	CHECK(write(fds[1], "abc", 3) == 3, "write to the pipe failed");
	close(fds[1]);
	CHECK(read(fds[0], buf + (512 << 20), 1 << 29) == 3, "pipe read into 512 MiB failed");
	close(fds[0]);
	fd = ut_open("/proc/meminfo", O_RDONLY);
	CHECK(read(fd, buf + (256 << 20), 1 << 28) > 0, "/proc/meminfo read into 256 MiB failed");
	close(fd);
	after = ut_memfree();
	CHECK(before - after < 512 * 1024, "the reads used %ld KiB", (before - after) / 1024);
	sbrk(-(1 << 30));
}

void test_read_into_new_stack(void)
{
	int fd, n, here;
	/* 1 MiB below this frame: below the stack's first 64 KiB, above its
	 * 8 MiB limit, never touched (a compiler may probe a big local array
	 * page by page, so the buffer is an address, not an array) */
	char *deep = (char *)(((uint64)&here & ~(uint64)(PGSIZE - 1)) - (1 << 20));

	ut_make_file("small", SMALL_FILE);
	fd = ut_open("small", O_RDONLY);
	n = read(fd, deep, SMALL_FILE);
	close(fd);
	CHECK(n == SMALL_FILE, "read() into untouched stack 1 MiB down returned %d", n);
	for (int i = 0; i < SMALL_FILE; i++)
		CHECK((uchar)deep[i] == ut_pattern(i), "byte %d read wrong", i);
}

/* ---- a fault's reason is the real one ------------------------------------------ */

static volatile char *eof_map;

static void touch_beyond_eof(void)
{
	(void)eof_map[PGSIZE];
}

void test_mmap_beyond_eof(void)
{
	int fd;

	ut_make_file("short", 100);
	fd = ut_open("short", O_RDONLY);
	eof_map = mmap(0, 2 * PGSIZE, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	CHECK(eof_map != MAP_FAILED, "mmap of 2 pages of a 100-byte file failed");
	for (int i = 0; i < PGSIZE; i++)
		CHECK((uchar)eof_map[i] == (i < 100 ? ut_pattern(i) : 0),
		      "byte %d of the file's page is wrong", i);
	/* the second page holds no byte of the file: Linux sends SIGBUS; the
	 * kernel log says "bus error: beyond end of file" (crash mmapeof) */
	CHECK(ut_run(touch_beyond_eof) == KILLED, "a load beyond the end of the file survived");
	CHECK(eof_map[0] == (char)ut_pattern(0), "the mapping changed");
}

/* ---- MAP_SHARED | MAP_ANONYMOUS ------------------------------------------------- */

#define SHM_PAGES 128

/* Does /proc/self/maps mention @what? */
static int maps_mention(const char *what)
{
	static char buf[8192];
	int fd = ut_open("/proc/self/maps", O_RDONLY), n;
	uint len = strlen(what);

	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	for (int i = 0; i + (int)len <= n; i++)
		if (memcmp(buf + i, what, len) == 0)
			return 1;
	return 0;
}

void test_shared_anon_fork(void)
{
	long before = ut_memfree();
	volatile char *shm =
	    mmap(0, SHM_PAGES * PGSIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int pid;

	CHECK(shm != MAP_FAILED, "mmap(MAP_SHARED|MAP_ANONYMOUS) failed, errno %d", geterrno());
	CHECK(maps_mention("/dev/zero (deleted)"), "/proc/self/maps does not show the mapping");
	shm[0] = 'a'; /* page 0 touched before fork(); the others not */
	pid = ut_fork();
	if (pid == 0) {
		for (int i = 0; i < SHM_PAGES; i++)
			shm[i * PGSIZE + 1] = (char)('A' + i);
		exit(0);
	}
	CHECK(ut_wait(pid) == 0, "the child failed");
	for (int i = 0; i < SHM_PAGES; i++)
		CHECK(shm[i * PGSIZE + 1] == (char)('A' + i),
		      "page %d: the child's write is not visible to the parent", i);
	/* and the other way, to a child forked earlier that reads later */
	int fds[2];
	char c;
	CHECK(pipe(fds) == 0, "pipe() failed");
	pid = ut_fork();
	if (pid == 0) {
		close(fds[1]);
		read(fds[0], &c, 1); /* wait for the parent's writes */
		for (int i = 0; i < SHM_PAGES; i++)
			if (shm[i * PGSIZE + 2] != (char)('a' + i))
				exit(10 + i);
		exit(0);
	}
	close(fds[0]);
	for (int i = 0; i < SHM_PAGES; i++)
		shm[i * PGSIZE + 2] = (char)('a' + i);
	write(fds[1], "x", 1);
	close(fds[1]);
	int st = ut_wait(pid);
	CHECK(st == 0, "page %d: the parent's write is not visible to the child", st - 10);
	munmap((void *)shm, SHM_PAGES * PGSIZE);
	/* the last mapping is gone: so are its pages (512 KiB) */
	long used = before - ut_memfree();
	CHECK(used < 256 * 1024, "%ld KiB still used after munmap", used / 1024);
}

void test_shared_anon_zero_page(void)
{
	volatile char *shm =
	    mmap(0, PGSIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile char *other;

	CHECK(shm != MAP_FAILED, "mmap(MAP_SHARED|MAP_ANONYMOUS) failed");
	CHECK(shm[100] == 0, "new shared memory does not read as zero");
	shm[100] = 0x5a; /* written after a read: must not land in the zero page */
	other = mmap(0, PGSIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(other != MAP_FAILED, "mmap(MAP_PRIVATE|MAP_ANONYMOUS) failed");
	CHECK(other[100] == 0, "fresh private memory reads 0x%x: the zero page was written",
	      (uchar)other[100]);
	char *heap = sbrk(PGSIZE);
	CHECK(heap[100] == 0, "fresh heap reads 0x%x: the zero page was written", (uchar)heap[100]);
	CHECK(shm[100] == 0x5a, "the shared page lost its write");
	munmap((void *)shm, PGSIZE);
	munmap((void *)other, PGSIZE);
}

/* ---- sbrk after the heap is unmapped ---------------------------------------------- */

static volatile char *sbrk_above;

static void read_above(void)
{
	exit(sbrk_above[0] == 0x77 ? 0 : 5);
}

void test_sbrk_after_munmap(void)
{
	char *top = ut_heap_top(); /* page aligned; the page below is heap */

	/* a mapping a little above the break, which sbrk must leave alone */
	sbrk_above = mmap(top + 4 * PGSIZE, PGSIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(sbrk_above == (char *)top + 4 * PGSIZE, "mmap above the break failed");
	memset((void *)sbrk_above, 0x77, PGSIZE);

	/* the heap's top page unmapped: shrinking over it acts on nothing else */
	CHECK(munmap(top - PGSIZE, PGSIZE) == 0, "munmap of the heap's top page failed");
	CHECK(sbrk(-PGSIZE) == top, "sbrk(-4096) did not return the old break");
	CHECK(ut_run(read_above) == 0, "shrinking the unmapped heap unmapped the mapping above it");
	/* growing again gives a fresh zero page */
	CHECK(sbrk(PGSIZE) == top - PGSIZE, "sbrk(4096) failed after munmap of the heap");
	CHECK(top[-1] == 0, "the regrown heap page is not zero");
	top[-1] = 1;

	/* no heap VMA at all below the break: growing maps fresh memory */
	CHECK(munmap(top - PGSIZE, PGSIZE) == 0, "munmap of the heap's top page failed");
	CHECK(sbrk(PGSIZE) == top, "sbrk(4096) failed with the heap unmapped");
	top[0] = 2;
	CHECK(top[0] == 2 && sbrk_above[0] == 0x77, "memory got mixed up");
	CHECK(ut_run(read_above) == 0, "growing the heap unmapped the mapping above it");
	/* growing into the mapping (or its guard page) is refused */
	CHECK(sbrk(3 * PGSIZE) == (char *)-1, "sbrk grew the heap into a mapping");
	CHECK(sbrk(2 * PGSIZE) == top + PGSIZE, "sbrk(8192) up to the guard page failed");
	CHECK(sbrk(-3 * PGSIZE) == top + 3 * PGSIZE, "sbrk(-12288) failed");
	CHECK(ut_run(read_above) == 0, "shrinking the heap unmapped the mapping above it");
	munmap((void *)sbrk_above, PGSIZE);
}

/* ---- huge, mostly untouched mappings cost what is touched ---------------------------- */

#define HUGE_MAP (64UL << 30)

void test_huge_mapping_cheap(void)
{
	char *p;
	int t0, t1, pid;

	t0 = uptime();
	p = mmap(0, HUGE_MAP, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap of 64 GiB failed, errno %d", geterrno());
	p[0] = 1;
	p[HUGE_MAP - 1] = 2;
	for (int i = 0; i < 4; i++) {
		pid = ut_fork();
		if (pid == 0)
			exit(p[0] == 1 && p[HUGE_MAP - 1] == 2 ? 0 : 1);
		CHECK(ut_wait(pid) == 0, "the child did not see the two pages");
	}
	CHECK(munmap(p, HUGE_MAP) == 0, "munmap failed");
	t1 = uptime();
	/* 16 million pages walked one by one took seconds per fork and munmap */
	/* 7 ticks here; walking all 16 million pages took about 2000 */
	CHECK(t1 - t0 < 300, "4 forks and an munmap of 64 GiB took %d ticks", t1 - t0);
}

/* ---- the fuzzer ---------------------------------------------------------------------- */

void test_sysfuzz(void)
{
	static char out[4096];
	char *argv[] = {"sysfuzz", "-s",	 "1", "-n", ut_quick ? "1000" : "3000",
			"-d",	   "/ut.tmp/fz", 0};
	int pid, st, fd, n;

	pid = ut_fork();
	if (pid == 0) {
		close(1);
		if (open("fz.out", O_CREATE | O_WRONLY | O_TRUNC) != 1)
			exit(98);
		exec("/sysfuzz", argv);
		exit(99);
	}
	st = ut_wait(pid);
	fd = ut_open("fz.out", O_RDONLY);
	n = read(fd, out, sizeof(out) - 1);
	close(fd);
	out[n > 0 ? n : 0] = 0;
	/* its summary, as diagnostics */
	for (char *line = out, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = 0;
		if (strncmp(line, "sysfuzz: seed 1:", 16) == 0 ||
		    strncmp(line, "sysfuzz: MemFree", 16) == 0 ||
		    strncmp(line, "sysfuzz: FAIL", 13) == 0)
			printf("# %s\n", line);
		*nl = '\n';
	}
	CHECK(st != 99, "cannot exec /sysfuzz");
	CHECK(st == 0, "sysfuzz exited with %d", st);
}

/* ---- a failed read of a pipe takes nothing out ----------------------------------------- */

void test_pipe_read_badptr_keeps_bytes(void)
{
	int fds[2];
	char got[8];

	CHECK(pipe(fds) == 0, "pipe() failed");
	CHECK(write(fds[1], "abc", 3) == 3, "write to the pipe failed");
	CHECK(read(fds[0], (char *)0x1000, 3) == -1, "read() into page 1 did not fail");
	CHECK(read(fds[0], ut_heap_top() - 1, 3) == -1,
	      "read() running past the heap did not fail");
	close(fds[1]); /* bytes lost: the next read sees the end of the pipe */
	CHECK(read(fds[0], got, sizeof(got)) == 3 && memcmp(got, "abc", 3) == 0,
	      "the bytes a failed read() met were lost");
	close(fds[0]);
}
