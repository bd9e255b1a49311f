/*
 * kernel/cputime.h - CPU time accounting at the timer tick, and the /proc
 * files built from it (kernel/cputime.c).
 */
#ifndef _KERNEL_CPUTIME_H
#define _KERNEL_CPUTIME_H

#include <kernel/types.h>

struct seq_buf;

/**
 * account_process_tick - charge one tick of this CPU to what it was doing
 * @user: the tick interrupted user mode (user_mode(regs))
 * Context: the timer interrupt.
 */
void account_process_tick(bool user);

/**
 * jiffies_to_clock_t - ticks (HZ) to the "clock ticks" user space expects
 * (USER_HZ = 100). Return: the converted count.
 */
u64 jiffies_to_clock_t(u64 j);

/** show_stat - /proc/stat. Context: process context. */
void show_stat(struct seq_buf *m);
/** uptime_show - /proc/uptime. Context: process context. */
void uptime_show(struct seq_buf *m);

#endif /* _KERNEL_CPUTIME_H */
