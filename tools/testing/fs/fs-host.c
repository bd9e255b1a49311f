/*
 * tools/testing/fs/fs-host.c - the host environment for the real fs/ code:
 * RAM disk (in place of virtio-blk), locks and sleep for one thread, a fake
 * process, user copies, the page allocator, syscall arguments, and an
 * independent file-system checker.
 *
 * See: fs-host.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kernel/types.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/sleeplock.h>
#include <kernel/proc.h>
#include <kernel/gfp.h>
#include <kernel/uaccess.h>
#include <kernel/syscall.h>
#include <kernel/buf.h>
#include <kernel/fs.h>
#include <kernel/file.h>
#include <kernel/slab.h>
#include <kernel/virtio.h>
#include <uapi/pagoda/fs.h>
#include <uapi/pagoda/stat.h>

#include "ktest-host.h"
#include "fs-host.h"

/* --- printk and panic ------------------------------------------------------ */

char fs_host_panic_msg[512];
static jmp_buf *panic_env;
bool fs_host_quiet;

int printk(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (fs_host_quiet)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	msg[strcspn(msg, "\n")] = '\0';
	printf("# printk: %s\n", msg);
	return 0;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fs_host_panic_msg, sizeof(fs_host_panic_msg), fmt, ap);
	va_end(ap);
	if (panic_env) {
		jmp_buf *env = panic_env;

		panic_env = NULL;
		longjmp(*env, 1);
	}
	printf("# kernel panic: %s\n", fs_host_panic_msg);
	fflush(stdout);
	abort();
}

void fs_host_expect_panic(jmp_buf *env)
{
	fs_host_panic_msg[0] = '\0';
	panic_env = env;
}

/* --- locks and sleep: one thread, so they only check the rules ------------- */

void spin_lock_init(struct spinlock *lk, const char *name)
{
	lk->locked = 0;
	lk->name = name;
	lk->cpu = NULL;
}

void spin_lock(struct spinlock *lk)
{
	if (lk->locked)
		panic("spin_lock: %s already held (deadlock)", lk->name);
	lk->locked = 1;
}

void spin_unlock(struct spinlock *lk)
{
	if (!lk->locked)
		panic("spin_unlock: %s not held", lk->name);
	lk->locked = 0;
}

bool spin_is_held(struct spinlock *lk)
{
	return lk->locked;
}

void sleeplock_init(struct sleeplock *slk, const char *name)
{
	spin_lock_init(&slk->lk, "sleeplock");
	slk->locked = false;
	slk->pid = 0;
	slk->name = name;
}

void sleep_lock(struct sleeplock *slk)
{
	if (slk->locked)
		panic("sleep_lock: %s already held: a single thread would wait forever", slk->name);
	slk->locked = true;
	slk->pid = 1;
}

void sleep_unlock(struct sleeplock *slk)
{
	if (!slk->locked)
		panic("sleep_unlock: %s not held", slk->name);
	slk->locked = false;
	slk->pid = 0;
}

bool sleep_lock_held(struct sleeplock *slk)
{
	return slk->locked;
}

void sleep(void *chan, struct spinlock *lk)
{
	spin_unlock(lk); /* as the real sleep does, so a test may catch this and go on */
	panic("sleep on %p (lock %s): no other thread could wake us", chan, lk->name);
}

void wakeup(void *chan)
{
}

/* --- the process and its "user" memory ------------------------------------ */

static struct proc the_proc = {.pid = 1, .name = "fs-test"};

struct proc *myproc(void)
{
	return &the_proc;
}

bool killed(struct proc *p)
{
	return p->killed;
}

static bool bad_user(u64 addr, u64 len)
{
	return addr < FS_HOST_BAD_LIMIT || addr + len < addr;
}

/* no /proc on the host: every path goes to the disk */
struct inode *procfs_dirlookup(struct inode *dp, const char *name)
{
	(void)dp;
	(void)name;
	return NULL;
}

void procfs_note_lookup(struct inode *dp, const char *name, struct inode *ip)
{
	(void)dp;
	(void)name;
	(void)ip;
}

bool procfs_is_dir(struct inode *ip)
{
	(void)ip;
	return false;
}

int procfs_readdir(struct file *f, u64 dst, int n)
{
	(void)f;
	(void)dst;
	(void)n;
	return -1;
}

/* no memory mappings on the host, so no shared-memory file is ever closed */
void shmem_release(struct inode *ip)
{
	(void)ip;
}

bool user_range_mapped(u64 addr, u64 len, bool write)
{
	(void)write;
	return !bad_user(addr, len);
}

int fault_in_user_range(u64 addr, u64 len, bool write)
{
	(void)write;
	return bad_user(addr, len) ? -EFAULT : 0;
}

