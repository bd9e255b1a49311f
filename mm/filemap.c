/*
 * mm/filemap.c - file pages for memory mappings: a small page cache.
 *
 * MAP_PRIVATE file mappings get a private copy of the file's page on the
 * first fault (a later write changes only that copy). MAP_SHARED mappings
 * must see each other's writes, so their pages live in the page cache, one
 * page per (inode, page index), mapped by every process that maps it:
 *
 *   process A PTE --\
 *                    >-- page cache: (inode 7, index 3) --> page
 *   process B PTE --/
 *
 * The cache holds one reference and each mapping one more. Pages go back to
 * the file on msync(), munmap() and exit; a page leaves the cache when its
 * last mapping goes away. Shared anonymous memory (mm/shmem.c) uses the
 * cache too, under an in-memory inode: a miss gets a zeroed page, nothing is
 * ever written back, and its pages stay until the inode dies
 * (filemap_evict_inode()). (read() and write() still go through the buffer
 * cache: after writing through a shared mapping, msync() before read()ing
 * the file. Linux's unified page cache, through which read, write, mmap
 * and exec all go, is planned, with reclaim.)
 *
 * Lock: cache_lock protects the hash table; it is never held across disk
 * I/O (which sleeps): a miss reads the page first, then inserts it, and
 * gives way if another process inserted the same page meanwhile.
 *
 * The vma lab (labs/vma/README.md, task 7) has students write filemap_fault().
 */
#include <kernel/mm.h>
#include <kernel/fs.h>
#include <kernel/file.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include <kernel/spinlock.h>
#include <kernel/lab.h>
#include <kernel/slab.h>
#include <kernel/proc.h>
#include <kernel/shmem_fs.h>
#include <uapi/pagoda/fs.h>
#include "vma.h"

#define CACHE_BUCKETS 64

struct cache_entry {
	struct inode *ip;
	u64 index;
	u64 pfn;
	struct cache_entry *next;
};

static struct cache_entry *buckets[CACHE_BUCKETS];
/*
 * Entries: the slab cache "page_cache_entry", reclaimable like Linux's
 * radix_tree_node cache that holds its page cache index. Allocated under
 * cache_lock: atomic.
 */
static struct kmem_cache *entry_cachep;
static struct spinlock cache_lock = SPINLOCK_INIT("page_cache");
unsigned long nr_cache_pages;

static unsigned hash(struct inode *ip, u64 index)
{
	return (unsigned)(((u64)ip >> 6) ^ (index * 0x9e3779b9UL)) % CACHE_BUCKETS;
}

void pagecache_init(void)
{
	entry_cachep = kmem_cache_create("page_cache_entry", sizeof(struct cache_entry), 0,
					 SLAB_RECLAIM_ACCOUNT | SLAB_PANIC, NULL);
}

static inline struct cache_entry *entry_alloc(void)
{
	return kmem_cache_alloc(entry_cachep, GFP_ATOMIC | __GFP_NOWARN);
}

static inline struct cache_entry *lookup(struct inode *ip, u64 index)
{
	for (struct cache_entry *e = buckets[hash(ip, index)]; e; e = e->next)
		if (e->ip == ip && e->index == index)
			return e;
	return NULL;
}

static u64 file_offset(struct vm_area_struct *vma, u64 va)
{
	return (vma->vm_pgoff + (va - vma->vm_start) / PAGE_SIZE) * PAGE_SIZE;
}

/* Read the file's page at @off into a new page; beyond the end reads as zeros.
 * A shared-memory inode has nothing to read: its new pages are zeroed. */
static inline int read_file_page(struct inode *ip, u64 off, unsigned long *pagep)
{
	unsigned long page = get_zeroed_page(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN);
	int n;

	if (!page)
		return -ENOMEM;
	if (shmem_mapping(ip)) {
		if (off >= ip->size) {
			free_page(page);
			return -ENXIO;
		}
		*pagep = page;
		return 0;
	}
	ilock(ip);
	if (off >= ip->size) {
		iunlock(ip);
		free_page(page);
		return -ENXIO; /* Linux sends SIGBUS: the mapping reaches past the file */
	}
	n = readi(ip, 0, page, (uint)off, (uint)MIN(PAGE_SIZE, ip->size - off));
	iunlock(ip);
	if (n < 0) {
		free_page(page);
		return -EIO;
	}
	vm_pgmajfault++;
	if (myproc())
		myproc()->maj_flt++; /* the faulting process waited for the file */
	*pagep = page;
	return 0;
}

