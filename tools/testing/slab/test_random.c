/*
 * tools/testing/slab/test_random.c - long random runs of cache and kmalloc
 * operations on several CPUs, against a shadow model, with every slab
 * invariant checked after each step (slab_host_run_ops in slab-host.c).
 */
#include <stdlib.h>
#include "ktest-host.h"
#include "slab-host.h"

static void random_run(unsigned long long seed, size_t nbytes, unsigned long ram_mb,
		       const char *cmdline)
{
	u8 *ops = malloc(nbytes);

	ktest_srand(seed);
	for (size_t i = 0; i < nbytes; i++)
		ops[i] = (u8)ktest_rand();
	slab_host_boot(ram_mb, cmdline);
	slab_host_run_ops(ops, nbytes, true);
	free(ops);
}

TEST(random_ops_against_a_shadow_model)
{
	random_run(1, 20000, 32, "");
}

TEST(random_ops_with_slab_debug)
{
	random_run(2, 12000, 32, "slab_debug");
}

TEST(random_ops_small_machine_runs_out_of_memory_cleanly)
{
	random_run(3, 20000, 20, "");
}
