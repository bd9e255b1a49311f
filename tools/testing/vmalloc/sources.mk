# tools/testing/vmalloc/sources.mk - tests for the vmap_area allocator.
KERNEL_SRCS := mm/vmap_area.c kernel/rbtree.c
TEST_CFLAGS := -I$(TOP)/mm
