/*
 * fs/sysfile.c - the file-system system calls: argument checking, then
 * calls into fs/file.c and the inode layer.
 *
 * Every argument comes from user space and may be anything: a descriptor
 * that is negative, too big or closed; a negative length; a pointer into
 * the kernel or to unmapped memory; a path without a NUL. Each handler
 * checks what it takes and returns -1 (here: a negative errno, which the
 * syscall layer turns into -1) instead of trusting it. Pointers are only
 * ever used through copy_to_user/copy_from_user/argstr, which fail cleanly.
 *
 * Operations that change the disk run inside begin_op()/end_op(), taken
 * before any inode lock.
 *
 * /proc keeps its names: link, unlink, mkdir, mknod and open(O_CREATE) of a
 * new name refuse to add or remove anything inside /proc (on the disk or
 * in memory), with the errors Linux gives there (Linux also refuses
 * rename; Pagoda has none):
 *
 *   link into or out of /proc           EXDEV  (another file system on Linux)
 *   link within /proc                    EPERM
 *   unlink (or remove a directory)       EPERM;  of /proc itself: EBUSY
 *   mkdir, mknod                         EPERM
 *   open(O_CREATE) of a new name         EACCES
 *
 * The one exception is init making the standard /proc files at boot when a
 * disk lacks them: mkdir and mknod of exactly a path of PROC_DIRS or
 * PROC_FILES (uapi/pagoda/procfs.h), with its device numbers. The
 * in-memory inodes of /proc/PID are never written, so none of this ever
 * reaches the log.
 *
 * See: include/kernel/syscall.h, user/user.h (the user-side view).
 */
#include <kernel/types.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/proc.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <kernel/fs.h>
#include <kernel/file.h>
#include <kernel/pipe.h>
#include <uapi/pagoda/fcntl.h>
#include <uapi/pagoda/procfs.h>

/*
 * Fetch argument @n as a file descriptor of the current process.
 * Return: 0 with *@pfd and *@pf set, or -EBADF.
 */
static int argfd(int n, int *pfd, struct file **pf)
{
	int fd = argint(n);
	struct file *f;

	if (fd < 0 || fd >= NOFILE)
		return -EBADF;
	f = myproc()->ofile[fd];
	if (f == NULL)
		return -EBADF;
	if (pfd)
		*pfd = fd;
	if (pf)
		*pf = f;
	return 0;
}

/* Give @f the lowest free descriptor of the current process. */
static int fdalloc(struct file *f)
{
	struct proc *p = myproc();
	int fd;

	for (fd = 0; fd < NOFILE; fd++) {
		if (p->ofile[fd] == NULL) {
			p->ofile[fd] = f;
			return fd;
		}
	}
	return -EMFILE;
}

u64 sys_dup(void)
{
	struct file *f;
	int fd;

	if (argfd(0, NULL, &f) < 0)
		return -EBADF;
	fd = fdalloc(f);
	if (fd < 0)
		return fd;
	filedup(f);
	return fd;
}

u64 sys_read(void)
{
	struct file *f;
	u64 uaddr = argaddr(1);
	int n = argint(2);

	if (argfd(0, NULL, &f) < 0)
		return -EBADF;
	if (n < 0)
		return -EINVAL;
	return fileread(f, uaddr, n);
}

u64 sys_write(void)
{
	struct file *f;
	u64 uaddr = argaddr(1);
	int n = argint(2);

	if (argfd(0, NULL, &f) < 0)
		return -EBADF;
	if (n < 0)
		return -EINVAL;
	return filewrite(f, uaddr, n);
}

u64 sys_close(void)
{
	struct file *f;
	int fd;

	if (argfd(0, &fd, &f) < 0)
		return -EBADF;
	myproc()->ofile[fd] = NULL;
	fileclose(f);
	return 0;
}

u64 sys_fstat(void)
{
	struct file *f;
	u64 st = argaddr(1);

	if (argfd(0, NULL, &f) < 0)
		return -EBADF;
	return filestat(f, st);
}

/* Fetch argument @n as a path into @path (MAXPATH bytes). */
static int argpath(int n, char *path)
{
	int len = argstr(n, path, MAXPATH);

	return len < 0 ? len : 0;
}