int copy_to_user(u64 udst, const void *src, u64 len)
{
	if (bad_user(udst, len))
		return -EFAULT;
	memmove((void *)(uintptr_t)udst, src, len);
	return 0;
}

int copy_from_user(void *dst, u64 usrc, u64 len)
{
	if (bad_user(usrc, len))
		return -EFAULT;
	memmove(dst, (const void *)(uintptr_t)usrc, len);
	return 0;
}

int either_copyout(int user_dst, u64 dst, const void *src, u64 len)
{
	if (user_dst)
		return copy_to_user(dst, src, len);
	memmove((void *)(uintptr_t)dst, src, len);
	return 0;
}

int either_copyin(void *dst, int user_src, u64 src, u64 len)
{
	if (user_src)
		return copy_from_user(dst, src, len);
	memmove(dst, (const void *)(uintptr_t)src, len);
	return 0;
}

/* --- pages ------------------------------------------------------------- */

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	void *p = aligned_alloc(PAGE_SIZE, PAGE_SIZE << order);

	if (p && (gfp & __GFP_ZERO))
		memset(p, 0, PAGE_SIZE << order);
	return (unsigned long)p;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		memset((void *)addr, 0x6b, PAGE_SIZE << order); /* poison */
	free((void *)addr);
}

/* --- slab: kmem_cache_* and kmalloc on the host's malloc ----------------------- */

/*
 * The file system's objects (struct file, struct inode, struct pipe) come
 * from the slab allocator in the kernel; here every object is a malloc'd
 * block, so ASan sees each one: a use after free or an overrun of a struct
 * inode is reported as such. Freed objects are poisoned first.
 */
struct kmem_cache {
	const char *name;
	unsigned int size;
	void (*ctor)(void *);
};

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *))
{
	struct kmem_cache *s = calloc(1, sizeof(*s));

	(void)align;
	(void)flags;
	s->name = name;
	s->size = size;
	s->ctor = ctor;
	return s;
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	void *p = malloc(s->size);

	memset(p, 0x5a, s->size);
	/* (the kernel constructs once per slab; every time looks the same to callers) */
	if (s->ctor)
		s->ctor(p);
	if (gfp & __GFP_ZERO)
		memset(p, 0, s->size);
	return p;
}

void kmem_cache_free(struct kmem_cache *s, void *p)
{
	if (!p)
		return;
	memset(p, 0x6b, s->size);
	free(p);
}

void *kmalloc(size_t size, gfp_t gfp)
{
	void *p = malloc(size ? size : 1);

	memset(p, (gfp & __GFP_ZERO) ? 0 : 0x5a, size);
	return p;
}

void kfree(const void *p)
{
	free((void *)p);
}

/* --- system-call arguments ------------------------------------------------- */

static u64 sys_args[6];

u64 argraw(int n)
{
	return n >= 0 && n < 6 ? sys_args[n] : 0;
}

int argint(int n)
{
	return (int)argraw(n);
}

u64 argaddr(int n)
{
	return argraw(n);
}

int argstr(int n, char *buf, int max)
{
	u64 addr = argraw(n);
	int i;

	for (i = 0; i < max; i++) {
		if (bad_user(addr + i, 1))
			return -EFAULT;
		buf[i] = *(const char *)(uintptr_t)(addr + i);
		if (buf[i] == '\0')
			return i;
	}
	return -ENAMETOOLONG;
}

long fs_host_syscall(u64 (*fn)(void), u64 a0, u64 a1, u64 a2)
{
	sys_args[0] = a0;
	sys_args[1] = a1;
	sys_args[2] = a2;
	return (long)fn();
}

/* --- the RAM disk ------------------------------------------------------------ */

static unsigned char *disk;
static size_t disk_nblocks;
static long disk_writes, disk_reads, crash_after = -1, lost_writes;
static bool crash_torn;
static unsigned char *pristine; /* fs_host_snapshot's copy */
static unsigned char *dirty;	/* per block: written since the snapshot */

void virtio_disk_rw(struct buf *b, int write)
{
	unsigned char *blk;

	if (b->blockno >= disk_nblocks)
		panic("ramdisk: block %u past the end (%zu blocks)", b->blockno, disk_nblocks);
	if (!sleep_lock_held(&b->lock))
		panic("ramdisk: I/O on an unlocked buf");
	blk = disk + (size_t)b->blockno * BSIZE;
	if (!write) {
		disk_reads++;
		memcpy(b->data, blk, BSIZE);
		return;
	}
	dirty[b->blockno] = 1;
	if (crash_after >= 0 && disk_writes >= crash_after) {
		/* The power is out. A torn write got its first sector out first. */
		if (crash_torn && lost_writes == 0)
			memcpy(blk, b->data, BSIZE / 2);
		lost_writes++;
		return;
	}
	disk_writes++;
	memcpy(blk, b->data, BSIZE);
}

