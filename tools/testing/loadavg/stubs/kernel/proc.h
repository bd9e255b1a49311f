/*
 * tools/testing/loadavg/stubs/kernel/proc.h - host stand-in for
 * <kernel/proc.h>: what kernel/loadavg.c asks of the process table, answered
 * by the test (test_loadavg.c sets the counts).
 */
#ifndef _KERNEL_PROC_H
#define _KERNEL_PROC_H

#include <kernel/types.h>

#define HZ 100

void proc_counts(int *running, int *blocked, int *total);
int proc_last_pid(void);

#endif /* _KERNEL_PROC_H */
