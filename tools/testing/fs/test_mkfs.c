/*
 * tools/testing/fs/test_mkfs.c - tools/mkfs: the image it writes is what the
 * kernel's fs/ code expects (mounted and read by the real kernel sources),
 * names are derived as documented, and bad input is refused.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kernel/types.h>
#include <kernel/syscall.h>
#include <kernel/fs.h>
#include <uapi/pagoda/fcntl.h>
#include <uapi/pagoda/param.h>
#include "../../../fs/internal.h"

#include "ktest-host.h"
#include "fs-host.h"

TEST(mkfs_image_mounts_and_holds_the_files)
{
	char *img = fs_host_path("layout.img");
	char *small = fs_host_make_input("_init", 5000, 1);
	char *big = fs_host_make_input("_bigprog", 300 * 1024, 2); /* reaches doubly-indirect */
	char *empty = fs_host_make_input("README.md", 0, 3);
	const char *files[] = {small, big, empty};
	struct superblock *sb;
	struct inode *ip;

	ASSERT_EQ(mkfs_run(img, files, 3), 0);
	fs_host_boot(img);

	sb = (struct superblock *)(fs_host_disk() + BSIZE);
	EXPECT_EQ(sb->magic, FSMAGIC);
	EXPECT_EQ(sb->size, FSSIZE);
	EXPECT_EQ(sb->nlog, LOGSIZE + 1);
	EXPECT_GE(sb->ninodes, 200);
	EXPECT_EQ(sb->logstart, 2);
	EXPECT_EQ(sb->size - sb->nblocks, sb->bmapstart + (FSSIZE + BPB - 1) / BPB);

	EXPECT_EQ(fs_host_check_file("/init", 5000, 1), 0);
	EXPECT_EQ(fs_host_check_file("/bigprog", 300 * 1024, 2), 0);
	EXPECT_EQ(fs_host_check_file("README.md", 0, 3), 0);
	EXPECT_LT(SYS(sys_open, "/_init", O_RDONLY), 0); /* the '_' is gone */

	begin_op();
	ip = namei("/");
	ASSERT_NOT_NULL(ip);
	ilock(ip);
	EXPECT_EQ(ip->type, T_DIR);
	EXPECT_EQ(ip->inum, ROOTINO);
	EXPECT_EQ(ip->size, 5 * sizeof(struct dirent)); /* ".", "..", three files */
	iunlockput(ip);
	ip = namei("/..");
	EXPECT_EQ(ip ? ip->inum : 0, ROOTINO);
	if (ip)
		iput(ip);
	end_op();

	EXPECT_EQ(fs_host_fsck(), 0);
}

TEST(mkfs_with_no_files_gives_an_empty_root)
{
	char *img = fs_host_path("empty.img");

	ASSERT_EQ(mkfs_run(img, NULL, 0), 0);
	fs_host_boot(img);
	EXPECT_EQ(fs_host_fsck(), 0);
	EXPECT_EQ(fs_count_free_blocks(ROOTDEV),
		  ((struct superblock *)(fs_host_disk() + BSIZE))->nblocks - 1);
}

TEST(mkfs_keeps_names_of_exactly_DIRSIZ)
{
	char *img = fs_host_path("dirsiz.img");
	char *f = fs_host_make_input("_abcdefghijklmn", 10, 4); /* 14 after the '_' */
	const char *files[] = {f};

	ASSERT_EQ(mkfs_run(img, files, 1), 0);
	fs_host_boot(img);
	EXPECT_EQ(fs_host_check_file("/abcdefghijklmn", 10, 4), 0);
}

TEST(mkfs_refuses_a_name_longer_than_DIRSIZ)
{
	char *img = fs_host_path("long.img");
	char *log = fs_host_path("long.img.log");
	char *f = fs_host_make_input("_abcdefghijklmno", 10, 5); /* 15 after the '_' */
	const char *files[] = {f};
	char *msg;

	remove(img);
	EXPECT_EQ(mkfs_run(img, files, 1), 1);
	EXPECT_NULL(ktest_read_file(img, NULL)); /* no half-built image */
	msg = ktest_read_file(log, NULL);
	ASSERT_NOT_NULL(msg);
	EXPECT_NOT_NULL(strstr(msg, "DIRSIZ"));
}

TEST(mkfs_refuses_two_files_with_one_name)
{
	char *img = fs_host_path("dup.img");
	char *a = fs_host_make_input("_cat", 10, 6);
	char *b = fs_host_make_input("cat", 10, 7);
	const char *files[] = {a, b};

	EXPECT_EQ(mkfs_run(img, files, 2), 1);
}

TEST(mkfs_refuses_a_missing_file)
{
	char *img = fs_host_path("missing.img");
	const char *files[] = {"/nonexistent/_x"};

	EXPECT_EQ(mkfs_run(img, files, 1), 1);
}

TEST(fsinit_names_a_disk_without_a_file_system)
{
	char *img = fs_host_path("zero.img");
	FILE *f = fopen(img, "wb");
	static char zeros[BSIZE * 64];
	jmp_buf env;

	ASSERT_NOT_NULL(f);
	fwrite(zeros, 1, sizeof(zeros), f);
	fclose(f);
	if (setjmp(env) == 0) {
		fs_host_expect_panic(&env);
		fs_host_boot(img);
		fs_host_expect_panic(NULL);
		ktest_fail(__FILE__, __LINE__, "fsinit mounted a disk of zeros");
		return;
	}
	EXPECT_NOT_NULL(strstr(fs_host_panic_msg, "bad magic 0x0"));
	EXPECT_NOT_NULL(strstr(fs_host_panic_msg, "tools/mkfs"));
}
