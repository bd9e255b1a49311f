/*
 * kernel/buf.h - the buffer cache: in-memory copies of disk blocks.
 *
 * A struct buf holds one BSIZE block of one disk. At most one buf exists for
 * a given (dev, blockno), so every process that reads a block sees the same
 * copy, and the buf's sleeplock serialises everyone who uses its data.
 *
 * Life of a buf:
 *
 *   bread(dev, n)  ->  locked, data valid  ->  [modify data; bwrite() or
 *                                               log_write()]  ->  brelse()
 *
 * bread returns the buf locked; the caller owns it exclusively until brelse.
 * File-system code never calls bwrite directly on a metadata block: it calls
 * log_write (fs/log.c), which pins the buf in the cache until the log has
 * installed it.
 *
 * See: fs/bio.c (the cache), fs/log.c (why blocks are pinned),
 * kernel/drivers/virtio_blk.c (who fills data[]).
 */
#ifndef _KERNEL_BUF_H
#define _KERNEL_BUF_H

#include <kernel/types.h>
#include <kernel/sleeplock.h>
#include <uapi/pagoda/fs.h>

struct buf {
	/* bcache.lock protects these: */
	uint dev;	  /* disk device number */
	uint blockno;	  /* block number on that disk */
	uint refcnt;	  /* bread()s not yet brelse()d, plus pins */
	uint pincnt;	  /* pins held by the log (a part of refcnt) */
	struct buf *prev; /* LRU list: head.next is the most recently used */
	struct buf *next;

	/* the disk driver's lock protects this: */
	int disk; /* 1 while the device owns data[] (I/O in flight) */

	/* lock protects these: */
	struct sleeplock lock;
	bool valid;			/* data[] holds the block's contents */
	uchar data[BSIZE] __aligned(8); /* read as uint, dinode, dirent... */
};

/* Blocks (BSIZE = 1 KiB) read from and written to disks since boot
 * (/proc/vmstat's pgpgin and pgpgout, which count KiB). */
extern unsigned long bio_blocks_read, bio_blocks_written;

/* What the buffer cache holds, for /proc/meminfo (bcache_stats). */
struct bcache_stats {
	uint valid;	/* bufs holding a disk block ("Buffers") */
	uint pinned;	/* of those, changed and not yet written home: the log
			 * pins them until it installs them ("Dirty") */
	uint writeback; /* being written to the disk now ("Writeback") */
};

/**
 * bcache_stats - count the buffer cache's bufs by state.
 * Context: any but an interrupt (takes bcache.lock).
 */
void bcache_stats(struct bcache_stats *s);

/**
 * binit - set up the buffer cache (all NBUF buffers empty).
 * Context: boot, once, before any bread.
 */
void binit(void);

/**
 * bread - return a locked buf holding block @blockno of disk @dev.
 * Context: process context; may sleep (disk read, or waiting for the lock).
 * Return: the buf, locked, with valid data. Never NULL.
 */
struct buf *bread(uint dev, uint blockno);

/**
 * bwrite - write @b's data to disk now (synchronously).
 * Context: caller holds @b's lock; sleeps until the device is done.
 */
void bwrite(struct buf *b);

/**
 * brelse - give up a buf obtained from bread().
 * Context: caller holds @b's lock, which this releases.
 */
void brelse(struct buf *b);

/**
 * bpin - keep @b in the cache (it cannot be recycled) until bunpin.
 * bunpin - undo one bpin.
 * Context: the log only; any lock state.
 */
void bpin(struct buf *b);
void bunpin(struct buf *b);

#endif /* _KERNEL_BUF_H */
