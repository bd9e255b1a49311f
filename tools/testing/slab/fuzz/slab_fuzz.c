/*
 * tools/testing/slab/fuzz/slab_fuzz.c - libFuzzer harness for the slab
 * allocator: each input boots a small machine (its first byte picks the RAM
 * size and the slab_debug setting) and runs the rest as a sequence of slab
 * operations (slab_host_run_ops): caches created and destroyed, objects
 * allocated and freed on random CPUs, kmalloc/krealloc/kfree of every size,
 * shrink and reap, with every slab invariant and the page allocator's
 * checked after each step and every object's contents against a shadow
 * model. Any broken invariant panics, which libFuzzer reports as a crash
 * with the input saved.
 *
 *   build: make -C tools/testing O=/tmp/t   (writes /tmp/t/slab/slab-fuzz)
 *   run:   /tmp/t/slab/slab-fuzz -max_total_time=600 -max_len=2048 CORPUS_DIR
 *   or:    make fuzz-slab FUZZ_SECONDS=600
 */
#include <stddef.h>
#include <stdint.h>
#include "../slab-host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned long ram_mb[4] = {20, 24, 32, 40};
	static const char *const debug[4] = {"", "slab_debug", "slab_debug=FZ", "slab_debug=PU"};

	if (size < 1)
		return 0;
	slab_host_boot(ram_mb[data[0] & 3], debug[(data[0] >> 2) & 3]);
	slab_host_run_ops(data + 1, size - 1, true);
	return 0;
}
