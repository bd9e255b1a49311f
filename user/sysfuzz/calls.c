/*
 * user/sysfuzz/calls.c - the call generator: one batch of random system
 * calls, each with a mix of valid and invalid arguments.
 *
 * Every choice comes from one pseudo-random stream (xorshift64*) seeded
 * from the run's seed and the batch number, so `sysfuzz -s SEED -k BATCH
 * -n CALLS -v` replays a batch call for call.
 *
 * What arguments look like:
 *   pointers     a valid buffer, NULL, a kernel address, unmapped user
 *                memory, the top of the user range, read-only program text,
 *                the last bytes of a mapped page (the copy runs off its end),
 *                a misaligned address, a random 64-bit value, an address in
 *                one of the batch's own mappings, a 1 GiB never-touched buffer
 *   lengths      0, 1, small, a page, a page plus one, 64 KiB, 1 MiB,
 *                INT_MAX, negative, random
 *   descriptors  any number 0..NOFILE-1 (the batch's files, pipes, its
 *                stdin/stdout/stderr), -1, NOFILE, huge
 *   paths        names in the scratch directory, /proc files and
 *                directories (also as the current directory), missing ones,
 *                "", ".", "..", a path longer than MAXPATH, one without a NUL
 *                before the end of its page, bad pointers
 *   the rest     flags with and without meaning, huge and negative numbers
 *
 * What it keeps away from, because the call would legitimately end or stall
 * the run rather than test the kernel:
 *   - the system's files: names it changes are only in the scratch
 *     directory (and in /proc, which must refuse them); others are opened
 *     read-only;
 *   - the console: the batch's fds 0, 1 and 2 are replaced by pipes (0 at
 *     end of file, 1 and 2 with no reader), and no path names /console;
 *   - blocking forever: a read of an empty pipe whose writer the batch holds,
 *     a write to a full pipe whose reader it holds, long sleeps;
 *   - other processes: kill() aims only at the batch itself, its own
 *     children, init (which must refuse) and pids that do not exist;
 *   - fork bombs: at most a few children at a time, each making a few calls
 *     of its own and exiting;
 *   - programs that read input: exec() runs only /echo (output to the dead
 *     pipe), a crafted ELF file, or things that are not programs at all;
 *     and only the batch itself execs (the driver's watchdog ends a crafted
 *     program that loops; it would not find a child's);
 *   - /proc/sys/vm/min_free_kbytes is opened read-only.
 * A batch may still fault (it munmaps and mprotects its own memory now and
 * then, and touches its mappings), kill itself or exec: the batch ends there,
 * and the driver starts the next.
 *
 * Unknown system call numbers are reached through getprocs(), a number the
 * kernel reserves without a handler.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "kernel/mman.h"
#include "kernel/param.h"
#include "user/user.h"
#include "sysfuzz.h"

int getprocs(void); /* SYS_getprocs: reserved, no handler in the kernel */

/* ---- random numbers ------------------------------------------------------ */

static uint64 rng;

