/*
 * user/slabtop.c - the kernel's slab caches, biggest first (Linux's slabtop,
 * from /proc/slabinfo).
 *
 * Usage: slabtop [-o] [-d SECONDS] [-n COUNT] [-s c|a|o|s|n]
 *   -o     once: one report, then exit (Linux's --once)
 *   -d N   refresh every N seconds (default 3) until -n reports were shown
 *          or the program is killed; the screen is cleared each time
 *   -n N   stop after N reports
 *   -s X   sort by: c cache size, the memory its slabs use (default),
 *          a active objects, o all objects, s object size, n name
 *
 *    Active / Total Objects (% used)    : 1630 / 2317 (70.3%)
 *    Active / Total Slabs (% used)      : 71 / 71 (100.0%)
 *    Active / Total Caches (% used)     : 14 / 48 (29.1%)
 *    Active / Total Size (% used)       : 221.48K / 403.23K (54.9%)
 *    Minimum / Average / Maximum Object : 0.01K / 0.17K / 8.00K
 *
 *     OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME
 *       16     13  81%    8.00K      4        4       128K kmalloc-8k
 *
 * CACHE SIZE is what the cache takes from the page allocator (slabs x pages
 * per slab); OBJS - ACTIVE objects are free in those slabs (internal
 * fragmentation, or ready for the next allocation: a cache keeps them).
 */
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define MAXCACHES 128

struct cache {
	char name[32];
	long active, objs, objsize, perslab, pages, slabs;
};

static struct cache caches[MAXCACHES];
static struct cache *order[MAXCACHES];
static int ncaches;
static char text[32768];
static char sort_key = 'c';

static const char *skip_blanks(const char *p)
{
	while (*p == ' ')
		p++;
	return p;
}

static const char *number(const char *p, long *v)
{
	p = skip_blanks(p);
	*v = 0;
	while (*p >= '0' && *p <= '9')
		*v = *v * 10 + (*p++ - '0');
	return p;
}

/* Read /proc/slabinfo (version 2.1) into caches[]. Return: 0 or -1. */
static int read_slabinfo(void)
{
	int fd = open("/proc/slabinfo", O_RDONLY), n, len = 0;
	const char *p;

	if (fd < 0)
		return -1;
	while (len < (int)sizeof(text) - 1 &&
	       (n = read(fd, text + len, sizeof(text) - 1 - len)) > 0)
		len += n;
	close(fd);
	text[len] = 0;
	if (strncmp(text, "slabinfo - version: 2.1", 23) != 0)
		return -1;
	ncaches = 0;
	for (p = text; *p && ncaches < MAXCACHES;) {
		struct cache *c = &caches[ncaches];
		long tunables[3], sharedavail;
		int k = 0;

		if (*p != '#' && strncmp(p, "slabinfo", 8) != 0) {
			while (*p && *p != ' ' && k < (int)sizeof(c->name) - 1)
				c->name[k++] = *p++;
			c->name[k] = 0;
			p = number(p, &c->active);
			p = number(p, &c->objs);
			p = number(p, &c->objsize);
			p = number(p, &c->perslab);
			p = number(p, &c->pages);
			p = skip_blanks(p);
			if (*p == ':')
				p = skip_blanks(p + 1);
			if (strncmp(p, "tunables", 8) == 0)
				p += 8;
			for (int i = 0; i < 3; i++)
				p = number(p, &tunables[i]);
			p = skip_blanks(p);
			if (*p == ':')
				p = skip_blanks(p + 1);
			if (strncmp(p, "slabdata", 8) == 0)
				p += 8;
			p = number(p, &c->slabs); /* active_slabs */
			p = number(p, &c->slabs); /* num_slabs */
			p = number(p, &sharedavail);
			ncaches++;
		}
		while (*p && *p != '\n')
			p++;
		if (*p)
			p++;
	}
	return 0;
}

static long cache_bytes(const struct cache *c)
{
	return c->slabs * c->pages * 4096;
}

/* does @a come before @b? */
static int before(const struct cache *a, const struct cache *b)
{
	long x, y;

	switch (sort_key) {
	case 'a':
		x = a->active, y = b->active;
		break;
	case 'o':
		x = a->objs, y = b->objs;
		break;
	case 's':
		x = a->objsize, y = b->objsize;
		break;
	case 'n':
		return strcmp(a->name, b->name) < 0;
	default:
		x = cache_bytes(a), y = cache_bytes(b);
	}
	if (x != y)
		return x > y;
	return strcmp(a->name, b->name) < 0;
}

