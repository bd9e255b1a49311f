/*
 * tools/testing/loadavg/test_loadavg.c - host tests for kernel/loadavg.c.
 *
 * The decay constants must be exp(-5 s / period) in 11-bit fixed point.
 * The averages are compared with the same moving average computed in
 * double precision with those constants: what remains is the rounding of
 * each step, which piles up to at most 1 / (1 - e) units of 1/2048 (0.006
 * for the 1-minute average, 0.03 and 0.09 for the 5- and 15-minute ones).
 * A constant load must be reached exactly, an idle machine must fall to
 * exactly 0, and /proc/loadavg must print to the nearest hundredth.
 */
#include <kernel/loadavg.h>
#include <kernel/seq_buf.h>
#include "ktest-host.h"

#include <stdlib.h>

/* the process table, as kernel/loadavg.c sees it (stubs/kernel/proc.h) */
static int running, blocked, total, last_pid;

void proc_counts(int *r, int *b, int *t)
{
	*r = running;
	*b = blocked;
	*t = total;
}

int proc_last_pid(void)
{
	return last_pid;
}

/* e^x by its series: the host tests link no libm */
static double exp_series(double x)
{
	double sum = 1, term = 1;

	for (int n = 1; n < 40; n++) {
		term *= x / n;
		sum += term;
	}
	return sum;
}

static const double periods[3] = {60, 300, 900};
static const unsigned long exps[3] = {EXP_1, EXP_5, EXP_15};

static double to_double(unsigned long fixed)
{
	return (double)fixed / FIXED_1;
}

TEST(decay_constants_are_exp_of_minus_5s_over_the_period)
{
	for (int i = 0; i < 3; i++) {
		double e = exp_series(-5.0 / periods[i]) * FIXED_1, d = e - (double)exps[i];
		EXPECT_TRUE(d > -1 && d < 1);
	}
}

/* The rounding error one average may pile up, in load units. */
static double bound(int i)
{
	return 1.0 / (double)(FIXED_1 - exps[i]) + 1e-9;
}

/* Run @steps more samples of @active(step) through the kernel and the model. */
static int compare(int steps, int (*active)(int step), unsigned long load[3], double model[3])
{
	for (int step = 0; step < steps; step++) {
		int n = active(step);
		for (int i = 0; i < 3; i++) {
			double e = (double)exps[i] / FIXED_1;
			load[i] = calc_load(load[i], exps[i], (unsigned long)n * FIXED_1);
			model[i] = model[i] * e + n * (1 - e);
			double diff = to_double(load[i]) - model[i];
			if (diff < -bound(i) || diff > bound(i)) {
				ktest_log(
				    "step %d, average %d, n %d: kernel %.4f, model %.4f, bound %.4f",
				    step, i, n, to_double(load[i]), model[i], bound(i));
				return -1;
			}
		}
	}
	return 0;
}

static int always_two(int step)
{
	(void)step;
	return 2;
}

TEST(constant_load_tracks_the_model_and_reaches_it_exactly)
{
	unsigned long load[3] = {0, 0, 0};
	double model[3] = {0, 0, 0};

	ASSERT_EQ(compare(12, always_two, load, model), 0);
	/* after one minute the 1-minute average is 1 - 1/e of the way */
	EXPECT_TRUE(to_double(load[0]) > 2 * 0.62 && to_double(load[0]) < 2 * 0.645);
	ASSERT_EQ(compare(2000, always_two, load, model), 0); /* almost 3 hours more */
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(load[i], 2 * FIXED_1);
}

TEST(idle_machine_decays_to_exactly_zero)
{
	unsigned long load = 5 * FIXED_1;

	for (int step = 0; step < 3000; step++)
		load = calc_load(load, EXP_15, 0);
	EXPECT_EQ(load, 0);
}

static int random_load(int step)
{
	(void)step;
	return rand() % 7;
}

TEST(random_load_stays_within_the_rounding_bound_of_the_model)
{
	unsigned long load[3] = {0, 0, 0};
	double model[3] = {0, 0, 0};

	srand(42);
	EXPECT_EQ(compare(5000, random_load, load, model), 0);
}

TEST(printed_to_the_nearest_hundredth)
{
	EXPECT_EQ(loadavg_int(FIXED_1), 1);
	EXPECT_EQ(loadavg_frac(FIXED_1), 0);
	/* 0.999 rounds up to 1.00, not down to 0.99 */
	unsigned long almost = FIXED_1 - 2;
	EXPECT_EQ(loadavg_int(almost), 1);
	EXPECT_EQ(loadavg_frac(almost), 0);
	/* 1298/2048 = 0.6338 -> 0.63 */
	EXPECT_EQ(loadavg_int(1298), 0);
	EXPECT_EQ(loadavg_frac(1298), 63);
	EXPECT_EQ(loadavg_frac(FIXED_1 * 5 / 2), 50);
	EXPECT_EQ(loadavg_int(FIXED_1 * 5 / 2), 2);
}

TEST(sampled_every_load_freq_ticks_and_shown_like_linux)
{
	char buf[128];
	struct seq_buf m;

	running = 2;
	blocked = 1;
	total = 9;
	last_pid = 42;
	avenrun[0] = avenrun[1] = avenrun[2] = 0;
	calc_global_load(LOAD_FREQ - 1); /* too early */
	EXPECT_EQ(avenrun[0], 0);
	calc_global_load(LOAD_FREQ);
	unsigned long once = avenrun[0];
	EXPECT_EQ(once, calc_load(0, EXP_1, 3 * FIXED_1)); /* running + blocked */
	calc_global_load(LOAD_FREQ + 1);		   /* the next sample is LOAD_FREQ later */
	EXPECT_EQ(avenrun[0], once);
	calc_global_load(2 * LOAD_FREQ);
	EXPECT_EQ(avenrun[0], calc_load(once, EXP_1, 3 * FIXED_1));

	avenrun[0] = 1298;
	avenrun[1] = FIXED_1 * 5 / 2;
	avenrun[2] = 0;
	seq_buf_init(&m, buf, sizeof(buf));
	loadavg_show(&m);
	EXPECT_STREQ(buf, "0.63 2.50 0.00 2/9 42\n");
}
