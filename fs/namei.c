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
			/* name is the last element: ip is its directory */
			iunlock(ip);
			return ip;
		}
		next = dirlookup(ip, name, NULL);
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

	/* /proc/PID/... and /proc/self/... exist only in memory (fs/procfs.c) */
	if (strncmp(path, "/proc/", 6) == 0) {
		struct inode *ip = procfs_lookup(path + 6);
		if (ip)
			return ip;
	}
	return namex(path, false, name);
}

/*
 * The parent of "/proc/PID/name" is an in-memory directory that the disk
 * walk cannot find: ask /proc for it, so that a change of name there is
 * refused as being inside /proc rather than reported as a missing directory.
 * Return: that directory (referenced), or NULL if @path is not of that form.
 */
static struct inode *proc_parent(const char *path, char *name)
{
	char dir[MAXPATH];
	const char *last;
	size_t len = strlen(path);
	struct inode *ip;

	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len >= sizeof(dir))
		return NULL;
	memmove(dir, path, len);
	dir[len] = '\0';
	for (last = dir + len; last > dir && last[-1] != '/'; last--)
		;
	if (last <= dir + 6 || *last == '\0')
		return NULL; /* "/proc/x": its parent is /proc itself, on the disk */
	strncpy(name, last, DIRSIZ);
	name[DIRSIZ] = '\0';
	dir[last - dir - 1] = '\0';
	ip = procfs_lookup(dir + 6);
	if (ip && ip->type != T_DIR) {
		iput(ip);
		return NULL;
	}
	return ip;
}

struct inode *nameiparent(const char *path, char *name)
{
	if (strncmp(path, "/proc/", 6) == 0) {
		struct inode *ip = proc_parent(path, name);
		if (ip)
			return ip;
	}
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
