/*
 * labs/vmalloc/user/vmalloctest.c - the vmalloc lab's user-space checks:
 * what /proc/vmallocinfo and /proc/meminfo show of the vmalloc area while
 * processes come and go.
 *
 * Usage: vmalloctest [-k]
 *
 * Every process has a kernel stack in the vmalloc area (16 KiB, with an
 * unmapped guard below and above it). This program starts CHILDREN
 * processes that wait on a pipe, and checks that /proc/vmallocinfo shows
 * that many more kernel stacks and VmallocUsed that many more pages, and
 * that both go back when the children exit. Output is KTAP; with -k (the
 * grader's runs) it first reads the grader's key from the console and
 * signs every result line (user/ktap.h). The exit status is the number of
 * failed checks.
 *
 * /proc/vmallocinfo has Linux's format, one line per area:
 *   0xffffffd000618000-0xffffffd000621000   36864 alloc_proc+0x46/0x90 pages=4 vmalloc kstack
 *   0xffffffd000603000-0xffffffd000605000    8192 uart_init+0x7a/0xd0 phys=0x10000000 ioremap
 * (start-end, size with the guard pages, caller, then pages=N or phys=, and the kind).
 */
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"
#include "user/ktap.h"

#define CHILDREN 4
#define PGSIZE 4096
#define MAXAREAS 256

static int nfailed, ntests;
static char text[16384];

struct area {
	uint64 start, end, size, pages, phys;
	int kstack, ioremap, vmalloc;
};
static struct area areas[MAXAREAS];

static void result(int ok, const char *question)
{
	ntests++;
	if (!ok)
		nfailed++;
	ktap_result(ok, ntests, question, 0);
}

static int read_file(const char *path)
{
	int fd = open(path, O_RDONLY), len = 0, n;

	if (fd < 0)
		return -1;
	while (len < (int)sizeof(text) - 1 &&
	       (n = read(fd, text + len, sizeof(text) - 1 - len)) > 0)
		len += n;
	close(fd);
	text[len] = 0;
	return len;
}

static uint64 number(char **pp, int base)
{
	uint64 v = 0;
	char *p = *pp;

	if (base == 16 && p[0] == '0' && p[1] == 'x')
		p += 2;
	for (;; p++) {
		int d;
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else
			break;
		v = v * (uint64)base + (uint64)d;
	}
	*pp = p;
	return v;
}

/* Does the line [p, end) contain @word as a whole word? */
static int has_word(const char *p, const char *end, const char *word)
{
	uint n = strlen(word);

	for (; p + n <= end; p++)
		if ((p == text || p[-1] == ' ') && strncmp(p, word, n) == 0 &&
		    (p + n == end || p[n] == ' ' || p[n] == '\n'))
			return 1;
	return 0;
}

/* Parse /proc/vmallocinfo into areas[]; return how many, or -1. */
static int read_areas(void)
{
	int n = 0;

	if (read_file("/proc/vmallocinfo") < 0)
		return -1;
	for (char *line = text; *line && n < MAXAREAS;) {
		char *end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		struct area *a = &areas[n];
		char *p = line;
		memset(a, 0, sizeof(*a));
		a->start = number(&p, 16);
		if (*p == '-') {
			p++;
			a->end = number(&p, 16);
			while (*p == ' ')
				p++;
			a->size = number(&p, 10);
			for (char *q = p; q < end; q++) {
				if (strncmp(q, "pages=", 6) == 0) {
					char *r = q + 6;
					a->pages = number(&r, 10);
				} else if (strncmp(q, "phys=", 5) == 0) {
					char *r = q + 5;
					a->phys = number(&r, 16);
				}
			}
			a->kstack = has_word(p, end, "kstack");
			a->ioremap = has_word(p, end, "ioremap");
			a->vmalloc = has_word(p, end, "vmalloc");
			n++;
		}
		line = *end ? end + 1 : end;
	}
	return n;
}

static int count_kstacks(int n)
{
	int k = 0;

	for (int i = 0; i < n; i++)
		k += areas[i].kstack;
	return k;
}

