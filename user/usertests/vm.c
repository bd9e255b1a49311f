/*
 * user/usertests/vm.c - address spaces: lazy allocation, the zero page,
 * copy-on-write fork, mmap of anonymous memory and of files, munmap,
 * mprotect and their errors, and the growing stack.
 *
 * Memory use is read from /proc/meminfo (MemFree). Other CPUs are idle
 * while a test runs, so MemFree moves only with what the test does, give
 * or take a few pages of page tables and kernel bookkeeping (SLACK).
 */
#include "usertests.h"
#include "kernel/mman.h"

#define SLACK (256 * 1024L) /* bytes of noise allowed in MemFree comparisons */

void test_lazy_sbrk(void)
{
	long before = ut_memfree();
	char *p = sbrk(1 << 30);
	CHECK(p != (char *)-1, "sbrk(1 GiB) failed: memory should only be reserved");
	long after_sbrk = ut_memfree();
	CHECK(before - after_sbrk < SLACK, "sbrk(1 GiB) used %ld KiB before any touch",
	      (before - after_sbrk) / 1024);
	p[0] = 1;
	p[(1 << 30) - 1] = 2; /* the last page */
	long after = ut_memfree();
	CHECK(before - after < SLACK, "touching 2 pages of 1 GiB used %ld KiB",
	      (before - after) / 1024);
	CHECK(p[0] == 1 && p[(1 << 30) - 1] == 2, "heap lost what was written");
	sbrk(-(1 << 30));
}

void test_zero_page(void)
{
	int len = 16 << 20;
	char *p = sbrk(len);
	CHECK(p != (char *)-1, "sbrk(16 MiB) failed");
	long before = ut_memfree();
	long sum = 0;
	for (int i = 0; i < len; i += PGSIZE)
		sum += p[i] + p[i + PGSIZE - 1];
	CHECK(sum == 0, "never-written memory did not read as zero");
	long used = before - ut_memfree();
	CHECK(used < SLACK + (long)(len / 512), /* page tables only */
	      "reading 16 MiB of never-written memory used %ld KiB", used / 1024);
	sbrk(-len);
}

static char *ro_page;

static void write_ro_page(void)
{
	ro_page[10] = 1;
}

