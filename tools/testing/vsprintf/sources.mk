# tools/testing/vsprintf/sources.mk - kernel/vsprintf.c against the host C
# library's printf: the same formats and arguments must give the same text
# and the same return value. The kernel's functions are renamed
# kernel_vsnprintf and kernel_snprintf so that the host's stay reachable.
KERNEL_SRCS := kernel/vsprintf.c
KERNEL_CFLAGS := -Dvsnprintf=kernel_vsnprintf -Dsnprintf=kernel_snprintf
