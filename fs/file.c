/*
 * fs/file.c - open files: struct file objects (the slab cache "filp", at
 * most NFILE open at once system-wide) and the read/write/stat/close
 * operations that dispatch on the file's type.
 *
 *   FD_PIPE    -> fs/pipe.c
 *   FD_INODE   -> readi/writei at f->off, under the inode lock
 *   FD_DEVICE  -> devsw[f->major].read/.write (the console, ...)
 *
 * Large writes to an inode are cut into pieces that each fit one log
 * operation (see filewrite), so a write larger than the log still works;
 * but it is then not atomic: a crash may leave only its first pieces.
 * Reads go one page of the destination at a time. First the VMAs are asked
 * whether the whole buffer is valid memory (so a bad one fails with nothing
 * done); then, between pieces, the inode is unlocked, the buffer's next
 * piece is faulted in (only that piece: a 1 GiB buffer for a 14 KiB file
 * costs 4 pages, not 1 GiB), and a kill stops the loop: the call returns
 * what it did so far, or -EINTR if nothing. A fault taken while holding the inode's lock could need that
 * same lock (the buffer may be a mapping of this very file), hence the
 * fault-in before each piece.
 *
 * Locking: ftable.lock protects the count of open files and the type and
 * ref of every file; the other fields are set by the opener before the
 * file is shared and stay fixed, except f->off, which the inode lock
 * protects. The last fileclose() frees the struct file.
 *
 * See: include/kernel/file.h, fs/sysfile.c.
 */
#include <kernel/types.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <kernel/proc.h>
#include <kernel/uaccess.h>
#include <kernel/fs.h>
#include <kernel/file.h>
#include <kernel/pipe.h>
#include <kernel/slab.h>
#include <kernel/shmem_fs.h>

struct devsw devsw[NDEV];

static struct {
	struct spinlock lock;
	int nr_files; /* allocated; at most NFILE */
} ftable;
static struct kmem_cache *filp_cachep;

void fileinit(void)
{
	if (!filp_cachep)
		filp_cachep = kmem_cache_create("filp", sizeof(struct file), 0,
						SLAB_HWCACHE_ALIGN | SLAB_PANIC, NULL);
	ftable.nr_files = 0; /* (host tests "reboot" with this) */
	spin_lock_init(&ftable.lock, "ftable");
}

struct file *filealloc(void)
{
	struct file *f;

	spin_lock(&ftable.lock);
	if (ftable.nr_files >= NFILE) {
		spin_unlock(&ftable.lock);
		return NULL;
	}
	ftable.nr_files++;
	spin_unlock(&ftable.lock);
	f = kmem_cache_zalloc(filp_cachep, GFP_KERNEL);
	if (!f) {
		spin_lock(&ftable.lock);
		ftable.nr_files--;
		spin_unlock(&ftable.lock);
		return NULL;
	}
	f->ref = 1;
	f->type = FD_NONE;
	return f;
}

struct file *filedup(struct file *f)
{
	spin_lock(&ftable.lock);
	if (f->ref < 1)
		panic("filedup: file %p is not open", f);
	f->ref++;
	spin_unlock(&ftable.lock);
	return f;
}

void fileclose(struct file *f)
{
	struct file ff;

	spin_lock(&ftable.lock);
	if (f->ref < 1)
		panic("fileclose: file %p is not open", f);
	if (--f->ref > 0) {
		spin_unlock(&ftable.lock);
		return;
	}
	/* Last reference: copy what we need, free the file, then do the slow part. */
	ff = *f;
	ftable.nr_files--;
	spin_unlock(&ftable.lock);
	kmem_cache_free(filp_cachep, f);

	if (ff.type == FD_PIPE) {
		pipeclose(ff.pipe, ff.writable);
	} else if (ff.type == FD_INODE || ff.type == FD_DEVICE) {
		begin_op();
		iput(ff.ip);
		end_op();
	} else if (ff.type == FD_SHMEM) {
		shmem_release(ff.ip); /* the last mapping of shared memory went */
	}
}

int filestat(struct file *f, u64 uaddr)
{
	struct stat st;

	if (f->type != FD_INODE && f->type != FD_DEVICE)
		return -1;
	ilock(f->ip);
	stati(f->ip, &st);
	iunlock(f->ip);
	if (copy_to_user(uaddr, &st, sizeof(st)) < 0)
		return -1;
	return 0;
}

