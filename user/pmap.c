/*
 * user/pmap.c - a process's memory map, in the layout of procps' pmap -x:
 * one line per mapping (VMA) with its address, size, resident set and
 * dirty pages, mode and name, read from /proc/PID/smaps.
 *
 * Usage: pmap [-x] PID...     (PID may be "self"; -x is the only layout)
 *
 *   3:   sh
 *   Address           Kbytes     RSS   Dirty Mode  Mapping
 *   0000000000010000       8       8       0 r-x-- sh
 *   0000000000012000       4       4       4 r---- sh
 *   0000000000013000       8       8       8 rw--- sh
 *   0000000000015000      16       4       4 rw--- [ anon ]
 *   0000003ffffef000      64       8       8 rw--- [ stack ]
 *   ---------------- ------- ------- -------
 *   total kB             100      32      24
 *
 * Kbytes is the mapping's size (what the process may touch: it counts in
 * VSS); RSS what is in RAM now (pages faulted in; a mapping is created
 * empty and filled on first touch); Dirty the resident pages that differ
 * from their file (all anonymous memory counts as dirty). Mode is r, w, x,
 * s for a shared mapping, and a fifth column Linux uses for MAP_NORESERVE
 * ('-' here). The heap and mmap'd anonymous memory are "[ anon ]", as in
 * Linux's pmap; a file mapping shows the file's name.
 *
 * See: user/procmaps.h (the parser), smem, labs/vma/README.md.
 */
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"
#include "user/procmaps.h"

#define MAXMAPS 256

static struct procmap *maps; /* MAXMAPS, from the heap: touched only as far as used */

static const char *mapping_name(const struct procmap *m)
{
	const char *base = m->name;

	if (m->name[0] == 0 || strcmp(m->name, "[heap]") == 0)
		return "[ anon ]";
	if (strcmp(m->name, "[stack]") == 0)
		return "[ stack ]";
	for (const char *p = m->name; *p; p++)
		if (*p == '/' && p[1])
			base = p + 1;
	return base;
}

static int pmap(const char *arg)
{
	int pid = strcmp(arg, "self") == 0 ? 0 : atoi(arg);
	uint64 size = 0, rss = 0, dirty = 0;
	char name[32];
	int n;

	if (pid <= 0 && strcmp(arg, "self") != 0) {
		fprintf(2, "pmap: %s: not a process id\n", arg);
		return 1;
	}
	n = procmaps_read(pid, maps, MAXMAPS);
	if (n < 0) {
		fprintf(2, "pmap: no process %s (cannot read /proc/%s/smaps)\n", arg, arg);
		return 1;
	}
	procmaps_name(maps, n, name, sizeof(name));
	printf("%d:   %s\n", pid ? pid : getpid(), name);
	printf("Address           Kbytes     RSS   Dirty Mode  Mapping\n");
	for (int i = 0; i < n; i++) {
		const struct procmap *m = &maps[i];
		uint64 d = m->shared_dirty + m->private_dirty;
		printf("%016lx %7lu %7lu %7lu %c%c%c%c- %s\n", m->start, m->size, m->rss, d,
		       m->perms[0], m->perms[1], m->perms[2], m->perms[3] == 's' ? 's' : '-',
		       mapping_name(m));
		size += m->size;
		rss += m->rss;
		dirty += d;
	}
	printf("---------------- ------- ------- -------\n");
	printf("total kB         %7lu %7lu %7lu\n", size, rss, dirty);
	return 0;
}

int main(int argc, char *argv[])
{
	int status = 0, any = 0;

	maps = malloc(MAXMAPS * sizeof(*maps));
	if (!maps) {
		fprintf(2, "pmap: out of memory\n");
		exit(1);
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-x") == 0)
			continue;
		if (argv[i][0] == '-') {
			fprintf(2, "usage: pmap [-x] PID...\n");
			exit(2);
		}
		status |= pmap(argv[i]);
		any = 1;
	}
	if (!any) {
		fprintf(2, "usage: pmap [-x] PID...\n");
		exit(2);
	}
	exit(status);
}
