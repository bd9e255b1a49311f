# tools/testing/mm/sources.mk - host tests of physical memory management:
# mm/memblock.c, mm/mm_init.c, mm/page_alloc.c (the zoned buddy allocator),
# mm/vmstat.c (/proc text) and mm/vmscan.c (the reclaim hooks), on a
# malloc'd arena that plays RAM (mm-host.c).
#
# Also built here: the libFuzzer harness $(O)/mm/buddy-fuzz (clang), which
# test_fuzz.c runs for a few seconds; without clang's libFuzzer it writes
# buddy-fuzz.skip and that test is skipped. Longer runs: `make fuzz`
# (FUZZ_SECONDS=600) at the top.
KERNEL_SRCS := mm/memblock.c mm/mm_init.c mm/page_alloc.c mm/vmstat.c mm/vmscan.c \
	kernel/seq_buf.c
TEST_CFLAGS := -I$(TOP)/mm -Wno-unused-parameter
# test_driven.c is not here: only the lab grader builds and drives it
# (labs/buddy/grade.py).
TEST_SRCS := mm-host.c test_memblock.c test_buddy.c test_migratetype.c test_watermark.c \
	test_pcp.c test_errors.c test_random.c test_proc.c test_fuzz.c

MM_FUZZ_DIR := $(SUBSYS_DIR)
MM_FUZZ_SRCS := $(addprefix $(TOP)/,$(KERNEL_SRCS)) $(SUBSYS_DIR)/mm-host.c \
	$(SUBSYS_DIR)/fuzz/buddy_fuzz.c
TEST_DATA := $(SUBSYS_OUT)/buddy-fuzz

$(SUBSYS_OUT)/buddy-fuzz: $(MM_FUZZ_SRCS) $(wildcard $(TOP)/include/kernel/*.h) \
		$(wildcard $(MM_FUZZ_DIR)/*.h $(MM_FUZZ_DIR)/stubs/*/*.h)
	@mkdir -p $(@D)
	@rm -f $@ $@.skip
	@if command -v clang >/dev/null && echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' | \
	    clang -x c -fsanitize=fuzzer -o $@.probe - 2>/dev/null; then \
		rm -f $@.probe; \
		clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
			-fno-builtin -Wall -Wno-unused-parameter \
			-I$(MM_FUZZ_DIR)/stubs -I$(MM_FUZZ_DIR)/../stubs -I$(MM_FUZZ_DIR)/../lib -I$(TOP)/mm \
			-I$(TOP)/include $(filter %.c,$^) -o $@; \
	else \
		echo "clang with libFuzzer not found: apt-get install clang libclang-rt-dev" > $@.skip; \
		touch $@; \
	fi
