/*
 * mm/shmem.c - shared anonymous memory: what MAP_SHARED | MAP_ANONYMOUS
 * maps.
 *
 * The problem: after fork(), parent and child must see each other's writes
 * to such a mapping, also in pages that neither had touched before the
 * fork. Copying the page tables at fork shares only the pages present then;
 * a page touched later would be faulted in separately by each process.
 * Something must remember, for each page offset of the mapping, the one
 * page that every process maps there.
 *
 * Linux's answer, followed here: the mapping is backed by a file of an
 * in-memory file system (shmem), which /proc/PID/maps shows as
 * "/dev/zero (deleted)". Pagoda's is a small in-memory inode (device
 * SHMEM_VDEV, on no inode table and no disk) and an open file pointing at
 * it, which becomes the VMA's vm_file; fork() shares the file with the
 * VMA. Its pages live in the page cache (mm/filemap.c) like a shared file
 * mapping's:
 *
 *   parent VMA --\                         page cache: (inode, index 0) -> page
 *                 >-- file (FD_SHMEM) --> inode  ...   (inode, index 5) -> page
 *   child VMA  --/
 *
 * A fault finds the page for its index in the cache or, on a miss, makes
 * a zeroed one and inserts it. Unlike a disk file's pages, which are
 * written back and may leave the cache when unmapped, these are the only
 * copy of the data: they stay cached while the file is open (some VMA
 * still maps it) and are freed with the inode, when the last VMA's
 * reference to the file goes (fileclose() calls shmem_release()).
 *
 * Locking: the inode is fixed once made; the page cache's own lock covers
 * its pages; the file's reference count (ftable.lock) decides when it dies.
 *
 * See: mmap(2) on MAP_SHARED | MAP_ANONYMOUS; Linux mm/shmem.c
 * (shmem_zero_setup) for the same idea at full size.
 */
#include <kernel/types.h>
#include <kernel/errno.h>
#include <kernel/file.h>
#include <kernel/fs.h>
#include <kernel/mm.h>
#include <kernel/shmem_fs.h>
#include <kernel/slab.h>
#include <kernel/sleeplock.h>
#include <kernel/string.h>

/* inode numbers, for /proc/PID/maps; they wrap after 2^32 mappings */
static uint shmem_next_ino = 1;

struct file *shmem_file_setup(u64 size)
{
	struct inode *ip;
	struct file *f;

	if (size == 0 || size > 0xffffffffUL)
		return NULL; /* inode sizes are 32 bits */
	ip = kzalloc(sizeof(*ip), GFP_KERNEL);
	if (!ip)
		return NULL;
	f = filealloc();
	if (!f) {
		kfree(ip);
		return NULL;
	}
	sleeplock_init(&ip->lock, "shmem");
	ip->dev = SHMEM_VDEV;
	ip->inum = __atomic_fetch_add(&shmem_next_ino, 1, __ATOMIC_RELAXED);
	ip->ref = 1; /* the file's */
	ip->valid = true;
	ip->type = T_FILE;
	ip->nlink = 1;
	ip->size = (uint)size;
	f->type = FD_SHMEM;
	f->ip = ip;
	f->readable = true;
	f->writable = true;
	strncpy(f->name, "zero", sizeof(f->name));
	return f;
}

void shmem_release(struct inode *ip)
{
	filemap_evict_inode(ip);
	kfree(ip);
}
