/*
 * fs/namei.c - directories and path names.
 *
 * A directory is an inode of type T_DIR whose data is an array of struct
 * dirent: a 2-byte inode number (0 = free slot) and a DIRSIZ-byte name,
 * NUL-padded (a name of exactly DIRSIZ characters has no NUL). Every
 * directory starts with "." (itself) and ".." (its parent; the root's ".."
 * is the root).
 *
 *   offset 0      16     32     48
 *          +------+------+------+------+----
 *          |1  .  |1  .. |5 sh  |0     |7 ...     (inum, name)
 *          +------+------+------+------+----
 *
 * A path is looked up one element at a time, holding the lock of only one
 * directory at a time: lock dir, find the next element's inode number, take
 * a reference to that inode, unlock dir, move on. Holding a reference (not
 * the lock) is enough to keep an inode from being freed or reused, and
 * never holding two locks rules out deadlock with a concurrent lookup going
 * the other way through "..".
 *
 * /proc is a directory on the disk whose PID entries exist only in memory:
 * each step first asks procfs_dirlookup() (fs/procfs.c), which answers for
 * "self" and live PIDs in /proc and for the files of /proc/PID/, and
 * returns NULL for everything else, which is then looked up on the disk.
 *
 * See: include/kernel/fs.h, fs/inode.c, fs/sysfile.c (create/unlink).
 */
#include <kernel/types.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/proc.h>
#include <kernel/fs.h>
#include <kernel/file.h>
#include <uapi/pagoda/procfs.h>
#include "internal.h"

/* Compare a path element with a directory entry name (both up to DIRSIZ). */
static int namecmp(const char *a, const char *b)
{
	return strncmp(a, b, DIRSIZ);
}

/*
 * Find @name in @dp without taking a reference.
 * Return: its inode number (0 if absent); *@poff gets the entry's offset.
 */
static uint dir_find(struct inode *dp, const char *name, uint *poff)
{
	struct dirent de;
	uint off;

	if (dp->type != T_DIR)
		panic("dirlookup: inode %u is not a directory", dp->inum);

	for (off = 0; off + sizeof(de) <= dp->size; off += sizeof(de)) {
		if (readi(dp, 0, (u64)&de, off, sizeof(de)) != sizeof(de))
			panic("dirlookup: cannot read directory inode %u", dp->inum);
		if (de.inum != 0 && namecmp(name, de.name) == 0) {
			if (poff)
				*poff = off;
			return de.inum;
		}
	}
	return 0;
}

struct inode *dirlookup(struct inode *dp, const char *name, uint *poff)
{
	uint inum = dir_find(dp, name, poff);

	return inum ? iget(dp->dev, inum) : NULL;
}

int dirlink(struct inode *dp, const char *name, uint inum)
{
	struct dirent de;
	uint off;

	if (dir_find(dp, name, NULL) != 0)
		return -EEXIST;

	/* Reuse the first free slot, or append at the end. */
	for (off = 0; off + sizeof(de) <= dp->size; off += sizeof(de)) {
		if (readi(dp, 0, (u64)&de, off, sizeof(de)) != sizeof(de))
			panic("dirlink: cannot read directory inode %u", dp->inum);
		if (de.inum == 0)
			break;
	}

	memset(&de, 0, sizeof(de));
	strncpy(de.name, name, DIRSIZ);
	de.inum = inum;
	if (writei(dp, 0, (u64)&de, off, sizeof(de)) != sizeof(de))
		return -ENOSPC;
	return 0;
}

/*
 * Copy the first element of @path into @name and return what follows it,
 * with leading slashes skipped; return NULL if @path has no element.
 * @name gets at most DIRSIZ characters (longer elements are cut) and a NUL.
 *
 *   skipelem("a/bb/c", name) = "bb/c",  name = "a"
 *   skipelem("///a//bb", name) = "bb",  name = "a"
 *   skipelem("a", name) = "",           name = "a"
 *   skipelem("", name) = skipelem("////", name) = NULL
 */
static const char *skipelem(const char *path, char *name)
{
	const char *start;
	size_t len;

	while (*path == '/')
		path++;
	if (*path == '\0')
		return NULL;
	start = path;
	while (*path != '/' && *path != '\0')
		path++;
	len = MIN((size_t)(path - start), (size_t)DIRSIZ);
	memmove(name, start, len);
	name[len] = '\0';
	while (*path == '/')
		path++;
	return path;
}

/*
 * Walk @path. With @parent, stop one element early: return the directory
 * that holds the last element and copy that element into @name.
 */
static struct inode *namex(const char *path, bool parent, char *name)
{
	struct proc *p = myproc();
	struct inode *ip, *next;

	if (*path == '/' || p == NULL || p->cwd == NULL)
		ip = iget(fs_dev, ROOTINO);
	else
		ip = idup(p->cwd);
	if (ip == NULL)
		return NULL;

	while ((path = skipelem(path, name)) != NULL) {
		ilock(ip);
		if (ip->type != T_DIR) {
			iunlockput(ip);
			return NULL;
		}
		if (parent && *path == '\0') {
			/* name is the last element: ip is its directory (for a
			 * /proc/PID directory too: the system calls that change
			 * names refuse it, see procfs_contains()) */
			iunlock(ip);
			return ip;
		}
		/* /proc's PID directories and their files exist only in memory */
		next = procfs_dirlookup(ip, name);
		if (next == NULL) {
			next = dirlookup(ip, name, NULL);
			if (next)
				procfs_note_lookup(ip, name, next);
		}
		iunlockput(ip);
		if (next == NULL)
			return NULL;
		ip = next;
	}
	if (parent) {
		/* the path had no element at all ("" or "/") */
		iput(ip);
		return NULL;
	}
	return ip;
}

struct inode *namei(const char *path)
{
	char name[DIRSIZ + 1];

	return namex(path, false, name);
}

struct inode *nameiparent(const char *path, char *name)
{
	return namex(path, true, name);
}

/*
 * Is @ip the directory /proc on the disk? It is the root's entry "proc";
 * @parent is @ip's parent, referenced and unlocked.
 */
static bool is_disk_proc(struct inode *parent, struct inode *ip)
{
	uint inum;

	if (parent->inum != ROOTINO || parent->dev != fs_dev)
		return false;
	ilock(parent);
	inum = dir_find(parent, "proc", NULL);
	iunlock(parent);
	return inum != 0 && inum == ip->inum;
}

bool procfs_contains(struct inode *dp)
{
	struct inode *ip, *parent;
	bool in = false;
	int depth;

	if (dp->dev == PROC_VDEV)
		return true;
	if (dp->dev != fs_dev)
		return false;
	/* up through "..", one directory locked at a time; a corrupt disk
	 * could make a loop, hence the bound (far deeper than MAXPATH allows) */
	ip = idup(dp);
	for (depth = 0; depth < MAXPATH && ip->inum != ROOTINO; depth++) {
		ilock(ip);
		parent = ip->type == T_DIR ? dirlookup(ip, "..", NULL) : NULL;
		iunlock(ip);
		if (parent == NULL)
			break;
		in = is_disk_proc(parent, ip);
		iput(ip);
		ip = parent;
		if (in)
			break;
	}
	iput(ip);
	return in;
}
