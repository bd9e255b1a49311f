/*
 * labs/slab/hidden/host/test_hidden.c - the grader's own random runs (not
 * in a student's tree): other seeds, eight CPUs, a small machine with
 * every debugging check.
 */
#include <stdlib.h>
#include "ktest-host.h"
#include "slab-host.h"

static void run(unsigned long long seed, size_t nbytes, unsigned long ram_mb, const char *cmdline,
		int cpus)
{
	u8 *ops = malloc(nbytes);
	int saved = ncpus_online;

	ktest_srand(seed);
	for (size_t i = 0; i < nbytes; i++)
		ops[i] = (u8)ktest_rand();
	slab_host_boot(ram_mb, cmdline);
	ncpus_online = cpus;
	slab_host_run_ops(ops, nbytes, true);
	ncpus_online = saved;
	free(ops);
}

TEST(hidden_random_ops_eight_cpus)
{
	run(0x5eed, 15000, 40, "", 8);
}

TEST(hidden_random_ops_debug_small_machine)
{
	run(0xbeef, 10000, 20, "slab_debug=FZPU", 3);
}
