/*
 * user/smem.c - memory use per process, counted four ways (like smem):
 * VSS, RSS, PSS and USS, in KiB, from /proc/PID/smaps.
 *
 * Usage: smem [-t] [PID...]      (default: every process; -t adds a total line)
 *
 *     PID Command                VSS        RSS        PSS        USS
 *       1 init                    80         20         14          8
 *       2 sh                     100         32         20         12
 *
 *   VSS  virtual set size: every mapping's full size (Size:), touched or not
 *   RSS  resident set size: pages in RAM now (Rss:), shared ones counted
 *        in full in every process that maps them
 *   PSS  proportional set size (Pss:): a page shared by N processes counts
 *        1/N in each, so the PSS of all processes adds up to the memory
 *        really used
 *   USS  unique set size: pages only this process maps (Private_Clean +
 *        Private_Dirty): what would come back if it exited
 *
 * VSS >= RSS >= PSS >= USS always. A leak shows as a USS that grows and
 * grows; RSS can grow for innocent reasons (touching shared pages).
 * Processes are listed by PSS, smallest first, as smem does.
 *
 * Processes: the numeric entries of /proc if it lists them, or else every
 * pid from 1 to this process's own (pids are handed out in increasing
 * order, so every other live process has a smaller one, except ones forked
 * after smem started).
 *
 * See: user/procmaps.h (the parser), pmap, labs/vma/README.md.
 */
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "user/user.h"
#include "user/procmaps.h"

#define MAXMAPS 256
#define MAXPROCS 128

struct usage {
	int pid;
	char name[20];
	uint64 vss, rss, pss, uss;
};

static struct procmap *maps; /* MAXMAPS, from the heap: touched only as far as used */
static struct usage procs[MAXPROCS];
static int nprocs;

/* Add process @pid's line; a pid that is gone is skipped. */
static void measure(int pid)
{
	struct usage *u = &procs[nprocs];
	int n;

	if (nprocs == MAXPROCS)
		return;
	n = procmaps_read(pid, maps, MAXMAPS);
	if (n < 0)
		return;
	memset(u, 0, sizeof(*u));
	u->pid = pid;
	procmaps_name(maps, n, u->name, sizeof(u->name));
	for (int i = 0; i < n; i++) {
		u->vss += maps[i].size;
		u->rss += maps[i].rss;
		u->pss += maps[i].pss;
		u->uss += maps[i].private_clean + maps[i].private_dirty;
	}
	nprocs++;
}

/* The pids /proc lists as directories, or 0 if it lists none. */
static int listed_pids(void)
{
	struct dirent de;
	int fd = open("/proc", O_RDONLY), found = 0;

	if (fd < 0)
		return 0;
	while (read(fd, &de, sizeof(de)) == sizeof(de)) {
		char name[DIRSIZ + 1];
		int ok = de.inum != 0;
		memmove(name, de.name, DIRSIZ);
		name[DIRSIZ] = 0;
		for (int i = 0; ok && name[i]; i++)
			ok = name[i] >= '0' && name[i] <= '9';
		if (ok && name[0]) {
			measure(atoi(name));
			found++;
		}
	}
	close(fd);
	return found;
}

int main(int argc, char *argv[])
{
	int total = 0, any = 0;
	struct usage sum = {0};

	maps = malloc(MAXMAPS * sizeof(*maps));
	if (!maps) {
		fprintf(2, "smem: out of memory\n");
		exit(1);
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-t") == 0) {
			total = 1;
		} else if (argv[i][0] >= '1' && argv[i][0] <= '9') {
			measure(atoi(argv[i]));
			any = 1;
		} else {
			fprintf(2, "usage: smem [-t] [PID...]\n");
			exit(2);
		}
	}
	if (!any && !listed_pids())
		for (int pid = 1; pid <= getpid(); pid++)
			measure(pid);
	/* by PSS, smallest first (insertion sort: a handful of processes) */
	for (int i = 1; i < nprocs; i++) {
		struct usage u = procs[i];
		int j = i;
		for (; j > 0 && procs[j - 1].pss > u.pss; j--)
			procs[j] = procs[j - 1];
		procs[j] = u;
	}
	printf("%7s %-16s %10s %10s %10s %10s\n", "PID", "Command", "VSS", "RSS", "PSS", "USS");
	for (int i = 0; i < nprocs; i++) {
		struct usage *u = &procs[i];
		printf("%7d %-16s %10lu %10lu %10lu %10lu\n", u->pid, u->name, u->vss, u->rss,
		       u->pss, u->uss);
		sum.vss += u->vss;
		sum.rss += u->rss;
		sum.pss += u->pss;
		sum.uss += u->uss;
	}
	if (total) {
		printf(
		    "------------------------------------------------------------------------\n");
		printf("%7d %-16s %10lu %10lu %10lu %10lu\n", nprocs, "", sum.vss, sum.rss, sum.pss,
		       sum.uss);
	}
	exit(any && nprocs == 0 ? 1 : 0);
}
