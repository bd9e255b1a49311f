/*
 * labs/vma/user/vmatest.c - the vma lab's user-space checks: what a program
 * sees of its address space through mmap, munmap, mprotect, fork and page
 * faults, measured with /proc/self/maps, /proc/self/smaps and /proc/vmstat.
 *
 * Usage: vmatest [-k]
 *
 * The questions come in the lab's four parts, in this order: VMAs (tasks
 * 1-4), lazy faults (task 5), copy-on-write (task 6), file mappings (task
 * 7). Each question runs in a child process of its own (what it maps dies
 * with it); an access that must be refused is tried in a grandchild, which
 * the kernel must kill ("pid N (vmatest): killed: ... (no mapping)" or
 * "(permission)" on the console: the grader reads those too). Output is
 * KTAP; with -k (the grader's runs) it first reads the grader's key from
 * the console and signs every result line (user/ktap.h). The exit status is
 * the number of failed checks.
 */
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "kernel/mman.h"
#include "user/user.h"
#include "user/ktap.h"
#include "user/procmaps.h"

#define PGSIZE 4096
#define KILLED (-1)
#define MAXMAPS 64

static int nfailed, ntests;
static struct procmap maps[MAXMAPS];
static char vmstat_text[2048];

#define FAIL(...)                    \
	do {                         \
		printf("# ");        \
		printf(__VA_ARGS__); \
		printf("\n");        \
		return 0;            \
	} while (0)
#define CHECK(cond, ...)                   \
	do {                               \
		if (!(cond))               \
			FAIL(__VA_ARGS__); \
	} while (0)

static void result(int ok, const char *question)
{
	ntests++;
	if (!ok)
		nfailed++;
	ktap_result(ok, ntests, question, 0);
}

/* What a question's kills were (ktap_expect_kill()), for its result line. */
static char evidence[192];

/*
 * Run @fn in a child; it passes if it returns 1. The child sends the
 * evidence of its kills back through a pipe: the result line carries it.
 */
static void question(const char *q, int (*fn)(void))
{
	int fds[2], pid, status = -2, n = 0, r;

	evidence[0] = 0;
	if (pipe(fds) < 0 || (pid = fork()) < 0) {
		printf("# fork failed\n");
		result(0, q);
		return;
	}
	if (pid == 0) {
		int ok;

		close(fds[0]);
		ok = fn();
		if (ok)
			write(fds[1], evidence, strlen(evidence));
		exit(ok ? 0 : 1);
	}
	close(fds[1]);
	while (n < (int)sizeof(evidence) - 1 &&
	       (r = read(fds[0], evidence + n, sizeof(evidence) - 1 - n)) > 0)
		n += r;
	evidence[n] = 0;
	close(fds[0]);
	if (wait(&status) != pid)
		status = -2;
	if (status == KILLED)
		printf("# the test process itself was killed (see the console for why)\n");
	ntests++;
	if (status != 0)
		nfailed++;
	ktap_result(status == 0, ntests, q, status == 0 && evidence[0] ? evidence : 0);
}

/* An access by @fn at @addr that must be killed for @why, in a grandchild. */
static int killed_at(void (*fn)(void), void *addr, const char *why)
{
	return ktap_expect_kill(fn, (u64)addr, why, evidence, sizeof(evidence));
}

/* A random multiple of @align below @span. */
static u64 pick(u64 span, u64 align)
{
	return ktap_random() % (span / align) * align;
}

/* Run @fn in a grandchild; return its wait() status (KILLED if the kernel killed it). */
static int in_child(void (*fn)(void))
{
	int pid = fork(), status = -2;

	if (pid < 0)
		return -2;
	if (pid == 0) {
		fn();
		exit(0);
	}
	if (wait(&status) != pid)
		return -2;
	return status;
}

/* This process's mappings (/proc/self/smaps); -1 if unreadable. */
static int read_maps(void)
{
	return procmaps_read(0, maps, MAXMAPS);
}

/* The mapping that starts at @addr, or NULL. */
static struct procmap *map_at(void *addr)
{
	int n = read_maps();

	for (int i = 0; i < n; i++)
		if (maps[i].start == (uint64)addr)
			return &maps[i];
	return 0;
}

