/*
 * kernel/loadavg.h - the load average: how many processes wanted a CPU (or
 * waited for the disk), averaged over the last 1, 5 and 15 minutes, as
 * /proc/loadavg and top print it.
 *
 * Every LOAD_FREQ ticks (5 s) CPU 0 counts the active processes n and moves
 * each average a step towards n:
 *
 *   load = load * e + n * (1 - e),    e = exp(-5 s / period)
 *
 * an exponentially weighted moving average: a step of load lasting one
 * period leaves 1 - 1/e = 63% of its height in that average. The numbers
 * are fixed point with FSHIFT fraction bits (FIXED_1 is 1.0), so no
 * floating point is needed in the kernel. See kernel/loadavg.c.
 */
#ifndef _KERNEL_LOADAVG_H
#define _KERNEL_LOADAVG_H

#include <kernel/types.h>

#define FSHIFT 11		/* bits of fraction */
#define FIXED_1 (1UL << FSHIFT) /* 1.0 */
#define LOAD_FREQ \
	(5 * 100 + 1) /* ticks between samples: 5 s at HZ = 100, plus one
				 * so that the sample does not beat with 5 s periodic work */

/* e = exp(-5 s / period) in fixed point: 2048 * exp(-5/60), exp(-5/300), exp(-5/900) */
#define EXP_1 1884
#define EXP_5 2014
#define EXP_15 2037

/* The three averages (fixed point), updated by CPU 0 only; read without a lock. */
extern unsigned long avenrun[3];

/**
 * calc_load - one step of the moving average
 * @load:   the average so far (fixed point)
 * @exp:    EXP_1, EXP_5 or EXP_15
 * @active: processes active now, in fixed point (n << FSHIFT)
 *
 * Rounds towards @active, so that a constant load is reached exactly and
 * an idle machine decays to exactly 0.
 * Context: any. Return: the new average.
 */
unsigned long calc_load(unsigned long load, unsigned long exp, unsigned long active);

/**
 * calc_global_load - take a sample if LOAD_FREQ ticks have passed since
 * the last one
 * @now: ticks since boot
 * Context: the timer interrupt of CPU 0 (takes proc_list_lock to count).
 */
void calc_global_load(u64 now);

/**
 * loadavg_int / loadavg_frac - the integer part and the two decimals of a
 * fixed-point average, rounded to the nearest hundredth ("0.63").
 * Return: the part.
 */
unsigned long loadavg_int(unsigned long load);
unsigned long loadavg_frac(unsigned long load);

struct seq_buf;
/**
 * loadavg_show - /proc/loadavg: "0.63 0.20 0.07 2/9 42", the three
 * averages, running/total processes and the last pid handed out.
 * Context: process context.
 */
void loadavg_show(struct seq_buf *m);

#endif /* _KERNEL_LOADAVG_H */