/* Is @major a device with the operation we need? */
static struct devsw *dev_lookup(short major)
{
	if (major < 0 || major >= NDEV)
		return NULL;
	return &devsw[major];
}

int fileread(struct file *f, u64 uaddr, int n)
{
	struct devsw *d;
	int r, done;
	uint m;

	if (!f->readable || n < 0)
		return -1;

	switch (f->type) {
	case FD_PIPE:
		return piperead(f->pipe, uaddr, n);
	case FD_DEVICE:
		d = dev_lookup(f->major);
		if (d != NULL && d->read_file != NULL)
			return d->read_file(f, uaddr, n);
		if (d == NULL || d->read == NULL)
			return -1;
		return d->read(1, uaddr, n);
	case FD_INODE:
		/* /proc lists its PIDs after the entries on the disk (the type
		 * of an open inode does not change: no lock needed to test it) */
		if (f->ip->type == T_DIR && procfs_is_dir(f->ip))
			return procfs_readdir(f, uaddr, n);
		/* all of the buffer must be there (its VMAs say, without a fault) */
		if (n > 0 && !user_range_mapped(uaddr, n, true))
			return -EFAULT;
		for (done = 0; done < n; done += r) {
			/* one page of the buffer at a time (see the top of the file) */
			m = MIN((uint)(n - done), PAGE_SIZE - ((uaddr + done) & (PAGE_SIZE - 1)));
			if (killed(myproc()))
				return done > 0 ? done : -EINTR;
			if (fault_in_user_range(uaddr + done, m, true) < 0)
				return done > 0 ? done : -EFAULT;
			ilock(f->ip);
			r = readi(f->ip, 1, uaddr + done, f->off, m);
			if (r > 0)
				f->off += r;
			iunlock(f->ip);
			if (r < 0)
				return done > 0 ? done : -1;
			if (r < (int)m)
				return done + r; /* end of file */
		}
		return done;
	case FD_SHMEM:
		return -1; /* never behind a descriptor */
	default:
		panic("fileread: file %p has type %d", f, f->type);
	}
}

/*
 * How much one log operation of filewrite may write. A piece ends at a block
 * boundary and covers at most WRITE_BLOCKS data blocks. Worst case, the
 * blocks one piece makes the log hold:
 *
 *   2  data blocks
 *   3  indirect blocks: the singly-indirect one and the doubly-indirect
 *      one plus a second-level block, when the piece straddles the two regions
 *   1  the inode
 *   4  bitmap blocks (5 allocations hit at most 4 with the default FSSIZE)
 *   = 10 = MAXOPBLOCKS
 */
#define WRITE_BLOCKS 2

int filewrite(struct file *f, u64 uaddr, int n)
{
	struct devsw *d;
	int i, r;
	uint n1;

	if (!f->writable || n < 0)
		return -1;

	switch (f->type) {
	case FD_PIPE:
		return pipewrite(f->pipe, uaddr, n);
	case FD_DEVICE:
		d = dev_lookup(f->major);
		if (d != NULL && d->write_file != NULL)
			return d->write_file(f, uaddr, n);
		if (d == NULL || d->write == NULL)
			return -1;
		return d->write(1, uaddr, n);
	case FD_INODE:
		if (n > 0 && !user_range_mapped(uaddr, n, false))
			return -EFAULT;
		for (i = 0; i < n; i += r) {
			/* this piece of the buffer in before taking locks; a kill
			 * ends the write between two pieces (see the top of the file) */
			n1 = MIN((uint)(n - i), WRITE_BLOCKS * BSIZE);
			if (killed(myproc()))
				return i > 0 ? i : -EINTR;
			if (fault_in_user_range(uaddr + i, n1, false) < 0)
				return -1;
			begin_op();
			ilock(f->ip);
			n1 = MIN((uint)(n - i), WRITE_BLOCKS * BSIZE - f->off % BSIZE);
			r = writei(f->ip, 1, uaddr + i, f->off, n1);
			if (r > 0)
				f->off += r;
			iunlock(f->ip);
			end_op();
			if (r != (int)n1)
				return -1; /* disk full, bad address, or file too big */
		}
		return n;
	case FD_SHMEM:
		return -1; /* never behind a descriptor */
	default:
		panic("filewrite: file %p has type %d", f, f->type);
	}
}
