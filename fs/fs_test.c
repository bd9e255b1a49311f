/*
 * fs/fs_test.c - in-kernel tests of the storage stack (KTAP suite "fs"):
 * the buffer cache over the real virtio disk, the inode layer (a file that
 * reaches the doubly-indirect blocks), directories and path names, log
 * recovery after a faked crash, and pipes with kernel buffers.
 *
 * Run with `make qemu BOOTARGS=ktest=fs` (or ktest=all). The tests run in the
 * first process, after fsinit and before init starts, so nothing else uses
 * the disk; they leave the file system as they found it (checked by
 * counting free blocks).
 *
 * See: include/kernel/ktest.h, fs/internal.h (the internals used here).
 */
#include <kernel/types.h>
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/string.h>
#include <kernel/gfp.h>
#include <kernel/proc.h>
#include <kernel/buf.h>
#include <kernel/fs.h>
#include <kernel/file.h>
#include <kernel/pipe.h>
#include "internal.h"

/* Skip the case unless a file system is mounted. */
#define NEED_FS(t)                                                            \
	do {                                                                  \
		if (!fs_mounted) {                                            \
			ktest_skip((t), "no file system mounted (no disk?)"); \
			return;                                               \
		}                                                             \
	} while (0)

/* The byte at offset @off of a test file: varies within and across blocks. */
static uchar pattern(uint off, uint seed)
{
	return (uchar)(off * 31 + off / BSIZE + seed);
}

/* Allocate a data block in its own transaction. */
static uint alloc_block(void)
{
	uint bno;

	begin_op();
	bno = balloc(fs_dev);
	end_op();
	return bno;
}

static void free_block(uint bno)
{
	begin_op();
	bfree(fs_dev, bno);
	end_op();
}

/* bwrite puts the data on the disk: drop the cached copy and read it back. */
static void test_bio_roundtrip(struct ktest *t)
{
	struct buf *b, *b2;
	uint bno, i, bad = 0;

	NEED_FS(t);
	bno = alloc_block();
	KTEST_ASSERT_TRUE(t, bno != 0);

	b = bread(fs_dev, bno);
	for (i = 0; i < BSIZE; i++)
		b->data[i] = pattern(i, bno);
	bwrite(b);
	b->valid = false; /* forget the cached copy: the next bread reads the disk */
	brelse(b);

	b = bread(fs_dev, bno);
	for (i = 0; i < BSIZE; i++)
		if (b->data[i] != pattern(i, bno))
			bad++;
	KTEST_EXPECT_EQ(t, bad, 0);
	brelse(b);

	/* A second bread of the same block is a cache hit on the same buf. */
	b = bread(fs_dev, bno);
	brelse(b);
	b2 = bread(fs_dev, bno);
	KTEST_EXPECT_TRUE(t, b == b2);
	brelse(b2);

	free_block(bno);
}

/* Make @name in locked directory @dp as a new inode of @type (in a transaction). */
static struct inode *make(struct inode *dp, const char *name, short type)
{
	struct inode *ip = ialloc(dp->dev, type);

	if (ip == NULL)
		return NULL;
	ilock(ip);
	ip->nlink = 1;
	iupdate(ip);
	if (type == T_DIR) {
		dirlink(ip, ".", ip->inum);
		dirlink(ip, "..", dp->inum);
		dp->nlink++;
		iupdate(dp);
	}
	if (dirlink(dp, name, ip->inum) < 0) {
		ip->nlink = 0;
		iunlockput(ip);
		return NULL;
	}
	iunlock(ip);
	return ip;
}

/* Remove the entry @name from locked directory @dp and drop its link. */
static void unlink_entry(struct inode *dp, const char *name)
{
	struct dirent de;
	struct inode *ip;
	uint off;

	ip = dirlookup(dp, name, &off);
	if (ip == NULL)
		return;
	memset(&de, 0, sizeof(de));
	writei(dp, 0, (u64)&de, off, sizeof(de));
	ilock(ip);
	if (ip->type == T_DIR) {
		dp->nlink--;
		iupdate(dp);
	}
	ip->nlink--;
	iupdate(ip);
	iunlockput(ip);
}

/* 300 KiB reaches past NDIRECT + NINDIRECT = 267 blocks: all three kinds. */
#define BIG_SIZE (300 * 1024)
#define CHUNK 2048

