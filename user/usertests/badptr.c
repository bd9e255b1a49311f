/*
 * user/usertests/badptr.c - system calls handed pointers, descriptors and
 * lengths they must refuse.
 *
 * Every pointer argument is tried with each address in bad_addrs[]: NULL
 * and near it, unmapped user memory, the ends of the user half on both
 * architectures, physical RAM's address, both kernels' images and the last
 * byte of the address space. Calls that write to user memory are also
 * tried with the program's own (read-only) code and constant data, and
 * every call with a range that starts in valid heap and runs past the
 * break. Each such call must return -1, and the process must live on.
 */
#include "usertests.h"

struct bad_addr {
	uint64 addr;
	const char *what;
};

static const struct bad_addr bad_addrs[] = {
    {0x0, "NULL"},
    {0x8, "near NULL"},
    {0xf000, "the unmapped page below the text"},
    {0x80000000, "physical RAM's address"},
    {0x3000000000, "unmapped user memory"},
    {0x4000000000, "the end of user space on riscv"},
    {0x8000000000, "the end of user space on arm64"},
    {0xffffffc080200000, "the riscv kernel image"},
    {0xffffff8040200000, "the arm64 kernel image"},
    {0xffffffffffffffff, "the last byte of the address space"},
};

#define NBAD ((int)(sizeof(bad_addrs) / sizeof(bad_addrs[0])))

static const char some_constant[64] = "this string lives in the read-only data segment";

/* Addresses a process may read but not write: its code and its constants. */
static uint64 readonly_addr(int i)
{
	return i == 0 ? (uint64)&test_read_badptr : (uint64)some_constant;
}

#define NREADONLY 2

/* A data file of @n bytes, open for reading. */
static int data_file(int n)
{
	ut_make_file("data", n);
	return ut_open("data", O_RDONLY);
}

/* @n bytes of heap ending in the middle of a string with no NUL. */
static char *unterminated_at_heap_end(int n)
{
	char *top = ut_heap_top();

	memset(top - n, 'a', n);
	return top - n;
}

void test_read_badptr(void)
{
	int fd = data_file(8192);
	char buf[16];
	char *p;
	int r;

	for (int i = 0; i < NBAD; i++) {
		r = read(fd, (void *)bad_addrs[i].addr, 512);
		CHECK(r == -1, "read(fd, %s 0x%llx, 512) returned %d", bad_addrs[i].what,
		      bad_addrs[i].addr, r);
	}
	for (int i = 0; i < NREADONLY; i++) {
		r = read(fd, (void *)readonly_addr(i), 512);
		CHECK(r == -1, "read() into read-only memory at 0x%llx returned %d",
		      readonly_addr(i), r);
	}
	p = ut_heap_top() - 100;
	r = read(fd, p, 4096);
	CHECK(r == -1, "read() into a buffer running past the heap end returned %d", r);

	close(fd);
	fd = ut_open("data", O_RDONLY);
	CHECK(read(fd, buf, sizeof(buf)) == sizeof(buf), "a good read() failed afterwards");
	CHECK(buf[5] == (char)ut_pattern(5), "a good read() returned the wrong data");
	close(fd);
}

void test_write_badptr(void)
{
	int fd = ut_open("out", O_CREATE | O_RDWR);
	char *p;
	int r;

	for (int i = 0; i < NBAD; i++) {
		r = write(fd, (void *)bad_addrs[i].addr, 512);
		CHECK(r == -1, "write(fd, %s 0x%llx, 512) returned %d", bad_addrs[i].what,
		      bad_addrs[i].addr, r);
	}
	p = ut_heap_top() - 100;
	r = write(fd, p, 4096);
	CHECK(r == -1, "write() from a buffer running past the heap end returned %d", r);
	CHECK(write(fd, "ok", 2) == 2, "a good write() failed afterwards");
	close(fd);
}

