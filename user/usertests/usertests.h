/*
 * user/usertests/usertests.h - what the usertests files share: the test
 * table entry, the checking macros and small helpers (main.c).
 *
 * A test is a function that runs in a child process of the runner with the
 * scratch directory as its current directory. It passes by returning (or
 * calling exit(0)); it fails by calling FAIL() or CHECK(), which print a
 * "# file:line: reason" diagnostic and exit(1). A test that crashes or hangs
 * is caught by the runner, so a test may freely do dangerous things
 * itself; anything expected to kill a process is done in a grandchild
 * (ut_run) so the test can look at the outcome.
 */
#ifndef _USER_USERTESTS_H
#define _USER_USERTESTS_H

#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/param.h"
#include "kernel/fs.h"
#include "user/user.h"

#define PGSIZE 4096
#define KILLED (-1) /* wait() status of a process the kernel killed */

struct ut_test {
	const char *name;     /* short name, for `usertests NAME` */
	const char *question; /* what the test finds out */
	void (*fn)(void);
	int slow;    /* skipped by -q */
	int timeout; /* ticks before the runner kills it; 0 = default */
};

extern int ut_quick;   /* -q: tests may use smaller sizes */
extern char ut_self[]; /* absolute path of this program, for exec */

/* Print one "# " diagnostic line (in a single write). */
#define DIAG(...) ut_diag(__FILE__, __LINE__, __VA_ARGS__)
#define ut_diag(file, line, ...)                                 \
	do {                                                     \
		char _ut_msg[256];                               \
		snprintf(_ut_msg, sizeof(_ut_msg), __VA_ARGS__); \
		printf("# %s:%d: %s\n", file, line, _ut_msg);    \
	} while (0)
#define FAIL(...)                  \
	do {                       \
		DIAG(__VA_ARGS__); \
		exit(1);           \
	} while (0)
#define CHECK(cond, ...)                   \
	do {                               \
		if (!(cond))               \
			FAIL(__VA_ARGS__); \
	} while (0)

/* fork(), failing the test if it fails. */
int ut_fork(void);
/*
 * Wait for child @pid. Any other child that exits first is reaped and its
 * status lost: with several children, use ut_wait_all.
 * Return: the status of @pid.
 */
int ut_wait(int pid);
/* Wait for all @n children in @pids, storing each one's status in @status[i]. */
void ut_wait_all(const int *pids, int n, int *status);
/* Run @fn in a child that exits 0 if @fn returns. Return: the child's status. */
int ut_run(void (*fn)(void));
/* open(), failing the test if it fails. */
int ut_open(const char *path, int omode);
/* Create @path holding @n bytes of ut_pattern(0..n-1). */
void ut_make_file(const char *path, int n);
/* The byte expected at offset @off of a file made by ut_make_file. */
uchar ut_pattern(uint64 off);
/* MemFree of /proc/meminfo, in bytes. */
long ut_memfree(void);
/*
 * Make the program break page aligned, with at least one touched page of
 * heap right below it. Return: the break; the page at it is unmapped.
 */
char *ut_heap_top(void);

/* check-args mode of the program (the other end of test execargs). */
int ut_check_args(int argc, char **argv);
/* Build the argument for position @i of the execargs test into @buf. */
void ut_arg_for(int i, char *buf, int size);

/* The tests, grouped by file. */
/* badptr.c */
void test_read_badptr(void);
void test_write_badptr(void);
void test_pipe_badptr(void);
void test_fstat_badptr(void);
void test_exec_badptr(void);
void test_open_badptr(void);
void test_mknod_badptr(void);
void test_unlink_badptr(void);
void test_link_badptr(void);
void test_mkdir_badptr(void);
void test_chdir_badptr(void);
void test_wait_badptr(void);
void test_badfd(void);
void test_badlen(void);
/* mem.c */
void test_sbrk_zero(void);
void test_sbrk_shrink(void);
void test_sbrk_untouched(void);
void test_sbrk_exhaust(void);
void test_sbrk_huge(void);
void test_sbrk_negative(void);
void test_null_deref(void);
void test_text_write(void);
void test_exec_data(void);
void test_stack_overflow(void);
void test_cow(void);
/* physmem.c */
void test_buddyinfo_workload(void);
void test_min_free_kbytes(void);
/* proc.c */
void test_lazy_sbrk(void);
void test_zero_page(void);
void test_write_readonly_mapping(void);
void test_cow_copies_only_written_pages(void);
void test_mmap_shared_file(void);
void test_mmap_private_file(void);
void test_munmap_middle(void);
void test_mprotect(void);
void test_mmap_errors(void);
void test_stack_grows(void);
void test_fork_big_heaps(void);
void test_forkbomb(void);
/* slab.c */
void test_slabinfo_baseline(void);
void test_slabtop(void);
/* memtools.c */
void test_pmap(void);
void test_smem(void);
/* procfs.c */
void test_proc_pids(void);
void test_proc_cmdline(void);
void test_proc_anon_shared(void);
void test_proc_cputime(void);
void test_exit_status(void);
void test_wait_nochild(void);
void test_orphans(void);
void test_kill_sleep(void);
void test_kill_none(void);
void test_kill_pipe(void);
void test_sleep_uptime(void);
/* exec.c */
void test_exec_args(void);
void test_exec_notelf(void);
void test_exec_missing(void);
/* fs.c */
void test_bigfile(void);
void test_concurrent_create(void);
void test_link(void);
void test_unlink_open(void);
void test_dirs(void);
void test_dir_file(void);
void test_unlink_dir(void);
void test_cwd_removed(void);
void test_open_modes(void);
void test_nofile(void);
void test_shared_offset(void);
void test_bigdir(void);
/* pipe.c */
void test_pipe_order(void);
void test_pipe_load(void);
void test_pipe_closed(void);
/* robust.c */
void test_proc_link(void);
void test_proc_create(void);
void test_proc_unlink(void);
void test_kill_init(void);
void test_kill_write(void);
void test_read_lazy_buffer(void);
void test_read_into_new_stack(void);
void test_mmap_beyond_eof(void);
void test_shared_anon_fork(void);
void test_shared_anon_zero_page(void);
void test_sbrk_after_munmap(void);
void test_huge_mapping_cheap(void);
void test_pipe_read_badptr_keeps_bytes(void);
void test_sysfuzz(void);

#endif /* _USER_USERTESTS_H */
