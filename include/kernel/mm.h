/*
 * kernel/mm.h - the memory-management entry points used outside mm/.
 *
 * Page tables (mm/pgtable.c) are walked by one level-generic walker on top of
 * the architecture's PTE accessors (kernel/arch.h). User address spaces
 * (mm/memory.c) are built on that walker. Kernel code reaches user memory
 * only through kernel/uaccess.h.
 */
#ifndef _KERNEL_MM_H
#define _KERNEL_MM_H

#include <kernel/types.h>
#include <kernel/arch.h>
#include <kernel/gfp.h>
#include <kernel/mm_types.h>
#include <kernel/mmzone.h>

/* mm/init.c: boot-time setup */
void mem_init(void);	       /* memblock from the device tree, zones, buddy, watermarks */
void paging_init(void);	       /* build swapper_pg_dir and switch to it */
extern u64 ram_start, ram_end; /* physical RAM in use (after mem=) */

/*
 * Frames and their struct pages (FLATMEM): mem_map[i] describes frame
 * min_low_pfn + i, for every frame of RAM in [min_low_pfn, max_pfn).
 */
extern struct page *mem_map;
extern unsigned long min_low_pfn, max_pfn;

#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)
#define PFN_PHYS(pfn) ((phys_addr_t)(pfn) << PAGE_SHIFT)

static inline bool pfn_valid(unsigned long pfn)
{
	return pfn >= min_low_pfn && pfn < max_pfn;
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return mem_map + (pfn - min_low_pfn);
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map) + min_low_pfn;
}

/* the page's direct-map address */
static inline void *page_address(const struct page *page)
{
	return __va(PFN_PHYS(page_to_pfn(page)));
}

static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(__pa(addr) >> PAGE_SHIFT);
}

#define page_to_virt(page) page_address(page)

/* the smallest order whose block holds @size bytes */
static inline unsigned int get_order(unsigned long size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* reference counts (kernel/mm_types.h explains the fields) */
static inline int page_ref_count(const struct page *page)
{
	return __atomic_load_n(&page->_refcount, __ATOMIC_RELAXED);
}

static inline void set_page_count(struct page *page, int v)
{
	__atomic_store_n(&page->_refcount, v, __ATOMIC_RELAXED);
}

static inline void get_page(struct page *page)
{
	__atomic_fetch_add(&page->_refcount, 1, __ATOMIC_RELAXED);
}

/* drop a reference; true if it was the last */
static inline bool put_page_testzero(struct page *page)
{
	return __atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_ACQ_REL) == 0;
}

static inline int page_mapcount(const struct page *page)
{
	return page->_mapcount + 1;
}

static inline bool PageReserved(const struct page *page)
{
	return page->flags & (1UL << PG_reserved);
}

static inline bool PageBuddy(const struct page *page)
{
	return page->flags & (1UL << PG_buddy);
}

/* order of a free block's head page (PageBuddy) */
static inline unsigned int buddy_order(const struct page *page)
{
	return (unsigned int)page->private;
}

static inline enum zone_type page_zonenum(const struct page *page)
{
	return (enum zone_type)(page->flags >> ZONES_PGSHIFT);
}

static inline struct zone *page_zone(const struct page *page)
{
	return &contig_page_data.node_zones[page_zonenum(page)];
}

/* mm/mm_init.c: the memory model at boot (see the file's header) */
/* Zones ending at @max_zone_pfn[i], mem_map and pageblock bitmaps from memblock. */
void free_area_init(unsigned long *max_zone_pfn);

/* mm/page_alloc.c: split a 2^@order block from alloc_pages into 2^@order order-0 pages. */
void split_page(struct page *page, unsigned int order);
/*
 * page_flags_str - @page's flags in words for a report, into @buf (@size
 * bytes): "buddy, zone Normal", "reserved|slab, zone DMA".
 * Context: any. Return: @buf.
 */
const char *page_flags_str(const struct page *page, char *buf, size_t size);

/* mm/pgtable.c: the generic walker */
/* Return the level-0 entry for @va, allocating tables if @alloc; NULL if absent. */
pte_t *walk_pgtable(pte_t *pgd, u64 va, bool alloc);
/* After @va (level-0 entry @ptep, or NULL: no table), the next address a walk must look at. */
u64 pgtable_next_va(const pte_t *ptep, u64 va);
/* Find the leaf entry mapping @va at any level; its level goes to *@levelp. */
pte_t *lookup_pte(pte_t *pgd, u64 va, int *levelp);
/* Map [va, va+size) to [pa, ...) with @prot; use large leaves when @huge and aligned. */
int map_range(pte_t *pgd, u64 va, u64 pa, u64 size, pgprot_t prot, bool huge);
/* Unmap [va, va+size); free the mapped pages if @free_pages. Return pages unmapped. */
u64 unmap_range(pte_t *pgd, u64 va, u64 size, bool free_pages);
/* Free all page-table pages (and mapped user pages) below @limit, then the root. */
void free_pgtables(pte_t *pgd, u64 limit);
pte_t *pgd_alloc(void);
/* Print the user half of a page table, one line per entry (labs/pgtbl). */
void vmprint(pte_t *pgd);
/* After exec: vmprint() the new table if the boot argument vmprint=NAME|all asks. */
void vmprint_exec(int pid, const char *name, pte_t *pgd);

