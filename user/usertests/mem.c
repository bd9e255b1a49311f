/*
 * user/usertests/mem.c - the user address space: sbrk() growing, shrinking
 * and running out; page protections (NULL, code, data, stack); and fork()'s
 * copy of memory.
 *
 * Whatever is expected to kill a process runs in a grandchild (ut_run); a
 * killed process's wait() status is -1.
 */
#include "usertests.h"

#define MiB (1024 * 1024)
#define GiB (1 << 30)

void test_sbrk_zero(void)
{
	char *top = ut_heap_top();
	int n = 10 * PGSIZE;
	char *a = sbrk(n);

	CHECK(a == top, "sbrk(%d) returned %p, not the old break %p", n, a, top);
	for (int i = 0; i < n; i++)
		CHECK(a[i] == 0, "new sbrk memory is not zero at offset %d", i);
	memset(a, 0xab, n);
	CHECK(sbrk(-n) == a + n, "sbrk(-%d) did not return the old break", n);
	CHECK(sbrk(0) == a, "sbrk(0) after shrinking returned %p, not %p", sbrk(0), a);
	CHECK(sbrk(n) == a, "growing again did not start at %p", a);
	for (int i = 0; i < n; i++)
		CHECK(a[i] == 0, "regrown sbrk memory still holds old data at offset %d", i);
}

static void touch_released_page(void)
{
	char *top = ut_heap_top();
	volatile char *p;

	sbrk(PGSIZE);
	top[0] = 1;
	top[PGSIZE - 1] = 1;
	sbrk(-PGSIZE);
	p = top;
	*p = 2;
	DIAG("wrote to a page that sbrk(-%d) released", PGSIZE);
}

void test_sbrk_shrink(void)
{
	int status = ut_run(touch_released_page);

	CHECK(status == KILLED, "touching released heap: child status %d, expected %d", status,
	      KILLED);
}

void test_sbrk_untouched(void)
{
	char *top = ut_heap_top();
	char *a = sbrk(4 * PGSIZE);
	struct stat *st;
	int fd, r, *fds;

	/* Nothing below is touched by user code before the kernel writes it. */
	CHECK(a == top, "sbrk failed");
	ut_make_file("data", 3 * PGSIZE);
	fd = ut_open("data", O_RDONLY);
	r = read(fd, a + 1000, 2 * PGSIZE); /* spans three fresh pages */
	CHECK(r == 2 * PGSIZE, "read() into untouched sbrk memory returned %d", r);
	for (int i = 0; i < r; i++)
		CHECK((uchar)a[1000 + i] == ut_pattern(i), "read() stored wrong data at %d", i);
	close(fd);

	a = sbrk(PGSIZE);
	fd = ut_open("out", O_CREATE | O_RDWR);
	r = write(fd, a, PGSIZE);
	CHECK(r == PGSIZE, "write() from untouched sbrk memory returned %d", r);
	close(fd);

	fds = (int *)sbrk(PGSIZE);
	CHECK(pipe(fds) == 0, "pipe() into untouched sbrk memory failed");
	close(fds[0]);
	close(fds[1]);

	st = (struct stat *)sbrk(PGSIZE);
	fd = ut_open("out", O_RDONLY);
	CHECK(fstat(fd, st) == 0 && st->size == PGSIZE,
	      "fstat() into untouched sbrk memory failed");
	close(fd);
}

/*
 * Exhaustion: grow the heap 1 MiB at a time, touching every page, until
 * sbrk() fails (a kernel that allocates on sbrk) or the process is killed
 * for lack of memory (one that allocates on first touch). Progress is
 * reported through a pipe, so the test knows how far it got either way.
 */
#define EXHAUST_CAP (1024 * MiB)

static int report_fd;
static uint64 grow_target; /* 0: until failure */

static void grow_until_failure(void)
{
	char *start = sbrk(0);
	uint64 total = 0;
	char *p;

	for (;;) {
		if (grow_target != 0 && total >= grow_target)
			exit(0);
		if (total >= EXHAUST_CAP)
			exit(4);
		p = sbrk(MiB);
		if (p == (char *)-1)
			break;
		for (int off = 0; off < MiB; off += PGSIZE)
			p[off] = 1;
		total += MiB;
		write(report_fd, &total, sizeof(total));
	}
	if (grow_target != 0)
		exit(2);
	/* Give it all back, then check that memory can be had again. */
	for (uint64 left = total; left > 0; left -= MiB) {
		if (sbrk(-MiB) == (char *)-1)
			exit(3);
	}
	if (sbrk(0) != start)
		exit(3);
	p = sbrk(MiB);
	if (p == (char *)-1)
		exit(5);
	for (int off = 0; off < MiB; off += PGSIZE)
		p[off] = 1;
	exit(0);
}

