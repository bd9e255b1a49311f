# tools/testing/loadavg/sources.mk - host tests of kernel/loadavg.c: the
# fixed-point load average against a floating-point model, its rounding,
# the 5-second sampling and /proc/loadavg's text.
KERNEL_SRCS := kernel/loadavg.c kernel/seq_buf.c