/* "12.50K": @bytes in KiB with two decimals */
static void kib(char *buf, int size, long bytes)
{
	long hundredths = (bytes * 100 + 512) / 1024; /* rounded, as %.2f would */

	snprintf(buf, size, "%ld.%02ldK", hundredths / 100, hundredths % 100);
}

/* "93.8%" of @part / @whole */
static void percent(char *buf, int size, long part, long whole)
{
	long permille = whole ? part * 1000 / whole : 0;

	snprintf(buf, size, "%ld.%ld%%", permille / 10, permille % 10);
}

static void report(void)
{
	long act = 0, objs = 0, slabs = 0, actsize = 0, totsize = 0, minobj = -1, maxobj = 0;
	int used = 0;
	char a[24], b[24], c[24];

	for (int i = 0; i < ncaches; i++) {
		struct cache *k = &caches[i];

		act += k->active;
		objs += k->objs;
		slabs += k->slabs;
		actsize += k->active * k->objsize;
		totsize += k->objs * k->objsize;
		used += k->active > 0;
		if (minobj < 0 || k->objsize < minobj)
			minobj = k->objsize;
		if (k->objsize > maxobj)
			maxobj = k->objsize;
		order[i] = k;
	}
	/* insertion sort: a few dozen caches */
	for (int i = 1; i < ncaches; i++) {
		struct cache *k = order[i];
		int j = i;

		for (; j > 0 && before(k, order[j - 1]); j--)
			order[j] = order[j - 1];
		order[j] = k;
	}
	percent(a, sizeof(a), act, objs);
	printf(" Active / Total Objects (%% used)    : %ld / %ld (%s)\n", act, objs, a);
	percent(a, sizeof(a), slabs, slabs);
	printf(" Active / Total Slabs (%% used)      : %ld / %ld (%s)\n", slabs, slabs, a);
	percent(a, sizeof(a), used, ncaches);
	printf(" Active / Total Caches (%% used)     : %d / %d (%s)\n", used, ncaches, a);
	kib(a, sizeof(a), actsize);
	kib(b, sizeof(b), totsize);
	percent(c, sizeof(c), actsize, totsize);
	printf(" Active / Total Size (%% used)       : %s / %s (%s)\n", a, b, c);
	kib(a, sizeof(a), minobj < 0 ? 0 : minobj);
	kib(b, sizeof(b), objs ? totsize / objs : 0);
	kib(c, sizeof(c), maxobj);
	printf(" Minimum / Average / Maximum Object : %s / %s / %s\n\n", a, b, c);
	printf("  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME\n");
	for (int i = 0; i < ncaches; i++) {
		struct cache *k = order[i];
		long use = k->objs ? k->active * 100 / k->objs : 0;

		kib(a, sizeof(a), k->objsize);
		printf("%6ld %6ld %3ld%% %8s %6ld %8ld %9ldK %s\n", k->objs, k->active, use, a,
		       k->slabs, k->perslab, cache_bytes(k) / 1024, k->name);
	}
}

static void usage(void)
{
	fprintf(2, "usage: slabtop [-o] [-d SECONDS] [-n COUNT] [-s c|a|o|s|n]\n");
	exit(2);
}

int main(int argc, char *argv[])
{
	int once = 0, delay = 3, count = -1;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--once") == 0)
			once = 1;
		else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc)
			delay = atoi(argv[++i]);
		else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			count = atoi(argv[++i]);
		else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
			sort_key = argv[++i][0];
		else
			usage();
	}
	if (!strchr("caosn", sort_key) || delay < 1)
		usage();
	for (int shown = 0; count < 0 || shown < count; shown++) {
		if (read_slabinfo() < 0) {
			fprintf(2, "slabtop: cannot read /proc/slabinfo (version 2.1)\n");
			exit(1);
		}
		if (!once)
			printf("\033[H\033[J"); /* home, clear the screen */
		report();
		if (once || shown + 1 == count)
			break;
		sleep(delay * 100); /* ticks: HZ = 100 */
	}
	exit(0);
}
