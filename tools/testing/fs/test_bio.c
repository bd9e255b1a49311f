/*
 * tools/testing/fs/test_bio.c - the buffer cache (fs/bio.c): hits, LRU
 * eviction order, and what happens when no buf can be recycled.
 */
#include <setjmp.h>
#include <string.h>

#include <kernel/types.h>
#include <kernel/buf.h>
#include <kernel/fs.h>
#include <uapi/pagoda/param.h>

#include "ktest-host.h"
#include "fs-host.h"

#define FAR 1000 /* data blocks nobody uses in an empty image */

static void boot_empty(void)
{
	char *img = fs_host_path("bio.img");

	if (mkfs_run(img, NULL, 0) != 0)
		ktest_fail(__FILE__, __LINE__, "mkfs failed");
	fs_host_boot(img);
}

/* Read block @bno and release it. Return: did that take a disk read? */
static bool touch(uint bno)
{
	long before = fs_host_disk_reads();

	brelse(bread(ROOTDEV, bno));
	return fs_host_disk_reads() != before;
}

TEST(a_second_read_is_a_cache_hit)
{
	boot_empty();
	EXPECT_TRUE(touch(FAR));
	EXPECT_FALSE(touch(FAR));
}

TEST(the_least_recently_used_buf_is_recycled)
{
	int i;

	boot_empty();
	EXPECT_TRUE(touch(FAR));
	for (i = 1; i < NBUF; i++)
		EXPECT_TRUE(touch(FAR + i)); /* fills the cache: FAR is now the oldest */
	EXPECT_FALSE(touch(FAR));	     /* ... and now the newest */
	EXPECT_TRUE(touch(FAR + NBUF));	     /* evicts FAR + 1, not FAR */
	EXPECT_FALSE(touch(FAR));
	EXPECT_TRUE(touch(FAR + 1));
}

TEST(bwrite_reaches_the_disk)
{
	struct buf *b;

	boot_empty();
	b = bread(ROOTDEV, FAR);
	memset(b->data, 0xa5, BSIZE);
	bwrite(b);
	brelse(b);
	EXPECT_EQ(fs_host_disk()[(size_t)FAR * BSIZE + 17], 0xa5);
}

TEST(a_full_cache_waits_and_a_pinned_one_panics)
{
	struct buf *held[NBUF];
	jmp_buf env;
	int i;

	boot_empty();
	for (i = 0; i < NBUF; i++)
		held[i] = bread(ROOTDEV, FAR + i);
	/* Every buf is locked by someone: bget must wait (sleep) for a brelse. */
	if (setjmp(env) == 0) {
		fs_host_expect_panic(&env);
		bread(ROOTDEV, FAR + NBUF);
		ktest_fail(__FILE__, __LINE__, "bread found a buf that does not exist");
		return;
	}
	EXPECT_NOT_NULL(strstr(fs_host_panic_msg, "sleep")); /* our stub's sleep() */

	/* Pinned bufs can't be recycled even when unlocked: that is a bug. */
	for (i = 0; i < NBUF; i++) {
		bpin(held[i]);
		brelse(held[i]);
	}
	if (setjmp(env) == 0) {
		fs_host_expect_panic(&env);
		bread(ROOTDEV, FAR + NBUF);
		ktest_fail(__FILE__, __LINE__, "bread recycled a pinned buf");
		return;
	}
	EXPECT_NOT_NULL(strstr(fs_host_panic_msg, "bget: no buffers"));
}
