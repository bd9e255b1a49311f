/*
 * kernel/ktest.c - run the in-kernel test suites and print KTAP.
 *
 * Output for `ktest=all` (KTAP version 1, as Linux's KUnit prints it):
 *
 *   KTAP version 1
 *   1..2
 *       KTAP version 1
 *       # Subtest: string
 *       1..3
 *       ok 1 test_memset
 *       ...
 *   ok 1 string
 *   ...
 *   # ktest: 41 passed, 0 failed, 1 skipped
 *
 * With the boot argument ktoken=WORD (the lab graders pass a fresh random
 * one on every run) each result line ends in " # ktoken:WORD", and the word
 * is blanked out of the command line before the first test runs: code
 * under test that merely prints "ok 3 test_x" cannot produce a line the
 * grader accepts.
 *
 * With slab_debug tracking on (the tests boot with slab_debug), every case
 * is followed by a kmemleak-lite scan (mm/kmemleak.c) for slab objects it
 * allocated and left unreachable; each leak is a "# kmemleak:" line under
 * the case, and a last suite, "kmemleak", has one result per suite
 * ("ok 3 vmalloc_no_leaks"), failing for a suite whose cases leaked or
 * could not be scanned (a case left a cache without tracking behind).
 * Without tracking on every cache, one "# kmemleak: off" line says why
 * (after the results, so that no grader takes it for a case's reason).
 * A case that failed is "not ok" even if it then asked to be skipped.
 * Suite ktest_selftest (kernel/ktest_selftest.c) checks all this.
 */
#include <kernel/ktest.h>
#include <kernel/string.h>
#include <kernel/printk.h>
#include <kernel/gfp.h>
#include <kernel/bootargs.h>
#include <kernel/setup.h>
#include <kernel/slab.h>

extern const struct ktest_suite __ktest_suites_start[], __ktest_suites_end[];

static char ktoken[64];	     /* " # ktoken:WORD", or "" */
static char ktoken_skip[64]; /* " ktoken:WORD" after a SKIP reason, or "" */

/* Take ktoken=WORD from the command line and blank it there. */
static void take_token(void)
{
	char word[40];
	size_t n = strlen("ktoken=");

	ktoken[0] = ktoken_skip[0] = '\0';
	if (bootarg_get(boot_command_line, "ktoken", word, sizeof(word)) <= 0)
		return;
	snprintf(ktoken, sizeof(ktoken), " # ktoken:%s", word);
	snprintf(ktoken_skip, sizeof(ktoken_skip), " ktoken:%s", word);
	for (char *p = boot_command_line; *p; p++) {
		if (strncmp(p, "ktoken=", n) == 0 && (p == boot_command_line || p[-1] == ' '))
			for (p += n; *p && *p != ' '; p++)
				*p = 'x';
		if (!*p)
			break;
	}
}

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("    # %s: %s:%d: %s\n", t->name, file, line, msg);
	t->failed++;
}

void ktest_skip(struct ktest *t, const char *reason)
{
	t->skipped = true;
	t->skip_reason = reason;
}

static bool selected(const char *spec, const struct ktest_suite *suite)
{
	const char *name = suite->name;
	size_t n = strlen(name);

	if (strcmp(spec, "all") == 0)
		return !suite->explicit_only;
	for (const char *s = spec; *s;) {
		const char *end = strchr(s, ',');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		if (len == n && strncmp(s, name, n) == 0)
			return true;
		if (!end)
			break;
		s = end + 1;
	}
	return false;
}

int ktest_run(const char *spec)
{
	const struct ktest_suite *s;
	int nsuites = 0, idx = 0, passed = 0, failed = 0, skipped = 0;
	static unsigned long leaks[256];     /* per suite, in order */
	static unsigned long unscanned[256]; /* cases kmemleak could not scan */
	char why[96];
	bool leakcheck = kmemleak_enabled();

	take_token();
	for (s = __ktest_suites_start; s < __ktest_suites_end; s++)
		if (selected(spec, s))
			nsuites++;
	printk("KTAP version 1\n1..%d\n", nsuites + (leakcheck && nsuites ? 1 : 0));
	if (nsuites == 0) {
		printk("# ktest: no suite matches '%s'\n", spec);
		return 1;
	}
	for (s = __ktest_suites_start; s < __ktest_suites_end; s++) {
		int ncases = 0, suite_failed = 0;
		if (!selected(spec, s))
			continue;
		for (struct ktest_case *c = s->cases; c->run; c++)
			ncases++;
		printk("    KTAP version 1\n    # Subtest: %s\n    1..%d\n", s->name, ncases);
		int i = 0;
		for (struct ktest_case *c = s->cases; c->run; c++) {
			struct ktest t = {.name = c->name};
			unsigned long mark = kmemleak_mark();

			c->run(&t);
			if (leakcheck && idx < (int)ARRAY_SIZE(leaks)) {
				/* a cache without tracking (left by the case) blinds the scan */
				if (kmemleak_off_reason(why, sizeof(why))) {
					printk("    # kmemleak: %s: not scanned: %s\n", c->name,
					       why);
					unscanned[idx]++;
				} else {
					leaks[idx] += kmemleak_scan(mark, c->name);
				}
			}
			i++;
			if (t.failed) { /* a failure stands, even if the case then skipped */
				printk("    not ok %d %s%s\n", i, c->name, ktoken);
				failed++;
				suite_failed++;
			} else if (t.skipped) {
				printk("    ok %d %s # SKIP %s%s\n", i, c->name, t.skip_reason,
				       ktoken_skip);
				skipped++;
			} else {
				printk("    ok %d %s%s\n", i, c->name, ktoken);
				passed++;
			}
		}
		printk("%sok %d %s%s\n", suite_failed ? "not " : "", ++idx, s->name, ktoken);
	}
	if (leakcheck) {
		/* one result per suite: did its cases leave unreachable objects? */
		int i = 0, leaky = 0;

		printk("    KTAP version 1\n    # Subtest: kmemleak\n    1..%d\n", nsuites);
		for (s = __ktest_suites_start; s < __ktest_suites_end; s++) {
			if (!selected(spec, s))
				continue;
			unsigned long n = i < (int)ARRAY_SIZE(leaks) ? leaks[i] : 0;
			unsigned long blind = i < (int)ARRAY_SIZE(leaks) ? unscanned[i] : 0;

			i++;
			if (n || blind) {
				if (n)
					printk("    # %s: %lu objects leaked (see the kmemleak "
					       "lines above)\n",
					       s->name, n);
				if (blind)
					printk("    # %s: %lu cases could not be scanned\n",
					       s->name, blind);
				printk("    not ok %d %s_no_leaks%s\n", i, s->name, ktoken);
				failed++;
				leaky++;
			} else {
				printk("    ok %d %s_no_leaks%s\n", i, s->name, ktoken);
				passed++;
			}
		}
		printk("%sok %d kmemleak%s\n", leaky ? "not " : "", ++idx, ktoken);
	}
	/* last, not first: a "#" line before a result reads as that result's reason */
	if (!leakcheck)
		printk("# kmemleak: off, no case was checked for leaks: %s\n",
		       kmemleak_off_reason(why, sizeof(why)));
	printk("# ktest: %d passed, %d failed, %d skipped%s\n", passed, failed, skipped,
	       ktoken_skip);
	return failed;
}
