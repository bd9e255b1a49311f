# tools/testing/memory/sources.mk - host tests of mm/memory.c: demand
# faults, the shared zero page, copy-on-write fork and address-space
# teardown, with the real page-table walker (mm/pgtable.c) over the RISC-V
# Sv39 entry format (arch/riscv/include/asm/pgtable.h, which is plain C),
# the real VMA tree (mm/vma.c), slab and page allocator, on the mm tests'
# malloc'd arena (tools/testing/mm/mm-host.c) as physical memory.
KERNEL_SRCS := mm/memblock.c mm/mm_init.c mm/page_alloc.c mm/vmstat.c mm/vmscan.c \
	mm/slab.c mm/slab_debug.c mm/slab_common.c kernel/seq_buf.c kernel/bootargs.c \
	kernel/rbtree.c mm/vma.c mm/pgtable.c mm/memory.c tools/testing/mm/mm-host.c \
	tools/testing/slab/slab-host.c
TEST_CFLAGS := -I$(SUBSYS_DIR)/stubs -I$(TOP)/tools/testing/slab/stubs \
	-I$(TOP)/tools/testing/mm/stubs -I$(TOP)/tools/testing/slab -I$(TOP)/tools/testing/mm \
	-I$(TOP)/mm -Wno-unused-parameter
TEST_SRCS := memory-host.c test_fault.c test_cow.c