/* How many mappings overlap [lo, hi) (after read_maps()). */
static int maps_in(void *lo, void *hi)
{
	int n = read_maps(), k = 0;

	for (int i = 0; i < n; i++)
		if (maps[i].start < (uint64)hi && maps[i].end > (uint64)lo)
			k++;
	return k;
}

/* A field of /proc/vmstat, or -1. */
static long vmstat(const char *name)
{
	int fd = open("/proc/vmstat", O_RDONLY), n;
	uint len = strlen(name);

	if (fd < 0)
		return -1;
	n = read(fd, vmstat_text, sizeof(vmstat_text) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	vmstat_text[n] = 0;
	for (char *l = vmstat_text; *l;) {
		if (strncmp(l, name, len) == 0 && l[len] == ' ')
			return atoi(l + len + 1);
		while (*l && *l != '\n')
			l++;
		if (*l)
			l++;
	}
	return -1;
}

/* Addresses of @pages free pages (mapped, then unmapped again): room for MAP_FIXED. */
static char *free_range(int pages)
{
	char *p = mmap(0, pages * PGSIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 0;
	munmap(p, pages * PGSIZE);
	return p;
}

static char *anon(char *at, int pages, int prot)
{
	char *p = mmap(at, pages * PGSIZE, prot, MAP_PRIVATE | MAP_ANONYMOUS | (at ? MAP_FIXED : 0),
		       -1, 0);

	return p == MAP_FAILED ? 0 : p;
}

static uchar pattern(int off)
{
	return (uchar)(off * 7 + 3);
}

/* Create @name with @pages pages of pattern(). Return 0 or -1. */
static int make_file(const char *name, int pages)
{
	static char buf[PGSIZE];
	int fd = open(name, O_CREATE | O_TRUNC | O_RDWR);

	if (fd < 0)
		return -1;
	for (int p = 0; p < pages; p++) {
		for (int i = 0; i < PGSIZE; i++)
			buf[i] = (char)pattern(p * PGSIZE + i);
		if (write(fd, buf, PGSIZE) != PGSIZE) {
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
}

/* ---- VMAs (tasks 1-4) ------------------------------------------------------------- */

static int q_mmap_is_one_vma(void)
{
	char *p = anon(0, 4, PROT_READ);

	CHECK(p, "mmap of 4 pages failed (errno %d)", geterrno());
	struct procmap *m = map_at(p);
	CHECK(m, "no line of /proc/self/maps starts at the mapping %p", p);
	CHECK(m->end == (uint64)p + 4 * PGSIZE, "its line ends at 0x%lx, not at %p + 16K", m->end,
	      p);
	CHECK(strcmp(m->perms, "r--p") == 0, "its permissions are %s, not r--p", m->perms);
	return 1;
}

static int q_adjacent_mappings_merge(void)
{
	char *base = free_range(8);

	CHECK(base && anon(base, 2, PROT_READ | PROT_WRITE) == base &&
		  anon(base + 2 * PGSIZE, 2, PROT_READ | PROT_WRITE) == base + 2 * PGSIZE &&
		  anon(base + 4 * PGSIZE, 2, PROT_READ) == base + 4 * PGSIZE,
	      "mmap(MAP_FIXED) failed (errno %d)", geterrno());
	int k = maps_in(base, base + 6 * PGSIZE);
	CHECK(k == 2,
	      "two rw- mappings side by side and an r-- one after them show as %d VMAs, "
	      "expected 2 (the rw- ones merged)",
	      k);
	struct procmap *m = map_at(base);
	CHECK(m && m->end == (uint64)base + 4 * PGSIZE, "the merged VMA does not cover 4 pages");
	return 1;
}

static char *victim;

static void touch_victim(void)
{
	*(volatile char *)victim = 1;
}

static int q_munmap_middle(void)
{
	char *p = anon(0, 6, PROT_READ | PROT_WRITE);

	CHECK(p, "mmap failed");
	for (int i = 0; i < 6; i++)
		p[i * PGSIZE] = (char)(i + 1);
	CHECK(munmap(p + 2 * PGSIZE, 2 * PGSIZE) == 0, "munmap of the middle failed");
	CHECK(maps_in(p, p + 6 * PGSIZE) == 2, "after munmap of the middle: %d VMAs, expected 2",
	      maps_in(p, p + 6 * PGSIZE));
	struct procmap *lo = map_at(p), *hi;
	CHECK(lo && lo->end == (uint64)p + 2 * PGSIZE, "the lower part does not end at page 2");
	hi = map_at(p + 4 * PGSIZE);
	CHECK(hi && hi->end == (uint64)p + 6 * PGSIZE, "the upper part is not pages 4-6");
	CHECK(p[0] == 1 && p[PGSIZE] == 2 && p[4 * PGSIZE] == 5 && p[5 * PGSIZE] == 6,
	      "the pages left lost their contents");
	victim = p + 2 * PGSIZE + pick(2 * PGSIZE, 1);
	printf("# expect a kill (no mapping):\n");
	CHECK(killed_at(touch_victim, victim, "no mapping"), "touching an unmapped page did not "
							     "kill");
	return 1;
}

static int q_mprotect_split_merge(void)
{
	char *p = anon(0, 6, PROT_READ | PROT_WRITE);

	CHECK(p, "mmap failed");
	CHECK(mprotect(p + 2 * PGSIZE, PGSIZE, PROT_READ) == 0, "mprotect failed");
	CHECK(maps_in(p, p + 6 * PGSIZE) == 3,
	      "mprotect of one page in the middle: %d VMAs, "
	      "expected 3",
	      maps_in(p, p + 6 * PGSIZE));
	struct procmap *m = map_at(p + 2 * PGSIZE);
	CHECK(m && strcmp(m->perms, "r--p") == 0, "the middle page is not r--p");
	CHECK(mprotect(p + 2 * PGSIZE, PGSIZE, PROT_READ | PROT_WRITE) == 0, "mprotect failed");
	CHECK(maps_in(p, p + 6 * PGSIZE) == 1, "after restoring rw-: %d VMAs, expected 1",
	      maps_in(p, p + 6 * PGSIZE));
	return 1;
}

/* ---- lazy faults (task 5) ---------------------------------------------------------- */

static int q_lazy_allocation(void)
{
	char *p = anon(0, 16384, PROT_READ | PROT_WRITE); /* 64 MiB */

	CHECK(p, "mmap of 64 MiB failed (errno %d)", geterrno());
	struct procmap *m = map_at(p);
	CHECK(m && m->size == 65536, "smaps has no 65536 kB mapping at %p", p);
	CHECK(m->rss == 0, "64 MiB just mapped already has Rss %lu kB", m->rss);
	for (int i = 0; i < 10; i++)
		p[i * 1000 * PGSIZE] = 1;
	m = map_at(p);
	CHECK(m && m->rss == 40, "after writing 10 pages, Rss is %lu kB, expected 40",
	      m ? m->rss : 0);
	return 1;
}

static int q_zero_page(void)
{
	char *p = anon(0, 400, PROT_READ | PROT_WRITE);
	long sum = 0;

	CHECK(p, "mmap failed");
	for (int i = 0; i < 400; i++)
		sum += p[i * PGSIZE + 100];
	CHECK(sum == 0, "never-written memory did not read as zeros");
	struct procmap *m = map_at(p);
	CHECK(m && m->rss == 0,
	      "reading 400 never-written pages gave Rss %lu kB: the shared zero "
	      "page should back them, counted nowhere",
	      m ? m->rss : 0);
	p[5 * PGSIZE] = 7;
	m = map_at(p);
	CHECK(m && m->rss == 4, "after writing one of them, Rss is %lu kB, expected 4",
	      m ? m->rss : 0);
	CHECK(p[5 * PGSIZE] == 7 && p[6 * PGSIZE] == 0,
	      "the written page or its neighbour is wrong");
	return 1;
}

static int q_pgfault_counts(void)
{
	char *p = anon(0, 50, PROT_READ | PROT_WRITE);

	CHECK(p, "mmap failed");
	long f0 = vmstat("pgfault");
	for (int i = 0; i < 50; i++)
		p[i * PGSIZE] = 1;
	long f1 = vmstat("pgfault");
	for (int i = 0; i < 50; i++)
		p[i * PGSIZE] = 2;
	long f2 = vmstat("pgfault");
	CHECK(f0 >= 0, "no pgfault line in /proc/vmstat");
	CHECK(f1 - f0 >= 50 && f1 - f0 <= 60,
	      "first writes to 50 pages: pgfault went up by %ld, "
	      "expected about 50",
	      f1 - f0);
	CHECK(f2 - f1 <= 3, "writing the same 50 pages again: %ld more faults, expected none",
	      f2 - f1);
	return 1;
}

static char *hole;

static void read_hole(void)
{
	(void)*(volatile char *)hole;
}

static int q_no_mapping_kills(void)
{
	hole = free_range(4);
	CHECK(hole, "mmap failed");
	hole += pick(4 * PGSIZE, 1);
	printf("# expect a kill (no mapping):\n");
	CHECK(killed_at(read_hole, hole, "no mapping"), "reading an address in no VMA did not "
							"kill");
	return 1;
}

static char *ro;

static void write_ro(void)
{
	*(volatile char *)ro = 1;
}

static void exec_data(void)
{
	((void (*)(void))ro)();
}

static int q_permission_kills(void)
{
	char *page = anon(0, 1, PROT_READ);

	CHECK(page, "mmap failed");
	ro = page + pick(PGSIZE, 1);
	printf("# expect a kill (permission):\n");
	CHECK(killed_at(write_ro, ro, "permission"), "writing a PROT_READ mapping did not kill");
	page = anon(0, 1, PROT_READ | PROT_WRITE);
	CHECK(page, "mmap failed");
	page[0] = 0;
	ro = page + pick(PGSIZE, 4);
	printf("# expect a kill (permission):\n");
	CHECK(killed_at(exec_data, ro, "permission"), "running code from a PROT_READ|PROT_WRITE "
						      "page did not kill");
	return 1;
}

static int deep(int n)
{
	volatile char frame[1024];

	frame[0] = (char)n;
	return n ? deep(n - 1) + frame[0] : 0;
}

static int q_stack_grows(void)
{
	deep(200); /* about 200 KiB of stack */
	int n = read_maps();
	for (int i = 0; i < n; i++)
		if (strcmp(maps[i].name, "[stack]") == 0) {
			CHECK(maps[i].size >= 200, "the [stack] VMA is %lu kB after using ~200 KiB",
			      maps[i].size);
			return 1;
		}
	FAIL("no [stack] line in /proc/self/maps");
}

/* ---- copy-on-write (task 6) -------------------------------------------------------- */

static char *shared64;

static int cow_child_check(int written)
{
	struct procmap *m = map_at(shared64);
	long shared = 0, priv = 0;

	CHECK(m, "the child has no mapping at %p", shared64);
	shared = (long)(m->shared_clean + m->shared_dirty);
	priv = (long)(m->private_clean + m->private_dirty);
	CHECK(m->rss == 256, "the child's 64 pages have Rss %lu kB, expected 256", m->rss);
	CHECK(priv == written * 4 && shared == 256 - written * 4,
	      "after writing %d pages the child's mapping has %ld kB private, %ld kB shared; "
	      "expected %d and %d",
	      written, priv, shared, written * 4, 256 - written * 4);
	long want_pss = (256 - written * 4) / 2 + written * 4;
	CHECK(m->pss >= (uint64)want_pss - 1 && m->pss <= (uint64)want_pss + 1,
	      "Pss is %lu kB, expected %ld (shared pages count half)", m->pss, want_pss);
	return 1;
}

static void child_shares(void)
{
	exit(cow_child_check(0) ? 0 : 1);
}

static void child_writes_three(void)
{
	long c0 = vmstat("cow_copy");
	for (int i = 0; i < 3; i++)
		shared64[i * 20 * PGSIZE] = 9;
	long c1 = vmstat("cow_copy");
	if (!cow_child_check(3))
		exit(1);
	if (c1 - c0 < 3 || c1 - c0 > 12) {
		printf("# writing 3 shared pages: cow_copy in /proc/vmstat went up by %ld\n",
		       c1 - c0);
		exit(1);
	}
	exit(0);
}

static int setup_shared64(void)
{
	shared64 = anon(0, 64, PROT_READ | PROT_WRITE);
	if (!shared64)
		return 0;
	for (int i = 0; i < 64; i++)
		shared64[i * PGSIZE] = (char)i;
	return 1;
}

static int q_fork_shares_pages(void)
{
	CHECK(setup_shared64(), "mmap failed");
	CHECK(in_child(child_shares) == 0, "right after fork the child's pages are not all shared "
					   "with its parent (above)");
	return 1;
}

static int q_write_copies_one_page(void)
{
	CHECK(setup_shared64(), "mmap failed");
	CHECK(in_child(child_writes_three) == 0, "a write after fork did not copy just the pages "
						 "written (above)");
	CHECK(shared64[0] == 0 && shared64[20 * PGSIZE] == 20, "the child's writes reached the "
							       "parent");
	return 1;
}

static void child_writes_and_checks(void)
{
	if (shared64[7 * PGSIZE] != 7)
		exit(1); /* the parent's write after fork is not ours */
	shared64[7 * PGSIZE] = 70;
	exit(0);
}

static int q_writes_stay_private(void)
{
	CHECK(setup_shared64(), "mmap failed");
	CHECK(in_child(child_writes_and_checks) == 0, "the child did not see the page as it was at "
						      "fork");
	CHECK(shared64[7 * PGSIZE] == 7, "the child's write reached the parent");
	shared64[8 * PGSIZE] = 80;
	CHECK(in_child(child_writes_and_checks) == 0, "a second child did not see its own copy");
	CHECK(shared64[7 * PGSIZE] == 7 && shared64[8 * PGSIZE] == 80,
	      "the parent's pages changed");
	return 1;
}

static void nothing(void)
{
}

static int q_last_sharer_reuses(void)
{
	CHECK(setup_shared64(), "mmap failed");
	CHECK(in_child(nothing) == 0, "fork failed");
	long r0 = vmstat("cow_reuse"), c0 = vmstat("cow_copy");
	for (int i = 0; i < 64; i++)
		shared64[i * PGSIZE] = 1; /* read-only since fork, but ours alone now */
	long r1 = vmstat("cow_reuse"), c1 = vmstat("cow_copy");
	CHECK(r0 >= 0 && c0 >= 0, "no cow_reuse / cow_copy lines in /proc/vmstat");
	CHECK(r1 - r0 >= 64,
	      "writing 64 pages nobody shares any more: cow_reuse went up by %ld, "
	      "expected 64",
	      r1 - r0);
	CHECK(c1 - c0 <= 4, "... and cow_copy by %ld: pages were copied for nobody", c1 - c0);
	return 1;
}

/* ---- file mappings (task 7) -------------------------------------------------------- */

static int q_private_file(void)
{
	char buf[16];

	CHECK(make_file("vt.private", 2) == 0, "cannot create a file");
	int fd = open("vt.private", O_RDONLY);
	char *m = mmap(0, 2 * PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(m != MAP_FAILED, "mmap(MAP_PRIVATE) of a file failed (errno %d)", geterrno());
	for (int i = 0; i < 2 * PGSIZE; i += 777)
		CHECK((uchar)m[i] == pattern(i), "byte %d of the mapping is not the file's", i);
	m[PGSIZE + 5] = 'X';
	CHECK(munmap(m, 2 * PGSIZE) == 0, "munmap failed");
	int rfd = open("vt.private", O_RDONLY);
	char skip[PGSIZE];
	CHECK(read(rfd, skip, PGSIZE) == PGSIZE && read(rfd, buf, 8) == 8, "read failed");
	CHECK((uchar)buf[5] == pattern(PGSIZE + 5), "a write to a MAP_PRIVATE mapping reached the "
						    "file");
	close(rfd);
	close(fd);
	unlink("vt.private");
	return 1;
}

static char *shm;

static void write_shared(void)
{
	strcpy(shm + PGSIZE + 9, "from the child");
}

static int q_shared_file(void)
{
	char buf[16];

	CHECK(make_file("vt.shared", 2) == 0, "cannot create a file");
	int fd = open("vt.shared", O_RDWR);
	shm = mmap(0, 2 * PGSIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(shm != MAP_FAILED, "mmap(MAP_SHARED) of a file failed (errno %d)", geterrno());
	CHECK((uchar)shm[3] == pattern(3), "the mapping does not show the file");
	CHECK(in_child(write_shared) == 0, "the child failed");
	CHECK(strcmp(shm + PGSIZE + 9, "from the child") == 0, "the parent does not see the "
							       "child's write through MAP_SHARED");
	CHECK(munmap(shm, 2 * PGSIZE) == 0, "munmap failed");
	int rfd = open("vt.shared", O_RDONLY);
	char skip[PGSIZE + 9];
	CHECK(read(rfd, skip, sizeof(skip)) == sizeof(skip) && read(rfd, buf, 15) == 15,
	      "read failed");
	CHECK(strcmp(buf, "from the child") == 0, "munmap did not write the shared page back to "
						  "the file");
	close(rfd);
	close(fd);
	unlink("vt.shared");
	return 1;
}

static int q_major_faults(void)
{
	CHECK(make_file("vt.major", 4) == 0, "cannot create a file");
	int fd = open("vt.major", O_RDONLY);
	char *m = mmap(0, 4 * PGSIZE, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(m != MAP_FAILED, "mmap of a file failed (errno %d)", geterrno());
	long j0 = vmstat("pgmajfault"), f0 = vmstat("pgfault");
	for (int i = 0; i < 4; i++)
		(void)*(volatile char *)(m + i * PGSIZE);
	long j1 = vmstat("pgmajfault"), f1 = vmstat("pgfault");
	CHECK(j0 >= 0, "no pgmajfault line in /proc/vmstat");
	CHECK(j1 - j0 >= 4 && f1 - f0 >= 4,
	      "reading 4 file pages through a mapping: pgmajfault "
	      "+%ld, pgfault +%ld; expected at least 4 each",
	      j1 - j0, f1 - f0);
	close(fd);
	unlink("vt.major");
	return 1;
}

static int q_file_offsets_after_split(void)
{
	CHECK(make_file("vt.split", 4) == 0, "cannot create a file");
	int fd = open("vt.split", O_RDONLY);
	char *m = mmap(0, 4 * PGSIZE, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(m != MAP_FAILED, "mmap of a file failed (errno %d)", geterrno());
	CHECK(munmap(m, PGSIZE) == 0, "munmap of the first page failed");
	struct procmap *v = map_at(m + PGSIZE);
	CHECK(v, "no mapping left at page 1");
	CHECK(v->offset == PGSIZE,
	      "after unmapping its first page the mapping's offset is 0x%lx, "
	      "expected 0x1000",
	      v->offset);
	CHECK((uchar)m[2 * PGSIZE + 1] == pattern(2 * PGSIZE + 1), "page 2 does not show file "
								   "page 2");
	close(fd);
	unlink("vt.split");
	return 1;
}

int main(int argc, char *argv[])
{
	if (ktap_read_key("vmatest", argc, argv) < 0)
		exit(1);
	printf("KTAP version 1\n1..18\n");
	/* VMAs */
	question("does mmap create one VMA, shown in /proc/self/maps with its permissions?",
		 q_mmap_is_one_vma);
	question("do adjacent mappings with the same permissions become one VMA, and others not?",
		 q_adjacent_mappings_merge);
	question("does munmap of the middle leave two VMAs with their pages, and nothing between?",
		 q_munmap_middle);
	question("does mprotect of one page split a VMA in three, and undoing it merge them?",
		 q_mprotect_split_merge);
	/* lazy faults */
	question("does a 64 MiB mapping cost nothing until its pages are touched?",
		 q_lazy_allocation);
	question("do reads of never-written memory get the zero page, without using memory?",
		 q_zero_page);
	question("does every first touch of a page count one fault in /proc/vmstat, and no more?",
		 q_pgfault_counts);
	question("does an access outside every VMA kill the process (no mapping)?",
		 q_no_mapping_kills);
	question("does a write to a read-only VMA, or running code from data, kill (permission)?",
		 q_permission_kills);
	question("does the stack VMA grow down as the stack is used?", q_stack_grows);
	/* copy-on-write */
	question("right after fork, are all of a child's pages shared with its parent?",
		 q_fork_shares_pages);
	question("does a write after fork copy only the pages written?", q_write_copies_one_page);
	question("do writes after fork stay in the process that made them?", q_writes_stay_private);
	question("does the last sharer of a page write to it without copying?",
		 q_last_sharer_reuses);
	/* file mappings */
	question("does a MAP_PRIVATE file mapping show the file, and keep its writes to itself?",
		 q_private_file);
	question("do processes share writes through MAP_SHARED, and does munmap write them back?",
		 q_shared_file);
	question("is a file page read through a mapping counted as a major fault?", q_major_faults);
	question("does a file mapping keep its file offsets when its first page is unmapped?",
		 q_file_offsets_after_split);
	printf("# vmatest: %d of %d checks failed\n", nfailed, ntests);
	exit(nfailed);
}