static void test_file_write_read_unlink(struct ktest *t)
{
	struct inode *root, *ip, *again;
	struct stat st;
	uchar *buf;
	uint free0, off, i, bad = 0;
	int r;

	NEED_FS(t);
	buf = (uchar *)get_zeroed_page(GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, buf != NULL);
	free0 = fs_count_free_blocks(fs_dev);

	begin_op();
	root = namei("/");
	ilock(root);
	ip = make(root, "ktest-file", T_FILE);
	iunlockput(root);
	end_op();
	KTEST_ASSERT_TRUE(t, ip != NULL);

	/* Write in pieces, one transaction each, as filewrite does. */
	for (off = 0; off < BIG_SIZE; off += CHUNK) {
		for (i = 0; i < CHUNK; i++)
			buf[i] = pattern(off + i, 7);
		begin_op();
		ilock(ip);
		r = writei(ip, 0, (u64)buf, off, CHUNK);
		iunlock(ip);
		end_op();
		if (r != CHUNK) {
			KTEST_EXPECT_EQ(t, r, CHUNK);
			break;
		}
	}

	ilock(ip);
	KTEST_EXPECT_EQ(t, ip->size, BIG_SIZE);
	KTEST_EXPECT_TRUE(t, ip->addrs[NDIRECT + 1] != 0); /* doubly-indirect in use */
	stati(ip, &st);
	KTEST_EXPECT_EQ(t, st.type, T_FILE);
	KTEST_EXPECT_EQ(t, st.size, BIG_SIZE);
	KTEST_EXPECT_EQ(t, st.nlink, 1);

	/* Read back with an odd size so reads straddle block boundaries. */
	for (off = 0; off < BIG_SIZE; off += r) {
		r = readi(ip, 0, (u64)buf, off, 1000);
		if (r <= 0) {
			KTEST_EXPECT_TRUE(t, r > 0);
			break;
		}
		for (i = 0; i < (uint)r; i++)
			if (buf[i] != pattern(off + i, 7))
				bad++;
	}
	KTEST_EXPECT_EQ(t, bad, 0);

	/* Bounds. */
	KTEST_EXPECT_EQ(t, readi(ip, 0, (u64)buf, BIG_SIZE, 10), 0);
	KTEST_EXPECT_EQ(t, readi(ip, 0, (u64)buf, BIG_SIZE - 4, 10), 4);
	KTEST_EXPECT_EQ(t, readi(ip, 0, (u64)buf, 0xfffffff0u, 0x20), -1);
	iunlock(ip);

	begin_op();
	ilock(ip);
	KTEST_EXPECT_EQ(t, writei(ip, 0, (u64)buf, BIG_SIZE + 1, 1), -1); /* no holes */
	KTEST_EXPECT_EQ(t, writei(ip, 0, (u64)buf, 0xfffffff0u, 0x20), -1);
	KTEST_EXPECT_EQ(t, writei(ip, 0, (u64)buf, BIG_SIZE, MAXFILE * BSIZE), -1);
	iunlock(ip);
	end_op();

	/* The name leads to the same in-memory inode. */
	begin_op();
	again = namei("/ktest-file");
	KTEST_EXPECT_TRUE(t, again == ip);
	if (again)
		iput(again);

	/* Unlink it: the last iput frees the inode and every block. */
	root = namei("/");
	ilock(root);
	unlink_entry(root, "ktest-file");
	iunlockput(root);
	iput(ip);
	end_op();

	begin_op();
	again = namei("/ktest-file");
	end_op();
	KTEST_EXPECT_TRUE(t, again == NULL);
	KTEST_EXPECT_EQ(t, fs_count_free_blocks(fs_dev), free0);
	free_page((unsigned long)buf);
}

static void test_dir_link_lookup(struct ktest *t)
{
	char name[DIRSIZ + 1];
	struct inode *root, *dir, *f, *ip;
	uint free0;

	NEED_FS(t);
	free0 = fs_count_free_blocks(fs_dev);

	begin_op();
	root = namei("/");
	ilock(root);
	dir = make(root, "ktest-dir", T_DIR);
	iunlock(root);
	KTEST_ASSERT_TRUE(t, dir != NULL);
	ilock(dir);
	f = make(dir, "abcdefghijklmn", T_FILE); /* exactly DIRSIZ characters */
	KTEST_EXPECT_EQ(t, dirlink(dir, "abcdefghijklmn", 1), -EEXIST);
	iunlock(dir);
	end_op();
	KTEST_ASSERT_TRUE(t, f != NULL);

	begin_op();
	ip = namei("/ktest-dir/abcdefghijklmn");
	KTEST_EXPECT_TRUE(t, ip == f);
	if (ip)
		iput(ip);
	ip = namei("//ktest-dir/./../ktest-dir//abcdefghijklmn");
	KTEST_EXPECT_TRUE(t, ip == f);
	if (ip)
		iput(ip);
	ip = namei("/ktest-dir/abcdefghijklmnopq"); /* cut to DIRSIZ, as in xv6 */
	KTEST_EXPECT_TRUE(t, ip == f);
	if (ip)
		iput(ip);
	ip = namei("/ktest-dir/..");
	KTEST_EXPECT_TRUE(t, ip == root);
	if (ip)
		iput(ip);
	KTEST_EXPECT_TRUE(t, namei("/ktest-dir/nothing") == NULL);
	KTEST_EXPECT_TRUE(t, namei("/ktest-dir/abcdefghijklmn/x") == NULL); /* not a dir */

	ip = nameiparent("/ktest-dir/abcdefghijklmn", name);
	KTEST_EXPECT_TRUE(t, ip == dir);
	KTEST_EXPECT_STREQ(t, name, "abcdefghijklmn");
	if (ip)
		iput(ip);
	KTEST_EXPECT_TRUE(t, nameiparent("/", name) == NULL);

	/* Clean up: the file, then the directory. */
	ilock(dir);
	KTEST_EXPECT_EQ(t, dir->nlink, 1);
	unlink_entry(dir, "abcdefghijklmn");
	iunlock(dir);
	iput(f);
	ilock(root);
	unlink_entry(root, "ktest-dir");
	iunlockput(root);
	iput(dir);
	end_op();

	KTEST_EXPECT_EQ(t, fs_count_free_blocks(fs_dev), free0);
}

