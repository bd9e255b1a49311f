/*
 * kernel/loadavg.c - the load average (see kernel/loadavg.h for the idea).
 *
 * "Active" is what Linux counts: processes that are RUNNABLE or RUNNING,
 * plus those sleeping for the disk (io_schedule_begin/end, 'D' in
 * /proc/PID/stat). Sleepers waiting for input, a child or a timer do not
 * count: an idle shell has load 0.00.
 *
 * The rounding matters. Rounding every step down would leave the 15-minute
 * average stuck below a constant load of 1 (once 1 - load is small, the
 * step (1 - load)(1 - e) is less than one unit of 1/2048); rounding towards
 * the target lets the average reach it exactly, and fall to exactly 0.
 *
 * Locking: avenrun[] is written by CPU 0's tick only; readers take the
 * three words without a lock (each is one aligned word).
 *
 * Host tests: tools/testing/loadavg (the arithmetic, against a
 * floating-point model).
 *
 * See: Linux kernel/sched/loadavg.c and fs/proc/loadavg.c for the same
 * quantities; proc(5), /proc/loadavg.
 */
#include <kernel/loadavg.h>
#include <kernel/proc.h>
#include <kernel/seq_buf.h>

_Static_assert(LOAD_FREQ == 5 * HZ + 1, "LOAD_FREQ is 5 s of ticks, plus one");

unsigned long avenrun[3];
static u64 next_sample = LOAD_FREQ;

unsigned long calc_load(unsigned long load, unsigned long exp, unsigned long active)
{
	unsigned long sum = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		sum += FIXED_1 - 1; /* round up, towards the target */
	return sum >> FSHIFT;
}

void calc_global_load(u64 now)
{
	int running, blocked, total;
	unsigned long active;

	if (now < next_sample)
		return;
	next_sample = now + LOAD_FREQ;
	proc_counts(&running, &blocked, &total);
	active = (unsigned long)(running + blocked) << FSHIFT;
	WRITE_ONCE(avenrun[0], calc_load(avenrun[0], EXP_1, active));
	WRITE_ONCE(avenrun[1], calc_load(avenrun[1], EXP_5, active));
	WRITE_ONCE(avenrun[2], calc_load(avenrun[2], EXP_15, active));
}

/* add half a hundredth, so that 0.996 prints as 1.00, not 0.99 */
static unsigned long round_hundredth(unsigned long load)
{
	return load + FIXED_1 / 200;
}

unsigned long loadavg_int(unsigned long load)
{
	return round_hundredth(load) >> FSHIFT;
}

unsigned long loadavg_frac(unsigned long load)
{
	return ((round_hundredth(load) & (FIXED_1 - 1)) * 100) >> FSHIFT;
}

void loadavg_show(struct seq_buf *m)
{
	int running, blocked, total;

	proc_counts(&running, &blocked, &total);
	for (int i = 0; i < 3; i++) {
		unsigned long a = READ_ONCE(avenrun[i]);
		seq_buf_printf(m, "%lu.%02lu ", loadavg_int(a), loadavg_frac(a));
	}
	seq_buf_printf(m, "%d/%d %d\n", running, total, proc_last_pid());
}