/* Is the directory that holds the last element of @path inside /proc? */
static bool parent_in_proc(const char *path)
{
	char name[DIRSIZ + 1];
	struct inode *dp = nameiparent(path, name);
	bool in;

	if (dp == NULL)
		return false;
	in = procfs_contains(dp);
	iput(dp);
	return in;
}

/*
 * May @ip, found as @old, get the second name @new? Not if either is in
 * /proc. Context: inside a transaction, no inode locked.
 * Return: 0, -EXDEV (one side in /proc), -EPERM (both).
 */
static int link_proc_check(struct inode *ip, const char *old, const char *new)
{
	bool old_in = ip->dev == PROC_VDEV || parent_in_proc(old);
	bool new_in = parent_in_proc(new);

	if (old_in && new_in)
		return -EPERM;
	if (old_in || new_in)
		return -EXDEV;
	return 0;
}

u64 sys_link(void)
{
	char name[DIRSIZ + 1], new[MAXPATH], old[MAXPATH];
	struct inode *dp, *ip;
	int err;

	if (argpath(0, old) < 0 || argpath(1, new) < 0)
		return -EFAULT;

	begin_op();
	ip = namei(old);
	if (ip == NULL) {
		end_op();
		return -ENOENT;
	}
	err = link_proc_check(ip, old, new);
	if (err < 0) {
		iput(ip);
		end_op();
		return err;
	}
	ilock(ip);
	if (ip->type == T_DIR) {
		/* a second name for a directory would make ".." ambiguous */
		iunlockput(ip);
		end_op();
		return -EPERM;
	}
	ip->nlink++;
	iupdate(ip);
	iunlock(ip);

	dp = nameiparent(new, name);
	if (dp == NULL)
		goto undo;
	ilock(dp);
	if (dp->dev != ip->dev || dp->nlink < 1 || dirlink(dp, name, ip->inum) < 0) {
		iunlockput(dp);
		goto undo;
	}
	iunlockput(dp);
	iput(ip);
	end_op();
	return 0;

undo:
	ilock(ip);
	ip->nlink--;
	iupdate(ip);
	iunlockput(ip);
	end_op();
	return -EEXIST;
}

/* Does directory @dp hold anything besides "." and ".."? */
static bool dir_is_empty(struct inode *dp)
{
	struct dirent de;
	uint off;

	for (off = 2 * sizeof(de); off + sizeof(de) <= dp->size; off += sizeof(de)) {
		if (readi(dp, 0, (u64)&de, off, sizeof(de)) != sizeof(de))
			panic("dir_is_empty: cannot read directory inode %u", dp->inum);
		if (de.inum != 0)
			return false;
	}
	return true;
}

u64 sys_unlink(void)
{
	char name[DIRSIZ + 1], path[MAXPATH];
	struct inode *ip, *dp;
	struct dirent de;
	uint off;
	int err;

	if (argpath(0, path) < 0)
		return -EFAULT;

	begin_op();
	dp = nameiparent(path, name);
	if (dp == NULL) {
		end_op();
		return -ENOENT;
	}
	if (procfs_contains(dp)) {
		iput(dp);
		end_op();
		return -EPERM;
	}
	ilock(dp);
	if (dp->inum == ROOTINO && strncmp(name, "proc", DIRSIZ) == 0) {
		/* /proc itself (a mount point on Linux) */
		err = -EBUSY;
		goto out_dp;
	}

	/* Removing "." or ".." would break the tree's invariants. */
	if (strncmp(name, ".", DIRSIZ) == 0 || strncmp(name, "..", DIRSIZ) == 0) {
		err = -EINVAL;
		goto out_dp;
	}
	ip = dirlookup(dp, name, &off);
	if (ip == NULL) {
		err = -ENOENT;
		goto out_dp;
	}
	ilock(ip);
	if (ip->nlink < 1)
		panic("unlink: inode %u has nlink %d but a name", ip->inum, ip->nlink);
	if (ip->type == T_DIR && !dir_is_empty(ip)) {
		iunlockput(ip);
		err = -ENOTEMPTY;
		goto out_dp;
	}

	memset(&de, 0, sizeof(de));
	if (writei(dp, 0, (u64)&de, off, sizeof(de)) != sizeof(de))
		panic("unlink: cannot clear the entry of %s", name);
	if (ip->type == T_DIR) {
		dp->nlink--; /* ip's ".." no longer points at dp */
		iupdate(dp);
	}
	iunlockput(dp);

	ip->nlink--;
	iupdate(ip);
	iunlockput(ip); /* frees the inode if no one has it open */
	end_op();
	return 0;

out_dp:
	iunlockput(dp);
	end_op();
	return err;
}

