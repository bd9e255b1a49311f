/*
 * tools/testing/fs/test_crash.c - does the log make every operation atomic?
 *
 * A scenario of system calls is run once to count its block writes, W.
 * Then, for every k in 0..W, it is run again on a fresh disk that loses
 * power after k writes (and again with the (k+1)th write torn after its
 * first sector); the machine "reboots" (all memory state is dropped, log
 * recovery runs), and the disk must be consistent (fs_host_fsck) and each
 * file must be either absent or hold a prefix of what was written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kernel/types.h>
#include <kernel/syscall.h>
#include <kernel/fs.h>
#include <uapi/pagoda/fcntl.h>

#include "ktest-host.h"
#include "fs-host.h"

#define A_SIZE 7000 /* several transactions: filewrite cuts writes into pieces */

static void scenario(void)
{
	static unsigned char buf[A_SIZE];
	long fd;
	int i;

	for (i = 0; i < A_SIZE; i++)
		buf[i] = fs_host_pattern(i, 1);
	fd = SYS(sys_open, "/a", O_CREATE | O_WRONLY);
	SYS(sys_write, fd, buf, A_SIZE);
	SYS(sys_close, fd);
	SYS(sys_mkdir, "/d");
	fd = SYS(sys_open, "/d/b", O_CREATE | O_WRONLY);
	SYS(sys_write, fd, "bbbb", 4);
	SYS(sys_close, fd);
	SYS(sys_link, "/a", "/d/a2");
	SYS(sys_unlink, "/hello");
	SYS(sys_unlink, "/a");
}

/* After recovery: is each file absent, or a prefix of what was written? */
static int check_files(long k)
{
	static unsigned char buf[A_SIZE + 1];
	const char *names[] = {"/a", "/d/a2"};
	long fd, n;
	int i, j, bad = 0;

	for (i = 0; i < 2; i++) {
		fd = SYS(sys_open, names[i], O_RDONLY);
		if (fd < 0)
			continue;
		n = SYS(sys_read, fd, buf, sizeof(buf));
		SYS(sys_close, fd);
		if (n < 0 || n > A_SIZE) {
			ktest_fail(__FILE__, __LINE__, "crash after %ld writes: %s has %ld bytes",
				   k, names[i], n);
			bad++;
			continue;
		}
		for (j = 0; j < n; j++) {
			if (buf[j] != fs_host_pattern(j, 1)) {
				ktest_fail(__FILE__, __LINE__,
					   "crash after %ld writes: %s byte %d wrong", k, names[i],
					   j);
				bad++;
				break;
			}
		}
	}
	fd = SYS(sys_open, "/hello", O_RDONLY);
	if (fd >= 0) {
		n = SYS(sys_read, fd, buf, sizeof(buf));
		if (n != 100) {
			ktest_fail(__FILE__, __LINE__,
				   "crash after %ld writes: /hello has %ld bytes", k, n);
			bad++;
		}
		SYS(sys_close, fd);
	}
	return bad;
}

static void crash_everywhere(bool torn)
{
	char *img = fs_host_path("crash.img");
	char *f = fs_host_make_input("_hello", 100, 9);
	long w, k, failures = 0;

	if (mkfs_run(img, (const char *[]){f}, 1) != 0) {
		ktest_fail(__FILE__, __LINE__, "mkfs failed");
		return;
	}
	fs_host_boot(img);
	fs_host_snapshot();

	w = fs_host_disk_writes();
	scenario();
	w = fs_host_disk_writes() - w;
	if (fs_host_fsck() != 0 || check_files(-1) != 0) {
		ktest_fail(__FILE__, __LINE__, "the scenario fails even without a crash");
		return;
	}
	ktest_log("the scenario writes %ld blocks; crashing after each of them%s", w,
		  torn ? " (torn)" : "");

	fs_host_quiet = true;
	for (k = 0; k <= w && failures < 5; k++) {
		fs_host_restore();
		fs_host_crash_after(k, torn);
		scenario();
		fs_host_reboot();
		if (fs_host_fsck() != 0 || check_files(k) != 0) {
			ktest_log("... after a crash at write %ld of %ld", k, w);
			failures++;
		}
	}
}

TEST(a_crash_after_any_write_leaves_a_consistent_disk)
{
	crash_everywhere(false);
}

TEST(a_torn_write_at_the_crash_leaves_a_consistent_disk)
{
	crash_everywhere(true);
}

TEST(recovery_replays_a_committed_transaction)
{
	char *img = fs_host_path("replay.img");
	char *f = fs_host_make_input("_hello", 100, 9);
	long w, k, found = 0;

	if (mkfs_run(img, (const char *[]){f}, 1) != 0) {
		ktest_fail(__FILE__, __LINE__, "mkfs failed");
		return;
	}
	fs_host_boot(img);
	fs_host_snapshot();
	w = fs_host_disk_writes();
	SYS(sys_mkdir, "/newdir");
	w = fs_host_disk_writes() - w;

	fs_host_quiet = true;
	/*
	 * One transaction: n log blocks, the header (the commit), n installs, the
	 * cleared header. Crashing right after the header must keep the mkdir.
	 */
	for (k = 0; k <= w; k++) {
		fs_host_restore();
		fs_host_crash_after(k, false);
		SYS(sys_mkdir, "/newdir");
		fs_host_reboot();
		long fd = SYS(sys_open, "/newdir", O_RDONLY);
		if (fd >= 0) {
			found++;
			SYS(sys_close, fd);
		}
		EXPECT_EQ(fs_host_fsck(), 0);
	}
	/* present iff the header write (number (w - 2) / 2 + 1) reached the disk */
	EXPECT_EQ(found, w - (w - 2) / 2);
}
