/*
 * tools/testing/mm/stubs/kernel/proc.h - host stand-in for <kernel/proc.h>:
 * NCPU simulated CPUs. cpuid() returns mm_host_cpu, which a test sets to
 * play a different CPU (per-CPU page lists); there is no current process.
 */
#ifndef _KERNEL_PROC_H
#define _KERNEL_PROC_H

#include <kernel/types.h>
#include <kernel/spinlock.h>

#define NCPU 8

struct proc {
	char name[16];
};

extern int mm_host_cpu;
extern int ncpus_online;

static inline int cpuid(void)
{
	return mm_host_cpu;
}

static inline struct proc *myproc(void)
{
	return NULL;
}

#endif /* _KERNEL_PROC_H */