static uint64 splitmix(uint64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64 rnd64(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

/* a number in [0, n) */
static uint rnd(uint n)
{
	return n ? (uint)(rnd64() % n) : 0;
}

/* true one time in @n */
static int one_in(uint n)
{
	return rnd(n) == 0;
}

/* ---- the batch's memory -------------------------------------------------- */

#define BUF_SIZE (64 * 1024)
#define LAZY_SIZE (1UL << 30)
#define ARENA 0x1000000000ULL  /* MAP_FIXED lands here: far from text, heap, stack */
#define ARENA_PAGES (1U << 18) /* 1 GiB of it */
#define NREGION 16

static char buf[BUF_SIZE]; /* a valid buffer */
static char *lazy;	   /* LAZY_SIZE bytes mapped, never touched */
static char *edge;	   /* the end of a mapped page; the next is unmapped */
static uint64 text_addr;   /* read-only program text */
static uint64 stack_addr;  /* in the stack's live frames */
static uint64 deep_stack;  /* 1 MiB below them: never used, the stack grows there */
static struct region {
	uint64 addr, len;
	int prot;
} regions[NREGION];
static int nregions;

static void add_region(uint64 addr, uint64 len, int prot)
{
	int i = nregions < NREGION ? nregions++ : (int)rnd(NREGION);

	regions[i].addr = addr;
	regions[i].len = len;
	regions[i].prot = prot;
}

/* [addr, addr + len) was unmapped, or replaced: forget the regions it touches. */
static void drop_regions(uint64 addr, uint64 len)
{
	for (int i = 0; i < nregions;) {
		if (regions[i].addr < addr + len && addr < regions[i].addr + regions[i].len)
			regions[i] = regions[--nregions];
		else
			i++;
	}
}

/* [addr, addr + len) got protection @prot: so do the regions inside it. */
static void protect_regions(uint64 addr, uint64 len, int prot)
{
	for (int i = 0; i < nregions; i++)
		if (regions[i].addr < addr + len && addr < regions[i].addr + regions[i].len)
			regions[i].prot = prot;
}

/* Does [addr, addr + len) touch the driver's shared page? Never replace it. */
static int hits_shared(uint64 addr, uint64 len)
{
	uint64 s = (uint64)fz_shared;

	return addr < s + FZ_PAGE && addr + len > s;
}

/* ---- the batch's descriptors ----------------------------------------------- */

enum fd_kind { K_NONE, K_FILE, K_EOF, K_DEAD, K_PIPE_R, K_PIPE_W };

#define NPIPE 32

static struct {
	int kind;
	int pipe; /* K_PIPE_*: index in pipes[] */
} fds[NOFILE];
static struct {
	int bytes;   /* in the pipe, as far as this process knows */
	int readers; /* its descriptors for the read end */
	int writers;
} pipes[NPIPE];
static int npipes;

static void fd_set(int fd, int kind, int pipe)
{
	if (fd < 0 || fd >= NOFILE)
		return;
	fds[fd].kind = kind;
	fds[fd].pipe = pipe;
	if (kind == K_PIPE_R)
		pipes[pipe].readers++;
	if (kind == K_PIPE_W)
		pipes[pipe].writers++;
}

static void fd_forget(int fd)
{
	if (fd < 0 || fd >= NOFILE)
		return;
	if (fds[fd].kind == K_PIPE_R)
		pipes[fds[fd].pipe].readers--;
	if (fds[fd].kind == K_PIPE_W)
		pipes[fds[fd].pipe].writers--;
	fds[fd].kind = K_NONE;
}

/* ---- children -------------------------------------------------------------- */

#define MAX_KIDS 4

static int kids[MAX_KIDS], nkids;
static int in_child; /* a child of the batch: a few calls, then exit */

/* ---- the log of calls (-v) --------------------------------------------------- */

static uint64 cur_batch;
static int cur_call;

#define LOG(...)                                                                                 \
	do {                                                                                     \
		if (fz_opt.verbose) {                                                            \
			char _l[200];                                                            \
			int _n = snprintf(_l, sizeof(_l), "fz %llu.%d%s: ", cur_batch, cur_call, \
					  in_child ? "c" : "");                                  \
			if (_n > 0 && _n < (int)sizeof(_l))                                      \
				snprintf(_l + _n, sizeof(_l) - _n, __VA_ARGS__);                 \
			_n = strlen(_l);                                                         \
			if (_n < (int)sizeof(_l) - 1)                                            \
				_l[_n++] = '\n';                                                 \
			write(FZ_CONSOLE_FD, _l, _n);                                            \
		}                                                                                \
	} while (0)

/* ---- argument generators -------------------------------------------------------- */

static uint64 kernel_addr(void)
{
	/* the kernel's text on RISC-V and on ARM64 (the other arch's: unmapped) */
	return one_in(2) ? 0xffffffc080200000ULL : 0xffffff8040200000ULL;
}

/* An address nothing valid lives at (or that the kernel must refuse). */
static uint64 bad_addr(void)
{
	switch (rnd(9)) {
	case 0:
		return 0;
	case 1:
		return kernel_addr();
	case 2:
		return 0x3000000000ULL; /* below TASK_SIZE on both, never mapped */
	case 3:
		return ~0ULL;
	case 4:
		return 0x4000000000ULL - 8; /* the end of RISC-V's user range */
	case 5:
		return 0x8000000000ULL - 8; /* ARM64's */
	case 6:
		return 0x8000000000000000ULL;
	case 7:
		return rnd64();
	default:
		return 4096 + rnd(4096); /* page 1: below every program */
	}
}

/* A region address with a random offset (possibly past its end). */
static uint64 region_addr(void)
{
	struct region *r;

	if (nregions == 0)
		return (uint64)lazy;
	r = &regions[rnd(nregions)];
	switch (rnd(4)) {
	case 0:
		return r->addr;
	case 1:
		return r->addr + (rnd64() % (r->len + FZ_PAGE));
	case 2:
		return r->addr + r->len - 1 - rnd(16);
	default:
		return r->addr + FZ_PAGE * rnd((uint)(r->len / FZ_PAGE) + 1);
	}
}

/* @p, unless the kernel would store up to @len bytes there into the
 * driver's counter: then the valid buffer. */
static uint64 spare_shared(uint64 p, uint64 len)
{
	uint64 s = (uint64)fz_shared;

	if (p < s + FZ_PAGE && (p + len > s || p + len < p))
		return (uint64)buf;
	return p;
}

/* what pick_buf() returned: the buffer, the lazy one, memory that may or
 * may not be valid (it may go on for gigabytes: text, then data and heap),
 * or an address that is never valid */
enum { P_VALID, P_LAZY, P_MAYBE, P_BAD };

/*
 * A buffer pointer for a copy of up to @len bytes to (@to_user) or from the
 * kernel; *@kind says whether it is the valid buffer, the lazy one, or
 * something else.
 */
static uint64 pick_buf(int to_user, int *kind)
{
	*kind = P_MAYBE;
	switch (rnd(16)) {
	case 0:
	case 1:
		*kind = P_BAD;
		return bad_addr();
	case 2:
		return text_addr + rnd(256); /* readable, not writable */
	case 3:
		return (uint64)edge - rnd(64); /* runs off into an unmapped page */
	case 4:
		return (uint64)buf + 1 + rnd(7); /* misaligned */
	case 5:
		return region_addr();
	case 6:
		/* not the live frames: a stray store there would make the
		 * fuzzer loop, not the kernel fail */
		return deep_stack - rnd(4096);
	case 7:
	case 8:
		*kind = P_LAZY;
		return (uint64)lazy + (to_user ? FZ_PAGE * rnd(1024) : 0);
	default:
		*kind = P_VALID;
		return (uint64)buf + rnd(64);
	}
}

static int pick_len(void)
{
	switch (rnd(14)) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return (int)rnd(64);
	case 3:
		return (int)rnd(4096);
	case 4:
		return 4096;
	case 5:
		return 4097;
	case 6:
		return 65536;
	case 7:
		return 1 << 20;
	case 8:
		return 0x7fffffff;
	case 9:
		return -1;
	case 10:
		return (int)rnd64();
	default:
		return (int)rnd(512);
	}
}

static int pick_fd(void)
{
	switch (rnd(12)) {
	case 0:
		return -1;
	case 1:
		return NOFILE + (int)rnd(4);
	case 2:
		return (int)rnd64();
	default: {
		int fd = (int)rnd(NOFILE);
		if (fz_opt.verbose && fd == FZ_CONSOLE_FD)
			fd = 3;
		return fd;
	}
	}
}

/* ---- paths ----------------------------------------------------------------------- */

/* names in the scratch directory: anything may be done to them */
static const char *const scratch_names[] = {
    "", "/a", "/b", "/c", "/d", "/d/e", "/d/f", "/a/x", "/elf", "/d/e/g",
};
#define SCRATCH_ELF 8 /* DIR/elf: c_mkelf writes it, c_exec runs it */
#define NSCRATCH (sizeof(scratch_names) / sizeof(scratch_names[0]))
static char scratch[NSCRATCH][MAXPATH];

/* relative names (the current directory is the scratch one or in /proc) */
static const char *const relative_names[] = {"a", "b", "d", "d/e", ".", "..", "e", "maps"};

/* /proc and names that do not exist: every change of name must fail */
static const char *const proc_names[] = {
    "/proc",
    "/proc/meminfo",
    "/proc/self",
    "/proc/self/maps",
    "/proc/self/smaps",
    "/proc/1",
    "/proc/1/maps",
    "/proc/999999/maps",
    "/proc/self/q",
    "/proc/q",
    "/proc/sys",
    "/proc/sys/vm",
    "/proc/sys/vm/q",
    "/proc/vmstat",
    "/nonexistent",
    "/nonexistent/x",
    "/",
    "",
    "/proc/self/maps/x",
    "/proc/buddyinfo",
};

/* opened read-only, or exec'd: never changed */
static const char *const readonly_names[] = {
    "/README.md", "/proc/sys/vm/min_free_kbytes", "/proc/slabinfo", "/proc/zoneinfo", ".", "..",
};

#define PICK(a) ((a)[rnd(sizeof(a) / sizeof((a)[0]))])

/* A path pointer that is not a proper name: bad, too long, or unterminated. */
static uint64 odd_path(void)
{
	switch (rnd(3)) {
	case 0:
		return bad_addr();
	case 1: /* longer than MAXPATH */
		memset(buf + 1024, 'a', MAXPATH + 16);
		buf[1024 + MAXPATH + 16] = 0;
		return (uint64)buf + 1024;
	default: /* no NUL before the end of the page: the copy must fault */
		return (uint64)edge - 1 - rnd(MAXPATH + 8);
	}
}

/* A path whose object may be created, changed or removed. */
static uint64 change_path(void)
{
	switch (rnd(10)) {
	case 0:
		return odd_path();
	case 1:
	case 2:
		return (uint64)PICK(proc_names);
	case 3:
		return (uint64)PICK(relative_names);
	default:
		return (uint64)scratch[rnd(NSCRATCH)];
	}
}

/* A path that is only looked up, opened read-only or exec'd. */
static uint64 look_path(void)
{
	if (one_in(3))
		return (uint64)PICK(readonly_names);
	return change_path();
}

/* ---- the calls ---------------------------------------------------------------------- */

static long c_read(void)
{
	int fd = pick_fd(), len = pick_len(), kind;
	uint64 p = pick_buf(1, &kind);
	long r;

	if (fd >= 0 && fd < NOFILE && fds[fd].kind == K_PIPE_R) {
		/* an empty pipe whose writer we hold would block for ever */
		if (pipes[fds[fd].pipe].bytes == 0 && pipes[fds[fd].pipe].writers > 0)
			return 0;
	}
	/* the valid buffer, or memory near our own (the stack, the buffer
	 * misaligned): never more than it holds, or we would overwrite our
	 * own state and loop */
	if ((kind == P_VALID || kind == P_MAYBE) && len > BUF_SIZE - 64)
		len = BUF_SIZE - 64;
	p = spare_shared(p, (uint)len);
	LOG("read(%d, %p, %d)", fd, (void *)p, len);
	r = read(fd, (void *)p, len);
	if (r > 0 && fd >= 0 && fd < NOFILE && fds[fd].kind == K_PIPE_R)
		pipes[fds[fd].pipe].bytes -=
		    r < pipes[fds[fd].pipe].bytes ? r : pipes[fds[fd].pipe].bytes;
	return r;
}

static long c_write(void)
{
	int fd = pick_fd(), len = pick_len(), kind;
	uint64 p = pick_buf(0, &kind);
	long r;

	/* valid memory may go on for as long as asked: keep files small (the
	 * disk is slow and small) and the run quick */
	if (kind != P_BAD && (len > 4096 || len < 0) && !one_in(64))
		len = (int)rnd(4096);
	if (kind != P_BAD && len > BUF_SIZE - 64)
		len = BUF_SIZE - 64;
	if (fd >= 0 && fd < NOFILE && fds[fd].kind == K_PIPE_W) {
		int i = fds[fd].pipe, room = 4096 - pipes[i].bytes;
		if (pipes[i].readers > 0 && len > room)
			len = room; /* a full pipe whose reader we hold: for ever */
		if (pipes[i].readers > 0 && len <= 0)
			return 0;
	}
	LOG("write(%d, %p, %d)", fd, (void *)p, len);
	r = write(fd, (void *)p, len);
	if (r > 0 && fd >= 0 && fd < NOFILE && fds[fd].kind == K_PIPE_W)
		pipes[fds[fd].pipe].bytes += r;
	return r;
}

static long c_open(void)
{
	int flags;
	uint64 path;
	long fd;

	if (one_in(3)) {
		path = (uint64)PICK(readonly_names);
		flags = O_RDONLY;
	} else {
		path = change_path();
		flags = (int)PICK(((const int[]){O_RDONLY, O_WRONLY, O_RDWR, O_CREATE | O_RDWR,
						 O_CREATE | O_WRONLY | O_TRUNC, O_CREATE, O_TRUNC,
						 O_WRONLY | O_RDWR, -1}));
		if (one_in(8))
			flags |= 1 << rnd(31); /* meaningless bits */
	}
	LOG("open(%p, 0x%x)", (void *)path, flags);
	fd = open((const char *)path, flags);
	if (fd >= 0 && fd < NOFILE) {
		fd_forget(fd);
		fd_set(fd, K_FILE, 0);
	}
	return fd;
}

static long c_close(void)
{
	int fd = pick_fd();
	long r;

	LOG("close(%d)", fd);
	r = close(fd);
	if (r == 0)
		fd_forget(fd);
	return r;
}

static long c_dup(void)
{
	int fd = pick_fd();
	long r;

	LOG("dup(%d)", fd);
	r = dup(fd);
	if (r >= 0 && r < NOFILE) {
		fd_forget(r);
		fd_set(r, fds[fd].kind, fds[fd].pipe);
	}
	return r;
}

static long c_pipe(void)
{
	int kind, p[2];
	uint64 where = one_in(4) ? pick_buf(1, &kind) : (uint64)(buf + 4096);

	where = spare_shared(where, sizeof(p));
	long r;

	LOG("pipe(%p)", (void *)where);
	r = pipe((int *)where);
	if (r != 0)
		return r;
	/* the kernel wrote the two descriptors there (maybe misaligned) */
	memmove(p, (void *)where, sizeof(p));
	if (npipes == NPIPE) {
		close(p[0]); /* no room to keep track: give them back */
		close(p[1]);
		return r;
	}
	pipes[npipes].bytes = 0;
	fd_forget(p[0]);
	fd_forget(p[1]);
	fd_set(p[0], K_PIPE_R, npipes);
	fd_set(p[1], K_PIPE_W, npipes);
	npipes++;
	return r;
}

static long c_fstat(void)
{
	int fd = pick_fd(), kind;
	uint64 st = spare_shared(pick_buf(1, &kind), sizeof(struct stat));

	LOG("fstat(%d, %p)", fd, (void *)st);
	return fstat(fd, (struct stat *)st);
}

static long c_link(void)
{
	uint64 old = look_path(), new = change_path();

	LOG("link(%p, %p)", (void *)old, (void *)new);
	return link((const char *)old, (const char *)new);
}

static long c_unlink(void)
{
	uint64 path = change_path();

	LOG("unlink(%p)", (void *)path);
	return unlink((const char *)path);
}

static long c_mkdir(void)
{
	uint64 path = change_path();

	LOG("mkdir(%p)", (void *)path);
	return mkdir((const char *)path);
}

static long c_mknod(void)
{
	uint64 path = change_path();
	/* never the console's major (1): a read of it would wait for a user */
	short major = (short)PICK(((const int[]){0, 2, 3, 9, -1, 32767, -32768}));
	short minor = (short)rnd64();

	LOG("mknod(%p, %d, %d)", (void *)path, major, minor);
	return mknod((const char *)path, major, minor);
}

static long c_chdir(void)
{
	static const char *const dirs[] = {"/proc", "/proc/self", "/proc/sys/vm", "/proc/1"};
	uint64 path;

	switch (rnd(6)) {
	case 0:
		path = odd_path();
		break;
	case 1:
		path = (uint64)PICK(dirs);
		break;
	case 2:
		path = (uint64) "/nonexistent";
		break;
	default: /* the scratch directory or one below it (a file: ENOTDIR) */
		path = (uint64)scratch[rnd(5)];
		break;
	}
	LOG("chdir(%p)", (void *)path);
	return chdir((const char *)path);
}

static long c_fork(void)
{
	long pid;

	if (in_child || nkids >= MAX_KIDS)
		return 0;
	LOG("fork()");
	pid = fork();
	if (pid == 0) {
		in_child = 1;
		nkids = 0;
		return 0;
	}
	if (pid > 0)
		kids[nkids++] = (int)pid;
	return pid;
}

static long c_wait(void)
{
	int kind;
	uint64 st = one_in(2) ? (uint64)(buf + 8192) : spare_shared(pick_buf(1, &kind), 4);
	long pid;

	if (in_child)
		return 0;
	LOG("wait(%p)", (void *)st);
	pid = wait((int *)st);
	for (int i = 0; i < nkids; i++) {
		if (kids[i] == pid) {
			kids[i] = kids[--nkids];
			break;
		}
	}
	return pid;
}

static long c_kill(void)
{
	int pid;

	switch (rnd(12)) {
	case 0:
		if (!one_in(8))
			return 0;
		pid = getpid(); /* the batch ends here */
		break;
	case 1:
	case 2:
		pid = 1; /* init: must be refused */
		break;
	case 3:
		pid = nkids ? kids[rnd(nkids)] : 0;
		break;
	default:
		pid = (int)PICK(((const int[]){0, -1, 999999, 0x7fffffff, -0x7fffffff - 1, 65}));
		break;
	}
	LOG("kill(%d)", pid);
	return kill(pid);
}

static long c_sleep(void)
{
	int n = (int)PICK(((const int[]){0, 1, 2, -1, -0x7fffffff - 1}));

	LOG("sleep(%d)", n);
	return sleep(n);
}

static long c_sbrk(void)
{
	int n = (int)PICK(((const int[]){0, 4096, -4096, 100, -100, 1 << 20, -(1 << 20), 1 << 30,
					 -(1 << 30), 0x7fffffff, -0x7fffffff - 1, 12345}));
	char *p;

	if (one_in(8))
		n = (int)rnd64();
	LOG("sbrk(%d)", n);
	p = sbrk(n);
	if (p != (char *)-1 && n > 0 && one_in(2))
		p[n - 1] = 1; /* touch the new top */
	return (long)p;
}

static uint64 pick_map_len(void)
{
	switch (rnd(12)) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return 1UL << 20;
	case 3:
		return 1UL << 30;
	case 4:
		return 64UL << 30;
	case 5:
		return 0x4000000000ULL;
	case 6:
		return ~0ULL - rnd(8192);
	case 7:
		return rnd64();
	default:
		return FZ_PAGE * (1 + rnd(16));
	}
}

