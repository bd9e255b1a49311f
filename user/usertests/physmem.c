/*
 * user/usertests/physmem.c - physical memory as user space sees it through
 * /proc: the buddy allocator's free lists move with a workload and come
 * back, and min_free_kbytes moves the watermarks.
 */
#include "usertests.h"

static char text[8192];

/* Read all of @path with one read(). Return: its length. */
static int slurp(const char *path)
{
	int fd = ut_open(path, O_RDONLY), n;

	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	CHECK(n > 0, "read(%s) returned %d", path, n);
	text[n] = 0;
	return n;
}

/* Free pages in /proc/buddyinfo: sum over zones and orders of count << order. */
static long buddyinfo_pages(void)
{
	long total = 0;
	char *p = text;

	slurp("/proc/buddyinfo");
	while ((p = strchr(p, ',')) != 0) {
		p++;
		while (*p == ' ')
			p++;
		CHECK(strncmp(p, "zone", 4) == 0, "buddyinfo line without 'zone': %s", p);
		p += 4;
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++; /* the zone name */
		for (int order = 0; order <= 10; order++) {
			long v = 0;
			while (*p == ' ')
				p++;
			CHECK(*p >= '0' && *p <= '9', "buddyinfo: no count for order %d", order);
			while (*p >= '0' && *p <= '9')
				v = v * 10 + (*p++ - '0');
			total += v << order;
		}
	}
	return total;
}

#define WORK_PAGES 2048 /* 8 MiB */

void test_buddyinfo_workload(void)
{
	int p2c[2], c2p[2], pid;
	long before, during, after;
	char c;

	before = buddyinfo_pages();
	CHECK(before > WORK_PAGES * 2, "only %ld free pages in /proc/buddyinfo", before);
	CHECK(pipe(p2c) == 0 && pipe(c2p) == 0, "pipe failed");
	pid = ut_fork();
	if (pid == 0) {
		char *m = sbrk(WORK_PAGES * PGSIZE);
		CHECK(m != (char *)-1, "sbrk(8 MiB) failed");
		for (int i = 0; i < WORK_PAGES; i++)
			m[i * PGSIZE] = 1;
		write(c2p[1], "x", 1);
		read(p2c[0], &c, 1); /* hold the memory until the parent has looked */
		exit(0);
	}
	CHECK(read(c2p[0], &c, 1) == 1, "child did not get its memory");
	during = buddyinfo_pages();
	write(p2c[1], "x", 1);
	ut_wait(pid);
	after = buddyinfo_pages();
	/* per-CPU lists hold a few hundred free pages that buddyinfo does not show */
	CHECK(before - during >= WORK_PAGES - 512, "8 MiB workload: buddyinfo went from %ld to %ld",
	      before, during);
	CHECK(after >= before - 512, "after the workload: %ld free pages, %ld before", after,
	      before);
	close(p2c[0]);
	close(p2c[1]);
	close(c2p[0]);
	close(c2p[1]);
}

/* The "min" line of zone Normal in /proc/zoneinfo. */
static long normal_min(void)
{
	char *p;
	long v = 0;

	slurp("/proc/zoneinfo");
	p = strchr(text, 'N');
	while (p && strncmp(p, "Normal\n", 7) != 0)
		p = strchr(p + 1, 'N');
	CHECK(p != 0, "no zone Normal in /proc/zoneinfo");
	while (p && strncmp(p, "min ", 4) != 0)
		p = strchr(p + 1, 'm');
	CHECK(p != 0, "no min line for zone Normal");
	p += 4;
	while (*p == ' ')
		p++;
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (*p++ - '0');
	return v;
}

static int write_str(const char *path, const char *s)
{
	int fd = ut_open(path, O_WRONLY), r;

	r = write(fd, s, strlen(s));
	close(fd);
	return r;
}

void test_min_free_kbytes(void)
{
	const char *path = "/proc/sys/vm/min_free_kbytes";
	char old[32];
	long min1, min2;

	slurp(path);
	CHECK(strlen(text) < sizeof(old), "min_free_kbytes too long");
	strcpy(old, text);
	min1 = normal_min();
	CHECK(write_str(path, "8192\n") == 5, "writing 8192 failed");
	slurp(path);
	CHECK(strcmp(text, "8192\n") == 0, "read back '%s' after writing 8192", text);
	min2 = normal_min();
	CHECK(min2 > min1, "zone Normal's min stayed at %ld after raising min_free_kbytes", min1);
	CHECK(write_str(path, "lots\n") < 0, "min_free_kbytes accepted 'lots'");
	CHECK(write_str(path, "-5\n") < 0, "min_free_kbytes accepted -5");
	CHECK(write_str(path, old) == (int)strlen(old), "restoring %s failed", old);
	CHECK(normal_min() == min1, "the min watermark did not come back to %ld", min1);
}