void test_pipe_badptr(void)
{
	int first, fds[2], r;
	int *p;

	/* Which descriptor would the next pipe() get? It must not change. */
	first = dup(0);
	close(first);
	for (int i = 0; i < NBAD; i++) {
		r = pipe((int *)bad_addrs[i].addr);
		CHECK(r == -1, "pipe(%s 0x%llx) returned %d", bad_addrs[i].what, bad_addrs[i].addr,
		      r);
	}
	for (int i = 0; i < NREADONLY; i++) {
		r = pipe((int *)readonly_addr(i));
		CHECK(r == -1, "pipe() into read-only memory at 0x%llx returned %d",
		      readonly_addr(i), r);
	}
	/* The first int fits below the break, the second does not. */
	p = (int *)(ut_heap_top() - sizeof(int));
	r = pipe(p);
	CHECK(r == -1, "pipe() into an array running past the heap end returned %d", r);

	r = dup(0);
	CHECK(r == first, "failed pipe() calls leaked descriptors: dup() gave %d, not %d", r,
	      first);
	close(r);
	CHECK(pipe(fds) == 0, "a good pipe() failed afterwards");
	CHECK(write(fds[1], "x", 1) == 1 && read(fds[0], &r, 1) == 1, "the pipe does not work");
}

void test_fstat_badptr(void)
{
	int fd = data_file(100);
	struct stat st;
	int r;

	for (int i = 0; i < NBAD; i++) {
		r = fstat(fd, (struct stat *)bad_addrs[i].addr);
		CHECK(r == -1, "fstat(fd, %s 0x%llx) returned %d", bad_addrs[i].what,
		      bad_addrs[i].addr, r);
	}
	for (int i = 0; i < NREADONLY; i++) {
		r = fstat(fd, (struct stat *)readonly_addr(i));
		CHECK(r == -1, "fstat() into read-only memory at 0x%llx returned %d",
		      readonly_addr(i), r);
	}
	r = fstat(fd, (struct stat *)(ut_heap_top() - 8));
	CHECK(r == -1, "fstat() into a struct running past the heap end returned %d", r);
	CHECK(fstat(fd, &st) == 0 && st.size == 100, "a good fstat() failed afterwards");
	close(fd);
}

/*
 * Try exec(@path, @argv) in a child. exec() must fail; if it succeeded, the
 * child would be running some other program, which cannot exit with 90.
 */
static void expect_exec_fails(const char *path, char **argv, const char *what, uint64 addr)
{
	int pid = ut_fork();
	int status;

	if (pid == 0) {
		int r = exec(path, argv);
		exit(r == -1 ? 90 : 91);
	}
	status = ut_wait(pid);
	CHECK(status == 90, "exec with %s 0x%llx: child status %d (exec did not return -1)", what,
	      addr, status);
}

void test_exec_badptr(void)
{
	char *good_argv[] = {ut_self, "--check-args", 0};
	char *argv[4];
	char **arr;
	char *s;

	for (int i = 0; i < NBAD; i++)
		expect_exec_fails((char *)bad_addrs[i].addr, good_argv, "path at",
				  bad_addrs[i].addr);
	s = unterminated_at_heap_end(64);
	expect_exec_fails(s, good_argv, "a path running past the heap end at", (uint64)s);

	for (int i = 0; i < NBAD; i++)
		expect_exec_fails(ut_self, (char **)bad_addrs[i].addr, "argv array at",
				  bad_addrs[i].addr);
	/* argv[0] is below the break, argv[1] is not. */
	arr = (char **)(ut_heap_top() - sizeof(char *));
	arr[0] = ut_self;
	expect_exec_fails(ut_self, arr, "an argv array running past the heap end at", (uint64)arr);

	/* Should such an exec succeed, --check-args makes the new image harmless. */
	argv[0] = ut_self;
	argv[1] = "--check-args";
	argv[3] = 0;
	for (int i = 0; i < NBAD; i++) {
		argv[2] = (char *)bad_addrs[i].addr;
		if (argv[2] == 0)
			continue; /* that is just a shorter argv */
		expect_exec_fails(ut_self, argv, "argv[2] at", bad_addrs[i].addr);
	}
	argv[2] = unterminated_at_heap_end(64);
	expect_exec_fails(ut_self, argv, "argv[2] running past the heap end at", (uint64)argv[2]);
}