static long c_mmap(void)
{
	uint64 len = pick_map_len(), addr = 0, off = 0;
	int prot = (int)rnd(8), flags, fd = -1;
	long r;

	flags = (int)PICK(((const int[]){MAP_PRIVATE, MAP_SHARED, MAP_PRIVATE | MAP_SHARED, 0}));
	if (!one_in(3))
		flags |= MAP_ANONYMOUS;
	else
		fd = pick_fd();
	if (one_in(16))
		prot |= 1 << rnd(31);
	switch (rnd(6)) {
	case 0:
		addr = ARENA + FZ_PAGE * rnd(ARENA_PAGES);
		break;
	case 1:
		addr = ARENA + FZ_PAGE * rnd(ARENA_PAGES);
		flags |= MAP_FIXED;
		break;
	case 2:
		addr = one_in(16) ? region_addr() & ~(FZ_PAGE - 1) : bad_addr();
		if (one_in(4))
			flags |= MAP_FIXED; /* may replace our own memory: then we die */
		break;
	default:
		break;
	}
	if (!(flags & MAP_ANONYMOUS) && one_in(2))
		off = PICK(((const uint64[]){FZ_PAGE, 1, 8 * FZ_PAGE, ~0ULL - 4095, 1ULL << 40}));
	if ((flags & MAP_FIXED) && hits_shared(addr, len))
		flags &= ~MAP_FIXED;
	LOG("mmap(%p, 0x%llx, %d, 0x%x, %d, 0x%llx)", (void *)addr, len, prot, flags, fd, off);
	r = (long)mmap((void *)addr, len, prot, flags, fd, (long)off);
	if (r != -1 && len <= LAZY_SIZE) {
		len = (len + FZ_PAGE - 1) & ~(FZ_PAGE - 1);
		drop_regions((uint64)r, len);
		add_region((uint64)r, len, prot);
	}
	return r;
}