void fs_host_snapshot(void)
{
	free(pristine);
	pristine = malloc(disk_nblocks * BSIZE);
	memcpy(pristine, disk, disk_nblocks * BSIZE);
	memset(dirty, 0, disk_nblocks);
}

void fs_host_restore(void)
{
	size_t b;

	for (b = 0; b < disk_nblocks; b++) {
		if (dirty[b]) {
			memcpy(disk + b * BSIZE, pristine + b * BSIZE, BSIZE);
			dirty[b] = 0;
		}
	}
	disk_writes = 0;
	fs_host_reboot();
}

long fs_host_disk_writes(void)
{
	return disk_writes;
}

long fs_host_disk_reads(void)
{
	return disk_reads;
}

long fs_host_lost_writes(void)
{
	return lost_writes;
}

unsigned char *fs_host_disk(void)
{
	return disk;
}

void fs_host_crash_after(long nwrites, bool torn)
{
	crash_after = nwrites < 0 ? -1 : disk_writes + nwrites;
	crash_torn = torn;
	lost_writes = 0;
}

void fs_host_reboot(void)
{
	int i;

	crash_after = -1;
	for (i = 0; i < NOFILE; i++)
		the_proc.ofile[i] = NULL; /* they pointed into the old tables */
	the_proc.cwd = NULL;
	the_proc.killed = 0;
	binit();
	iinit();
	fileinit();
	fsinit(ROOTDEV);
	begin_op();
	the_proc.cwd = namei("/");
	end_op();
	if (the_proc.cwd == NULL)
		panic("fs_host_reboot: no root directory");
}

void fs_host_boot(const char *img)
{
	size_t len;

	free(disk);
	disk = ktest_read_file(img, &len);
	if (disk == NULL || len % BSIZE != 0)
		panic("fs_host_boot: cannot load %s (or size not a multiple of BSIZE)", img);
	disk_nblocks = len / BSIZE;
	disk_writes = 0;
	free(dirty);
	dirty = calloc(disk_nblocks, 1);
	fs_host_reboot();
}

/* --- fsck ----------------------------------------------------------------- */

#define FSCK_FAIL(...)                                       \
	do {                                                 \
		ktest_fail(__FILE__, __LINE__, __VA_ARGS__); \
		problems++;                                  \
	} while (0)

static struct superblock *sbp;
static unsigned char *owner_count; /* per block: how many inodes claim it */

static unsigned char *dblock(uint b)
{
	return disk + (size_t)b * BSIZE;
}

static struct dinode *dinode_of(uint inum)
{
	return (struct dinode *)dblock(sbp->inodestart + inum / IPB) + inum % IPB;
}

/* Claim block @b (and, for @depth > 0, the tree under it). Return: problems. */
static int claim(uint inum, uint b, int depth)
{
	int problems = 0;
	uint i, *a;

	if (b < sbp->size - sbp->nblocks || b >= sbp->size) {
		FSCK_FAIL("inode %u points at block %u outside the data area", inum, b);
		return problems;
	}
	if (owner_count[b]++)
		FSCK_FAIL("block %u is used twice (again by inode %u)", b, inum);
	if (depth > 0) {
		a = (uint *)dblock(b);
		for (i = 0; i < NINDIRECT; i++)
			if (a[i])
				problems += claim(inum, a[i], depth - 1);
	}
	return problems;
}