/*
 * Call @op with each bad path and an unterminated one; each must return -1.
 * @op returns what the system call returned.
 */
static void each_bad_path(int (*op)(const char *path), const char *name)
{
	const char *s;
	int r;

	for (int i = 0; i < NBAD; i++) {
		r = op((const char *)bad_addrs[i].addr);
		CHECK(r == -1, "%s(%s 0x%llx) returned %d", name, bad_addrs[i].what,
		      bad_addrs[i].addr, r);
	}
	s = unterminated_at_heap_end(64);
	r = op(s);
	CHECK(r == -1, "%s(path running past the heap end) returned %d", name, r);
	s = unterminated_at_heap_end(1);
	r = op(s);
	CHECK(r == -1, "%s(path with its last byte at the heap end) returned %d", name, r);
}

static int op_open_read(const char *path)
{
	return open(path, O_RDONLY);
}

static int op_open_create(const char *path)
{
	return open(path, O_CREATE | O_RDWR);
}

void test_open_badptr(void)
{
	each_bad_path(op_open_read, "open");
	each_bad_path(op_open_create, "open(O_CREATE)");
	close(ut_open("fine", O_CREATE | O_RDWR));
}

static int op_mknod(const char *path)
{
	return mknod(path, 1, 0);
}

void test_mknod_badptr(void)
{
	each_bad_path(op_mknod, "mknod");
}

void test_unlink_badptr(void)
{
	each_bad_path(unlink, "unlink");
}

static int op_link_old(const char *path)
{
	return link(path, "newname");
}

static int op_link_new(const char *path)
{
	return link("existing", path);
}

void test_link_badptr(void)
{
	struct stat st;

	ut_make_file("existing", 10);
	each_bad_path(op_link_old, "link(old)");
	CHECK(stat("newname", &st) < 0, "a failed link() created newname");
	each_bad_path(op_link_new, "link(new)");
	CHECK(stat("existing", &st) == 0 && st.nlink == 1,
	      "existing has %d links after failed link() calls", st.nlink);
}

void test_mkdir_badptr(void)
{
	each_bad_path(mkdir, "mkdir");
}

void test_chdir_badptr(void)
{
	struct stat st;

	ut_make_file("marker", 1);
	each_bad_path(chdir, "chdir");
	CHECK(stat("marker", &st) == 0, "the current directory changed after failed chdir()");
}

/* Fork a child that exits at once, and wait for it with @status as the pointer. */
static void wait_with(int *status, const char *what, uint64 addr)
{
	int pid = ut_fork();
	int r;

	if (pid == 0)
		exit(0);
	r = wait(status);
	CHECK(r == -1, "wait(%s 0x%llx) returned %d", what, addr, r);
	/* The child may or may not have been reaped: either is fine. */
	r = wait(0);
	CHECK(r == pid || r == -1, "wait(0) returned %d, not the child %d", r, pid);
}

void test_wait_badptr(void)
{
	for (int i = 0; i < NBAD; i++) {
		if (bad_addrs[i].addr == 0)
			continue; /* wait(0) is allowed: "don't tell me the status" */
		wait_with((int *)bad_addrs[i].addr, bad_addrs[i].what, bad_addrs[i].addr);
	}
	for (int i = 0; i < NREADONLY; i++)
		wait_with((int *)readonly_addr(i), "read-only memory at", readonly_addr(i));
	wait_with((int *)(ut_heap_top() - 2), "an int running past the heap end at", 0);
	CHECK(wait(0) == -1, "a child was left over");
}