/* An address range for munmap/mprotect/msync: mostly our own mappings. */
static void pick_range(uint64 *addr, uint64 *len)
{
	switch (rnd(8)) {
	case 0:
		*addr = bad_addr();
		*len = pick_map_len();
		break;
	case 1:
		*addr = ARENA + FZ_PAGE * rnd(ARENA_PAGES);
		*len = pick_map_len();
		break;
	default:
		*addr = region_addr();
		*len = one_in(3) ? pick_map_len() : FZ_PAGE * (1 + rnd(4));
		break;
	}
	if (one_in(64)) {
		/* our own stack or text: a later fault ends the batch */
		*addr = (one_in(2) ? stack_addr : text_addr) & ~(FZ_PAGE - 1);
		*len = FZ_PAGE;
	}
	if (hits_shared(*addr, *len)) {
		*addr = ARENA; /* the driver's counter stays */
		*len = FZ_PAGE;
	}
}

static long c_munmap(void)
{
	uint64 addr, len;

	pick_range(&addr, &len);
	LOG("munmap(%p, 0x%llx)", (void *)addr, len);
	if (munmap((void *)addr, len) < 0)
		return -1;
	drop_regions(addr, len);
	return 0;
}

static long c_mprotect(void)
{
	uint64 addr, len;
	int prot = (int)rnd(8);

	pick_range(&addr, &len);
	if (one_in(16))
		prot = (int)rnd64();
	LOG("mprotect(%p, 0x%llx, %d)", (void *)addr, len, prot);
	if (mprotect((void *)addr, len, prot) < 0)
		return -1;
	protect_regions(addr, len, prot);
	return 0;
}

