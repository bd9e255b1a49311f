/*
 * fs/pipe.c - pipes: a bounded byte queue between a writing and a reading
 * file.
 *
 * A pipe is a small struct pipe from kmalloc (as Linux's pipe_inode_info)
 * and a ring buffer of one page from the page allocator (PIPESIZE bytes):
 *
 *   struct pipe (kmalloc-64)         data: one page
 *   +-----------------------------+  +---------------------------------------+
 *   | lock, nread, nwrite, flags, |->| PIPESIZE bytes                        |
 *   | data                        |  +---------------------------------------+
 *   +-----------------------------+
 *
 * nread and nwrite count every byte ever read and written; they never wrap
 * (64 bits), so nwrite - nread is the number of bytes waiting, the pipe is
 * empty when they are equal and full when nwrite == nread + PIPESIZE, and
 * byte number k lives at data[k % PIPESIZE].
 *
 * A writer that finds the pipe full sleeps on &pi->nwrite; a reader that
 * finds it empty sleeps on &pi->nread; each wakes the other after moving
 * bytes. Both stop when their process is killed, returning the bytes moved
 * so far (-1 if none), and a writer gives up when the read end is closed
 * (nobody will ever read).
 *
 * User memory is never touched with pi->lock held: bytes go through a small
 * buffer on the kernel stack, so that a copy that has to fault a user page
 * in (and may sleep) never does so inside a spinlock. A reader takes bytes
 * out of the ring before it copies them out, so it first checks that the
 * destination is mapped (VMAs only): a bad buffer leaves the bytes in the
 * pipe, as on Linux (only a copy that still fails, out of memory, loses
 * them).
 *
 * See: include/kernel/pipe.h, fs/file.c.
 */
#include <kernel/types.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <kernel/proc.h>
#include <kernel/gfp.h>
#include <kernel/file.h>
#include <kernel/pipe.h>
#include <kernel/slab.h>
#include <kernel/uaccess.h>
#include "internal.h"

struct pipe {
	struct spinlock lock; /* protects everything below */
	u64 nread;	      /* bytes read so far */
	u64 nwrite;	      /* bytes written so far */
	bool readopen;	      /* read end still open */
	bool writeopen;	      /* write end still open */
	char *data;	      /* PIPESIZE bytes: a page */
};

#define PIPESIZE PAGE_SIZE

/* Bytes moved per trip through the kernel-stack bounce buffer. */
#define PIPE_CHUNK 256

int pipealloc(struct file **rf, struct file **wf)
{
	struct pipe *pi;
	struct file *r = NULL, *w = NULL;

	r = filealloc();
	if (r == NULL)
		goto fail;
	w = filealloc();
	if (w == NULL)
		goto fail;
	pi = kzalloc(sizeof(*pi), GFP_KERNEL);
	if (pi == NULL)
		goto fail_nomem;
	pi->data = (char *)__get_free_page(GFP_KERNEL);
	if (pi->data == NULL) {
		kfree(pi);
		goto fail_nomem;
	}

	spin_lock_init(&pi->lock, "pipe");
	pi->nread = 0;
	pi->nwrite = 0;
	pi->readopen = true;
	pi->writeopen = true;

	r->type = FD_PIPE;
	r->readable = true;
	r->writable = false;
	r->pipe = pi;
	w->type = FD_PIPE;
	w->readable = false;
	w->writable = true;
	w->pipe = pi;
	*rf = r;
	*wf = w;
	return 0;

fail_nomem:
	fileclose(w);
	fileclose(r);
	return -ENOMEM;
fail:
	if (r)
		fileclose(r); /* type FD_NONE: just frees the slot */
	return -ENFILE;
}

