# tools/testing/fs/sources.mk - host tests of the file system (fs/) and of
# tools/mkfs: the real sources run against a RAM disk (fs-host.c) that can
# "lose power" after any number of block writes, so the tests can check that
# the log makes every operation all-or-nothing across a crash.
KERNEL_SRCS := fs/bio.c fs/log.c fs/inode.c fs/namei.c fs/file.c fs/pipe.c fs/sysfile.c
TEST_CFLAGS := -Wno-unused-parameter
