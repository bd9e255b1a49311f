# tools/testing/vma/sources.mk - tests for mm/vma.c (the VMA tree) against a model.
KERNEL_SRCS := mm/vma.c kernel/rbtree.c
TEST_CFLAGS := -I$(TOP)/mm
