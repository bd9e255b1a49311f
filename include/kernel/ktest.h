/*
 * kernel/ktest.h - the in-kernel test runner (KUnit-like, KTAP output).
 *
 * A suite sits beside the code it tests (so it can reach static functions)
 * and is registered with KTEST_SUITE(); the linker gathers suites into the
 * .ktest_suites section. Booting with `ktest=all` or `ktest=name1,name2`
 * runs them in the first process's context (they may sleep and take locks)
 * and powers the machine off with status 0 if every case passed, 1 if not.
 * `all` leaves out the suites registered with KTEST_SUITE_EXPLICIT.
 *
 *   static void test_thing(struct ktest *t)
 *   {
 *           KTEST_EXPECT_EQ(t, 2 + 2, 4);
 *   }
 *   static struct ktest_case foo_cases[] = { KTEST_CASE(test_thing), {} };
 *   KTEST_SUITE(foo, foo_cases);
 *
 * Output (KTAP version 1): one subtest block per suite, then a summary line.
 */
#ifndef _KERNEL_KTEST_H
#define _KERNEL_KTEST_H

#include <kernel/types.h>
#include <kernel/printk.h>

struct ktest {
	const char *name;
	int failed; /* number of failed expectations */
	bool skipped;
	const char *skip_reason;
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	struct ktest_case *cases; /* terminated by an entry with run == NULL */
	bool explicit_only;	  /* not in `ktest=all`: runs only when named */
};

#define KTEST_CASE(fn)  \
	{               \
#fn, fn \
	}

#define KTEST_SUITE(sname, scases)                                                       \
	static const struct ktest_suite __ktest_suite_##sname __section(".ktest_suites") \
	    __used __aligned(8) = {#sname, scases}

/*
 * A suite that `ktest=all` leaves out and only `ktest=NAME` runs: benchmarks
 * (their figures are measurements, not results) and the runner's own
 * self-test, whose cases fail on purpose.
 */
#define KTEST_SUITE_EXPLICIT(sname, scases)                                              \
	static const struct ktest_suite __ktest_suite_##sname __section(".ktest_suites") \
	    __used __aligned(8) = {#sname, scases, true}

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...) __printf(4, 5);
void ktest_skip(struct ktest *t, const char *reason);

#define KTEST_EXPECT_TRUE(t, cond)                                                 \
	do {                                                                       \
		if (!(cond))                                                       \
			ktest_fail((t), __FILE__, __LINE__, "expected %s", #cond); \
	} while (0)
#define KTEST_EXPECT_FALSE(t, cond) KTEST_EXPECT_TRUE(t, !(cond))
#define KTEST_EXPECT_EQ(t, a, b)                                                                \
	do {                                                                                    \
		long long __a = (long long)(a), __b = (long long)(b);                           \
		if (__a != __b)                                                                 \
			ktest_fail((t), __FILE__, __LINE__,                                     \
				   "expected %s == %s, got %lld (0x%llx) vs %lld (0x%llx)", #a, \
				   #b, __a, __a, __b, __b);                                     \
	} while (0)
#define KTEST_EXPECT_NE(t, a, b)                                                                \
	do {                                                                                    \
		long long __a = (long long)(a), __b = (long long)(b);                           \
		if (__a == __b)                                                                 \
			ktest_fail((t), __FILE__, __LINE__, "expected %s != %s, both %lld", #a, \
				   #b, __a);                                                    \
	} while (0)
#define KTEST_EXPECT_STREQ(t, a, b)                                                                \
	do {                                                                                       \
		const char *__a = (a), *__b = (b);                                                 \
		if (strcmp(__a, __b) != 0)                                                         \
			ktest_fail((t), __FILE__, __LINE__, "expected %s == %s: \"%s\" vs \"%s\"", \
				   #a, #b, __a, __b);                                              \
	} while (0)
/* Stop the case on failure (the case function must return right after). */
#define KTEST_ASSERT_TRUE(t, cond)                                                  \
	do {                                                                        \
		if (!(cond)) {                                                      \
			ktest_fail((t), __FILE__, __LINE__, "assertion %s", #cond); \
			return;                                                     \
		}                                                                   \
	} while (0)

/* Run the suites selected by @spec ("all" or a comma list). Return: failures. */
int ktest_run(const char *spec);

#endif /* _KERNEL_KTEST_H */