int fs_host_fsck(void)
{
	static const int depth[NDIRECT + 2] = {[NDIRECT] = 1, [NDIRECT + 1] = 2};
	int problems = 0;
	uint inum, b, i, off, *links, *parent, *nsubdirs;
	struct dinode *di;
	struct dirent *de;
	bool used;

	sbp = (struct superblock *)dblock(1);
	owner_count = calloc(sbp->size, 1);
	links = calloc(sbp->ninodes, sizeof(*links));
	parent = calloc(sbp->ninodes, sizeof(*parent));
	nsubdirs = calloc(sbp->ninodes, sizeof(*nsubdirs));

	/* Blocks: owned at most once, and owned iff marked in the bitmap. */
	for (inum = 1; inum < sbp->ninodes; inum++) {
		di = dinode_of(inum);
		if (di->type == 0)
			continue;
		for (i = 0; i < NDIRECT + 2; i++)
			if (di->addrs[i])
				problems += claim(inum, di->addrs[i], depth[i]);
	}
	for (b = sbp->size - sbp->nblocks; b < sbp->size; b++) {
		used = dblock(BBLOCK(b, *sbp))[(b % BPB) / 8] & (1 << (b % 8));
		if (used && !owner_count[b])
			FSCK_FAIL("block %u is marked used but no inode owns it (leak)", b);
		if (!used && owner_count[b])
			FSCK_FAIL("block %u is owned but marked free", b);
	}

	/* Directories: entries name live inodes; count the links. */
	for (inum = 1; inum < sbp->ninodes; inum++) {
		di = dinode_of(inum);
		if (di->type != T_DIR)
			continue;
		if (di->size % sizeof(struct dirent))
			FSCK_FAIL("directory %u has size %u", inum, di->size);
		for (off = 0; off + sizeof(*de) <= di->size; off += sizeof(*de)) {
			uint fbn = off / BSIZE, blk;

			if (fbn < NDIRECT)
				blk = di->addrs[fbn];
			else if (fbn - NDIRECT < NINDIRECT && di->addrs[NDIRECT])
				blk = ((uint *)dblock(di->addrs[NDIRECT]))[fbn - NDIRECT];
			else
				blk = 0; /* big directories don't occur in the tests */
			if (blk == 0)
				continue;
			de = (struct dirent *)(dblock(blk) + off % BSIZE);
			if (de->inum == 0)
				continue;
			if (de->inum >= sbp->ninodes || dinode_of(de->inum)->type == 0) {
				FSCK_FAIL("directory %u: entry \"%.14s\" names free inode %u", inum,
					  de->name, de->inum);
				continue;
			}
			if (strncmp(de->name, "..", DIRSIZ) == 0)
				parent[inum] = de->inum;
			else if (strncmp(de->name, ".", DIRSIZ) != 0)
				links[de->inum]++;
		}
	}
	for (inum = 1; inum < sbp->ninodes; inum++)
		if (dinode_of(inum)->type == T_DIR && inum != ROOTINO && parent[inum])
			nsubdirs[parent[inum]]++;
	for (inum = 1; inum < sbp->ninodes; inum++) {
		di = dinode_of(inum);
		if (di->type == 0)
			continue;
		if (di->type == T_DIR) {
			/* a name in the parent (the root: none), and each child's ".." */
			if (inum != ROOTINO && links[inum] != 1)
				FSCK_FAIL("directory %u has %u names", inum, links[inum]);
			if ((uint)di->nlink != 1 + nsubdirs[inum])
				FSCK_FAIL("directory %u: nlink %d, but %u subdirectories", inum,
					  di->nlink, nsubdirs[inum]);
		} else if ((uint)di->nlink != links[inum]) {
			FSCK_FAIL("inode %u: nlink %d but %u names", inum, di->nlink, links[inum]);
		}
	}
	free(owner_count);
	free(links);
	free(parent);
	free(nsubdirs);
	return problems;
}

/* --- helpers for the tests ---------------------------------------------- */

unsigned char fs_host_pattern(size_t off, unsigned seed)
{
	return (unsigned char)(off * 131 + off / BSIZE * 7 + seed * 29 + 1);
}

char *fs_host_path(const char *name)
{
	return strdup(ktest_data_path(name));
}

char *fs_host_make_input(const char *name, size_t size, unsigned seed)
{
	char *path = fs_host_path(name);
	FILE *f = fopen(path, "wb");
	size_t i;

	if (f == NULL)
		panic("cannot create %s", path);
	for (i = 0; i < size; i++)
		fputc(fs_host_pattern(i, seed), f);
	fclose(f);
	return path;
}

int fs_host_check_file(const char *path, size_t size, unsigned seed)
{
	static unsigned char buf[8192];
	struct stat st;
	size_t off = 0, i;
	long fd, n;
	int ret = 0;

	fd = SYS(sys_open, path, 0);
	if (fd < 0) {
		ktest_log("%s: cannot open", path);
		return -1;
	}
	if (SYS(sys_fstat, fd, &st) != 0 || st.size != size) {
		ktest_log("%s: size %llu, want %zu", path, (unsigned long long)st.size, size);
		ret = -1;
	}
	while (ret == 0 && (n = SYS(sys_read, fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < (size_t)n; i++) {
			if (buf[i] != fs_host_pattern(off + i, seed)) {
				ktest_log("%s: wrong byte at %zu", path, off + i);
				ret = -1;
				break;
			}
		}
		off += n;
	}
	if (ret == 0 && off != size) {
		ktest_log("%s: read %zu bytes, want %zu", path, off, size);
		ret = -1;
	}
	SYS(sys_close, fd);
	return ret;
}
