/*
 * tools/testing/mm/fuzz/buddy_fuzz.c - libFuzzer harness for the buddy
 * allocator: each input boots a small machine (its first byte picks RAM size,
 * DMA zone size and whether there is a CMA area) and runs the rest as a
 * sequence of allocator operations (mm_host_run_ops), checking every free
 * list, per-CPU list and counter after each one against mm-host.c's checker
 * and a shadow model of what is allocated. Any broken invariant panics,
 * which libFuzzer reports as a crash with the input saved.
 *
 *   build: make -C tools/testing O=/tmp/t   (writes /tmp/t/mm/buddy-fuzz)
 *   run:   /tmp/t/mm/buddy-fuzz -max_total_time=600 -max_len=2048 CORPUS_DIR
 *   or:    make fuzz FUZZ_SECONDS=600
 */
#include <stddef.h>
#include <stdint.h>
#include "../mm-host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned long ram_mb[4] = {20, 24, 33, 40};
	static const long dma_mb[4] = {16, 4, 0, 64};
	struct mm_host_config cfg = {.min_free_kbytes = -1};

	if (size < 1)
		return 0;
	cfg.ram_mb = ram_mb[data[0] & 3];
	cfg.dma_mb = dma_mb[(data[0] >> 2) & 3];
	if (data[0] & 0x10) {
		/* two CMA pageblocks in the middle of ZONE_NORMAL-or-DMA memory */
		cfg.cma.base = MM_HOST_RAM_BASE + (8UL << 20);
		cfg.cma.size = 4UL << 20;
	}
	mm_host_boot(&cfg);
	mm_host_run_ops(data + 1, size - 1, true);
	return 0;
}
