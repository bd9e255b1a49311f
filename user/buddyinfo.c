/*
 * user/buddyinfo.c - the buddy allocator's free lists, readable: for each
 * zone and order, the free blocks, their size, and how much of the free
 * memory could serve an allocation of at least that order.
 *
 * Usage: buddyinfo        (reads /proc/buddyinfo)
 *
 *   zone Normal: 112345 KiB free
 *   order  block   blocks  free KiB  >= order
 *       0     4K       12        48    100.0%
 *       ...
 *      10     4M       25    102400     91.1%
 *
 * The last column is the share of free memory in blocks of this order or
 * larger: when it is small for order 9 or 10, memory is fragmented, and a
 * 2 MiB allocation can fail although plenty is free.
 */
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define NORDERS 11

static char text[4096];

static const char *skip_blanks(const char *p)
{
	while (*p == ' ')
		p++;
	return p;
}

static void show_zone(const char *name, const long *nr)
{
	long free_kb = 0, above = 0;

	for (int o = 0; o < NORDERS; o++)
		free_kb += nr[o] * (4L << o);
	printf("zone %s: %ld KiB free\n", name, free_kb);
	printf("order  block   blocks  free KiB  >= order\n");
	above = free_kb;
	for (int o = 0; o < NORDERS; o++) {
		long kb = nr[o] * (4L << o);
		long permille = free_kb ? above * 1000 / free_kb : 0;
		long bsize = 4L << o;

		printf("%5d %5ld%c %8ld %9ld %7ld.%ld%%\n", o, bsize >= 1024 ? bsize / 1024 : bsize,
		       bsize >= 1024 ? 'M' : 'K', nr[o], kb, permille / 10, permille % 10);
		above -= kb;
	}
}

int main(int argc, char *argv[])
{
	int fd = open("/proc/buddyinfo", O_RDONLY), n;
	const char *p;

	if (fd < 0) {
		fprintf(2, "buddyinfo: cannot open /proc/buddyinfo\n");
		exit(1);
	}
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0) {
		fprintf(2, "buddyinfo: cannot read /proc/buddyinfo\n");
		exit(1);
	}
	text[n] = 0;
	/* lines: "Node 0, zone   Normal      1      2 ..." */
	for (p = text; *p;) {
		char name[16];
		long nr[NORDERS];
		int k = 0;

		p = strchr(p, ',');
		if (!p)
			break;
		p = skip_blanks(p + 1);
		if (strncmp(p, "zone", 4) != 0)
			break;
		p = skip_blanks(p + 4);
		while (*p && *p != ' ' && k < (int)sizeof(name) - 1)
			name[k++] = *p++;
		name[k] = 0;
		for (int o = 0; o < NORDERS; o++) {
			p = skip_blanks(p);
			nr[o] = 0;
			while (*p >= '0' && *p <= '9')
				nr[o] = nr[o] * 10 + (*p++ - '0');
		}
		show_zone(name, nr);
		while (*p && *p != '\n')
			p++;
		if (*p)
			p++;
		if (*p)
			printf("\n");
	}
	exit(0);
}
