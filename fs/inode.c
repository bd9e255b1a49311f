/*
 * fs/inode.c - the superblock, block allocation, and inodes: the layer that
 * turns numbered blocks into files of bytes.
 *
 * An inode describes one file or directory: its type, size, link count and
 * the list of blocks holding its data. On disk, inodes sit packed IPB to a
 * block from sb.inodestart; in memory, the ones in use are struct inodes
 * from the slab cache "inode_cache", on the list itable.inodes, one per file
 * so that every process sees one copy; at most NINODE at once (a limit, no
 * longer a table). The cache's constructor initialises each inode's sleep
 * lock once, when its slab is made; an inode goes back to the cache
 * unlocked, so it never needs initialising again (Bonwick's object caching).
 *
 * Block map: ip->addrs[] holds NDIRECT block numbers, then one singly- and
 * one doubly-indirect block number. Byte offset off lives in file block
 * bn = off / BSIZE, found like this:
 *
 *   addrs[0..NDIRECT-1] ---------------------------------> data  bn < NDIRECT
 *   addrs[NDIRECT] -----> [ NINDIRECT block numbers ] ---> data  next NINDIRECT
 *   addrs[NDIRECT+1] ---> [ NINDIRECT ] --> [ NINDIRECT ] --> data  next NINDIRECT^2
 *
 * A 0 anywhere means "no block yet". Writes fill files from the start (no
 * holes), but readi treats a 0 as a block of zeros anyway, so reading never
 * allocates and never needs a transaction.
 *
 * The life of an in-memory inode:
 *   - iget (via namei, dirlookup or ialloc) finds or makes a table entry and
 *     takes a reference (ref++); the data is not read yet (valid = 0);
 *   - ilock locks it and reads the dinode from disk if needed;
 *   - iunlock unlocks; iput drops the reference. When the last reference to
 *     an inode with nlink == 0 goes, iput frees it on disk (type = 0) and its
 *     blocks: a file that was unlinked while open lives until it is closed.
 *
 * Locks, in the order they may be taken:
 *   inode sleeplocks (a parent directory before its child)
 *   -> buffer sleeplocks -> log.lock -> bcache.lock;  itable.lock is a leaf.
 * itable.lock protects the list, ref, dev and inum of every inode; ip->lock
 * protects the rest of ip. Holding a reference (not the lock) keeps the
 * inode from being freed; the last iput() frees it.
 *
 * See: include/kernel/fs.h (the contract), fs/namei.c (directories and
 * paths), include/uapi/pagoda/fs.h (the disk layout).
 */
#include <kernel/types.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/sleeplock.h>
#include <kernel/string.h>
#include <kernel/proc.h>
#include <kernel/buf.h>
#include <kernel/fs.h>
#include <kernel/slab.h>
#include "internal.h"

struct superblock fs_sb;
bool fs_mounted;
uint fs_dev;
static uint fs_datastart; /* first data block: everything below is metadata */

static struct {
	struct spinlock lock;
	struct list_head inodes; /* every in-memory inode (ref > 0) */
	int count;		 /* on the list; at most NINODE */
} itable;
static struct kmem_cache *inode_cachep;

/* inode_cache's constructor: what stays true of a free inode */
static void init_once(void *obj)
{
	struct inode *ip = obj;

	sleeplock_init(&ip->lock, "inode");
}

/* --- blocks ----------------------------------------------------------------- */

/* Fill block @bno with zeros (through the log). */
static void bzero(uint dev, uint bno)
{
	struct buf *b = bread(dev, bno);

	memset(b->data, 0, BSIZE);
	log_write(b);
	brelse(b);
}

/*
 * balloc - find a clear bit in the free-block bitmap, set it, and return the
 * block, zeroed. Lowest free block first.
 * Context: inside a transaction. Return: the block number, or 0 if full.
 */
uint balloc(uint dev)
{
	struct buf *bp;
	uint base, bi, bno;
	uchar mask;

	for (base = 0; base < fs_sb.size; base += BPB) {
		bp = bread(dev, BBLOCK(base, fs_sb));
		for (bi = 0; bi < BPB && base + bi < fs_sb.size; bi++) {
			mask = 1 << (bi % 8);
			if (bp->data[bi / 8] & mask)
				continue;
			bno = base + bi;
			if (bno < fs_datastart)
				panic(
				    "balloc: bitmap says metadata block %u is free: disk %u is corrupt",
				    bno, dev);
			bp->data[bi / 8] |= mask;
			log_write(bp);
			brelse(bp);
			bzero(dev, bno);
			return bno;
		}
		brelse(bp);
	}
	printk("fs: disk %u is full: no free blocks\n", dev);
	return 0;
}

