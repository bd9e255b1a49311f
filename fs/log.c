/*
 * fs/log.c - a write-ahead log that makes file-system operations atomic
 * with respect to crashes.
 *
 * The problem: creating a file writes an inode block, a directory block and
 * maybe a bitmap block. A power cut between two of those writes leaves the
 * disk inconsistent (a directory entry naming a free inode, a block marked
 * used that no file owns). The log makes such a group of writes all-or-
 * nothing.
 *
 * The protocol. Instead of writing a modified block to its home location,
 * the file system calls log_write(b), which only notes the block number and
 * pins the buf in the cache. When the transaction ends, commit():
 *
 *   1. write_log      copy each noted block into the log area
 *   2. write_head     write the header: n = count, block[] = home addresses
 *                     -- this single-sector write is the commit point --
 *   3. install_trans  write each block to its home location
 *   4. write_head     write the header with n = 0: the log is empty again
 *
 * On-disk log area (sb.nlog blocks starting at sb.logstart):
 *
 *   +--------+---------+---------+-----+---------+
 *   | header | copy of | copy of | ... | copy of |
 *   | n, [ ] | block[0]| block[1]|     | blk[n-1]|
 *   +--------+---------+---------+-----+---------+
 *
 * Crash points, and what recovery (at the next mount) finds:
 *
 *   time ------------------------------------------------------------------->
 *   | ops change  | 1 write_log | 2 write_head | 3 install_trans | 4 write_head |
 *   | cached bufs |             |    (n > 0)   |                 |    (n = 0)   |
 *   |<------------- crash: (a) -------------->|<------- crash: (b) ---------->| (c)
 *
 *   (a) The header on disk still says n = 0: the transaction never happened.
 *       No home location was touched (the changes were only in memory and
 *       in the log area), so the disk holds the state before it.
 *   (b) The header lists the blocks and the log area holds their new
 *       contents: recovery copies them home (again, for those step 3 had
 *       already written: the same data twice is harmless), then clears the
 *       header. The disk holds the state after the transaction.
 *   (c) Nothing to do.
 *
 * This relies on the disk writing one 512-byte sector atomically (the
 * header's n and block[] fit in the first sector of the header block), and on
 * virtio_disk_rw returning only when the device reports the write done, so
 * step N's writes are on the disk before step N+1 starts.
 *
 * Group commit: several processes may be inside begin_op/end_op at once;
 * their blocks accumulate in one transaction, which the last end_op
 * commits. A block written by several of them is logged once ("absorption").
 * begin_op admits a new operation only if the log could hold MAXOPBLOCKS
 * more blocks for every operation in progress, so log_write never runs out
 * of room as long as each operation writes at most MAXOPBLOCKS distinct
 * blocks. No operation may start while a commit is running.
 *
 * How many blocks a transaction may hold (fslog.capacity) is the smallest of:
 * the header's array (LOGSIZE), the on-disk log area (sb.nlog - 1, one block
 * is the header) and NBUF - LOG_NBUF_RESERVE: every logged block stays
 * pinned in the buffer cache until it is installed, and processes (including
 * the committer, which needs a buf to copy through) must still find free
 * bufs. A larger NBUF lets more operations run concurrently.
 *
 * Locking: fslog.lock protects everything in struct log_state; it is taken
 * before bcache.lock (bpin) and never held across disk I/O.
 *
 * See: include/kernel/fs.h for begin_op/end_op/log_write's contract.
 */
#include <kernel/types.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <kernel/proc.h>
#include <kernel/buf.h>
#include <kernel/fs.h>
#include "internal.h"

/* Bufs kept out of the log's reach (see the header comment). */
#define LOG_NBUF_RESERVE 6

/* The header block, at the start of the log area, in memory and on disk. */
struct logheader {
	u32 n;		    /* committed blocks; 0 = log empty */
	u32 block[LOGSIZE]; /* home block number of each logged block */
};

