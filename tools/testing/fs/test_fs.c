/*
 * tools/testing/fs/test_fs.c - the file-system system calls on a RAM disk:
 * what they do, what they refuse, and that the disk stays consistent
 * (checked by fs_host_fsck, which reads the raw disk without fs/ code).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kernel/types.h>
#include <kernel/proc.h>
#include <kernel/syscall.h>
#include <kernel/fs.h>
#include <kernel/file.h>
#include <uapi/pagoda/fcntl.h>
#include "../../../fs/internal.h"

#include "ktest-host.h"
#include "fs-host.h"

#define BAD_PTR 0x100UL /* below FS_HOST_BAD_LIMIT: an unmapped user address */

/* Boot a fresh image holding one file, /hello (100 pattern bytes, seed 9). */
static void boot_fresh(void)
{
	static char *img;
	char *f;

	if (img == NULL) {
		img = fs_host_path("base.img");
		f = fs_host_make_input("_hello", 100, 9);
		if (mkfs_run(img, (const char *[]){f}, 1) != 0)
			ktest_fail(__FILE__, __LINE__, "mkfs failed");
	}
	fs_host_boot(img);
}

/* Create @path holding @size pattern(@seed) bytes, written @chunk at a time. */
static int write_file(const char *path, size_t size, unsigned seed, size_t chunk)
{
	unsigned char *buf = malloc(chunk);
	size_t off, i, n;
	long fd, r;

	fd = SYS(sys_open, path, O_CREATE | O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -1;
	for (off = 0; off < size; off += n) {
		n = size - off < chunk ? size - off : chunk;
		for (i = 0; i < n; i++)
			buf[i] = fs_host_pattern(off + i, seed);
		r = SYS(sys_write, fd, buf, n);
		if (r != (long)n) {
			SYS(sys_close, fd);
			free(buf);
			return -1;
		}
	}
	free(buf);
	return SYS(sys_close, fd) == 0 ? 0 : -1;
}

static int open_fds(void)
{
	int fd, n = 0;

	for (fd = 0; fd < NOFILE; fd++)
		if (myproc()->ofile[fd])
			n++;
	return n;
}

TEST(write_then_read_back_after_reboot)
{
	boot_fresh();
	EXPECT_EQ(fs_host_check_file("/hello", 100, 9), 0);
	ASSERT_EQ(write_file("/small", 10000, 1, 777), 0);
	ASSERT_EQ(write_file("/big", 300 * 1024, 2, 65536), 0); /* doubly-indirect */
	EXPECT_EQ(fs_host_check_file("/small", 10000, 1), 0);
	EXPECT_EQ(fs_host_check_file("/big", 300 * 1024, 2), 0);
	fs_host_reboot(); /* nothing may live only in the cache */
	EXPECT_EQ(fs_host_check_file("/small", 10000, 1), 0);
	EXPECT_EQ(fs_host_check_file("/big", 300 * 1024, 2), 0);
	EXPECT_EQ(fs_host_fsck(), 0);
	EXPECT_EQ(open_fds(), 0);
}

TEST(unlink_frees_every_block)
{
	uint free0;

	boot_fresh();
	free0 = fs_count_free_blocks(ROOTDEV);
	ASSERT_EQ(write_file("/big", 400 * 1024, 3, 4096), 0);
	EXPECT_LT(fs_count_free_blocks(ROOTDEV), free0 - 400);
	EXPECT_EQ(SYS(sys_unlink, "/big"), 0);
	EXPECT_EQ(fs_count_free_blocks(ROOTDEV), free0);
	EXPECT_LT(SYS(sys_open, "/big", O_RDONLY), 0);
	EXPECT_EQ(fs_host_fsck(), 0);
}

TEST(an_open_file_outlives_its_name)
{
	char buf[100];
	long fd;

	boot_fresh();
	fd = SYS(sys_open, "/hello", O_RDONLY);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(SYS(sys_unlink, "/hello"), 0);
	EXPECT_EQ(SYS(sys_read, fd, buf, 100), 100);
	EXPECT_EQ((unsigned char)buf[99], fs_host_pattern(99, 9));
	EXPECT_EQ(SYS(sys_close, fd), 0);
	EXPECT_EQ(fs_host_fsck(), 0); /* the close freed it */
}

TEST(o_trunc_and_o_create_semantics)
{
	struct stat st;
	long fd;

	boot_fresh();
	EXPECT_LT(SYS(sys_open, "/nothing", O_RDONLY), 0);
	fd = SYS(sys_open, "/hello", O_WRONLY | O_TRUNC);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(SYS(sys_fstat, fd, &st), 0);
	EXPECT_EQ(st.size, 0);
	EXPECT_EQ(st.type, T_FILE);
	EXPECT_EQ(st.nlink, 1);
	EXPECT_LT(SYS(sys_read, fd, &st, 1), 0); /* write-only */
	SYS(sys_close, fd);
	fd = SYS(sys_open, "/hello", O_RDONLY);
	EXPECT_LT(SYS(sys_write, fd, "x", 1), 0); /* read-only */
	SYS(sys_close, fd);
	/* O_CREATE on an existing file opens it */
	fd = SYS(sys_open, "/hello", O_CREATE | O_RDWR);
	EXPECT_GE(fd, 0);
	SYS(sys_close, fd);
	EXPECT_EQ(fs_host_fsck(), 0);
}

TEST(dup_shares_the_offset)
{
	char a[10], b[10];
	long fd, fd2;

	boot_fresh();
	fd = SYS(sys_open, "/hello", O_RDONLY);
	fd2 = SYS(sys_dup, fd);
	ASSERT_GE(fd2, 0);
	EXPECT_NE(fd, fd2);
	EXPECT_EQ(SYS(sys_read, fd, a, 10), 10);
	EXPECT_EQ(SYS(sys_read, fd2, b, 10), 10);
	EXPECT_EQ((unsigned char)b[0], fs_host_pattern(10, 9));
	SYS(sys_close, fd);
	EXPECT_EQ(SYS(sys_read, fd2, b, 10), 10); /* still open through fd2 */
	SYS(sys_close, fd2);
	EXPECT_EQ(open_fds(), 0);
}

TEST(bad_file_descriptors_and_lengths_fail)
{
	char buf[16];
	long fd;

	boot_fresh();
	EXPECT_LT(SYS(sys_read, -1, buf, 1), 0);
	EXPECT_LT(SYS(sys_read, NOFILE, buf, 1), 0);
	EXPECT_LT(SYS(sys_read, 1000000, buf, 1), 0);
	EXPECT_LT(SYS(sys_read, 3, buf, 1), 0); /* not open */
	EXPECT_LT(SYS(sys_write, -5, buf, 1), 0);
	EXPECT_LT(SYS(sys_close, -1), 0);
	EXPECT_LT(SYS(sys_close, NOFILE), 0);
	EXPECT_LT(SYS(sys_dup, 7), 0);
	EXPECT_LT(SYS(sys_fstat, 7, buf), 0);

	fd = SYS(sys_open, "/hello", O_RDWR);
	ASSERT_GE(fd, 0);
	EXPECT_LT(SYS(sys_read, fd, buf, -1), 0);
	EXPECT_LT(SYS(sys_write, fd, buf, -100), 0);
	EXPECT_EQ(SYS(sys_read, fd, buf, 0), 0);
	EXPECT_EQ(SYS(sys_close, fd), 0);
	EXPECT_LT(SYS(sys_close, fd), 0); /* twice */
	EXPECT_EQ(open_fds(), 0);
}

TEST(bad_pointers_fail_cleanly)
{
	char longpath[MAXPATH + 10];
	long fd;

	boot_fresh();
	fd = SYS(sys_open, "/hello", O_RDWR);
	ASSERT_GE(fd, 0);
	EXPECT_LT(SYS(sys_read, fd, BAD_PTR, 10), 0);
	EXPECT_LT(SYS(sys_write, fd, BAD_PTR, 10), 0);
	EXPECT_LT(SYS(sys_fstat, fd, BAD_PTR), 0);
	SYS(sys_close, fd);
	EXPECT_LT(SYS(sys_open, BAD_PTR, O_RDONLY), 0);
	EXPECT_LT(SYS(sys_mkdir, BAD_PTR), 0);
	EXPECT_LT(SYS(sys_unlink, BAD_PTR), 0);
	EXPECT_LT(SYS(sys_link, "/hello", BAD_PTR), 0);
	EXPECT_LT(SYS(sys_chdir, BAD_PTR), 0);
	EXPECT_LT(SYS(sys_pipe, BAD_PTR), 0);
	EXPECT_EQ(open_fds(), 0); /* the failed pipe() left no descriptors */

	memset(longpath, 'a', sizeof(longpath)); /* no NUL within MAXPATH */
	EXPECT_LT(SYS(sys_open, longpath, O_CREATE | O_RDWR), 0);
	EXPECT_LT(SYS(sys_mknod, longpath, 1, 0), 0);
	EXPECT_LT(SYS(sys_mknod, "/dev", NDEV, 0), 0); /* no such major */
	EXPECT_LT(SYS(sys_mknod, "/dev", -1, 0), 0);
	EXPECT_EQ(fs_host_check_file("/hello", 100, 9), 0);
	EXPECT_EQ(fs_host_fsck(), 0);
}

TEST(directories)
{
	long fd;

	boot_fresh();
	EXPECT_EQ(SYS(sys_mkdir, "/d"), 0);
	EXPECT_LT(SYS(sys_mkdir, "/d"), 0); /* exists */
	EXPECT_EQ(SYS(sys_mkdir, "/d/e"), 0);
	EXPECT_LT(SYS(sys_mkdir, "/nodir/e"), 0);
	EXPECT_EQ(SYS(sys_chdir, "/d"), 0);
	EXPECT_EQ(write_file("f", 50, 4, 50), 0); /* relative to the cwd */
	EXPECT_EQ(fs_host_check_file("/d/f", 50, 4), 0);
	EXPECT_EQ(fs_host_check_file("../d/./e/../f", 50, 4), 0);
	EXPECT_LT(SYS(sys_chdir, "f"), 0); /* not a directory */
	EXPECT_EQ(SYS(sys_chdir, ".."), 0);

	/* a directory opens read-only only */
	fd = SYS(sys_open, "/d", O_RDONLY);
	EXPECT_GE(fd, 0);
	SYS(sys_close, fd);
	EXPECT_LT(SYS(sys_open, "/d", O_RDWR), 0);
	EXPECT_LT(SYS(sys_open, "/d", O_WRONLY), 0);
	EXPECT_LT(SYS(sys_open, "/d", O_CREATE), 0);

	/* unlink refuses ".", ".." and non-empty directories */
	EXPECT_LT(SYS(sys_unlink, "/d/."), 0);
	EXPECT_LT(SYS(sys_unlink, "/d/.."), 0);
	EXPECT_LT(SYS(sys_unlink, "/"), 0);
	EXPECT_LT(SYS(sys_unlink, "/d"), 0);
	EXPECT_EQ(fs_host_fsck(), 0);
	EXPECT_EQ(SYS(sys_unlink, "/d/e"), 0);
	EXPECT_EQ(SYS(sys_unlink, "/d/f"), 0);
	EXPECT_EQ(SYS(sys_unlink, "/d"), 0);
	EXPECT_LT(SYS(sys_unlink, "/d"), 0);
	EXPECT_EQ(fs_host_fsck(), 0);
}

TEST(links)
{
	struct stat st;
	long fd;

	boot_fresh();
	EXPECT_EQ(SYS(sys_link, "/hello", "/hello2"), 0);
	fd = SYS(sys_open, "/hello2", O_RDONLY);
	EXPECT_EQ(SYS(sys_fstat, fd, &st), 0);
	EXPECT_EQ(st.nlink, 2);
	SYS(sys_close, fd);
	EXPECT_LT(SYS(sys_link, "/hello", "/hello2"), 0);  /* exists */
	EXPECT_LT(SYS(sys_link, "/nothing", "/x"), 0);	   /* no source */
	EXPECT_LT(SYS(sys_link, "/hello", "/nodir/x"), 0); /* no target dir */
	EXPECT_EQ(SYS(sys_mkdir, "/d"), 0);
	EXPECT_LT(SYS(sys_link, "/d", "/d2"), 0); /* directories can't be linked */
	EXPECT_EQ(fs_host_fsck(), 0);		  /* failed links undid nlink++ */
	EXPECT_EQ(SYS(sys_unlink, "/hello"), 0);
	EXPECT_EQ(fs_host_check_file("/hello2", 100, 9), 0);
	EXPECT_EQ(fs_host_fsck(), 0);
}

TEST(long_names_are_cut_to_DIRSIZ)
{
	boot_fresh();
	EXPECT_EQ(write_file("/abcdefghijklmnopqrst", 10, 5, 10), 0);
	EXPECT_EQ(fs_host_check_file("/abcdefghijklmn", 10, 5), 0);
	EXPECT_EQ(fs_host_check_file("/abcdefghijklmnXYZ", 10, 5), 0);
	EXPECT_LT(SYS(sys_open, "/abcdefghijklm", O_RDONLY), 0);
}

TEST(device_files)
{
	struct stat st;
	long fd;

	boot_fresh();
	EXPECT_EQ(SYS(sys_mknod, "/console", CONSOLE, 0), 0);
	fd = SYS(sys_open, "/console", O_RDWR);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(SYS(sys_fstat, fd, &st), 0);
	EXPECT_EQ(st.type, T_DEVICE);
	EXPECT_LT(SYS(sys_write, fd, "x", 1), 0); /* no driver registered here */
	SYS(sys_close, fd);
	EXPECT_EQ(fs_host_fsck(), 0);
}

TEST(too_many_open_files)
{
	long fds[NOFILE + 1];
	int i, n = 0;

	boot_fresh();
	for (i = 0; i < NOFILE + 1; i++) {
		fds[i] = SYS(sys_open, "/hello", O_RDONLY);
		if (fds[i] >= 0)
			n++;
	}
	EXPECT_EQ(n, NOFILE);
	EXPECT_LT(fds[NOFILE], 0);
	for (i = 0; i < NOFILE; i++)
		SYS(sys_close, fds[i]);
	EXPECT_EQ(open_fds(), 0);
}

TEST(filling_the_disk_fails_cleanly)
{
	static unsigned char buf[64 * 1024];
	uint free0;
	long fd, r = 0, total = 0;
	int files = 0;
	char name[32];

	boot_fresh();
	free0 = fs_count_free_blocks(ROOTDEV);
	/* Files up to 8 MiB each (the largest file is ~64 MiB, the disk 32). */
	while (r >= 0 && files < 10) {
		snprintf(name, sizeof(name), "/fill%d", files++);
		fd = SYS(sys_open, name, O_CREATE | O_WRONLY);
		ASSERT_GE(fd, 0);
		for (r = 0; r >= 0 && r < 8 * 1024 * 1024; r += sizeof(buf)) {
			if (SYS(sys_write, fd, buf, sizeof(buf)) != sizeof(buf)) {
				r = -1;
				break;
			}
			total += sizeof(buf);
		}
		SYS(sys_close, fd);
	}
	EXPECT_LT(r, 0); /* the disk filled up */
	EXPECT_LT(fs_count_free_blocks(ROOTDEV), 3);
	EXPECT_EQ(fs_host_fsck(), 0);
	while (files > 0) {
		snprintf(name, sizeof(name), "/fill%d", --files);
		EXPECT_EQ(SYS(sys_unlink, name), 0);
	}
	EXPECT_EQ(fs_count_free_blocks(ROOTDEV), free0);
	EXPECT_EQ(fs_host_fsck(), 0);
	ktest_log("wrote %ld KiB before the disk was full", total / 1024);
}

TEST(pipes)
{
	int fds[2];
	char buf[5000];
	int i;

	boot_fresh();
	ASSERT_EQ(SYS(sys_pipe, fds), 0);
	EXPECT_EQ(open_fds(), 2);
	for (i = 0; i < 3000; i++)
		buf[i] = (char)i;
	EXPECT_EQ(SYS(sys_write, fds[1], buf, 3000), 3000);
	EXPECT_LT(SYS(sys_write, fds[0], buf, 1), 0); /* the read end */
	EXPECT_LT(SYS(sys_read, fds[1], buf, 1), 0);  /* the write end */
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(SYS(sys_read, fds[0], buf, sizeof(buf)), 3000);
	EXPECT_EQ(buf[2999], (char)2999);
	EXPECT_EQ(SYS(sys_write, fds[1], "abc", 3), 3);
	EXPECT_LT(SYS(sys_read, fds[0], BAD_PTR, 3), 0);
	EXPECT_EQ(SYS(sys_close, fds[1]), 0);
	/* the failed read took nothing out */
	EXPECT_EQ(SYS(sys_read, fds[0], buf, 10), 3);
	EXPECT_EQ(memcmp(buf, "abc", 3), 0);
	EXPECT_EQ(SYS(sys_read, fds[0], buf, 10), 0); /* end of file */
	EXPECT_LT(SYS(sys_fstat, fds[0], buf), 0);    /* no stat for pipes */
	EXPECT_EQ(SYS(sys_close, fds[0]), 0);

	ASSERT_EQ(SYS(sys_pipe, fds), 0);
	EXPECT_EQ(SYS(sys_close, fds[0]), 0);
	EXPECT_LT(SYS(sys_write, fds[1], "abc", 3), 0); /* nobody will read */
	EXPECT_EQ(SYS(sys_close, fds[1]), 0);
	EXPECT_EQ(open_fds(), 0);
}

TEST(a_killed_reader_does_not_wait)
{
	int fds[2];
	char c;

	boot_fresh();
	ASSERT_EQ(SYS(sys_pipe, fds), 0);
	myproc()->killed = 1;
	EXPECT_LT(SYS(sys_read, fds[0], &c, 1), 0); /* would sleep: gives up */
	myproc()->killed = 0;
	SYS(sys_close, fds[0]);
	SYS(sys_close, fds[1]);
}

TEST(nothing_can_be_created_in_a_removed_directory)
{
	boot_fresh();
	EXPECT_EQ(SYS(sys_mkdir, "/cw"), 0);
	EXPECT_EQ(SYS(sys_chdir, "/cw"), 0);
	EXPECT_EQ(SYS(sys_unlink, "../cw"), 0); /* allowed, as in xv6 */
	EXPECT_LT(SYS(sys_open, "ghost", O_CREATE | O_RDWR), 0);
	EXPECT_LT(SYS(sys_mkdir, "ghostdir"), 0);
	EXPECT_LT(SYS(sys_link, "/hello", "ghostlink"), 0);
	EXPECT_EQ(SYS(sys_chdir, "/"), 0); /* drops the last reference: frees /cw */
	EXPECT_EQ(fs_host_fsck(), 0);
	EXPECT_EQ(fs_host_check_file("/hello", 100, 9), 0);
}