/*
 * bfree - clear block @b's bit in the bitmap.
 * Context: inside a transaction.
 */
void bfree(uint dev, uint b)
{
	struct buf *bp;
	uchar mask = 1 << (b % 8);
	uint bi = b % BPB;

	if (b < fs_datastart || b >= fs_sb.size)
		panic("bfree: block %u is not a data block of disk %u", b, dev);
	bp = bread(dev, BBLOCK(b, fs_sb));
	if ((bp->data[bi / 8] & mask) == 0)
		panic("bfree: block %u of disk %u is already free", b, dev);
	bp->data[bi / 8] &= ~mask;
	log_write(bp);
	brelse(bp);
}

uint fs_count_free_blocks(uint dev)
{
	struct buf *bp;
	uint base, bi, nfree = 0;

	for (base = 0; base < fs_sb.size; base += BPB) {
		bp = bread(dev, BBLOCK(base, fs_sb));
		for (bi = 0; bi < BPB && base + bi < fs_sb.size; bi++)
			if ((bp->data[bi / 8] & (1 << (bi % 8))) == 0)
				nfree++;
		brelse(bp);
	}
	return nfree;
}

/* --- mounting ----------------------------------------------------------- */

void iinit(void)
{
	struct inode *ip;

	if (!inode_cachep)
		inode_cachep = kmem_cache_create("inode_cache", sizeof(struct inode), 0,
						 SLAB_RECLAIM_ACCOUNT | SLAB_PANIC, init_once);
	/* host tests "reboot" with this: forget the inodes of the last boot */
	if (itable.inodes.next) {
		while ((ip = list_first_entry_or_null(&itable.inodes, struct inode, i_list))) {
			list_del(&ip->i_list);
			sleeplock_init(&ip->lock, "inode");
			kmem_cache_free(inode_cachep, ip);
		}
	}
	INIT_LIST_HEAD(&itable.inodes);
	itable.count = 0;
	spin_lock_init(&itable.lock, "itable");
}

/* Check that the superblock's regions are in order and inside the disk. */
static const char *sb_check(const struct superblock *sb)
{
	uint ninodeblocks, nbitmap;

	if (sb->size == 0 || sb->ninodes < 2 || sb->nblocks == 0 || sb->nblocks > sb->size)
		return "sizes";
	ninodeblocks = (sb->ninodes + IPB - 1) / IPB;
	nbitmap = (sb->size + BPB - 1) / BPB;
	if (sb->logstart < 2 || sb->inodestart < sb->logstart + sb->nlog ||
	    sb->bmapstart < sb->inodestart + ninodeblocks ||
	    sb->size - sb->nblocks < sb->bmapstart + nbitmap)
		return "region layout";
	return NULL;
}

void fsinit(int dev)
{
	struct buf *b;
	const char *bad;

	b = bread(dev, 1);
	memmove(&fs_sb, b->data, sizeof(fs_sb));
	brelse(b);
	if (fs_sb.magic != FSMAGIC)
		panic("fsinit: bad magic 0x%x on disk %d: was fs.img built by tools/mkfs?",
		      fs_sb.magic, dev);
	bad = sb_check(&fs_sb);
	if (bad)
		panic(
		    "fsinit: superblock of disk %d is corrupt (%s): rebuild fs.img with tools/mkfs",
		    dev, bad);
	fs_datastart = fs_sb.size - fs_sb.nblocks;
	printk("fs: disk %d: %u blocks (%u data), %u inodes, log at %u (%u blocks)\n", dev,
	       fs_sb.size, fs_sb.nblocks, fs_sb.ninodes, fs_sb.logstart, fs_sb.nlog);
	log_init(dev, &fs_sb);
	fs_dev = dev;
	fs_mounted = true;
}

/* --- the inode table -------------------------------------------------------- */

