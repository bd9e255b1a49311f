/*
 * tools/testing/slab/test_fuzz.c - run the libFuzzer harness (fuzz/) briefly:
 * a few seconds of random slab operation sequences with every invariant checked
 * after each step. Longer runs: make fuzz-slab FUZZ_SECONDS=600.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include "ktest-host.h"

TEST(fuzz_slab_operation_sequences_briefly)
{
	char cmd[1024];
	const char *secs = getenv("FUZZ_SECONDS");
	int rc;

	if (access(ktest_data_path("slab-fuzz.skip"), F_OK) == 0)
		SKIP("clang with libFuzzer is not installed");
	snprintf(cmd, sizeof(cmd),
		 "cd %s && ./slab-fuzz -seed=1 -max_len=1024 -max_total_time=%s "
		 "-print_final_stats=1 > fuzz.log 2>&1",
		 KTEST_DATA_DIR, secs ? secs : "3");
	rc = system(cmd);
	if (rc != 0) {
		KTEST_LOG("# slab-fuzz failed (exit status %d); what went wrong in %s/fuzz.log:",
			  WIFEXITED(rc) ? WEXITSTATUS(rc) : rc, KTEST_DATA_DIR);
		/* what went wrong first (the panic or the sanitizer's verdict, which
		 * libFuzzer's stack dump pushes far up), then the end of the log */
		snprintf(cmd, sizeof(cmd),
			 "{ grep -m 5 -E 'kernel panic|ERROR: (AddressSanitizer|libFuzzer)|"
			 "runtime error|SUMMARY' %s/fuzz.log; echo ...; tail -n 20 %s/fuzz.log; } "
			 "| sed 's/^/# /'",
			 KTEST_DATA_DIR, KTEST_DATA_DIR);
		if (system(cmd) != 0)
			KTEST_LOG("# (no log)");
	}
	EXPECT_EQ(rc, 0);
}
