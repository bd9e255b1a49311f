/*
 * kernel/sched_test.c - KTAP suite "sched": locks, interrupt nesting, the
 * timer and sleeping, and the boot CPUs.
 */
#include <kernel/ktest.h>
#include <kernel/proc.h>
#include <kernel/arch.h>
#include <kernel/setup.h>

static void test_spinlock_holding(struct ktest *t)
{
	struct spinlock lk;

	spin_lock_init(&lk, "test");
	KTEST_EXPECT_FALSE(t, spin_is_held(&lk));
	spin_lock(&lk);
	KTEST_EXPECT_TRUE(t, spin_is_held(&lk));
	KTEST_EXPECT_FALSE(t, arch_irqs_enabled());
	spin_unlock(&lk);
	KTEST_EXPECT_FALSE(t, spin_is_held(&lk));
}

static void test_push_pop_nesting(struct ktest *t)
{
	bool was = arch_irqs_enabled();

	push_off();
	push_off();
	KTEST_EXPECT_FALSE(t, arch_irqs_enabled());
	pop_off();
	KTEST_EXPECT_FALSE(t, arch_irqs_enabled());
	pop_off();
	KTEST_EXPECT_EQ(t, arch_irqs_enabled(), was);
}

/*
 * Sleep until three ticks have passed. Each tick wakes the sleepers once, so
 * sleep() can have returned at most once per tick (a sleep() that returns
 * without waiting spins here thousands of times); and ticks come one timer
 * period apart (the timer is re-armed a period after each tick), so the
 * free-running counter must have advanced by at least one period (a timer
 * firing too fast fails this).
 */
static void test_timer_ticks_and_sleep(struct ktest *t)
{
	u64 start, end, c0, c1, returns = 0;

	spin_lock(&tickslock);
	start = ticks;
	c0 = arch_counter_read();
	while (ticks - start < 3) {
		sleep(&ticks, &tickslock);
		returns++;
	}
	end = ticks;
	c1 = arch_counter_read();
	spin_unlock(&tickslock);
	KTEST_EXPECT_TRUE(t, returns >= 1 && returns <= end - start);
	KTEST_EXPECT_TRUE(t, c1 - c0 >= arch_timer_freq / HZ);
}

static void test_cpus_online(struct ktest *t)
{
	int online = 0;

	for (int i = 0; i < NCPU; i++)
		online += cpus[i].online;
	KTEST_EXPECT_EQ(t, online, ncpus_online);
	KTEST_EXPECT_EQ(t, online, boot_info.ncpus < NCPU ? boot_info.ncpus : NCPU);
	KTEST_EXPECT_TRUE(t, this_cpu() == &cpus[cpuid()]);
}

static void test_yield_keeps_process(struct ktest *t)
{
	struct proc *p = myproc();

	for (int i = 0; i < 20; i++)
		yield();
	KTEST_EXPECT_TRUE(t, myproc() == p);
	KTEST_EXPECT_EQ(t, p->state, RUNNING);
}

static struct ktest_case sched_cases[] = {
    KTEST_CASE(test_spinlock_holding),	    KTEST_CASE(test_push_pop_nesting),
    KTEST_CASE(test_timer_ticks_and_sleep), KTEST_CASE(test_cpus_online),
    KTEST_CASE(test_yield_keeps_process),   {},
};
KTEST_SUITE(sched, sched_cases);
