/*
 * user/usertests/slab.c - the kernel's slab caches seen from user space
 * (/proc/slabinfo): objects that system calls allocate (open files,
 * inodes, pipes) show up in their caches, and all of them are given back.
 */
#include "usertests.h"

#define MAXC 96

struct slabcount {
	char name[32];
	int active;
};

static char slabtext[32768];

/* Read /proc/slabinfo's active_objs column into @c. Return: the number of caches. */
static int read_slabinfo(struct slabcount *c)
{
	int fd = ut_open("/proc/slabinfo", O_RDONLY), n, len = 0, nc = 0;
	char *p;

	while ((n = read(fd, slabtext + len, sizeof(slabtext) - 1 - len)) > 0)
		len += n;
	close(fd);
	slabtext[len] = 0;
	CHECK(strncmp(slabtext, "slabinfo - version: 2.1\n", 24) == 0,
	      "/proc/slabinfo does not start with its version line");
	for (p = slabtext; *p && nc < MAXC;) {
		if (*p != '#' && *p != 's') {
			int k = 0;

			while (*p && *p != ' ' && k < 31)
				c[nc].name[k++] = *p++;
			c[nc].name[k] = 0;
			while (*p == ' ')
				p++;
			c[nc].active = atoi(p);
			nc++;
		}
		while (*p && *p != '\n')
			p++;
		if (*p)
			p++;
	}
	return nc;
}

static int active(const struct slabcount *c, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(c[i].name, name) == 0)
			return c[i].active;
	FAIL("no cache %s in /proc/slabinfo", name);
}

static void churn(int rounds)
{
	char name[16], buf[64];
	int fds[2];

	for (int r = 0; r < rounds; r++) {
		mkdir("d");
		for (int i = 0; i < 30; i++) {
			snprintf(name, sizeof(name), "d/f%d", i);
			int fd = ut_open(name, O_CREATE | O_RDWR);
			CHECK(write(fd, "slab", 4) == 4, "write to %s failed", name);
			close(fd);
		}
		for (int i = 0; i < 6; i++) {
			CHECK(pipe(fds) == 0, "pipe() failed");
			CHECK(write(fds[1], "through", 7) == 7, "write to a pipe failed");
			CHECK(read(fds[0], buf, sizeof(buf)) == 7, "read from a pipe failed");
			close(fds[0]);
			close(fds[1]);
		}
		for (int i = 0; i < 30; i++) {
			snprintf(name, sizeof(name), "d/f%d", i);
			CHECK(unlink(name) == 0, "unlink(%s) failed", name);
		}
		CHECK(unlink("d") == 0, "unlink(d) failed");
	}
}

void test_slabinfo_baseline(void)
{
	static struct slabcount before[MAXC], during[MAXC], after[MAXC];
	int nb, nd, na, fds[10];
	char name[16];

	churn(1); /* warm up: first-time allocations (a slab for each cache) are not leaks */
	nb = read_slabinfo(before);
	/* open files and pipes are objects in filp, inode_cache, kmalloc */
	for (int i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "g%d", i);
		fds[i] = ut_open(name, O_CREATE | O_RDWR);
	}
	CHECK(pipe(fds + 5) == 0 && pipe(fds + 7) == 0, "pipe() failed");
	nd = read_slabinfo(during);
	CHECK(active(during, nd, "filp") >= active(before, nb, "filp") + 9,
	      "9 more open files, but filp went from %d to %d active objects",
	      active(before, nb, "filp"), active(during, nd, "filp"));
	CHECK(active(during, nd, "inode_cache") >= active(before, nb, "inode_cache") + 5,
	      "5 more open inodes, but inode_cache went from %d to %d",
	      active(before, nb, "inode_cache"), active(during, nd, "inode_cache"));
	for (int i = 0; i < 9; i++)
		close(fds[i]);
	for (int i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "g%d", i);
		unlink(name);
	}
	churn(ut_quick ? 2 : 6);
	na = read_slabinfo(after);
	/* every cache is back where it was: nothing leaked, nothing left behind */
	for (int i = 0; i < nb; i++) {
		int now = active(after, na, before[i].name);

		CHECK(now == before[i].active,
		      "%s has %d active objects after creating and removing files and pipes, "
		      "%d before",
		      before[i].name, now, before[i].active);
	}
	CHECK(na == nb, "%d caches before, %d after", nb, na);
}

/* slabtop reads the same file: does it run, and list the kernel's caches? */
void test_slabtop(void)
{
	int fds[2], pid, n, len = 0;
	static char out[16384];

	CHECK(pipe(fds) == 0, "pipe() failed");
	pid = ut_fork();
	if (pid == 0) {
		char *argv[] = {"slabtop", "-o", 0};

		close(1);
		dup(fds[1]);
		close(fds[0]);
		close(fds[1]);
		exec("/slabtop", argv);
		exit(3);
	}
	close(fds[1]);
	while ((n = read(fds[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += n;
	close(fds[0]);
	out[len] = 0;
	CHECK(ut_wait(pid) == 0, "slabtop -o failed");
	CHECK(strncmp(out, " Active / Total Objects (% used)", 32) == 0,
	      "slabtop's first line is not the objects summary");
	CHECK(strchr(out, '\n') != 0, "slabtop printed one line");
	const char *want[] = {"  OBJS ACTIVE  USE OBJ SIZE", "kmalloc-64\n", "task_struct\n",
			      "filp\n", "inode_cache\n"};
	for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		int found = 0;

		for (const char *p = out; *p && !found; p++)
			found = strncmp(p, want[i], strlen(want[i])) == 0;
		CHECK(found, "slabtop's output has no \"%s\"", want[i]);
	}
}
