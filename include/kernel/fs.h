/*
 * kernel/fs.h - the file system's kernel interface: the crash-safe log,
 * in-memory inodes, directories and path names.
 *
 * Layers, bottom to top (each uses only the ones below it):
 *
 *   names      namei, nameiparent         fs/namei.c
 *   dirs       dirlookup, dirlink         fs/namei.c
 *   inodes     ialloc, ilock, readi, ...  fs/inode.c
 *   log        begin_op, log_write        fs/log.c
 *   blocks     bread, bwrite, brelse      fs/bio.c (kernel/buf.h)
 *   disk       virtio_disk_rw             kernel/drivers/virtio_blk.c
 *
 * Rules a caller must follow:
 *   - Every call that may write the disk (ialloc, iupdate, iput, itrunc,
 *     writei, dirlink, and namei/nameiparent, which may iput) runs between
 *     begin_op() and end_op(). Take begin_op before any inode lock.
 *   - ilock before reading or writing any field below "lock protects".
 *   - Lock a parent directory before a child; never hold two unrelated
 *     inode locks.
 *
 * See: include/uapi/pagoda/fs.h for the on-disk format.
 */
#ifndef _KERNEL_FS_H
#define _KERNEL_FS_H

#include <kernel/types.h>
#include <kernel/sleeplock.h>
#include <kernel/list.h>
#include <uapi/pagoda/fs.h>
#include <uapi/pagoda/stat.h>

struct buf;

/*
 * In-memory inode: a cached copy of a struct dinode plus bookkeeping.
 *
 * ref counts the C pointers to this struct (open files, cwd, a path walk in
 * progress); valid says whether the dinode fields have been read from disk.
 * An inode stays in memory while ref > 0 (the last iput frees it); the
 * on-disk inode is freed when both ref and nlink reach 0 (see iput).
 */
struct inode {
	/* itable.lock protects these: */
	uint dev;		 /* device number */
	uint inum;		 /* inode number */
	int ref;		 /* reference count */
	struct list_head i_list; /* on itable.inodes (fs/inode.c) */

	/* lock protects everything below: */
	struct sleeplock lock;
	bool valid; /* has the dinode been read from disk? */
	short type; /* copy of the dinode: T_DIR, T_FILE, T_DEVICE */
	short major;
	short minor;
	short nlink;
	uint size;
	uint addrs[NDIRECT + 2];
};

/* --- fs/log.c ------------------------------------------------------------ */

/**
 * begin_op - start a file-system operation (a part of a transaction).
 * Context: process context; may sleep until the log has room.
 */
void begin_op(void);

/**
 * end_op - finish the operation begun by begin_op; the last one out commits.
 * Context: process context; may sleep (commit writes the disk).
 */
void end_op(void);

/**
 * log_write - record that @b was modified in the current operation; the log
 * writes it to disk at commit. Use instead of bwrite for file-system blocks.
 * Context: inside begin_op/end_op; caller holds @b's lock.
 */
void log_write(struct buf *b);

/* --- fs/inode.c ---------------------------------------------------------- */

/**
 * iinit - set up the inode table. Context: boot, once.
 */
void iinit(void);

/**
 * fsinit - mount the file system on disk @dev: read and check the
 * superblock, and replay the log if a crash left a committed transaction.
 * Context: process context (it sleeps on disk I/O), once, before namei.
 * Panics if the disk holds no Pagoda file system.
 */
void fsinit(int dev);

/**
 * ialloc - allocate a free inode on @dev and give it @type.
 * Context: inside a transaction.
 * Return: the inode, referenced and unlocked, or NULL when the disk or the
 * inode table is full.
 */
struct inode *ialloc(uint dev, short type);

/**
 * iupdate - write @ip's dinode fields back to disk (through the log).
 * Context: inside a transaction; caller holds @ip's lock.
 */
void iupdate(struct inode *ip);

/** idup - take another reference to @ip. Return: @ip. Context: any. */
struct inode *idup(struct inode *ip);

/**
 * ilock - lock @ip, reading its dinode from disk the first time.
 * Context: process context; may sleep.
 */
void ilock(struct inode *ip);

/** iunlock - unlock @ip. Context: caller holds @ip's lock. */
void iunlock(struct inode *ip);

/**
 * iput - drop a reference to @ip; the last reference to an inode with no
 * links frees it and its blocks on disk.
 * Context: inside a transaction (it may write); caller does not hold the lock.
 */
void iput(struct inode *ip);

/** iunlockput - iunlock(@ip) then iput(@ip). */
void iunlockput(struct inode *ip);

/**
 * itrunc - free all of @ip's data blocks and set its size to 0.
 * Context: inside a transaction; caller holds @ip's lock.
 */
void itrunc(struct inode *ip);

/** stati - fill @st from @ip. Context: caller holds @ip's lock. */
void stati(struct inode *ip, struct stat *st);

/**
 * readi - read @n bytes at offset @off of @ip into @dst, a user address if
 * @user_dst, else a kernel address.
 * Context: caller holds @ip's lock; may sleep.
 * Return: bytes read (short at end of file, 0 at or past it), or -1 if
 * @off + @n overflows or the copy to @dst faults before any byte was read.
 */
int readi(struct inode *ip, int user_dst, u64 dst, uint off, uint n);

/**
 * writei - write @n bytes from @src (user address if @user_src) to @ip at
 * offset @off, growing the file if needed.
 * Context: inside a transaction; caller holds @ip's lock.
 * Return: bytes written (short if the disk fills up or @src faults), or -1
 * if @off is past the end of the file, @off + @n overflows, or the end would
 * lie beyond MAXFILE blocks.
 */
int writei(struct inode *ip, int user_src, u64 src, uint off, uint n);

/* --- fs/namei.c ---------------------------------------------------------- */

/**
 * dirlookup - find @name in directory @dp.
 * Context: caller holds @dp's lock.
 * Return: the entry's inode, referenced and unlocked, or NULL; if @poff is
 * not NULL, *@poff receives the entry's byte offset in @dp.
 */
struct inode *dirlookup(struct inode *dp, const char *name, uint *poff);

/**
 * dirlink - add the entry (@name, @inum) to directory @dp.
 * Context: inside a transaction; caller holds @dp's lock.
 * Return: 0, -EEXIST if @name is present, -ENOSPC/-EIO if @dp cannot grow.
 */
int dirlink(struct inode *dp, const char *name, uint inum);

/**
 * namei - look up @path (absolute, or relative to the current directory).
 * Context: inside a transaction (the walk may drop the last reference to a
 * directory being removed).
 * Return: the inode, referenced and unlocked, or NULL.
 *
 * Path elements longer than DIRSIZ are cut to DIRSIZ characters, as xv6 does.
 */
struct inode *namei(const char *path);

/**
 * nameiparent - like namei, but return the parent directory of the last
 * element of @path and copy that element into @name, which must have room
 * for DIRSIZ + 1 bytes (the element, cut to DIRSIZ characters, and a NUL).
 * Return: NULL if @path has no last element ("/") or a directory is missing.
 */
struct inode *nameiparent(const char *path, char *name);

struct inode *iget_virtual(uint dev, uint inum, short type, short major, short minor);

/**
 * procfs_contains - is directory @dp inside /proc: an in-memory /proc/PID
 * directory, /proc itself on the disk, or a directory below it? The system
 * calls that add or remove names refuse to do so there (fs/sysfile.c).
 * Context: inside a transaction; @dp referenced, and no inode locked by the
 * caller (the walk up through ".." locks one directory at a time).
 * Return: true if it is.
 */
bool procfs_contains(struct inode *dp);

#endif /* _KERNEL_FS_H */