/*
 * Find the in-memory inode (@dev, @inum) and take a reference, or make one
 * with ref 1: not valid (read from disk by ilock), or, with @virt, a copy
 * of @virt's type, device numbers, link count and size, valid at once.
 * The new inode is allocated with the lock dropped, so the list is searched
 * again before it goes in.
 * Return: the inode, or NULL (NINODE in use, or no memory).
 */
static struct inode *inode_get(uint dev, uint inum, const struct inode *virt)
{
	struct inode *ip, *spare = NULL;

	spin_lock(&itable.lock);
	for (;;) {
		list_for_each_entry(ip, &itable.inodes, i_list) {
			if (ip->dev == dev && ip->inum == inum) {
				ip->ref++;
				spin_unlock(&itable.lock);
				if (spare)
					kmem_cache_free(inode_cachep, spare);
				return ip;
			}
		}
		if (spare || itable.count >= NINODE)
			break;
		spin_unlock(&itable.lock);
		spare = kmem_cache_alloc(inode_cachep, GFP_KERNEL);
		if (!spare)
			return NULL;
		spin_lock(&itable.lock);
	}
	if (itable.count >= NINODE) {
		spin_unlock(&itable.lock);
		if (spare)
			kmem_cache_free(inode_cachep, spare);
		printk("fs: inode table full (NINODE = %d in use)\n", NINODE);
		return NULL;
	}
	ip = spare;
	ip->dev = dev;
	ip->inum = inum;
	ip->ref = 1;
	ip->valid = virt != NULL;
	if (virt) {
		ip->type = virt->type;
		ip->major = virt->major;
		ip->minor = virt->minor;
		ip->nlink = virt->nlink;
		ip->size = virt->size;
	}
	list_add(&ip->i_list, &itable.inodes);
	itable.count++;
	spin_unlock(&itable.lock);
	return ip;
}

/*
 * iget - find the in-memory inode @inum of @dev, or make one, and take a
 * reference. Does not lock it or read it from disk.
 * Return: the inode, or NULL if @inum is invalid or NINODE are in use.
 */
struct inode *iget(uint dev, uint inum)
{
	if (inum == 0 || inum >= fs_sb.ninodes) {
		printk("fs: inode number %u out of range on disk %u (corrupt directory?)\n", inum,
		       dev);
		return NULL;
	}
	return inode_get(dev, inum, NULL);
}

/*
 * iget_virtual - an in-memory inode that no disk holds (/proc/PID/...): it
 * is valid from the start, so ilock() never reads a disk for it, and its
 * link count of 1 keeps iput() from freeing anything on disk.
 * Return: the inode with a reference, or NULL if the table is full.
 */
struct inode *iget_virtual(uint dev, uint inum, short type, short major, short minor)
{
	struct inode virt = {.type = type, .major = major, .minor = minor, .nlink = 1, .size = 0};

	return inode_get(dev, inum, &virt);
}

struct inode *ialloc(uint dev, short type)
{
	struct buf *bp;
	struct dinode *dip;
	struct inode *ip;
	uint inum;

	for (inum = 1; inum < fs_sb.ninodes; inum++) {
		bp = bread(dev, IBLOCK(inum, fs_sb));
		dip = (struct dinode *)bp->data + inum % IPB;
		if (dip->type == 0) {
			/* Claim a table entry first, so a full table leaves the disk alone. */
			ip = iget(dev, inum);
			if (ip) {
				memset(dip, 0, sizeof(*dip));
				dip->type = type;
				log_write(bp);
			}
			brelse(bp);
			return ip;
		}
		brelse(bp);
	}
	printk("fs: disk %u has no free inodes\n", dev);
	return NULL;
}

void iupdate(struct inode *ip)
{
	struct buf *bp;
	struct dinode *dip;

	/* an in-memory inode (/proc/PID) has no disk copy: the system calls
	 * never change one, and a bug that tries must not write the disk */
	if (WARN_ON(ip->dev != fs_dev))
		return;
	bp = bread(ip->dev, IBLOCK(ip->inum, fs_sb));
	dip = (struct dinode *)bp->data + ip->inum % IPB;
	dip->type = ip->type;
	dip->major = ip->major;
	dip->minor = ip->minor;
	dip->nlink = ip->nlink;
	dip->size = ip->size;
	memmove(dip->addrs, ip->addrs, sizeof(ip->addrs));
	log_write(bp);
	brelse(bp);
}

