/*
 * kernel/pipe.h - pipes: a one-way byte stream between two open files.
 *
 * pipe() returns two struct files that share one struct pipe: bytes written
 * to the write end come out of the read end in order. The buffer is one page
 * (see fs/pipe.c); a writer sleeps while it is full, a reader while it is
 * empty.
 */
#ifndef _KERNEL_PIPE_H
#define _KERNEL_PIPE_H

#include <kernel/types.h>

struct file;
struct pipe;

/**
 * pipealloc - create a pipe and its two ends.
 * @rf: receives the read end (readable, not writable)
 * @wf: receives the write end (writable, not readable)
 * Return: 0, or -ENFILE/-ENOMEM (then *@rf and *@wf are untouched).
 */
int pipealloc(struct file **rf, struct file **wf);

/**
 * pipeclose - close one end of @pi; the second close frees the pipe.
 * @writable: non-zero for the write end
 */
void pipeclose(struct pipe *pi, int writable);

/**
 * pipewrite - write @n bytes from user address @uaddr into @pi.
 * Context: process context; sleeps while the pipe is full.
 * Return: bytes written (fewer than @n only if @uaddr faults part way), or
 * -1 if the read end is closed or the process is killed.
 */
int pipewrite(struct pipe *pi, u64 uaddr, int n);

/**
 * piperead - read up to @n bytes from @pi into user address @uaddr.
 * Context: process context; sleeps while the pipe is empty and a writer
 * remains.
 * Return: bytes read (0 when empty and the write end is closed), or -1 if
 * the process is killed or @uaddr faults before any byte was read.
 */
int piperead(struct pipe *pi, u64 uaddr, int n);

#endif /* _KERNEL_PIPE_H */