int filemap_fault(struct vm_area_struct *vma, u64 va, bool write)
{
	/* LAB vma: BEGIN task 7: private: a copy of the file's page; shared: the page cache's page */
	struct inode *ip = vma->vm_file->ip;
	u64 off = file_offset(vma, va), index = off / PAGE_SIZE;
	unsigned long page;
	struct cache_entry *e;
	int err;

	(void)write;
	if (!(vma->vm_flags & VM_SHARED)) {
		/* private: this process's own copy of the file's page */
		err = read_file_page(ip, off, &page);
		if (err)
			return err;
		pte_t *ptep = walk_pgtable(vma->vm_mm->pgd, va, true);
		if (!ptep) {
			free_page(page);
			return -ENOMEM;
		}
		set_pte(ptep, pfn_pte(__pa(page) >> PAGE_SHIFT, vma->vm_page_prot, 0));
		vma->vm_mm->rss_pages++;
		return 0;
	}
	spin_lock(&cache_lock);
	e = lookup(ip, index);
	spin_unlock(&cache_lock);
	if (!e) {
		err = read_file_page(ip, off, &page);
		if (err)
			return err;
		spin_lock(&cache_lock);
		e = lookup(ip, index);
		if (e) {
			spin_unlock(&cache_lock);
			free_page(page); /* someone else read it first */
		} else {
			e = entry_alloc();
			if (!e) {
				spin_unlock(&cache_lock);
				free_page(page);
				return -ENOMEM;
			}
			*e = (struct cache_entry){ip, index, __pa(page) >> PAGE_SHIFT,
						  buckets[hash(ip, index)]};
			buckets[hash(ip, index)] = e;
			nr_cache_pages++;
			spin_unlock(&cache_lock);
		}
	}
	pte_t *ptep = walk_pgtable(vma->vm_mm->pgd, va, true);
	if (!ptep)
		return -ENOMEM;
	get_page(pfn_to_page(e->pfn)); /* the mapping's reference */
	set_pte(ptep, pfn_pte(e->pfn, vma->vm_page_prot, 0));
	vma->vm_mm->rss_pages++;
	return 0;
	/* LAB vma: ELSE
	 * (void)vma;
	 * (void)va;
	 * (void)write;
	 * LAB_TODO("vma", "filemap_fault()");
	 */
	/* LAB vma: END */
}

/* Write the shared mapping's present pages in [start, end) back to the file. */
void filemap_write_range(struct vm_area_struct *vma, u64 start, u64 end)
{
	struct inode *ip = vma->vm_file->ip;

	if (!(vma->vm_flags & VM_WRITE) && !(vma->vm_flags & VM_MAYWRITE))
		return;
	if (shmem_mapping(ip))
		return; /* no file to write to: the cache holds the only copy */
	pte_t *ptep;

	for (u64 va = start; va < end; va = pgtable_next_va(ptep, va)) {
		ptep = walk_pgtable(vma->vm_mm->pgd, va, false);
		if (!ptep || !pte_present(ptep_get(ptep)))
			continue;
		u8 *data = __va(pte_pfn(ptep_get(ptep)) << PAGE_SHIFT);
		u64 off = file_offset(vma, va);
		/* never grow the file; a log transaction takes at most 2 blocks */
		for (u64 done = 0; done < PAGE_SIZE; done += 2 * BSIZE) {
			begin_op();
			ilock(ip);
			if (off + done < ip->size) {
				uint n = (uint)MIN(2 * BSIZE, ip->size - (off + done));
				writei(ip, 0, (u64)data + done, (uint)(off + done), n);
			}
			iunlock(ip);
			end_op();
		}
	}
}

/* A shared mapping of the page at @va drops its reference; a page nobody
 * maps any more leaves the cache (not a shared-memory page: see the top). */
void filemap_unmap_page(struct vm_area_struct *vma, u64 va, u64 pfn)
{
	struct inode *ip = vma->vm_file->ip;
	u64 index = file_offset(vma, va) / PAGE_SIZE;
	struct cache_entry **pp, *e = NULL;

	__free_pages(pfn_to_page(pfn), 0); /* the mapping's reference */
	if (shmem_mapping(ip))
		return;
	spin_lock(&cache_lock);
	for (pp = &buckets[hash(ip, index)]; *pp; pp = &(*pp)->next) {
		if ((*pp)->ip == ip && (*pp)->index == index) {
			e = *pp;
			break;
		}
	}
	if (e && e->pfn == pfn && page_ref_count(pfn_to_page(pfn)) == 1) {
		*pp = e->next;
		kmem_cache_free(entry_cachep, e);
		nr_cache_pages--;
		spin_unlock(&cache_lock);
		__free_pages(pfn_to_page(pfn), 0); /* the cache's reference */
		return;
	}
	spin_unlock(&cache_lock);
}

void filemap_evict_inode(struct inode *ip)
{
	struct cache_entry *dead = NULL, **pp, *e;

	/* unhook them all under the lock, free them after it */
	spin_lock(&cache_lock);
	for (int b = 0; b < CACHE_BUCKETS; b++) {
		for (pp = &buckets[b]; (e = *pp) != NULL;) {
			if (e->ip != ip) {
				pp = &e->next;
				continue;
			}
			*pp = e->next;
			e->next = dead;
			dead = e;
			nr_cache_pages--;
		}
	}
	spin_unlock(&cache_lock);
	while ((e = dead) != NULL) {
		dead = e->next;
		__free_pages(pfn_to_page(e->pfn), 0); /* the cache's reference */
		kmem_cache_free(entry_cachep, e);
	}
}