static long c_msync(void)
{
	uint64 addr, len;
	int flags = (int)rnd(8);

	pick_range(&addr, &len);
	LOG("msync(%p, 0x%llx, %d)", (void *)addr, len, flags);
	return msync((void *)addr, len, flags);
}

/* Not a system call: load or store in one of our mappings (page faults). */
static long c_touch(void)
{
	struct region *r;
	volatile char *p;

	if (nregions == 0)
		return 0;
	r = &regions[rnd(nregions)];
	p = (volatile char *)(r->addr + rnd64() % r->len);
	/* mostly what the protection allows; now and then not (we die) */
	if (!one_in(16) && !(r->prot & PROT_READ))
		return 0;
	LOG("touch(%p)", (void *)p);
	if ((r->prot & PROT_WRITE) || one_in(32))
		*p = (char)rnd(256);
	return *p;
}

/* Write a file that looks like an ELF executable of random shape. */
static long c_mkelf(void)
{
	static uint16 machine;
	uchar *e = (uchar *)buf + 16384;
	int nph = (int)rnd(4), fd, len;

	if (machine == 0) {
		/* our own e_machine, read from our own program file */
		fd = open("/sysfuzz", O_RDONLY);
		if (fd < 0 || read(fd, e, 64) != 64)
			machine = 243;
		else
			machine = (uint16)(e[18] | e[19] << 8);
		if (fd >= 0)
			close(fd);
	}
	memset(e, 0, 64 + 56 * 4);
	e[0] = 0x7f, e[1] = 'E', e[2] = 'L', e[3] = 'F', e[4] = 2, e[5] = 1, e[6] = 1;
	*(uint16 *)(e + 16) = 2;					    /* ET_EXEC */
	*(uint16 *)(e + 18) = one_in(8) ? (uint16)rnd64() : machine;	    /* e_machine */
	*(uint64 *)(e + 24) = one_in(2) ? 0x10000 + rnd(64) * 4 : rnd64();  /* e_entry */
	*(uint64 *)(e + 32) = one_in(8) ? rnd64() : 64;			    /* e_phoff */
	*(uint16 *)(e + 54) = one_in(8) ? (uint16)rnd(100) : 56;	    /* e_phentsize */
	*(uint16 *)(e + 56) = (uint16)(one_in(8) ? rnd(65536) : (uint)nph); /* e_phnum */
	for (int i = 0; i < nph; i++) {
		uchar *ph = e + 64 + 56 * i;
		uint64 vaddr = one_in(4) ? rnd64() : 0x10000 + FZ_PAGE * rnd(64);
		*(uint32 *)ph = one_in(8) ? (uint32)rnd(8) : 1;			  /* PT_LOAD */
		*(uint32 *)(ph + 4) = (uint32)rnd(8);				  /* flags */
		*(uint64 *)(ph + 8) = one_in(4) ? rnd64() : rnd(512);		  /* offset */
		*(uint64 *)(ph + 16) = vaddr;					  /* vaddr */
		*(uint64 *)(ph + 32) = one_in(4) ? rnd64() : rnd(1024);		  /* filesz */
		*(uint64 *)(ph + 40) = one_in(4) ? rnd64() : FZ_PAGE * rnd(2048); /* memsz */
	}
	len = 64 + 56 * 4 + (int)rnd(512);
	LOG("mkelf()");
	fd = open(scratch[SCRATCH_ELF], O_CREATE | O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -1;
	write(fd, e, len);
	close(fd);
	return 0;
}

static long c_exec(void)
{
	static char *argv[MAXARG + 8];
	uint64 path, av;

	switch (rnd(8)) {
	case 0:
		path = (uint64) "/echo";
		break;
	case 1:
	case 2:
		path = (uint64)scratch[SCRATCH_ELF];
		break;
	default:
		path = look_path();
		break;
	}
	for (int i = 0; i < MAXARG + 8; i++)
		argv[i] = (char *)(one_in(4) ? bad_addr() : (uint64)(buf + 8 * rnd(512)));
	switch (rnd(5)) {
	case 0:
		av = bad_addr();
		break;
	case 1: /* too many arguments */
		for (int i = 0; i < MAXARG + 8; i++)
			argv[i] = buf;
		buf[0] = 0;
		av = (uint64)argv;
		break;
	case 2: /* no NULL before the end of the page */
		av = (uint64)edge - 8 * (1 + rnd(4));
		break;
	default: /* a few arguments, maybe bad */
		argv[rnd(4)] = 0;
		av = (uint64)argv;
		break;
	}
	LOG("exec(%p, %p)", (void *)path, (void *)av);
	return exec((const char *)path, (char **)av);
}

static long c_misc(void)
{
	switch (rnd(7)) {
	case 0:
		LOG("getpid()");
		return getpid();
	case 1:
		LOG("uptime()");
		return uptime();
	case 2:
		LOG("geterrno()");
		return geterrno();
	case 3:
		LOG("poweroff(3)");
		return poweroff(3); /* only init may: EPERM */
	case 4:
		LOG("getprocs()");
		return getprocs(); /* no such call */
	case 5:
		if (!one_in(64))
			return 0;
		LOG("exit()");
		exit((int)rnd64()); /* the batch ends early */
	default:
		LOG("geterrno()");
		return geterrno();
	}
}

static const struct fz_call {
	long (*fn)(void);
	int weight;
	int child_ok; /* may a batch's child make it (it never blocks) */
} calls[] = {
    {c_read, 12, 0}, {c_write, 12, 0}, {c_open, 10, 1}, {c_close, 6, 1},  {c_dup, 4, 1},
    {c_pipe, 3, 1},  {c_fstat, 4, 1},  {c_link, 4, 1},	{c_unlink, 5, 1}, {c_mkdir, 4, 1},
    {c_mknod, 2, 1}, {c_chdir, 3, 1},  {c_fork, 2, 0},	{c_wait, 2, 0},	  {c_kill, 2, 1},
    {c_sleep, 1, 0}, {c_sbrk, 4, 1},   {c_mmap, 8, 1},	{c_munmap, 5, 1}, {c_mprotect, 4, 1},
    {c_msync, 2, 1}, {c_touch, 6, 1},  {c_mkelf, 1, 0}, {c_exec, 2, 0},	  {c_misc, 4, 1},
};
#define NCALLS (sizeof(calls) / sizeof(calls[0]))

static void one_call(void)
{
	static int total;
	uint w;

	if (total == 0)
		for (uint i = 0; i < NCALLS; i++)
			total += calls[i].weight;
	for (;;) {
		w = rnd((uint)total);
		uint i = 0;
		while (w >= (uint)calls[i].weight)
			w -= calls[i++].weight;
		if (in_child && !calls[i].child_ok)
			continue;
		__atomic_fetch_add(&fz_shared->calls, 1, __ATOMIC_RELAXED);
		calls[i].fn();
		return;
	}
}

/* ---- a batch ------------------------------------------------------------------------- */

/* fds 0, 1, 2: a pipe at end of file, and a pipe nobody reads */
static void replace_stdio(void)
{
	int p[2];

	if (fz_opt.verbose) {
		/* a copy of the console at FZ_CONSOLE_FD, for the log */
		int got[NOFILE], n = 0, fd;
		while ((fd = dup(1)) >= 0 && fd != FZ_CONSOLE_FD)
			got[n++] = fd;
		while (n > 0)
			close(got[--n]);
	}
	close(0);
	close(1);
	close(2);
	if (pipe(p) != 0 || p[0] != 0 || p[1] != 1)
		exit(9);
	close(1); /* fd 0: read end, writer gone: end of file */
	if (pipe(p) != 0 || p[0] != 1 || p[1] != 2)
		exit(9);
	close(1); /* fd 2: write end, reader gone */
	if (dup(2) != 1)
		exit(9);
	fds[0].kind = K_EOF;
	fds[1].kind = K_DEAD;
	fds[2].kind = K_DEAD;
}

static void setup_names(void)
{
	for (uint i = 0; i < NSCRATCH; i++) {
		strcpy(scratch[i], fz_opt.dir);
		strcpy(scratch[i] + strlen(scratch[i]), scratch_names[i]);
	}
}

static void setup_memory(void)
{
	char *p;

	lazy = mmap(0, LAZY_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p = mmap(0, 2 * FZ_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (lazy == MAP_FAILED || p == MAP_FAILED)
		exit(8);
	munmap(p + FZ_PAGE, FZ_PAGE);
	memset(p, 'x', FZ_PAGE); /* strings without a NUL up to the edge */
	edge = p + FZ_PAGE;
	add_region((uint64)p, FZ_PAGE, PROT_READ | PROT_WRITE);
	add_region((uint64)lazy, LAZY_SIZE, PROT_READ | PROT_WRITE);
	text_addr = (uint64)&one_call;
	stack_addr = (uint64)&p;
	deep_stack = (stack_addr & ~(FZ_PAGE - 1)) - (1 << 20);
	for (int i = 0; i < BUF_SIZE; i++)
		buf[i] = (char)rnd(256);
}

void fz_run_batch(uint64 batch, int ncalls)
{
	rng = splitmix(splitmix(fz_opt.seed) ^ batch) | 1;
	cur_batch = batch;
	replace_stdio();
	setup_names();
	setup_memory();
	chdir(fz_opt.dir);
	for (cur_call = 0; cur_call < ncalls; cur_call++) {
		one_call();
		if (in_child && one_in(4))
			exit(0); /* a child makes a few calls */
	}
	while (!in_child && wait(0) >= 0)
		;
	exit(0);
}
