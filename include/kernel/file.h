/*
 * kernel/file.h - open files and device switch.
 *
 * A struct file is what a file descriptor points to: an open pipe end, an
 * open inode with its own offset, or an open device. fork() and dup() share
 * one struct file between descriptors (ref counts them), so they also share
 * the offset, as in Unix.
 *
 *   proc->ofile[fd] --> struct file --> struct pipe   (FD_PIPE)
 *                                   \-> struct inode  (FD_INODE, FD_DEVICE)
 *
 * A device file (an inode of type T_DEVICE) is read and written through
 * devsw[major], which the driver fills in at boot.
 *
 * See: fs/file.c, fs/sysfile.c (the system calls), fs/pipe.c.
 */
#ifndef _KERNEL_FILE_H
#define _KERNEL_FILE_H

#include <kernel/types.h>
#include <uapi/pagoda/fs.h>
#include <uapi/pagoda/param.h>

struct inode;
struct pipe;

/* FD_SHMEM: the in-memory file behind a MAP_SHARED | MAP_ANONYMOUS mapping
 * (mm/shmem.c); only VMAs point at it, never a descriptor. */
enum file_type { FD_NONE, FD_PIPE, FD_INODE, FD_DEVICE, FD_SHMEM };

struct file {
	/* ftable.lock protects these: */
	enum file_type type;
	int ref; /* descriptors (in any process) pointing here */

	/* fixed while ref > 0: */
	bool readable;
	bool writable;
	struct pipe *pipe; /* FD_PIPE */
	struct inode *ip;  /* FD_INODE, FD_DEVICE and FD_SHMEM */
	short major;	   /* FD_DEVICE */

	/* ip's lock protects this: */
	uint off; /* FD_INODE: offset of the next read or write */

	char name[DIRSIZ + 1]; /* last element of the path it was opened by (/proc/PID/maps) */
};

/*
 * Device switch: the read and write functions of device number @major.
 * They copy to/from a user address if user_* is non-zero, else a kernel
 * address, and return the number of bytes moved or -1.
 *
 * A device that needs the open file itself (its minor number,
 * f->ip->minor, and an offset, f->off, kept under the inode lock) sets
 * read_file/write_file instead; they always copy to/from user addresses.
 * /proc (fs/procfs.c) is such a device.
 */
struct devsw {
	int (*read)(int user_dst, u64 dst, int n);
	int (*write)(int user_src, u64 src, int n);
	int (*read_file)(struct file *f, u64 dst, int n);
	int (*write_file)(struct file *f, u64 src, int n);
};

extern struct devsw devsw[NDEV];

/** procfs_init - register the /proc files' device (fs/procfs.c). Context: boot. */
void procfs_init(void);
struct inode;
/**
 * procfs_dirlookup - look @name up in @dp if @dp is /proc or a /proc/PID
 * directory: "self" and live PIDs in /proc, the files of /proc/PID/ (and
 * "." and ".." there).
 * Context: the caller holds @dp's lock.
 * Return: an in-memory inode with a reference, or NULL (look on the disk).
 */
struct inode *procfs_dirlookup(struct inode *dp, const char *name);
/**
 * procfs_note_lookup - path lookup found @ip as @name in @dp: if that is
 * "proc" in the root directory, remember @ip as /proc.
 * Context: the caller holds @dp's lock.
 */
void procfs_note_lookup(struct inode *dp, const char *name, struct inode *ip);
/**
 * procfs_is_dir - is @ip /proc or a /proc/PID directory, whose listing
 * procfs_readdir() makes? Context: any. Return: true if so.
 */
bool procfs_is_dir(struct inode *ip);
/**
 * procfs_readdir - read(2) of /proc or /proc/PID: the disk's entries, then
 * the in-memory ones, as struct dirent records (whole records only).
 * Context: process context, no locks held.
 * Return: bytes read (0 at the end), or -1 on a bad buffer.
 */
int procfs_readdir(struct file *f, u64 dst, int n);

#define CONSOLE 1 /* major device number of the console */
/* PROC_MAJOR (2, uapi/pagoda/procfs.h): the /proc files */

/** fileinit - set up the cache of open files. Context: boot, once. */
void fileinit(void);

/**
 * filealloc - allocate a struct file with ref 1 and type FD_NONE.
 * Return: the file, or NULL when all NFILE are in use.
 */
struct file *filealloc(void);

/** filedup - take another reference to @f. Return: @f. */
struct file *filedup(struct file *f);

/**
 * fileclose - drop a reference to @f; the last one closes the pipe end or
 * puts the inode.
 * Context: process context; may sleep (iput runs in a transaction).
 */
void fileclose(struct file *f);

/**
 * filestat - copy the struct stat of @f's inode to user address @uaddr.
 * Return: 0, or -1 for a pipe or a bad address.
 */
int filestat(struct file *f, u64 uaddr);

/**
 * fileread - read up to @n bytes from @f to user address @uaddr.
 * Context: process context; may sleep.
 * Return: bytes read (0 at end of file), or -1.
 */
int fileread(struct file *f, u64 uaddr, int n);

/**
 * filewrite - write @n bytes from user address @uaddr to @f.
 * Context: process context; may sleep.
 * Return: @n, or -1 if not all of it could be written.
 */
int filewrite(struct file *f, u64 uaddr, int n);

#endif /* _KERNEL_FILE_H */
