/*
 * fs/bio.c - the buffer cache: NBUF in-memory copies of disk blocks.
 *
 * Two jobs:
 *   1. Caching: a block read twice is read from the disk once.
 *   2. Synchronisation: there is at most one buf per (dev, blockno), and its
 *      sleeplock lets one process at a time use the block's data.
 *
 * The bufs sit on a circular doubly-linked list ordered by last use:
 *
 *   head <-> most recently released <-> ... <-> least recently released <-> head
 *            (head.next)                         (head.prev)
 *
 * brelse moves a buf whose last reference went away to the front; bget
 * recycles from the back, so the block unused for longest is evicted first.
 *
 * Invariants (all under bcache.lock):
 *   - no two bufs have the same (dev, blockno) while either has refcnt > 0
 *     or valid data;
 *   - refcnt == 0 means nobody holds or waits for the buf's sleeplock and
 *     the log has not pinned it, so bget may give it a new identity;
 *   - pincnt <= refcnt; a pinned buf holds a block the log has not yet
 *     written to its home location, so it must stay in the cache.
 *
 * When every buf is in use, bget sleeps until brelse frees one (the holders
 * are processes in the middle of a read or write; they do not wait for us).
 * Only if every buf is pinned by the log is there no way out: that would mean
 * the log holds more blocks than the cache, a configuration bug, and we panic.
 *
 * Lock order: a buf's sleeplock may be taken while holding an inode's
 * sleeplock, never the other way round. bcache.lock is a leaf: nothing is
 * taken while holding it except the scheduler's locks inside sleep/wakeup.
 *
 * See: include/kernel/buf.h, fs/log.c.
 */
#include <kernel/types.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/sleeplock.h>
#include <kernel/string.h>
#include <kernel/proc.h>
#include <kernel/buf.h>
#include <kernel/virtio.h>

static struct {
	struct spinlock lock;
	struct buf buf[NBUF];
	struct buf head; /* sentinel of the LRU list; holds no block */
	int nwaiting;	 /* processes sleeping in bget for a free buf */
} bcache;

/* Unlink @b from the LRU list. Caller holds bcache.lock. */
static void lru_remove(struct buf *b)
{
	b->prev->next = b->next;
	b->next->prev = b->prev;
}

/* Put @b at the front (most recently used end). Caller holds bcache.lock. */
static void lru_push_front(struct buf *b)
{
	b->next = bcache.head.next;
	b->prev = &bcache.head;
	bcache.head.next->prev = b;
	bcache.head.next = b;
}

void binit(void)
{
	struct buf *b;

	memset(&bcache, 0, sizeof(bcache)); /* host tests "reboot" with this */
	spin_lock_init(&bcache.lock, "bcache");
	bcache.head.next = &bcache.head;
	bcache.head.prev = &bcache.head;
	for (b = bcache.buf; b < bcache.buf + NBUF; b++) {
		sleeplock_init(&b->lock, "buf");
		lru_push_front(b);
	}
}

/*
 * Find the buf for (dev, blockno), or recycle the least recently used free
 * one for it, and return it locked. Its data is valid only if b->valid.
 */
static struct buf *bget(uint dev, uint blockno)
{
	struct buf *b;
	int npinned;

	spin_lock(&bcache.lock);
again:
	/* Cached? Any buf with this identity is the one, whatever its refcnt. */
	for (b = bcache.head.next; b != &bcache.head; b = b->next) {
		if (b->dev == dev && b->blockno == blockno && (b->valid || b->refcnt > 0)) {
			b->refcnt++;
			spin_unlock(&bcache.lock);
			sleep_lock(&b->lock);
			return b;
		}
	}

	/* Not cached: take the least recently used buf that nobody holds. */
	for (b = bcache.head.prev; b != &bcache.head; b = b->prev) {
		if (b->refcnt == 0) {
			b->dev = dev;
			b->blockno = blockno;
			b->valid = false;
			b->refcnt = 1;
			spin_unlock(&bcache.lock);
			sleep_lock(&b->lock);
			return b;
		}
	}

	/* All in use. Wait for a brelse unless the log has pinned them all. */
	npinned = 0;
	for (b = bcache.buf; b < bcache.buf + NBUF; b++)
		if (b->pincnt > 0)
			npinned++;
	if (npinned == NBUF)
		panic("bget: no buffers: all %d are pinned by the log", NBUF);
	bcache.nwaiting++;
	sleep(&bcache, &bcache.lock);
	bcache.nwaiting--;
	/* The block may have been cached by someone else meanwhile: rescan. */
	goto again;
}

unsigned long bio_blocks_read, bio_blocks_written;
static int nr_writeback; /* writes in flight (atomic) */

/* One block to or from the disk; the process waits in 'D' state meanwhile. */
static void disk_rw(struct buf *b, int write)
{
	io_schedule_begin();
	if (write)
		__atomic_fetch_add(&nr_writeback, 1, __ATOMIC_RELAXED);
	virtio_disk_rw(b, write);
	if (write)
		__atomic_fetch_sub(&nr_writeback, 1, __ATOMIC_RELAXED);
	io_schedule_end();
	__atomic_fetch_add(write ? &bio_blocks_written : &bio_blocks_read, 1, __ATOMIC_RELAXED);
}

struct buf *bread(uint dev, uint blockno)
{
	struct buf *b;

	b = bget(dev, blockno);
	if (!b->valid) {
		disk_rw(b, 0);
		b->valid = true;
	}
	return b;
}

void bwrite(struct buf *b)
{
	if (!sleep_lock_held(&b->lock))
		panic("bwrite: buf of block %u not locked", b->blockno);
	disk_rw(b, 1);
}

void bcache_stats(struct bcache_stats *s)
{
	struct buf *b;

	s->valid = s->pinned = 0;
	spin_lock(&bcache.lock);
	for (b = bcache.buf; b < bcache.buf + NBUF; b++) {
		if (b->valid)
			s->valid++;
		if (b->pincnt > 0)
			s->pinned++;
	}
	spin_unlock(&bcache.lock);
	s->writeback = (uint)__atomic_load_n(&nr_writeback, __ATOMIC_RELAXED);
}

void brelse(struct buf *b)
{
	if (!sleep_lock_held(&b->lock))
		panic("brelse: buf of block %u not locked", b->blockno);
	sleep_unlock(&b->lock);

	spin_lock(&bcache.lock);
	BUG_ON(b->refcnt == 0);
	b->refcnt--;
	if (b->refcnt == 0) {
		lru_remove(b);
		lru_push_front(b);
		if (bcache.nwaiting > 0)
			wakeup(&bcache);
	}
	spin_unlock(&bcache.lock);
}

void bpin(struct buf *b)
{
	spin_lock(&bcache.lock);
	b->refcnt++;
	b->pincnt++;
	spin_unlock(&bcache.lock);
}

void bunpin(struct buf *b)
{
	spin_lock(&bcache.lock);
	BUG_ON(b->pincnt == 0 || b->refcnt == 0);
	b->pincnt--;
	b->refcnt--;
	if (b->refcnt == 0) {
		/* An unpinned block is as good as released: make it recyclable. */
		lru_remove(b);
		lru_push_front(b);
		if (bcache.nwaiting > 0)
			wakeup(&bcache);
	}
	spin_unlock(&bcache.lock);
}
