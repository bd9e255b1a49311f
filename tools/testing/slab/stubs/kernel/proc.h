/*
 * tools/testing/slab/stubs/kernel/proc.h - host stand-in for <kernel/proc.h>
 * for the slab tests: NCPU simulated CPUs (cpuid() returns mm_host_cpu,
 * which a test sets to play another CPU) and a current process with a pid,
 * which the slab allocator's debugging records.
 */
#ifndef _KERNEL_PROC_H
#define _KERNEL_PROC_H

#include <kernel/types.h>
#include <kernel/spinlock.h>

#define NCPU 8

struct proc {
	int pid;
	char name[16];
};

extern int mm_host_cpu;
extern int ncpus_online;
extern struct proc *slab_host_current; /* NULL: no process (boot) */

static inline int cpuid(void)
{
	return mm_host_cpu;
}

static inline struct proc *myproc(void)
{
	return slab_host_current;
}

/* no process is ever killed on the host (long mm loops check for a kill) */
static inline bool killed(struct proc *p)
{
	(void)p;
	return false;
}

#endif /* _KERNEL_PROC_H */
