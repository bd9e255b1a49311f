# tools/testing/rbtree/sources.mk - tests for kernel/rbtree.c.
KERNEL_SRCS := kernel/rbtree.c
