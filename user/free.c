/*
 * user/free.c - how much memory is used and free, from /proc/meminfo, in
 * the layout of procps' free(1).
 *
 * Usage: free [-k | -m | -b]    (KiB by default)
 *
 *                total        used        free      shared  buff/cache   available
 *   Mem:         127300        2100      125200           0           0      124700
 *   Swap:             0           0           0
 *
 * used = total - free - buff/cache. Pagoda has no page cache or swap yet,
 * so those columns are 0.
 */
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

static char text[4096];

/* The value of "Name:" in @text in KiB, or -1 if absent. */
static long field(const char *name)
{
	uint len = strlen(name);

	for (char *line = text; *line;) {
		if (strncmp(line, name, len) == 0 && line[len] == ':') {
			char *p = line + len + 1;
			long v = 0;
			while (*p == ' ')
				p++;
			while (*p >= '0' && *p <= '9')
				v = v * 10 + (*p++ - '0');
			return v;
		}
		while (*line && *line != '\n')
			line++;
		if (*line)
			line++;
	}
	return -1;
}

int main(int argc, char *argv[])
{
	int shift = 0; /* KiB -> unit: 0 KiB, 10 MiB, -10 bytes */
	long total, freek, avail, used;
	int fd, n;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-k") == 0) {
			shift = 0;
		} else if (strcmp(argv[i], "-m") == 0) {
			shift = 10;
		} else if (strcmp(argv[i], "-b") == 0) {
			shift = -10;
		} else {
			fprintf(2, "usage: free [-k | -m | -b]\n");
			exit(2);
		}
	}
	fd = open("/proc/meminfo", O_RDONLY);
	if (fd < 0) {
		fprintf(2, "free: cannot open /proc/meminfo\n");
		exit(1);
	}
	n = read(fd, text, sizeof(text) - 1); /* one read: one consistent snapshot */
	close(fd);
	if (n <= 0) {
		fprintf(2, "free: cannot read /proc/meminfo\n");
		exit(1);
	}
	text[n] = 0;
	total = field("MemTotal");
	freek = field("MemFree");
	avail = field("MemAvailable");
	if (total < 0 || freek < 0 || avail < 0) {
		fprintf(2, "free: /proc/meminfo lacks MemTotal, MemFree or MemAvailable\n");
		exit(1);
	}
	used = total - freek;
#define U(v) (shift >= 0 ? (v) >> shift : (v) << -shift)
	printf("%15s %11s %11s %11s %11s %11s\n", "total", "used", "free", "shared", "buff/cache",
	       "available");
	printf("%-5s %9ld %11ld %11ld %11d %11d %11ld\n", "Mem:", U(total), U(used), U(freek), 0, 0,
	       U(avail));
	printf("%-5s %9d %11d %11d\n", "Swap:", 0, 0, 0);
	exit(0);
}
