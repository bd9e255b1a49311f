/*
 * tools/testing/fs/fs-host.h - the world the file system runs in on the
 * host: a RAM disk that can lose power, one fake process, system-call
 * arguments, and a few helpers the tests share.
 *
 *   fs_host_boot(img)        load an image (a file mkfs wrote) onto the RAM
 *                            disk, set up the caches and mount it
 *   fs_host_crash_after(n, torn)
 *                            from the (n+1)th block write on, writes are lost
 *                            (the power went out); -1 = never. With @torn,
 *                            the first lost write still gets its first
 *                            512-byte sector to the disk.
 *   fs_host_snapshot()       remember the disk as it is now
 *   fs_host_restore()        put the snapshot back (cheaply: only blocks
 *                            written since) and reboot
 *   fs_host_reboot()         forget everything in memory, mount again (this
 *                            runs log recovery), writes reach the disk again
 *   fs_host_syscall(...)     call a sys_* handler with these arguments
 *
 * "User" pointers are host pointers; any address below FS_HOST_BAD_LIMIT is
 * an unmapped user address: copies to or from it fail.
 */
#ifndef _FS_HOST_H
#define _FS_HOST_H

#include <setjmp.h>
#include <kernel/types.h>

#define FS_HOST_BAD_LIMIT 0x10000UL

void fs_host_boot(const char *img);
void fs_host_reboot(void);
void fs_host_crash_after(long nwrites, bool torn);
void fs_host_snapshot(void);
void fs_host_restore(void);
long fs_host_disk_writes(void);	   /* block writes that reached the disk so far */
long fs_host_disk_reads(void);	   /* block reads so far */
long fs_host_lost_writes(void);	   /* writes dropped since fs_host_crash_after */
unsigned char *fs_host_disk(void); /* the disk's bytes */

/* Call sys_*(): arguments a0..a2 (integers or pointers). Return: its value. */
long fs_host_syscall(u64 (*fn)(void), u64 a0, u64 a1, u64 a2);
#define SYS(fn, ...) fs_host_syscall_n(fn, __VA_ARGS__, 0, 0, 0)
#define fs_host_syscall_n(fn, a, b, c, ...) fs_host_syscall((fn), (u64)(a), (u64)(b), (u64)(c))

/*
 * Arm a panic catcher: panic() longjmps to @env (set up by setjmp) and leaves
 * its message in fs_host_panic_msg. fs_host_expect_panic(NULL) disarms.
 */
void fs_host_expect_panic(jmp_buf *env);
extern char fs_host_panic_msg[512];

/*
 * Check the file system on the RAM disk without the kernel's code: every
 * block is owned once and marked in the bitmap, no marked block is unowned,
 * directory entries name live inodes, link counts match. Failures go to
 * ktest_fail. Return: the number of problems found.
 */
int fs_host_fsck(void);

/* Set to drop printk output (e.g. while crashing the disk a hundred times). */
extern bool fs_host_quiet;

/* Test data: the byte at @off of a file made with @seed. */
unsigned char fs_host_pattern(size_t off, unsigned seed);
/* Write a host file of @size pattern bytes; return its path (malloc'd). */
char *fs_host_make_input(const char *name, size_t size, unsigned seed);
/* malloc'd path of @name in the test's data directory */
char *fs_host_path(const char *name);
/*
 * Does file @path on the mounted fs hold exactly @size pattern(@seed) bytes?
 * Return: 0 if so, else -1 (and the reason is logged).
 */
int fs_host_check_file(const char *path, size_t size, unsigned seed);

/* Build an image with tools/mkfs (compiled in, see mkfs-wrap.c). Return: its exit status. */
int mkfs_run(const char *img, const char *const *files, int nfiles);

#endif /* _FS_HOST_H */