void test_badfd(void)
{
	int fds[] = {-1, NOFILE, NOFILE + 1, 1000, 0x7fffffff, (int)0x80000000, 0};
	int nfds = sizeof(fds) / sizeof(fds[0]);
	struct stat st;
	char buf[16];
	int fd, r;

	/* The last entry: a descriptor that was open and has been closed. */
	fd = ut_open(".", O_RDONLY);
	close(fd);
	fds[nfds - 1] = fd;
	for (int i = 0; i < nfds; i++) {
		fd = fds[i];
		r = read(fd, buf, sizeof(buf));
		CHECK(r == -1, "read(%d, ...) returned %d", fd, r);
		r = write(fd, "x", 1);
		CHECK(r == -1, "write(%d, ...) returned %d", fd, r);
		r = fstat(fd, &st);
		CHECK(r == -1, "fstat(%d, ...) returned %d", fd, r);
		r = dup(fd);
		CHECK(r == -1, "dup(%d) returned %d", fd, r);
		r = close(fd);
		CHECK(r == -1, "close(%d) returned %d", fd, r);
	}

	ut_make_file("f", 10);
	fd = ut_open("f", O_RDONLY);
	r = write(fd, "x", 1);
	CHECK(r == -1, "write() to a read-only descriptor returned %d", r);
	close(fd);
	fd = ut_open("f", O_WRONLY);
	r = read(fd, buf, 1);
	CHECK(r == -1, "read() from a write-only descriptor returned %d", r);
	CHECK(close(fd) == 0, "close() of an open descriptor failed");
	r = close(fd);
	CHECK(r == -1, "a second close() of descriptor %d returned %d", fd, r);
}

void test_badlen(void)
{
	int lens[] = {-1, -4096, (int)0x80000000};
	int nlens = sizeof(lens) / sizeof(lens[0]);
	char *buf = sbrk(PGSIZE);
	struct stat st;
	int fd, wfd, p[2], r;

	CHECK(buf != (char *)-1, "sbrk failed");
	fd = data_file(100);
	wfd = ut_open("out", O_CREATE | O_RDWR);
	CHECK(pipe(p) == 0, "pipe failed");
	CHECK(write(p[1], "abc", 3) == 3, "write to pipe failed");
	for (int i = 0; i < nlens; i++) {
		r = read(fd, buf, lens[i]);
		CHECK(r == -1, "read(file, buf, %d) returned %d", lens[i], r);
		r = write(wfd, buf, lens[i]);
		CHECK(r == -1, "write(file, buf, %d) returned %d", lens[i], r);
		r = read(p[0], buf, lens[i]);
		CHECK(r == -1, "read(pipe, buf, %d) returned %d", lens[i], r);
		r = write(p[1], buf, lens[i]);
		CHECK(r == -1, "write(pipe, buf, %d) returned %d", lens[i], r);
	}
	CHECK(fstat(wfd, &st) == 0 && st.size == 0, "failed writes changed the file size to %llu",
	      st.size);

	CHECK(read(fd, buf, 0) == 0, "read(fd, buf, 0) did not return 0");
	CHECK(write(wfd, buf, 0) == 0, "write(fd, buf, 0) did not return 0");

	/*
	 * A huge length with a small buffer: the file has only 100 bytes, so
	 * either the kernel refuses the range (-1) or it copies those 100 and
	 * nothing more.
	 */
	memset(buf, 0x55, PGSIZE);
	r = read(fd, buf, 0x7fffffff);
	CHECK(r == -1 || r == 100, "read(fd, buf, 0x7fffffff) of a 100-byte file returned %d", r);
	if (r == 100) {
		CHECK(buf[99] == (char)ut_pattern(99) && buf[100] == 0x55,
		      "read(fd, buf, 0x7fffffff) copied the wrong bytes");
	}
	/* Writing 2 GiB from a 4 KiB heap must not claim to have succeeded. */
	r = write(wfd, buf, 0x7fffffff);
	CHECK(r < 0x7fffffff, "write(fd, buf, 0x7fffffff) returned %d", r);
	close(fd);
	close(wfd);
	close(p[0]);
	close(p[1]);
}