/*
 * Fake a crash right after a commit point: put a block in the log area and
 * a header naming it, without installing it, then run mount-time recovery.
 */
static void test_log_recovery(struct ktest *t)
{
	struct buf *b;
	uint start, cap, bno, i, bad = 0;

	NEED_FS(t);
	if (log_busy()) {
		ktest_skip(t, "the log is in use");
		return;
	}
	log_area(&start, &cap);
	bno = alloc_block();
	KTEST_ASSERT_TRUE(t, bno != 0);

	b = bread(fs_dev, start + 1); /* log slot 0: the new contents */
	for (i = 0; i < BSIZE; i++)
		b->data[i] = pattern(i, 99);
	bwrite(b);
	brelse(b);
	b = bread(fs_dev, start); /* the header: n = 1, block[0] = bno */
	memset(b->data, 0, BSIZE);
	((u32 *)b->data)[0] = 1;
	((u32 *)b->data)[1] = bno;
	bwrite(b);
	brelse(b);

	log_recover();

	b = bread(fs_dev, bno);
	for (i = 0; i < BSIZE; i++)
		if (b->data[i] != pattern(i, 99))
			bad++;
	brelse(b);
	KTEST_EXPECT_EQ(t, bad, 0);
	b = bread(fs_dev, start);
	KTEST_EXPECT_EQ(t, ((u32 *)b->data)[0], 0); /* the log is empty again */
	brelse(b);
	KTEST_EXPECT_FALSE(t, log_busy());

	free_block(bno);
}

static void test_pipe_roundtrip(struct ktest *t)
{
	struct file *rf, *wf;
	char *out, *in;
	int round, i, n, got, bad = 0;

	out = (char *)get_zeroed_page(GFP_KERNEL);
	in = (char *)get_zeroed_page(GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, out != NULL && in != NULL);
	KTEST_ASSERT_TRUE(t, pipealloc(&rf, &wf) == 0);
	KTEST_EXPECT_TRUE(t, rf->readable && !rf->writable);
	KTEST_EXPECT_TRUE(t, wf->writable && !wf->readable);

	/* 3000 bytes a round: after two rounds the ring has wrapped around. */
	for (round = 0; round < 8; round++) {
		n = 3000;
		for (i = 0; i < n; i++)
			out[i] = (char)(round * 13 + i);
		KTEST_EXPECT_EQ(t, pipewrite_either(wf->pipe, 0, (u64)out, n), n);
		for (got = 0; got < n;) {
			i = piperead_either(rf->pipe, 0, (u64)in + got, n - got);
			if (i <= 0)
				break;
			got += i;
		}
		KTEST_EXPECT_EQ(t, got, n);
		for (i = 0; i < got; i++)
			if (in[i] != out[i])
				bad++;
	}
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_EQ(t, pipewrite_either(wf->pipe, 0, (u64)out, 0), 0);

	/* Write end closed and pipe empty: end of file. */
	KTEST_EXPECT_EQ(t, pipewrite_either(wf->pipe, 0, (u64) "tail", 4), 4);
	fileclose(wf);
	KTEST_EXPECT_EQ(t, piperead_either(rf->pipe, 0, (u64)in, 100), 4);
	KTEST_EXPECT_EQ(t, piperead_either(rf->pipe, 0, (u64)in, 100), 0);
	fileclose(rf);

	/* Read end closed: writing fails instead of blocking forever. */
	KTEST_ASSERT_TRUE(t, pipealloc(&rf, &wf) == 0);
	fileclose(rf);
	KTEST_EXPECT_EQ(t, pipewrite_either(wf->pipe, 0, (u64)out, 10), -1);
	fileclose(wf);

	free_page((unsigned long)out);
	free_page((unsigned long)in);
}

static struct ktest_case fs_cases[] = {
    KTEST_CASE(test_bio_roundtrip),   KTEST_CASE(test_file_write_read_unlink),
    KTEST_CASE(test_dir_link_lookup), KTEST_CASE(test_log_recovery),
    KTEST_CASE(test_pipe_roundtrip),  {},
};
KTEST_SUITE(fs, fs_cases);