/* mm/memory.c: user address spaces */
/* Boot: the slab caches of mm_struct (mm/memory.c), vm_area_struct (mm/mmap.c), page cache entries (mm/filemap.c). */
void mm_cache_init(void);
void mmap_init(void);
void pagecache_init(void);
struct mm_struct *mm_alloc(void);
void mmget(struct mm_struct *mm);
void mmput(struct mm_struct *mm);
struct mm_struct *dup_mm(struct mm_struct *old);
/* Map zeroed pages over [start, end) with @vm_flags. Return 0 or -ENOMEM (nothing left mapped). */
int mm_populate_range(struct mm_struct *mm, u64 start, u64 end, unsigned long vm_flags);
/* Change the break by @incr bytes; return old break or -errno. */
long mm_brk(struct mm_struct *mm, long incr);
/* Copy into @mm (not necessarily the current one) through the direct map. */
int copy_to_mm(struct mm_struct *mm, u64 va, const void *src, u64 len);
/* Is [addr, addr+len) mapped user memory with @vm_flags permissions? */
bool access_ok(struct mm_struct *mm, u64 addr, u64 len, unsigned long vm_flags);
/* Would page faults make all of it so? Looks at the VMAs only, touches no page. */
bool vmas_allow(struct mm_struct *mm, u64 addr, u64 len, unsigned long vm_flags);

/* mm/vmalloc.c: ioremap and kernel stacks live in the vmalloc area */
#include <kernel/vmalloc.h>
void *ioremap(u64 pa, u64 size);
void iounmap(void *va);

/*
 * Address spaces with VMAs and demand paging (mm/vma.c, mm/mmap.c,
 * mm/memory.c, mm/filemap.c). The VMA functions themselves are in mm/vma.h.
 */
#define STACK_LIMIT (8UL << 20) /* a stack VMA may grow to 8 MiB (RLIMIT_STACK) */
#define STACK_GAP (1UL << 20)	/* kept free below the stack's limit */

#define FAULT_FLAG_WRITE 0x1
#define FAULT_FLAG_INSTRUCTION 0x2
#define FAULT_FLAG_USER 0x4

struct vm_area_struct;
struct file;
/* the two VMA calls used outside mm/ (the rest: mm/vma.h) */
struct vm_area_struct *find_vma(struct mm_struct *mm, u64 addr);
struct vm_area_struct *vma_map_range(struct mm_struct *mm, u64 start, u64 end, unsigned long flags,
				     struct file *file, u64 pgoff);
void zero_page_init(void);
bool is_zero_pfn(u64 pfn);
void put_user_pfn(u64 pfn);
int handle_mm_fault(struct vm_area_struct *vma, u64 addr, unsigned int flags);
/* The kill message's words for handle_mm_fault()'s error @err ("out of memory", ...). */
const char *vm_fault_reason(int err);
/* Find the VMA for @addr, check the access, fault the page in. 0 or -EFAULT (+*@why). */
int fault_in_page(struct mm_struct *mm, u64 addr, unsigned int flags, const char **why);
long do_mmap(struct mm_struct *mm, u64 addr, u64 len, int prot, int flags, struct file *file,
	     u64 off);
/* mm/filemap.c: file pages of mappings */
int filemap_fault(struct vm_area_struct *vma, u64 va, bool write);
void filemap_write_range(struct vm_area_struct *vma, u64 start, u64 end);
void filemap_unmap_page(struct vm_area_struct *vma, u64 va, u64 pfn);
/*
 * filemap_evict_inode - drop every page the page cache holds for @ip (its
 * inode is going away; no mapping of it is left).
 * Context: process context.
 */
struct inode;
void filemap_evict_inode(struct inode *ip);
/* /proc/vmstat counters */
extern unsigned long vm_pgfault, vm_pgmajfault, vm_cow_copies, vm_cow_reuses;
extern unsigned long nr_cache_pages; /* pages in the page cache (mm/filemap.c) */
struct seq_buf;
/* /proc/vmstat: event counters and page counts, Linux's names (mm/memory.c) */
void vmstat_show(struct seq_buf *m);
/* /proc/PID/maps (and smaps with @smaps), mm/mmap.c */
void show_map_vmas(struct seq_buf *m, struct mm_struct *mm, const char *comm, bool smaps);

/* One address space's memory, counted by task_mem() (mm/task_mmu.c); pages. */
struct task_mem_info {
	u64 total_vm, hiwater_vm; /* VmSize, VmPeak */
	u64 rss_anon, rss_file;	  /* RssAnon, RssFile (VmRSS is their sum) */
	u64 hiwater_rss;	  /* VmHWM */
	u64 data, stack, exec;	  /* VmData, VmStk, VmExe */
	u64 pte_pages;		  /* page-table pages of the user half (VmPTE) */
	/* this mm's shares of system-wide counts (meminfo): 65536 = one page */
	u64 anon_share, file_share, dirty_share;
};
/**
 * task_mem - count what @mm maps, from its VMAs and page tables
 * @mm: an address space the caller holds a reference to
 * @t:  filled in
 * Context: process context; takes mm->vma_lock.
 */
void task_mem(struct mm_struct *mm, struct task_mem_info *t);
/**
 * access_remote_vm - read @len bytes at user address @addr of @mm (any
 * process's) into @buf, through the direct map; pages not in memory end
 * the copy (nothing is faulted in).
 * Context: process context; the caller holds a reference to @mm.
 * Return: the number of bytes copied.
 */
int access_remote_vm(struct mm_struct *mm, u64 addr, void *buf, int len);

#endif /* _KERNEL_MM_H */
