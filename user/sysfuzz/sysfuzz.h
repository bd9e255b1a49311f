/*
 * user/sysfuzz/sysfuzz.h - what the two halves of sysfuzz share: the
 * driver (main.c: batches, watchdog, memory check, summary) and the call
 * generator (calls.c: random system calls with a mix of valid and invalid
 * arguments).
 */
#ifndef _USER_SYSFUZZ_H
#define _USER_SYSFUZZ_H

#include "kernel/types.h"

#define FZ_PAGE 4096UL
#define FZ_CONSOLE_FD 15	      /* -v: a copy of the console, never fuzzed (NOFILE - 1) */
#define FZ_SHARED_ADDR 0x800000000ULL /* 32 GiB: the counter page, below the arena */

/* One page shared by the driver and every batch (MAP_SHARED|MAP_ANONYMOUS). */
struct fz_shared {
	volatile long calls; /* system calls made by all batches so far */
};

struct fz_options {
	uint64 seed;
	const char *dir; /* scratch directory: every name the fuzzer makes is in it */
	int verbose;	 /* print each call before making it (to find a crash) */
};

extern struct fz_options fz_opt;
extern struct fz_shared *fz_shared;

/*
 * fz_run_batch - make @ncalls random system calls, the stream given by the
 * seed and @batch, then exit(0). Runs in a child of the driver: a fault,
 * a kill or an exec ends it early, which is fine.
 */
void fz_run_batch(uint64 batch, int ncalls) __attribute__((noreturn));

/* Remove @path and everything below it (the scratch directory). */

#endif /* _USER_SYSFUZZ_H */