void pipeclose(struct pipe *pi, int writable)
{
	bool free_it;

	spin_lock(&pi->lock);
	if (writable) {
		pi->writeopen = false;
		wakeup(&pi->nread); /* readers see end of file */
	} else {
		pi->readopen = false;
		wakeup(&pi->nwrite); /* writers see a broken pipe */
	}
	free_it = !pi->readopen && !pi->writeopen;
	spin_unlock(&pi->lock);
	if (free_it) {
		free_page((unsigned long)pi->data);
		kfree(pi);
	}
}

int pipewrite_either(struct pipe *pi, int user_src, u64 src, int n)
{
	char kbuf[PIPE_CHUNK];
	struct proc *p = myproc();
	int done = 0, len, i, m;
	u64 space;

	if (n <= 0)
		return n == 0 ? 0 : -1;
	while (done < n) {
		len = MIN(n - done, PIPE_CHUNK);
		if (either_copyin(kbuf, user_src, src + done, len) < 0)
			return done > 0 ? done : -1;

		spin_lock(&pi->lock);
		for (i = 0; i < len; i += m) {
			if (!pi->readopen || (p && killed(p))) {
				/* a kill: what went in so far; a broken pipe: -1 */
				bool just_killed = pi->readopen;
				wakeup(&pi->nread);
				spin_unlock(&pi->lock);
				return just_killed && done + i > 0 ? done + i : -1;
			}
			space = PIPESIZE - (pi->nwrite - pi->nread);
			if (space == 0) {
				wakeup(&pi->nread);
				sleep(&pi->nwrite, &pi->lock);
				m = 0;
				continue;
			}
			/* copy up to the end of the ring, the space, or the chunk */
			m = MIN((u64)(len - i), space);
			m = MIN((u64)m, PIPESIZE - pi->nwrite % PIPESIZE);
			memmove(pi->data + pi->nwrite % PIPESIZE, kbuf + i, m);
			pi->nwrite += m;
		}
		wakeup(&pi->nread);
		spin_unlock(&pi->lock);
		done += len;
	}
	return done;
}

int piperead_either(struct pipe *pi, int user_dst, u64 dst, int n)
{
	char kbuf[PIPE_CHUNK];
	struct proc *p = myproc();
	int done = 0, len, m;
	u64 avail;

	if (n <= 0)
		return n == 0 ? 0 : -1;
	spin_lock(&pi->lock);
	while (pi->nread == pi->nwrite && pi->writeopen) {
		if (p && killed(p)) {
			spin_unlock(&pi->lock);
			return -1;
		}
		sleep(&pi->nread, &pi->lock);
	}
	/* Take what is there now (up to n); don't wait for more. */
	while (done < n && pi->nwrite != pi->nread) {
		avail = pi->nwrite - pi->nread;
		len = MIN((u64)(n - done), MIN(avail, (u64)PIPE_CHUNK));
		/* bytes taken are gone even if the copy fails: first make sure
		 * the buffer is there (its VMAs say, without a fault) */
		if (user_dst && !user_range_mapped(dst + done, len, true)) {
			spin_unlock(&pi->lock);
			return done > 0 ? done : -1;
		}
		/* the chunk may wrap around the end of the ring: copy in two parts */
		m = MIN((u64)len, PIPESIZE - pi->nread % PIPESIZE);
		memmove(kbuf, pi->data + pi->nread % PIPESIZE, m);
		memmove(kbuf + m, pi->data, len - m);
		pi->nread += len;
		wakeup(&pi->nwrite);
		spin_unlock(&pi->lock);

		if (either_copyout(user_dst, dst + done, kbuf, len) < 0)
			return done > 0 ? done : -1; /* the bytes are lost, as if read */
		done += len;
		spin_lock(&pi->lock);
	}
	spin_unlock(&pi->lock);
	return done;
}

int pipewrite(struct pipe *pi, u64 uaddr, int n)
{
	return pipewrite_either(pi, 1, uaddr, n);
}

int piperead(struct pipe *pi, u64 uaddr, int n)
{
	return piperead_either(pi, 1, uaddr, n);
}