void test_write_readonly_mapping(void)
{
	ro_page = mmap(0, PGSIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(ro_page != MAP_FAILED, "mmap(PROT_READ) failed, errno %d", geterrno());
	CHECK(ro_page[10] == 0, "a fresh mapping is not zero");
	CHECK(ut_run(write_ro_page) == KILLED, "writing a PROT_READ mapping did not kill");
	CHECK(ro_page[10] == 0, "the parent's mapping changed");
}

void test_cow_copies_only_written_pages(void)
{
	int len = 8 << 20;
	char *p = sbrk(len);
	CHECK(p != (char *)-1, "sbrk(8 MiB) failed");
	for (int i = 0; i < len; i += PGSIZE)
		p[i] = (char)(i / PGSIZE);
	int fds[2];
	CHECK(pipe(fds) == 0, "pipe failed");
	long before = ut_memfree();
	int pid = ut_fork();
	if (pid == 0) {
		long after_fork = ut_memfree();
		for (int i = 0; i < 10; i++)
			p[i * PGSIZE] = 100;
		long after_writes = ut_memfree();
		long r[2] = {before - after_fork, after_fork - after_writes};
		write(fds[1], r, sizeof(r));
		exit(0);
	}
	long r[2];
	CHECK(read(fds[0], r, sizeof(r)) == sizeof(r), "child reported nothing");
	CHECK(ut_wait(pid) == 0, "child failed");
	CHECK(r[0] < (long)(len / 8) + SLACK,
	      "fork of an 8 MiB heap used %ld KiB (should share it)", r[0] / 1024);
	CHECK(r[1] >= 10 * PGSIZE - SLACK && r[1] < 10 * PGSIZE + SLACK,
	      "writing 10 pages after fork used %ld KiB, expected ~40", r[1] / 1024);
	for (int i = 0; i < 10; i++)
		CHECK(p[i * PGSIZE] == (char)i, "the child's write reached the parent");
	sbrk(-len);
}

void test_mmap_shared_file(void)
{
	ut_make_file("shared", 2 * PGSIZE);
	int fd = ut_open("shared", O_RDWR);
	char *m = mmap(0, 2 * PGSIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED, "mmap(MAP_SHARED) of a file failed, errno %d", geterrno());
	CHECK(m[5] == (char)ut_pattern(5), "the mapping does not show the file");
	int pid = ut_fork();
	if (pid == 0) {
		strcpy(m + PGSIZE + 7, "written by the child");
		exit(0);
	}
	CHECK(ut_wait(pid) == 0, "child failed");
	CHECK(strcmp(m + PGSIZE + 7, "written by the child") == 0,
	      "the parent does not see the child's write to a shared mapping");
	CHECK(munmap(m, 2 * PGSIZE) == 0, "munmap failed");
	char buf[32];
	int rfd = ut_open("shared", O_RDONLY);
	struct stat st;
	CHECK(fstat(rfd, &st) == 0 && st.size == 2 * PGSIZE, "the file's size changed");
	char junk[PGSIZE + 7];
	CHECK(read(rfd, junk, sizeof(junk)) == sizeof(junk), "read failed");
	CHECK(read(rfd, buf, 21) == 21, "read failed");
	CHECK(strcmp(buf, "written by the child") == 0, "munmap did not write the page back");
	close(rfd);
	close(fd);
}

void test_mmap_private_file(void)
{
	ut_make_file("private", PGSIZE);
	int fd = ut_open("private", O_RDONLY);
	char *m = mmap(0, PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(m != MAP_FAILED, "mmap(MAP_PRIVATE) of a read-only file failed, errno %d",
	      geterrno());
	CHECK(m[100] == (char)ut_pattern(100), "the mapping does not show the file");
	m[100] = ~m[100];
	CHECK(munmap(m, PGSIZE) == 0, "munmap failed");
	char c;
	int rfd = ut_open("private", O_RDONLY);
	char skip[100];
	read(rfd, skip, 100);
	CHECK(read(rfd, &c, 1) == 1 && c == (char)ut_pattern(100),
	      "a MAP_PRIVATE write reached the file");
	close(rfd);
	close(fd);
}

static char *middle;

static void touch_middle(void)
{
	middle[PGSIZE] = 1;
}

void test_munmap_middle(void)
{
	middle = mmap(0, 3 * PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(middle != MAP_FAILED, "mmap failed");
	for (int i = 0; i < 3; i++)
		middle[i * PGSIZE] = 'a' + i;
	CHECK(munmap(middle + PGSIZE, PGSIZE) == 0, "munmap of the middle page failed");
	CHECK(middle[0] == 'a' && middle[2 * PGSIZE] == 'c', "the ends lost their contents");
	CHECK(ut_run(touch_middle) == KILLED, "the unmapped middle page is still there");
	CHECK(munmap(middle, 3 * PGSIZE) == 0, "munmap over a hole failed");
}

static char *prot_page;

static void write_prot_page(void)
{
	prot_page[0] = 9;
}

void test_mprotect(void)
{
	prot_page = mmap(0, PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(prot_page != MAP_FAILED, "mmap failed");
	prot_page[0] = 5;
	CHECK(mprotect(prot_page, PGSIZE, PROT_READ) == 0, "mprotect(PROT_READ) failed");
	CHECK(ut_run(write_prot_page) == KILLED, "a write after mprotect(PROT_READ) did not kill");
	CHECK(mprotect(prot_page, PGSIZE, PROT_READ | PROT_WRITE) == 0, "mprotect(RW) failed");
	prot_page[0] = 6;
	CHECK(prot_page[0] == 6, "write after mprotect(RW) lost");
	CHECK(mprotect(prot_page + 1, PGSIZE, PROT_READ) == -1 && geterrno() == 22,
	      "an unaligned mprotect was not EINVAL");
	CHECK(munmap(prot_page, PGSIZE) == 0, "munmap failed");
	CHECK(mprotect(prot_page, PGSIZE, PROT_READ) == -1 && geterrno() == 12,
	      "mprotect of an unmapped page was not ENOMEM");
}

void test_mmap_errors(void)
{
	int fds[2];
	CHECK(pipe(fds) == 0, "pipe failed");
	CHECK(mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
		  geterrno() == 22,
	      "mmap of length 0 was not EINVAL");
	CHECK(mmap(0, PGSIZE, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED && geterrno() == 22,
	      "mmap without MAP_PRIVATE or MAP_SHARED was not EINVAL");
	CHECK(mmap(0, PGSIZE, PROT_READ, MAP_PRIVATE, -1, 0) == MAP_FAILED && geterrno() == 9,
	      "mmap of fd -1 was not EBADF");
	CHECK(mmap(0, PGSIZE, PROT_READ, MAP_SHARED, fds[0], 0) == MAP_FAILED && geterrno() == 13,
	      "mmap of a pipe was not EACCES");
	ut_make_file("ro", PGSIZE);
	int fd = ut_open("ro", O_RDONLY);
	CHECK(mmap(0, PGSIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED &&
		  geterrno() == 13,
	      "a writable shared mapping of a read-only file was not EACCES");
	CHECK(mmap(0, PGSIZE, PROT_READ, MAP_PRIVATE, fd, 1) == MAP_FAILED && geterrno() == 22,
	      "an unaligned offset was not EINVAL");
	CHECK(mmap((void *)0x1000, PGSIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		   0) == MAP_FAILED,
	      "MAP_FIXED at page 1 (the NULL guard) was allowed");
	CHECK(munmap((void *)0x12345, PGSIZE) == -1 && geterrno() == 22,
	      "an unaligned munmap was not EINVAL");
	close(fd);
	close(fds[0]);
	close(fds[1]);
}

static uint64 deepest_frame; /* lowest address a depth_sum frame reached */

/*
 * Recurse @depth levels, each with a 1 KiB frame filled with its depth;
 * on the way back every frame must still hold its bytes.
 * Return: the sum of the depths (mod 256 each), or -1 if a frame changed.
 */
static int depth_sum(int depth)
{
	volatile uchar frame[1024];
	int below;

	for (int i = 0; i < (int)sizeof(frame); i++)
		frame[i] = (uchar)depth;
	if ((uint64)frame < deepest_frame)
		deepest_frame = (uint64)frame;
	below = depth == 0 ? 0 : depth_sum(depth - 1);
	for (int i = 0; i < (int)sizeof(frame); i++)
		if (frame[i] != (uchar)depth)
			return -1;
	return below < 0 ? -1 : below + frame[0];
}

void test_stack_grows(void)
{
	int depth = 1000, want = 0;
	uint64 top = (uint64)&depth;

	for (int d = 0; d <= depth; d++)
		want += (uchar)d;
	/* 1 MiB of stack: far beyond the initial pages; the stack VMA grows */
	deepest_frame = top;
	int r = depth_sum(depth);
	CHECK(r == want, "1000 frames of 1 KiB summed to %d, not %d (a frame lost its bytes?)", r,
	      want);
	CHECK(top - deepest_frame >= (uint64)depth * 1024,
	      "the deepest frame is only %llu bytes below the first", top - deepest_frame);
}

void test_fork_big_heaps(void)
{
	enum { KIDS = 20 };
	int len = 4 << 20;
	char *p = sbrk(len);
	CHECK(p != (char *)-1, "sbrk failed");
	for (int i = 0; i < len; i += PGSIZE)
		p[i] = 1;
	int pids[KIDS], status[KIDS], fds[2];
	CHECK(pipe(fds) == 0, "pipe failed");
	long before = ut_memfree();
	for (int i = 0; i < KIDS; i++) {
		pids[i] = fork();
		CHECK(pids[i] >= 0, "fork %d failed: copy-on-write should share the heap", i);
		if (pids[i] == 0) {
			char c;
			read(fds[0], &c, 1); /* wait until all exist */
			exit(p[len - PGSIZE] == 1 ? 0 : 1);
		}
	}
	long used = before - ut_memfree();
	for (int i = 0; i < KIDS; i++)
		write(fds[1], "x", 1);
	ut_wait_all(pids, KIDS, status);
	for (int i = 0; i < KIDS; i++)
		CHECK(status[i] == 0, "child %d saw a wrong heap", i);
	CHECK(used < KIDS * (long)(len / 4), "%d forks of a 4 MiB heap used %ld KiB", KIDS,
	      used / 1024);
	sbrk(-len);
}