static struct log_state {
	struct spinlock lock;
	uint dev;
	uint start;	     /* block number of the header */
	uint capacity;	     /* max blocks in one transaction */
	uint fs_size;	     /* blocks on the disk, to check the header */
	uint log_end;	     /* first block after the log area */
	int outstanding;     /* operations between begin_op and end_op */
	bool committing;     /* commit() is running: begin_op must wait */
	struct logheader lh; /* the transaction being built */
} fslog;

/* Copy the header from disk into fslog.lh. */
static void read_head(void)
{
	struct buf *b = bread(fslog.dev, fslog.start);
	struct logheader *hdr = (struct logheader *)b->data;
	uint i;

	fslog.lh.n = hdr->n;
	if (fslog.lh.n > fslog.capacity)
		panic("log: corrupt header on disk %u: %u blocks, log holds %u", fslog.dev,
		      fslog.lh.n, fslog.capacity);
	for (i = 0; i < fslog.lh.n; i++) {
		fslog.lh.block[i] = hdr->block[i];
		if (hdr->block[i] < fslog.log_end || hdr->block[i] >= fslog.fs_size)
			panic("log: corrupt header on disk %u: block %u out of range", fslog.dev,
			      hdr->block[i]);
	}
	brelse(b);
}

/*
 * Write fslog.lh to the header block. With n > 0 this is the commit point;
 * with n = 0 it empties the log.
 */
static void write_head(void)
{
	struct buf *b = bread(fslog.dev, fslog.start);
	struct logheader *hdr = (struct logheader *)b->data;
	uint i;

	memset(b->data, 0, BSIZE);
	hdr->n = fslog.lh.n;
	for (i = 0; i < fslog.lh.n; i++)
		hdr->block[i] = fslog.lh.block[i];
	bwrite(b);
	brelse(b);
}

/* Step 1: copy each block of the transaction from the cache to the log area. */
static void write_log(void)
{
	struct buf *from, *to;
	uint i;

	for (i = 0; i < fslog.lh.n; i++) {
		from = bread(fslog.dev, fslog.lh.block[i]); /* pinned: a cache hit */
		to = bread(fslog.dev, fslog.start + 1 + i);
		memmove(to->data, from->data, BSIZE);
		bwrite(to);
		brelse(from);
		brelse(to);
	}
}

/*
 * Step 3: write each logged block to its home location.
 * After a commit the up-to-date data is in the (pinned) cached buf; during
 * recovery the cache knows nothing, so the data comes from the log area.
 */
static void install_trans(bool recovering)
{
	struct buf *lb, *home;
	uint i;

	for (i = 0; i < fslog.lh.n; i++) {
		home = bread(fslog.dev, fslog.lh.block[i]);
		if (recovering) {
			lb = bread(fslog.dev, fslog.start + 1 + i);
			memmove(home->data, lb->data, BSIZE);
			brelse(lb);
		}
		bwrite(home);
		if (!recovering)
			bunpin(home);
		brelse(home);
	}
}

static void commit(void)
{
	if (fslog.lh.n == 0)
		return;
	write_log();
	write_head(); /* the transaction is now durable */
	install_trans(false);
	fslog.lh.n = 0;
	write_head(); /* ... and now forgotten */
}

/*
 * Replay a transaction committed before a crash, if any. Called at mount
 * (no operations can be running); the ktest suite calls it too.
 */
void log_recover(void)
{
	read_head();
	if (fslog.lh.n == 0)
		return; /* the last shutdown (or crash) left no committed transaction */
	printk("fs: log: replaying %u blocks committed before a crash\n", fslog.lh.n);
	install_trans(true);
	fslog.lh.n = 0;
	write_head();
}

/**
 * log_init - set up the log of disk @dev described by @sb, and recover.
 * Context: fsinit only, in process context.
 */