/*
 * Is @path, of @type and device numbers @major/@minor, one of the standard
 * /proc entries that init makes at boot when the disk lacks them?
 */
static bool proc_standard_entry(const char *path, short type, short major, short minor)
{
	static const char *const dirs[] = PROC_DIRS;
	static const struct {
		const char *path;
		int minor;
	} files[] = PROC_FILES;

	for (unsigned i = 0; type == T_DIR && i < ARRAY_SIZE(dirs); i++)
		if (strcmp(path, dirs[i]) == 0)
			return true;
	for (unsigned i = 0; type == T_DEVICE && major == PROC_MAJOR && i < ARRAY_SIZE(files); i++)
		if (strcmp(path, files[i].path) == 0 && minor == files[i].minor)
			return true;
	return false;
}

/*
 * Create @path as a new inode of @type, or, for T_FILE, return the file (or
 * device) that is already there.
 * Context: inside a transaction.
 * Return: the inode, locked and referenced; or NULL with *@errp set to
 * -ENOENT (no parent directory), -EEXIST (something else is there),
 * -EACCES/-EPERM (inside /proc) or -ENOSPC (no inode or block left).
 */
static struct inode *create(const char *path, short type, short major, short minor, int *errp)
{
	char name[DIRSIZ + 1];
	struct inode *ip, *dp;
	bool in_proc;

	*errp = -ENOENT;
	dp = nameiparent(path, name);
	if (dp == NULL)
		return NULL;
	in_proc = procfs_contains(dp) && !proc_standard_entry(path, type, major, minor);
	ilock(dp);
	if (dp->nlink < 1) {
		/* dp was removed (it is someone's cwd): a new entry would be lost */
		iunlockput(dp);
		return NULL;
	}

	ip = dirlookup(dp, name, NULL);
	if (ip != NULL) {
		iunlockput(dp);
		ilock(ip);
		if (type == T_FILE && (ip->type == T_FILE || ip->type == T_DEVICE))
			return ip;
		iunlockput(ip);
		*errp = -EEXIST;
		return NULL;
	}
	if (in_proc) {
		/* open(O_CREATE) gets Linux's EACCES, mkdir and mknod EPERM */
		iunlockput(dp);
		*errp = type == T_FILE ? -EACCES : -EPERM;
		return NULL;
	}

	*errp = -ENOSPC;
	ip = ialloc(dp->dev, type);
	if (ip == NULL) {
		iunlockput(dp);
		return NULL;
	}
	ilock(ip);
	ip->major = major;
	ip->minor = minor;
	ip->nlink = 1;
	iupdate(ip);

	if (type == T_DIR) {
		/* "." and ".." first; ".." does not count toward ip->nlink */
		if (dirlink(ip, ".", ip->inum) < 0 || dirlink(ip, "..", dp->inum) < 0)
			goto fail;
	}
	if (dirlink(dp, name, ip->inum) < 0)
		goto fail;
	if (type == T_DIR) {
		dp->nlink++; /* for ip's ".." */
		iupdate(dp);
	}
	iunlockput(dp);
	return ip;

fail:
	/* nlink 0: the iput frees the inode and any block it got */
	ip->nlink = 0;
	iupdate(ip);
	iunlockput(ip);
	iunlockput(dp);
	return NULL;
}

