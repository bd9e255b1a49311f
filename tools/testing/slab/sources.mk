# tools/testing/slab/sources.mk - host tests of the slab allocator
# (mm/slab.c, mm/slab_debug.c, mm/slab_common.c) on top of the real page allocator, on the mm
# tests' malloc'd arena (tools/testing/mm/mm-host.c) with the slab checker
# and shadow model of slab-host.c.
#
# Also built here: the libFuzzer harness $(O)/slab/slab-fuzz (clang), which
# test_fuzz.c runs for a few seconds; without clang's libFuzzer it writes
# slab-fuzz.skip and that test is skipped. Longer: make fuzz-slab.
KERNEL_SRCS := mm/memblock.c mm/mm_init.c mm/page_alloc.c mm/vmstat.c mm/vmscan.c \
	mm/slab.c mm/slab_debug.c mm/slab_common.c kernel/seq_buf.c kernel/bootargs.c \
	tools/testing/mm/mm-host.c
TEST_CFLAGS := -I$(SUBSYS_DIR)/stubs -I$(TOP)/tools/testing/mm/stubs -I$(TOP)/tools/testing/mm \
	-I$(TOP)/mm -Wno-unused-parameter
# test_driven.c is not here: only the lab grader builds and drives it
# (labs/slab/grade.py).
TEST_SRCS := slab-host.c test_kmalloc.c test_cache.c test_cpu.c test_debug.c test_random.c \
	test_fuzz.c

SLAB_FUZZ_DIR := $(SUBSYS_DIR)
SLAB_FUZZ_SRCS := $(addprefix $(TOP)/,$(KERNEL_SRCS)) $(SUBSYS_DIR)/slab-host.c \
	$(SUBSYS_DIR)/fuzz/slab_fuzz.c
TEST_DATA := $(SUBSYS_OUT)/slab-fuzz

$(SUBSYS_OUT)/slab-fuzz: $(SLAB_FUZZ_SRCS) $(wildcard $(TOP)/include/kernel/*.h $(TOP)/mm/*.h) \
		$(wildcard $(SLAB_FUZZ_DIR)/*.h $(SLAB_FUZZ_DIR)/stubs/*/*.h)
	@mkdir -p $(@D)
	@rm -f $@ $@.skip
	@if command -v clang >/dev/null && echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' | \
	    clang -x c -fsanitize=fuzzer -o $@.probe - 2>/dev/null; then \
		rm -f $@.probe; \
		clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
			-fno-builtin -Wall -Wno-unused-parameter \
			-I$(SLAB_FUZZ_DIR)/stubs -I$(TOP)/tools/testing/mm/stubs -I$(TOP)/tools/testing/mm \
			-I$(TOP)/tools/testing/stubs -I$(TOP)/tools/testing/lib -I$(TOP)/mm \
			-I$(TOP)/include $(filter %.c,$^) -o $@; \
	else \
		echo "clang with libFuzzer not found: apt-get install clang libclang-rt-dev" > $@.skip; \
		touch $@; \
	fi
