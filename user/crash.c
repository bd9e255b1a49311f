/*
 * user/crash.c - misbehave on purpose, to watch the kernel cope.
 *
 * Usage: crash null | wildread | forkbomb | sbrk | mmapeof
 *   null      load from address 0: the kernel kills the process with a
 *             one-line reason (page 0 is never mapped)
 *   mmapeof   map a 100-byte file with two pages and load from the second,
 *             which lies wholly beyond the end of the file: killed with
 *             "bus error: beyond end of file" (Linux sends SIGBUS)
 *   wildread  pass read() a pointer into the kernel; the call fails with -1
 *             and the process carries on
 *   forkbomb  fork until fork() fails, then let every child exit and reap
 *             them; the process table recovers
 *   sbrk      ask for 1 TiB in 1 GiB sbrk() steps; some step fails with
 *             (char *)-1, and what was granted is given back
 */
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "kernel/mman.h"
#include "user/user.h"

static int crash_null(void)
{
	volatile int *p = 0;

	printf("crash: reading address 0 ...\n");
	printf("crash: read %d (the kernel should have killed me)\n", *p);
	return 1;
}

static int crash_wildread(void)
{
	char *wild = (char *)0xffffffc080200000ULL; /* the RISC-V kernel image */
	int fd = open("crash.tmp", O_CREATE | O_RDWR);
	int r;

	if (fd < 0) {
		fprintf(2, "crash: cannot create crash.tmp\n");
		return 1;
	}
	write(fd, "0123456789", 10);
	close(fd);
	fd = open("crash.tmp", O_RDONLY);
	r = read(fd, wild, 10);
	printf("crash: read(fd, %p, 10) returned %d\n", wild, r);
	r = read(fd, (char *)0x3000000000ULL, 10);
	printf("crash: read(fd, %p, 10) returned %d\n", (char *)0x3000000000ULL, r);
	close(fd);
	unlink("crash.tmp");
	printf("crash: still alive\n");
	return 0;
}

static int crash_forkbomb(void)
{
	int n = 0, reaped = 0, pid;

	for (;;) {
		pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			/* Stay alive until the parent has hit the limit. */
			sleep(20);
			exit(0);
		}
		n++;
	}
	printf("crash: fork failed after %d children\n", n);
	while (wait(0) >= 0)
		reaped++;
	printf("crash: reaped %d children\n", reaped);
	pid = fork();
	if (pid == 0)
		exit(0);
	if (pid < 0) {
		printf("crash: fork still fails\n");
		return 1;
	}
	wait(0);
	printf("crash: fork works again\n");
	return 0;
}

static int crash_sbrk(void)
{
	int gib = 0;
	char *p;

	for (; gib < 1024; gib++) {
		p = sbrk(1 << 30);
		if (p == (char *)-1)
			break;
	}
	if (gib < 1024)
		printf("crash: sbrk(1<<30) returned %p after %d GiB\n", p, gib);
	else
		printf("crash: sbrk granted all of 1 TiB\n");
	for (int i = 0; i < gib; i++)
		sbrk(-(1 << 30));
	printf("crash: gave %d GiB back, break at %p\n", gib, sbrk(0));
	return gib == 1024;
}

static int crash_mmapeof(void)
{
	int fd = open("crash.tmp", O_CREATE | O_RDWR | O_TRUNC);
	volatile char *p;

	if (fd < 0 || write(fd, "0123456789", 10) != 10) {
		fprintf(2, "crash: cannot create crash.tmp\n");
		return 1;
	}
	p = mmap(0, 2 * 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	unlink("crash.tmp"); /* the mapping keeps the file */
	if (p == MAP_FAILED) {
		fprintf(2, "crash: mmap failed\n");
		return 1;
	}
	printf("crash: the file's first byte is '%c'; reading its second page ...\n", p[0]);
	printf("crash: read %d (the kernel should have killed me)\n", p[4096]);
	return 1;
}

int main(int argc, char *argv[])
{
	if (argc == 2 && strcmp(argv[1], "null") == 0)
		return crash_null();
	if (argc == 2 && strcmp(argv[1], "wildread") == 0)
		return crash_wildread();
	if (argc == 2 && strcmp(argv[1], "forkbomb") == 0)
		return crash_forkbomb();
	if (argc == 2 && strcmp(argv[1], "sbrk") == 0)
		return crash_sbrk();
	if (argc == 2 && strcmp(argv[1], "mmapeof") == 0)
		return crash_mmapeof();
	fprintf(2, "usage: crash null | wildread | forkbomb | sbrk | mmapeof\n");
	return 1;
}
