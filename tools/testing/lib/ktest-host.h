/*
 * tools/testing/lib/ktest-host.h - a tiny unit-test framework for the host
 * test programs under tools/testing/<subsystem>/, printing KTAP.
 *
 * A test is a void function declared with TEST(); it registers itself before
 * main() runs, so a test file needs nothing else:
 *
 *   #include "ktest-host.h"
 *
 *   TEST(parse_size_suffixes)
 *   {
 *           u64 v;
 *
 *           ASSERT_EQ(parse_size("64M", &v), 0);   // stop this test if false
 *           EXPECT_EQ(v, 64ULL << 20);             // record, carry on
 *   }
 *
 * The main() in ktest-host.c runs every test (sorted by file, then line),
 * each in a forked child so that a crash or an ASan report fails one test
 * and not the rest, and prints
 *
 *   KTAP version 1
 *   1..2
 *   # test_x.c:12: expected v == 64ULL << 20, got 0 (0x0) vs 67108864 (0x4000000)
 *   not ok 1 parse_size_suffixes
 *   ok 2 other_test # SKIP qemu not installed
 *   # Totals: pass:0 fail:1 skip:1
 *
 * and exits 1 if any test failed. Options: -l lists the tests, -n runs them
 * in-process (for gdb), -s SEED changes every test's random numbers (see
 * ktest_srand()), other arguments select tests whose name contains them or
 * matches them as a glob. KTEST_TIMEOUT (seconds, default 120) bounds each
 * test.
 *
 * Graded runs. The lab graders (tools/lab/grader.py) do not believe a test
 * program's output: the code under test runs in the same process and could
 * print anything, or leave early. The grader itself is the parent: it runs
 * each test alone, "PROG -t NAME -c FD -s SEED", and the test passes only if,
 * when it returns, the runner writes to FD
 *
 *   end CHECKS DIGEST FAILED SKIPPED
 *
 * with no failure, and CHECKS (the EXPECT/ASSERT checks made) and DIGEST (a
 * hash of SEED and of where each check was, in order, and how it came out)
 * equal those of the reference solution's run with the same fresh SEED. Driven tests
 * (ktest_driven()) read operations the grader chose from stdin and answer
 * with ktest_report() lines on FD, which the grader checks against a model
 * of its own.
 *
 * EXPECT_* record a failure and continue; ASSERT_* also return from the
 * test, so use them only in the TEST body itself. Integer comparisons
 * evaluate each side once: EQ/NE compare as 64-bit unsigned (so -1 == ~0ULL),
 * LT/LE/GT/GE as 64-bit signed.
 *
 * See: Documentation/dev-tools/ktap.rst in Linux for the output format.
 */
#ifndef _KTEST_HOST_H
#define _KTEST_HOST_H

#include <stddef.h>
#include <string.h>

struct ktest_case {
	const char *name;
	void (*run)(void);
	const char *file;
	int line;
	struct ktest_case *next;
};

void ktest_register(struct ktest_case *tc);
void ktest_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ktest_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ktest_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int ktest_failed(void);

/*
 * ktest_check - count one check made at @file:@line that came out @ok (0 or
 * 1) in the digest of a graded run. The EXPECT/ASSERT macros call it.
 * Return: @ok.
 */
int ktest_check(const char *file, int line, int ok);

/*
 * ktest_driven - is the grader feeding this test its operations on stdin?
 * (a graded run, -t NAME -c FD). Driven tests SKIP otherwise.
 */
int ktest_driven(void);

/* ktest_report - one line (no newline in @fmt) for the grader's own checker, on FD. */
void ktest_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Helpers for test programs. */
void *ktest_read_file(const char *path, size_t *lenp);
const char *ktest_data_path(const char *name);
/* xorshift64*, seeded by the test; a graded run (-s) mixes its own seed in. */
void ktest_srand(unsigned long long seed);
unsigned long long ktest_rand(void);
/* The run's seed (-s), 0 without one: for tests that pick numbers otherwise. */
unsigned long long ktest_run_seed(void);

/*
 * Where a test's generated files live ($(O)/<subsystem>); the Makefile
 * defines it. ktest_data_path() prefixes it to a file name.
 */
#ifndef KTEST_DATA_DIR
#define KTEST_DATA_DIR "."
#endif