/* Run grow_until_failure with @target. Return: its status; *@reached: bytes it got. */
static int exhaust_round(uint64 target, uint64 *reached)
{
	int p[2], pid, status;
	uint64 v;

	CHECK(pipe(p) == 0, "pipe failed");
	report_fd = p[1];
	grow_target = target;
	pid = ut_fork();
	if (pid == 0) {
		close(p[0]);
		grow_until_failure();
	}
	close(p[1]);
	*reached = 0;
	while (read(p[0], &v, sizeof(v)) == sizeof(v))
		*reached = v;
	close(p[0]);
	status = ut_wait(pid);
	return status;
}

void test_sbrk_exhaust(void)
{
	uint64 first, second;
	int status;

	status = exhaust_round(0, &first);
	CHECK(first > 0, "could not allocate even 1 MiB (status %d)", status);
	if (status == KILLED)
		DIAG("killed after touching %llu MiB: memory is allocated on first touch",
		     first / MiB);
	else if (status == 4)
		DIAG("stopped at the %d MiB cap without running out", EXHAUST_CAP / MiB);
	else
		CHECK(status == 0,
		      "after %llu MiB: status %d (2: sbrk failed, 3: shrinking failed, 5: "
		      "could not grow again)",
		      first / MiB, status);

	/* Was everything given back? A new process must get (nearly) as far. */
	status = exhaust_round(first - first / 8, &second);
	CHECK(status == 0, "second round: status %d after %llu of %llu MiB", status, second / MiB,
	      first / MiB);
}

void test_sbrk_huge(void)
{
	char *start = sbrk(0);
	char *p = 0;
	int gib;

	for (gib = 0; gib < 1024; gib++) {
		p = sbrk(GiB);
		if (p == (char *)-1)
			break;
		CHECK(p == start + (uint64)gib * GiB, "sbrk(1 GiB) returned %p, expected %p", p,
		      start + (uint64)gib * GiB);
	}
	CHECK(gib < 1024, "sbrk() granted 1 TiB");
	CHECK(p == (char *)-1, "the failing sbrk() returned %p, not (char *)-1", p);
	CHECK(sbrk(0) == start + (uint64)gib * GiB, "a failed sbrk() moved the break");
	for (int i = 0; i < gib; i++)
		CHECK(sbrk(-GiB) != (char *)-1, "giving back GiB %d failed", i);
	CHECK(sbrk(0) == start, "the break did not come back to %p", start);
	p = sbrk(PGSIZE);
	CHECK(p == start, "sbrk(PGSIZE) after giving back returned %p", p);
	p[0] = 1;
	p[PGSIZE - 1] = 1;
}

static long sbrk_arg; /* the (negative) increment sbrk_below passes to sbrk() */
static int bss_word = 7;

/*
 * Ask sbrk() to move the break below the heap's start: the kernel must
 * refuse (-1, EINVAL, the break where it was) and the program must still
 * have its code, data and heap.
 */
static void sbrk_below(void)
{
	char *cur = sbrk(0);
	char *r = sbrk((int)sbrk_arg);
	int err = geterrno();

	CHECK(r == (char *)-1, "sbrk(%ld) with the break at %p returned %p, not -1", sbrk_arg, cur,
	      r);
	CHECK(err == 22, "sbrk(%ld) failed with errno %d, not EINVAL (22)", sbrk_arg, err);
	CHECK(sbrk(0) == cur, "a refused sbrk(%ld) moved the break from %p to %p", sbrk_arg, cur,
	      sbrk(0));
	/* the heap's last page, the data and the code are all still there */
	cur[-1] = 1;
	bss_word++;
	CHECK(cur[-1] == 1 && bss_word == 8, "the heap or data changed under a refused sbrk");
	exit(0);
}

void test_sbrk_negative(void)
{
	char *cur = ut_heap_top();
	int status;

	/* Below address 0 */
	sbrk_arg = -((long)(uint64)cur + PGSIZE);
	status = ut_run(sbrk_below);
	CHECK(status == 0, "shrinking below 0: child status %d (want a refusal, status 0)", status);
	/* into bss, data and text (which start at 0x10000) */
	sbrk_arg = -((long)((uint64)cur - 0x10000) - PGSIZE);
	status = ut_run(sbrk_below);
	CHECK(status == 0, "shrinking into the program: child status %d", status);
	sbrk_arg = -0x7fffffffL - 1; /* INT_MIN */
	status = ut_run(sbrk_below);
	CHECK(status == 0, "sbrk(INT_MIN): child status %d", status);
	CHECK(sbrk(0) == cur, "the parent's break moved");
}

