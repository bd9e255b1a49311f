/*
 * kernel/ktest_selftest.c - KTAP suite "ktest_selftest": the test runner
 * checked against cases that go wrong on purpose.
 *
 * `ktest=all` leaves it out (KTEST_SUITE_EXPLICIT); `make test` boots
 * `ktest=ktest_selftest slab_debug` and expects exactly this:
 *
 *   ok 1 test_leaks_one_object            (the case itself passes ...)
 *   not ok 2 test_fails_then_skips        (a failure is never hidden by a skip)
 *   ok 3 test_passes
 *   not ok 1 ktest_selftest
 *   # kmemleak: test_leaks_one_object: unreferenced object ... (64 bytes, kmalloc-64) ...
 *   not ok 1 ktest_selftest_no_leaks      (... but its leak fails the suite's leak check)
 *   # ktest: 2 passed, 2 failed, 0 skipped
 *
 * and QEMU's exit status 1. If the runner reported the skip, or missed the
 * leak, `make test` fails.
 *
 * See: kernel/ktest.c, mm/kmemleak.c, tools/test.py (stage ktest).
 */
#include <kernel/ktest.h>
#include <kernel/slab.h>
#include <kernel/gfp.h>

/* Allocate an object and drop the only pointer to it. */
static void test_leaks_one_object(struct ktest *t)
{
	volatile unsigned long scrambled;
	void *p = kmalloc(48, GFP_KERNEL);

	KTEST_ASSERT_TRUE(t, p != NULL);
	/* no copy of the address stays in memory kmemleak scans */
	scrambled = (unsigned long)p ^ 0xa5a5a5a5a5a5a5a5UL;
	(void)scrambled;
}

/* An expectation fails, then the case asks to be skipped: still a failure. */
static void test_fails_then_skips(struct ktest *t)
{
	volatile int two = 2;

	KTEST_EXPECT_EQ(t, two + two, 5);
	ktest_skip(t, "a skip after a failure must not hide it");
}

/* Passes, with no leak: the runner must not fail everything blindly. */
static void test_passes(struct ktest *t)
{
	void *p = kmalloc(48, GFP_KERNEL);

	KTEST_ASSERT_TRUE(t, p != NULL);
	kfree(p);
}

static struct ktest_case ktest_selftest_cases[] = {
    KTEST_CASE(test_leaks_one_object),
    KTEST_CASE(test_fails_then_skips),
    KTEST_CASE(test_passes),
    {},
};
KTEST_SUITE_EXPLICIT(ktest_selftest, ktest_selftest_cases);