/* VmallocUsed from /proc/meminfo in KiB, or -1. */
static long vmalloc_used_kb(void)
{
	if (read_file("/proc/meminfo") < 0)
		return -1;
	char *p = strchr(text, 'V');
	for (; p; p = strchr(p + 1, 'V')) {
		if (strncmp(p, "VmallocUsed:", 12) == 0) {
			p += 12;
			while (*p == ' ')
				p++;
			return (long)number(&p, 10);
		}
	}
	return -1;
}

int main(int argc, char *argv[])
{
	int fds[2], pids[CHILDREN], n0, n1, n2, k0, k1, k2;
	long used0, used1, used2;
	char c;

	if (ktap_read_key("vmalloctest", argc, argv) < 0)
		exit(1);
	printf("KTAP version 1\n1..4\n");
	n0 = read_areas();
	k0 = count_kstacks(n0);
	used0 = vmalloc_used_kb();
	if (pipe(fds) < 0) {
		printf("# pipe failed\n");
		exit(1);
	}
	for (int i = 0; i < CHILDREN; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			close(fds[1]);
			read(fds[0], &c, 1); /* until the parent closes the pipe */
			exit(0);
		}
	}
	n1 = read_areas();
	k1 = count_kstacks(n1);
	used1 = vmalloc_used_kb();
	/* every kernel stack: 4 pages mapped, guard pages around them in its size */
	int stacks_ok = n1 > 0 && k0 >= 1 && k1 - k0 == CHILDREN;
	for (int i = 0; i < n1; i++) {
		struct area *a = &areas[i];
		if (a->kstack && (a->pages != 4 || a->size < (a->pages + 1) * PGSIZE)) {
			printf(
			    "# kernel stack area 0x%lx: pages=%lu, size %lu: expected 4 pages and room "
			    "for guard pages\n",
			    a->start, a->pages, a->size);
			stacks_ok = 0;
		}
	}
	close(fds[0]);
	close(fds[1]);
	for (int i = 0; i < CHILDREN; i++)
		wait(0);
	/* the children's stacks go when they are reaped (the freed areas wait for the lazy purge
	 * to give back their addresses, but they are no longer listed) */
	n2 = read_areas();
	k2 = count_kstacks(n2);
	used2 = vmalloc_used_kb();
	if (k1 - k0 != CHILDREN || k2 != k0)
		printf(
		    "# kernel stacks listed: %d before, %d with %d more processes, %d after they "
		    "exited\n",
		    k0, k1, CHILDREN, k2);
	result(stacks_ok && k2 == k0, "does /proc/vmallocinfo list a kernel stack, with its guard "
				      "pages, for every process?");
	int used_ok = used0 >= 0 && used1 - used0 == CHILDREN * 16 && used2 == used0;
	if (!used_ok)
		printf(
		    "# VmallocUsed: %ld kB before, %ld kB with %d more processes (16 kB of stack "
		    "each), %ld kB after\n",
		    used0, used1, CHILDREN, used2);
	result(used_ok, "does VmallocUsed in /proc/meminfo count the kernel stacks' pages?");
	int io = 0;
	for (int i = 0; i < n2; i++)
		io += areas[i].ioremap && areas[i].phys != 0;
	if (!io)
		printf("# no ioremap area with phys= in /proc/vmallocinfo (%d areas)\n", n2);
	result(io > 0, "are device registers mapped by ioremap in the vmalloc area?");
	int order_ok = n2 > 0;
	for (int i = 0; i < n2; i++) {
		struct area *a = &areas[i];
		if (a->end - a->start != a->size || (i > 0 && a->start < areas[i - 1].end) ||
		    (a->pages && a->size < (a->pages + 1) * PGSIZE)) {
			printf(
			    "# area %d: 0x%lx-0x%lx size %lu pages=%lu: out of order, overlapping, or "
			    "without a guard page\n",
			    i, a->start, a->end, a->size, a->pages);
			order_ok = 0;
		}
	}
	result(order_ok,
	       "are the areas in address order, apart, and each followed by a guard page?");
	printf("# vmalloctest: %d of %d checks failed\n", nfailed, ntests);
	exit(nfailed);
}
