/*
 * tools/testing/mm/test_random.c - long random runs of allocations and
 * frees (every gfp, order, CPU) checked against a shadow model and the full
 * invariant checker (mm_host_run_ops in mm-host.c).
 */
#include <stdlib.h>
#include "ktest-host.h"
#include "mm-host.h"

static void random_run(unsigned long long seed, size_t nbytes, unsigned long ram_mb, long dma_mb,
		       bool cma)
{
	struct mm_host_config cfg = {.ram_mb = ram_mb, .dma_mb = dma_mb, .min_free_kbytes = -1};
	u8 *ops = malloc(nbytes);

	if (cma) {
		cfg.cma.base = MM_HOST_RAM_BASE + (16ULL << 20);
		cfg.cma.size = 4ULL << 20;
	}
	ktest_srand(seed);
	for (size_t i = 0; i < nbytes; i++)
		ops[i] = (u8)ktest_rand();
	mm_host_boot(&cfg);
	mm_host_run_ops(ops, nbytes, true);
	free(ops);
}

TEST(random_ops_small_machine)
{
	random_run(1, 4000, 24, -1, false);
}

TEST(random_ops_with_cma)
{
	random_run(2, 4000, 40, -1, true);
}

TEST(random_ops_no_dma_zone)
{
	random_run(3, 3000, 24, 0, false);
}

TEST(random_ops_long_run_unchecked_steps)
{
	struct mm_host_config cfg = {.ram_mb = 64, .dma_mb = -1, .min_free_kbytes = -1};
	u8 *ops = malloc(200000);

	ktest_srand(4);
	for (size_t i = 0; i < 200000; i++)
		ops[i] = (u8)ktest_rand();
	mm_host_boot(&cfg);
	mm_host_run_ops(ops, 200000, false); /* checked at the end */
	free(ops);
}