#define TEST(tname)                                                                       \
	static void ktest_fn_##tname(void);                                               \
	static struct ktest_case ktest_case_##tname = {                                   \
	    .name = #tname, .run = ktest_fn_##tname, .file = __FILE__, .line = __LINE__}; \
	__attribute__((constructor)) static void ktest_reg_##tname(void)                  \
	{                                                                                 \
		ktest_register(&ktest_case_##tname);                                      \
	}                                                                                 \
	static void ktest_fn_##tname(void)

/* Mark the running test skipped (prints "# SKIP reason") and leave it. */
#define SKIP(...)                        \
	do {                             \
		ktest_skip(__VA_ARGS__); \
		return;                  \
	} while (0)

/* Print a KTAP diagnostic line ("# ...") from inside a test. */
#define KTEST_LOG(...) ktest_log(__VA_ARGS__)

#define KTEST_BAIL(fatal)       \
	do {                    \
		if (fatal)      \
			return; \
	} while (0)

#define KTEST_CMP_U(a, op, b, fatal)                                                            \
	do {                                                                                    \
		unsigned long long ka_ = (unsigned long long)(a);                               \
		unsigned long long kb_ = (unsigned long long)(b);                               \
		if (!ktest_check(__FILE__, __LINE__, ka_ op kb_)) {                             \
			ktest_fail(__FILE__, __LINE__,                                          \
				   "expected %s %s %s, got %lld (0x%llx) vs %lld (0x%llx)", #a, \
				   #op, #b, (long long)ka_, ka_, (long long)kb_, kb_);          \
			KTEST_BAIL(fatal);                                                      \
		}                                                                               \
	} while (0)

#define KTEST_CMP_S(a, op, b, fatal)                                                            \
	do {                                                                                    \
		long long ka_ = (long long)(a);                                                 \
		long long kb_ = (long long)(b);                                                 \
		if (!ktest_check(__FILE__, __LINE__, ka_ op kb_)) {                             \
			ktest_fail(__FILE__, __LINE__,                                          \
				   "expected %s %s %s, got %lld (0x%llx) vs %lld (0x%llx)", #a, \
				   #op, #b, ka_, (unsigned long long)ka_, kb_,                  \
				   (unsigned long long)kb_);                                    \
			KTEST_BAIL(fatal);                                                      \
		}                                                                               \
	} while (0)

#define KTEST_BOOL(x, want, fatal)                                                 \
	do {                                                                       \
		if (!ktest_check(__FILE__, __LINE__, !(x) == !(want))) {           \
			ktest_fail(__FILE__, __LINE__, "expected %s to be %s", #x, \
				   (want) ? "true" : "false");                     \
			KTEST_BAIL(fatal);                                         \
		}                                                                  \
	} while (0)

#define KTEST_PTR(a, op, b, fatal)                                                                 \
	do {                                                                                       \
		const void *ka_ = (const void *)(a);                                               \
		const void *kb_ = (const void *)(b);                                               \
		if (!ktest_check(__FILE__, __LINE__, ka_ op kb_)) {                                \
			ktest_fail(__FILE__, __LINE__, "expected %s %s %s, got %p vs %p", #a, #op, \
				   #b, ka_, kb_);                                                  \
			KTEST_BAIL(fatal);                                                         \
		}                                                                                  \
	} while (0)

int ktest_str_eq(const char *a, const char *b);

#define KTEST_STR(a, b, want_eq, fatal)                                                           \
	do {                                                                                      \
		const char *ka_ = (a);                                                            \
		const char *kb_ = (b);                                                            \
		if (!ktest_check(__FILE__, __LINE__, ktest_str_eq(ka_, kb_) == (want_eq))) {      \
			ktest_fail(__FILE__, __LINE__, "expected %s %s %s, got \"%s\" vs \"%s\"", \
				   #a, (want_eq) ? "==" : "!=", #b, ka_ ? ka_ : "(null)",         \
				   kb_ ? kb_ : "(null)");                                         \
			KTEST_BAIL(fatal);                                                        \
		}                                                                                 \
	} while (0)

#define KTEST_MEM(a, b, n, fatal)                                                                 \
	do {                                                                                      \
		const void *ka_ = (a);                                                            \
		const void *kb_ = (b);                                                            \
		size_t kn_ = (n);                                                                 \
		if (!ktest_check(__FILE__, __LINE__, memcmp(ka_, kb_, kn_) == 0)) {               \
			ktest_fail(__FILE__, __LINE__, "expected %zu bytes at %s == %s", kn_, #a, \
				   #b);                                                           \
			KTEST_BAIL(fatal);                                                        \
		}                                                                                 \
	} while (0)

#define EXPECT_EQ(a, b) KTEST_CMP_U(a, ==, b, 0)
#define EXPECT_NE(a, b) KTEST_CMP_U(a, !=, b, 0)
#define EXPECT_LT(a, b) KTEST_CMP_S(a, <, b, 0)
#define EXPECT_LE(a, b) KTEST_CMP_S(a, <=, b, 0)
#define EXPECT_GT(a, b) KTEST_CMP_S(a, >, b, 0)
#define EXPECT_GE(a, b) KTEST_CMP_S(a, >=, b, 0)
#define EXPECT_TRUE(x) KTEST_BOOL(x, 1, 0)
#define EXPECT_FALSE(x) KTEST_BOOL(x, 0, 0)
#define EXPECT_NULL(p) KTEST_PTR(p, ==, NULL, 0)
#define EXPECT_NOT_NULL(p) KTEST_PTR(p, !=, NULL, 0)
#define EXPECT_PTR_EQ(a, b) KTEST_PTR(a, ==, b, 0)
#define EXPECT_STREQ(a, b) KTEST_STR(a, b, 1, 0)
#define EXPECT_STRNE(a, b) KTEST_STR(a, b, 0, 0)
#define EXPECT_MEMEQ(a, b, n) KTEST_MEM(a, b, n, 0)

#define ASSERT_EQ(a, b) KTEST_CMP_U(a, ==, b, 1)
#define ASSERT_NE(a, b) KTEST_CMP_U(a, !=, b, 1)
#define ASSERT_LT(a, b) KTEST_CMP_S(a, <, b, 1)
#define ASSERT_LE(a, b) KTEST_CMP_S(a, <=, b, 1)
#define ASSERT_GT(a, b) KTEST_CMP_S(a, >, b, 1)
#define ASSERT_GE(a, b) KTEST_CMP_S(a, >=, b, 1)
#define ASSERT_TRUE(x) KTEST_BOOL(x, 1, 1)
#define ASSERT_FALSE(x) KTEST_BOOL(x, 0, 1)
#define ASSERT_NULL(p) KTEST_PTR(p, ==, NULL, 1)
#define ASSERT_NOT_NULL(p) KTEST_PTR(p, !=, NULL, 1)
#define ASSERT_PTR_EQ(a, b) KTEST_PTR(a, ==, b, 1)
#define ASSERT_STREQ(a, b) KTEST_STR(a, b, 1, 1)
#define ASSERT_STRNE(a, b) KTEST_STR(a, b, 0, 1)
#define ASSERT_MEMEQ(a, b, n) KTEST_MEM(a, b, n, 1)

#endif /* _KTEST_HOST_H */