struct inode *idup(struct inode *ip)
{
	spin_lock(&itable.lock);
	ip->ref++;
	spin_unlock(&itable.lock);
	return ip;
}

void ilock(struct inode *ip)
{
	struct buf *bp;
	struct dinode *dip;

	if (ip == NULL || ip->ref < 1)
		panic("ilock: inode %p is not referenced", ip);

	sleep_lock(&ip->lock);
	if (!ip->valid) {
		bp = bread(ip->dev, IBLOCK(ip->inum, fs_sb));
		dip = (struct dinode *)bp->data + ip->inum % IPB;
		ip->type = dip->type;
		ip->major = dip->major;
		ip->minor = dip->minor;
		ip->nlink = dip->nlink;
		ip->size = dip->size;
		memmove(ip->addrs, dip->addrs, sizeof(ip->addrs));
		brelse(bp);
		ip->valid = true;
		if (ip->type == 0)
			panic("ilock: inode %u of disk %u is free but in use: corrupt directory?",
			      ip->inum, ip->dev);
	}
}

void iunlock(struct inode *ip)
{
	if (ip == NULL || !sleep_lock_held(&ip->lock) || ip->ref < 1)
		panic("iunlock: inode %p not locked by this process", ip);
	sleep_unlock(&ip->lock);
}

void iput(struct inode *ip)
{
	spin_lock(&itable.lock);
	if (ip->ref == 1 && ip->valid && ip->nlink == 0) {
		/*
		 * The last reference to an inode no directory names: free it.
		 * ref == 1 means no other process has a pointer to ip, so none
		 * holds or waits for its lock and sleep_lock won't sleep; and no
		 * one can find it through a directory, so no new reference will
		 * appear while we drop itable.lock to do disk I/O.
		 */
		sleep_lock(&ip->lock);
		spin_unlock(&itable.lock);

		itrunc(ip);
		ip->type = 0;
		iupdate(ip);
		ip->valid = false;

		sleep_unlock(&ip->lock);
		spin_lock(&itable.lock);
	}
	if (--ip->ref > 0) {
		spin_unlock(&itable.lock);
		return;
	}
	/* the last reference: the inode leaves memory (unlocked: constructed state) */
	list_del(&ip->i_list);
	itable.count--;
	spin_unlock(&itable.lock);
	kmem_cache_free(inode_cachep, ip);
}

void iunlockput(struct inode *ip)
{
	iunlock(ip);
	iput(ip);
}

/* --- the block map ---------------------------------------------------------- */

/*
 * Follow an indirect tree of @depth levels whose root block number is in
 * *@slot, to data block @bn of that tree. With @alloc, allocate missing
 * blocks (inside a transaction) and store their numbers on the way down.
 * Return: the data block number, or 0 (not allocated, or the disk is full).
 */
static uint bmap_tree(struct inode *ip, uint *slot, int depth, uint bn, bool alloc)
{
	struct buf *bp;
	uint addr, next, idx, span;
	int level;

	addr = *slot;
	if (addr == 0) {
		if (!alloc || (addr = balloc(ip->dev)) == 0)
			return 0;
		*slot = addr; /* in ip->addrs: the caller's iupdate writes it */
	}
	for (level = depth; level > 0; level--) {
		/* each entry at this level covers NINDIRECT^(level-1) data blocks */
		for (span = 1, idx = 1; idx < (uint)level; idx++)
			span *= NINDIRECT;
		idx = bn / span;
		bn %= span;

		bp = bread(ip->dev, addr);
		next = ((uint *)bp->data)[idx];
		brelse(bp);
		if (next == 0) {
			if (!alloc || (next = balloc(ip->dev)) == 0)
				return 0;
			/* Re-read: balloc needed bufs of its own, and we hold the
			 * inode lock, so nobody else changed this block meanwhile. */
			bp = bread(ip->dev, addr);
			((uint *)bp->data)[idx] = next;
			log_write(bp);
			brelse(bp);
		}
		addr = next;
	}
	return addr;
}

/*
 * Return the disk block holding file block @bn of @ip, allocating it (and
 * any indirect blocks on the way) if @alloc. Return 0 if there is none.
 * Context: caller holds ip->lock; inside a transaction if @alloc.
 */