void log_init(uint dev, const struct superblock *sb)
{
	uint cap;

	BUILD_BUG_ON(sizeof(struct logheader) > 512);
	BUILD_BUG_ON(NBUF <= LOG_NBUF_RESERVE + MAXOPBLOCKS);

	spin_lock_init(&fslog.lock, "log");
	fslog.dev = dev;
	fslog.start = sb->logstart;
	fslog.fs_size = sb->size;
	fslog.log_end = sb->logstart + sb->nlog;
	if (sb->nlog < 2)
		panic("log: disk %u has a log of %u blocks: need a header and one block", dev,
		      sb->nlog);
	cap = MIN((uint)LOGSIZE, sb->nlog - 1);
	cap = MIN(cap, (uint)(NBUF - LOG_NBUF_RESERVE));
	if (cap < MAXOPBLOCKS)
		panic("log: only %u blocks usable, an operation may need %d", cap, MAXOPBLOCKS);
	fslog.capacity = cap;
	fslog.outstanding = 0;
	fslog.committing = false;
	log_recover();
}

void begin_op(void)
{
	spin_lock(&fslog.lock);
	for (;;) {
		if (fslog.committing) {
			sleep(&fslog, &fslog.lock);
		} else if (fslog.lh.n + (fslog.outstanding + 1) * MAXOPBLOCKS > fslog.capacity) {
			/* This operation might overflow the log: wait for a commit. */
			sleep(&fslog, &fslog.lock);
		} else {
			fslog.outstanding++;
			break;
		}
	}
	spin_unlock(&fslog.lock);
}

void end_op(void)
{
	bool do_commit = false;

	spin_lock(&fslog.lock);
	if (fslog.outstanding <= 0)
		panic("end_op: no operation in progress");
	if (fslog.committing)
		panic("end_op: a commit is running during an operation");
	fslog.outstanding--;
	if (fslog.outstanding == 0) {
		do_commit = true;
		fslog.committing = true;
	} else {
		/* Our unused reservation may let a waiting begin_op in. */
		wakeup(&fslog);
	}
	spin_unlock(&fslog.lock);

	if (do_commit) {
		/* No other operation can start, so nobody touches fslog.lh now. */
		commit();
		spin_lock(&fslog.lock);
		fslog.committing = false;
		wakeup(&fslog);
		spin_unlock(&fslog.lock);
	}
}

void log_write(struct buf *b)
{
	uint i;

	if (!sleep_lock_held(&b->lock))
		panic("log_write: buf of block %u not locked", b->blockno);

	spin_lock(&fslog.lock);
	if (fslog.outstanding < 1)
		panic("log_write: block %u written outside a transaction", b->blockno);
	/* the log records block numbers of its own disk only */
	if (b->dev != fslog.dev)
		panic("log_write: block %u of device %u is not on the logged disk %u", b->blockno,
		      b->dev, fslog.dev);
	for (i = 0; i < fslog.lh.n; i++)
		if (fslog.lh.block[i] == b->blockno)
			break; /* already in this transaction: absorb */
	if (i == fslog.lh.n) {
		if (fslog.lh.n >= fslog.capacity)
			panic("log_write: transaction too big (%u blocks)", fslog.lh.n);
		fslog.lh.block[i] = b->blockno;
		fslog.lh.n++;
		bpin(b); /* keep it cached until install_trans */
	}
	spin_unlock(&fslog.lock);
}

/**
 * log_busy - is a transaction open or not yet committed? For tests, which
 * must not fake a crash under a running operation.
 */
bool log_busy(void)
{
	bool busy;

	spin_lock(&fslog.lock);
	busy = fslog.outstanding > 0 || fslog.committing || fslog.lh.n > 0;
	spin_unlock(&fslog.lock);
	return busy;
}

/** log_area - where the log lives: @start (header block) and @capacity. */
void log_area(uint *start, uint *capacity)
{
	*start = fslog.start;
	*capacity = fslog.capacity;
}