u64 sys_open(void)
{
	char path[MAXPATH];
	int omode = argint(1);
	struct inode *ip;
	struct file *f;
	int fd;

	if (argpath(0, path) < 0)
		return -EFAULT;

	begin_op();
	if (omode & O_CREATE) {
		int err;

		ip = create(path, T_FILE, 0, 0, &err);
		if (ip == NULL) {
			end_op();
			return err;
		}
	} else {
		ip = namei(path);
		if (ip == NULL) {
			end_op();
			return -ENOENT;
		}
		ilock(ip);
	}

	if (ip->type == T_DIR && (omode & (O_WRONLY | O_RDWR))) {
		iunlockput(ip);
		end_op();
		return -EISDIR;
	}
	if (ip->type == T_DEVICE && (ip->major < 0 || ip->major >= NDEV)) {
		iunlockput(ip);
		end_op();
		return -EINVAL;
	}

	f = filealloc();
	if (f == NULL) {
		iunlockput(ip);
		end_op();
		return -ENFILE;
	}
	fd = fdalloc(f);
	if (fd < 0) {
		fileclose(f); /* still FD_NONE: frees the slot only */
		iunlockput(ip);
		end_op();
		return fd;
	}

	if (ip->type == T_DEVICE) {
		f->type = FD_DEVICE;
		f->major = ip->major;
	} else {
		f->type = FD_INODE;
		f->off = 0;
	}
	f->ip = ip;
	const char *base = path;
	for (const char *s = path; *s; s++)
		if (*s == '/' && s[1])
			base = s + 1;
	strncpy(f->name, base, DIRSIZ);
	f->name[DIRSIZ] = '\0';
	f->readable = !(omode & O_WRONLY);
	f->writable = (omode & O_WRONLY) || (omode & O_RDWR);

	if ((omode & O_TRUNC) && ip->type == T_FILE)
		itrunc(ip);

	iunlock(ip);
	end_op();
	return fd;
}

u64 sys_mkdir(void)
{
	char path[MAXPATH];
	struct inode *ip;
	int err;

	if (argpath(0, path) < 0)
		return -EFAULT;
	begin_op();
	ip = create(path, T_DIR, 0, 0, &err);
	if (ip == NULL) {
		end_op();
		return err;
	}
	iunlockput(ip);
	end_op();
	return 0;
}

u64 sys_mknod(void)
{
	char path[MAXPATH];
	struct inode *ip;
	int major = argint(1), minor = argint(2), err;

	if (argpath(0, path) < 0)
		return -EFAULT;
	if (major < 0 || major >= NDEV || minor < -32768 || minor > 32767)
		return -EINVAL;
	begin_op();
	ip = create(path, T_DEVICE, major, minor, &err);
	if (ip == NULL) {
		end_op();
		return err;
	}
	iunlockput(ip);
	end_op();
	return 0;
}

u64 sys_chdir(void)
{
	char path[MAXPATH];
	struct inode *ip;
	struct proc *p = myproc();

	if (argpath(0, path) < 0)
		return -EFAULT;
	begin_op();
	ip = namei(path);
	if (ip == NULL) {
		end_op();
		return -ENOENT;
	}
	ilock(ip);
	if (ip->type != T_DIR) {
		iunlockput(ip);
		end_op();
		return -ENOTDIR;
	}
	iunlock(ip);
	if (p->cwd)
		iput(p->cwd);
	end_op();
	p->cwd = ip;
	return 0;
}

u64 sys_pipe(void)
{
	u64 fdarray = argaddr(0);
	struct proc *p = myproc();
	struct file *rf, *wf;
	int fd[2], err;

	err = pipealloc(&rf, &wf);
	if (err < 0)
		return err;
	fd[0] = fdalloc(rf);
	if (fd[0] < 0) {
		err = fd[0];
		goto out_close;
	}
	fd[1] = fdalloc(wf);
	if (fd[1] < 0) {
		err = fd[1];
		p->ofile[fd[0]] = NULL;
		goto out_close;
	}
	if (copy_to_user(fdarray, fd, sizeof(fd)) < 0) {
		err = -EFAULT;
		p->ofile[fd[0]] = NULL;
		p->ofile[fd[1]] = NULL;
		goto out_close;
	}
	return 0;

out_close:
	fileclose(rf);
	fileclose(wf);
	return err;
}