static void read_null(void)
{
	volatile int *p = 0;

	DIAG("read %d from NULL", *p);
}

static void write_null(void)
{
	volatile int *p = 0;

	*p = 1;
	DIAG("wrote to NULL");
}

static void read_below_text(void)
{
	volatile int *p = (int *)0xfff0;

	DIAG("read %d from 0xfff0", *p);
}

void test_null_deref(void)
{
	int status;

	status = ut_run(read_null);
	CHECK(status == KILLED, "reading NULL: child status %d, expected %d", status, KILLED);
	status = ut_run(write_null);
	CHECK(status == KILLED, "writing NULL: child status %d, expected %d", status, KILLED);
	status = ut_run(read_below_text);
	CHECK(status == KILLED, "reading 0xfff0: child status %d, expected %d", status, KILLED);
}

static const int constant_data[4] = {1, 2, 3, 4};

static void write_text(void)
{
	volatile uint32 *p = (uint32 *)(uint64)&test_text_write;

	*p = 0;
	DIAG("overwrote the code of test_text_write");
}

static void write_rodata(void)
{
	volatile int *p = (int *)constant_data;

	*p = 5;
	DIAG("overwrote constant data");
}

void test_text_write(void)
{
	int status;

	status = ut_run(write_text);
	CHECK(status == KILLED, "writing code: child status %d, expected %d", status, KILLED);
	status = ut_run(write_rodata);
	CHECK(status == KILLED, "writing read-only data: child status %d, expected %d", status,
	      KILLED);
	CHECK(constant_data[0] == 1, "constant data changed in the parent");
}

/* A return instruction, placed in .data: calling it must fault. */
#if defined(__riscv)
static uint32 data_code[4] = {0x00008067}; /* ret */
#elif defined(__aarch64__)
static uint32 data_code[4] = {0xd65f03c0}; /* ret */
#elif defined(__x86_64__)
static uint32 data_code[4] = {0xc3}; /* ret, for host builds of the suite */
#else
#error "execdata: write a return instruction for this architecture"
#endif

static void jump_to_data(void)
{
	void (*fn)(void) = (void (*)(void))(uint64)data_code;

	fn();
	DIAG("executed an instruction in the data segment");
}

void test_exec_data(void)
{
	int status = ut_run(jump_to_data);

	CHECK(status == KILLED, "jumping into data: child status %d, expected %d", status, KILLED);
}

/* Recurse with a 1 KiB frame; the depth limit only keeps the compiler happy. */
static int recurse(int depth)
{
	volatile char frame[1024];

	frame[depth % sizeof(frame)] = (char)depth;
	if (depth > (1 << 22))
		return 0;
	return recurse(depth + 1) + frame[(depth * 7) % sizeof(frame)];
}

static void overflow_stack(void)
{
	DIAG("recursion returned %d", recurse(0));
}

void test_stack_overflow(void)
{
	int status = ut_run(overflow_stack);

	CHECK(status == KILLED, "stack overflow: child status %d, expected %d", status, KILLED);
}

static char cow_data[8192];

void test_cow(void)
{
	int n = 16 * PGSIZE;
	char *heap = sbrk(n);
	int p[2], pid, status;
	char c;

	CHECK(heap != (char *)-1, "sbrk failed");
	memset(heap, 'p', n);
	memset(cow_data, 'p', sizeof(cow_data));
	pid = ut_fork();
	if (pid == 0) {
		for (int i = 0; i < n; i++)
			if (heap[i] != 'p')
				exit(2);
		memset(heap, 'c', n);
		memset(cow_data, 'c', sizeof(cow_data));
		exit(0);
	}
	status = ut_wait(pid);
	CHECK(status == 0, "the child saw wrong data (status %d)", status);
	for (int i = 0; i < n; i++)
		CHECK(heap[i] == 'p', "the child's write showed up in the parent's heap at %d", i);
	for (int i = 0; i < (int)sizeof(cow_data); i++)
		CHECK(cow_data[i] == 'p', "the child's write showed up in the parent's data at %d",
		      i);

	/* Now the parent writes while the child still holds the old copy. */
	CHECK(pipe(p) == 0, "pipe failed");
	pid = ut_fork();
	if (pid == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			exit(3);
		for (int i = 0; i < n; i++)
			if (heap[i] != 'p')
				exit(2);
		exit(0);
	}
	close(p[0]);
	memset(heap, 'q', n);
	write(p[1], "go", 1);
	close(p[1]);
	status = ut_wait(pid);
	CHECK(status == 0, "the parent's write showed up in the child (status %d)", status);
}
