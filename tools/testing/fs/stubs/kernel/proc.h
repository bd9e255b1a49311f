/*
 * tools/testing/fs/stubs/kernel/proc.h - host stand-in for <kernel/proc.h>:
 * one fake process (fs_host_proc) whose "user memory" is host memory, and a
 * sleep() that fails the test, since a single-threaded test that sleeps
 * would never be woken.
 */
#ifndef _KERNEL_PROC_H
#define _KERNEL_PROC_H

#include <kernel/types.h>
#include <kernel/spinlock.h>
#include <uapi/pagoda/param.h>

#define PAGE_SIZE 4096UL

struct file;
struct inode;

struct proc {
	int pid;
	int killed;
	struct file *ofile[NOFILE];
	struct inode *cwd;
	char name[16];
};

struct proc *myproc(void);
void sleep(void *chan, struct spinlock *lk);
void wakeup(void *chan);
bool killed(struct proc *p);
int either_copyout(int user_dst, u64 dst, const void *src, u64 len);
int either_copyin(void *dst, int user_src, u64 src, u64 len);
/* a wait for the disk: nothing to account on the host */
static inline void io_schedule_begin(void)
{
}
static inline void io_schedule_end(void)
{
}

#endif /* _KERNEL_PROC_H */