static uint bmap(struct inode *ip, uint bn, bool alloc)
{
	if (bn < NDIRECT) {
		if (ip->addrs[bn] == 0 && alloc)
			ip->addrs[bn] = balloc(ip->dev);
		return ip->addrs[bn];
	}
	bn -= NDIRECT;
	if (bn < NINDIRECT)
		return bmap_tree(ip, &ip->addrs[NDIRECT], 1, bn, alloc);
	bn -= NINDIRECT;
	if (bn < NDINDIRECT)
		return bmap_tree(ip, &ip->addrs[NDIRECT + 1], 2, bn, alloc);
	panic("bmap: file block %u out of range", bn + (uint)(NDIRECT + NINDIRECT));
}

/* Free the indirect tree rooted at block @bno, @depth levels deep, and @bno. */
static void free_tree(uint dev, uint bno, int depth)
{
	struct buf *bp;
	uint *a;
	uint i;

	if (depth > 0) {
		bp = bread(dev, bno);
		a = (uint *)bp->data;
		for (i = 0; i < NINDIRECT; i++)
			if (a[i])
				free_tree(dev, a[i], depth - 1);
		brelse(bp);
	}
	bfree(dev, bno);
}

void itrunc(struct inode *ip)
{
	int i;

	for (i = 0; i < NDIRECT; i++) {
		if (ip->addrs[i]) {
			bfree(ip->dev, ip->addrs[i]);
			ip->addrs[i] = 0;
		}
	}
	if (ip->addrs[NDIRECT]) {
		free_tree(ip->dev, ip->addrs[NDIRECT], 1);
		ip->addrs[NDIRECT] = 0;
	}
	if (ip->addrs[NDIRECT + 1]) {
		free_tree(ip->dev, ip->addrs[NDIRECT + 1], 2);
		ip->addrs[NDIRECT + 1] = 0;
	}
	ip->size = 0;
	iupdate(ip);
}

/* --- reading and writing ------------------------------------------------ */

void stati(struct inode *ip, struct stat *st)
{
	st->dev = ip->dev;
	st->ino = ip->inum;
	st->type = ip->type;
	st->nlink = ip->nlink;
	st->size = ip->size;
}

/* The contents of a block that was never allocated. */
static const uchar zero_block[BSIZE];

int readi(struct inode *ip, int user_dst, u64 dst, uint off, uint n)
{
	struct buf *bp = NULL;
	const uchar *src;
	uint tot, m, addr;

	if (off + n < off)
		return -1;
	if (off >= ip->size)
		return 0;
	if (n > ip->size - off)
		n = ip->size - off;

	for (tot = 0; tot < n; tot += m, off += m, dst += m) {
		m = MIN(n - tot, BSIZE - off % BSIZE);
		addr = bmap(ip, off / BSIZE, false);
		if (addr) {
			bp = bread(ip->dev, addr);
			src = bp->data + off % BSIZE;
		} else {
			bp = NULL;
			src = zero_block;
		}
		if (either_copyout(user_dst, dst, src, m) < 0) {
			if (bp)
				brelse(bp);
			return tot > 0 ? (int)tot : -1;
		}
		if (bp)
			brelse(bp);
	}
	return n;
}

int writei(struct inode *ip, int user_src, u64 src, uint off, uint n)
{
	struct buf *bp;
	uint tot, m, addr;

	if (off > ip->size || off + n < off)
		return -1;
	if ((u64)off + n > (u64)MAXFILE * BSIZE)
		return -1;
	if (WARN_ON(ip->dev != fs_dev))
		return -1; /* an in-memory inode: no blocks to write (see iupdate) */

	for (tot = 0; tot < n; tot += m, off += m, src += m) {
		m = MIN(n - tot, BSIZE - off % BSIZE);
		addr = bmap(ip, off / BSIZE, true);
		if (addr == 0)
			break; /* disk full */
		bp = bread(ip->dev, addr);
		if (either_copyin(bp->data + off % BSIZE, user_src, src, m) < 0) {
			brelse(bp);
			break;
		}
		log_write(bp);
		brelse(bp);
	}

	if (off > ip->size)
		ip->size = off;
	/* Even if the size did not change, bmap may have added blocks. */
	iupdate(ip);
	return tot;
}
