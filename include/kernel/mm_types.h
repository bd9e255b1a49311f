/*
 * kernel/mm_types.h - struct page (one per page frame of RAM) and a
 * process's address space (struct mm_struct).
 *
 * struct page: the kernel keeps one for every 4 KiB frame of RAM in one
 * array, mem_map, allocated from memblock at boot (mm/mm_init.c), so the
 * frame number and the struct page convert into each other by pointer
 * arithmetic (pfn_to_page/page_to_pfn in kernel/mm.h). Each one costs RAM:
 * the struct must stay at most 64 bytes (1.6% of RAM; checked at compile
 * time, logged at boot).
 *
 *   flags      PG_* bits (low bits) and the page's zone (high bits)
 *   lru        list links: a free block's head is on a buddy free list
 *              (zone->free_area[order].free_list[migratetype]), a free
 *              order-0 page may be on a per-CPU list instead
 *   private    for a free block's head (PageBuddy): its order (buddy_order());
 *              for an allocated block's head: the order it was allocated
 *              with, which __free_pages checks
 *   _refcount  users of the page: 1 after alloc_pages, 0 when free; the
 *              tail pages of a higher-order block stay 0
 *   _mapcount  Linux's count of page-table entries mapping the page,
 *              minus one. Set to -1 at boot and not maintained yet: it
 *              belongs to the reverse map (mm/rmap.c, not written yet).
 *              Today copy-on-write and the small page cache of
 *              mm/filemap.c count a page's sharers in _refcount, and
 *              page_mapcount() reads 0 for every page
 *   mapping, index   the file (or anonymous region) a page belongs to and
 *              its page offset there: also for the reverse map and a
 *              unified page cache, both still to come (mm/filemap.c keeps
 *              its own table today). NULL and 0 on every page for now;
 *              unused by the buddy allocator
 *
 * A page the slab allocator uses (mm/slab.c) reads the same 40 bytes after
 * flags differently: it is never on a buddy or LRU list and maps no file,
 * so a union lays the slab's fields over lru, mapping, index and private
 * (Linux's struct slab does the same over struct page):
 *
 *   offset  page cache / buddy      slab (head page, PG_slab)   slab tail page
 *   8       lru.next                slab_list.next              compound_head | 1
 *   16      lru.prev                slab_list.prev
 *   24      mapping                 slab_cache
 *   32      index                   freelist
 *   40      private                 counters: inuse, objects, s_mem, frozen, order
 *
 * Every page of a multi-page slab but the first keeps the first's address
 * in compound_head with bit 0 set (virt_to_head_page), so an object's cache
 * is found from its address in O(1). Before a slab's pages go back to the
 * buddy, mm/slab.c restores what page_alloc.c expects (private = order, no
 * slab flags).
 *
 * States of a page frame (mm/page_alloc.c keeps them straight):
 *
 *   reserved   PG_reserved: never handed to the buddy (firmware, kernel
 *              image, device tree, mem_map itself)
 *   free       head of a free block: PG_buddy, private = order, refcount 0;
 *              the rest of the block: refcount 0, no flag
 *   pcp        on a per-CPU list: refcount 0, no PG_buddy
 *   allocated  head: refcount >= 1, private = order; tails: refcount 0
 *
 * An address space (struct mm_struct) is a set of VMAs (struct
 * vm_area_struct) in a red-black tree (mm/vma.c): the ELF segments, the
 * heap [start_brk, brk) that sbrk() moves, mmap() areas below mmap_base and
 * the stack below USER_STACK_TOP, which grows down on faults (mm/mmap.c
 * draws the layout). Nothing is mapped in advance: pages arrive one at a
 * time from page faults (mm/memory.c).
 */
#ifndef _KERNEL_MM_TYPES_H
#define _KERNEL_MM_TYPES_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/rbtree.h>
#include <kernel/spinlock.h>
#include <asm/pgtable.h>
#include <asm/mmu.h>

/* page->flags bits */
enum pageflags {
	PG_reserved,	  /* not managed by the buddy allocator */
	PG_buddy,	  /* head of a free block on a buddy free list */
	PG_slab,	  /* first page of a slab (mm/slab.c) */
	PG_large_kmalloc, /* first page of a kmalloc() too large for a slab */
	NR_PAGEFLAGS,
};
/* the zone number sits in the top bits of page->flags */
#define ZONES_WIDTH 2
#define ZONES_PGSHIFT (64 - ZONES_WIDTH)

struct kmem_cache;

struct page {
	unsigned long flags;
	union {
		struct { /* buddy, page cache, anonymous */
			struct list_head lru;
			void *mapping;	     /* file / anonymous owner: unused yet (see above) */
			unsigned long index; /* offset within the mapping, in pages */
			unsigned long private;
		};
		struct {			       /* the first page of a slab (PG_slab) */
			struct list_head slab_list;    /* on a partial or full list */
			struct kmem_cache *slab_cache; /* the cache it belongs to */
			void *freelist;		       /* first free object not held by a CPU */
			union {
				unsigned long counters;
				struct {
					u16 inuse;   /* objects not on freelist */
					u16 objects; /* objects in the slab */
					u16 s_mem;   /* offset of the first object: its colour */
					u8 frozen;   /* a CPU owns it (CPU slab or partial) */
					u8 slab_order;
				};
			};
		};
		struct {			     /* the other pages of a slab */
			unsigned long compound_head; /* first page's address | 1 */
		};
	};
	int _refcount;
	int _mapcount;
} __aligned(64); /* 64 bytes: mem_map indexing is a shift, one cache line each */

/* flags of a mapping (Linux's vm_flags and values) */
#define VM_READ 0x1UL
#define VM_WRITE 0x2UL
#define VM_EXEC 0x4UL
#define VM_SHARED 0x8UL
#define VM_MAYREAD 0x10UL /* what mprotect may turn on later */
#define VM_MAYWRITE 0x20UL
#define VM_MAYEXEC 0x40UL
#define VM_MAYSHARE 0x80UL
#define VM_GROWSDOWN 0x100UL   /* the stack: grows down on faults below it */
#define VM_KERNEL 0x80000000UL /* Pagoda: a kernel mapping (global, no user access) */
#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)

struct file;
struct mm_struct;

/*
 * A virtual memory area: one contiguous range of a process's addresses
 * with the same permissions and backing (an ELF segment, the heap, the
 * stack, one mmap). The mm keeps them in a red-black tree by address, so
 * find_vma() is O(log n). Nothing is allocated when a VMA is created: pages
 * come one at a time from page faults (mm/memory.c).
 */
struct vm_area_struct {
	u64 vm_start;		 /* first address */
	u64 vm_end;		 /* first address after the area */
	struct mm_struct *vm_mm; /* the address space it belongs to */
	unsigned long vm_flags;	 /* VM_* */
	pgprot_t vm_page_prot;	 /* PTE protection for vm_flags */
	struct rb_node vm_rb;	 /* in mm->mm_rb */
	struct file *vm_file;	 /* mapped file, or NULL (anonymous memory) */
	u64 vm_pgoff;		 /* file offset of vm_start, in pages */
};

struct mm_struct {
	/*
	 * mm_users counts the references: the process, and anyone looking at
	 * it from outside (a /proc reader); the last mmput() frees it.
	 * vma_lock protects the VMA tree's shape (insert, erase, an area's
	 * bounds) against such readers; the owner needs it only for those short
	 * changes, never across page work (which may sleep).
	 */
	int mm_users;
	struct spinlock vma_lock;
	struct rb_root mm_rb; /* VMAs by address */
	int map_count;	      /* number of VMAs */
	u64 total_vm;	      /* pages covered by VMAs (VSS) */
	u64 mmap_base;	      /* mmap() searches for room below this address */
	pte_t *pgd;	      /* root page table (kernel virtual address) */
	u64 start_code;	      /* lowest address of the ELF image */
	u64 end_code;	      /* end of the ELF image's last segment */
	u64 start_brk;	      /* heap start: page-aligned end of the image */
	u64 brk;	      /* current program break */
	u64 start_stack;      /* lowest address of the stack */
	u64 start_data;	      /* the writable ELF segments' range (exec) */
	u64 end_data;
	u64 arg_start; /* argv strings, NUL-separated, on the stack (exec) */
	u64 arg_end;
	u64 rss_pages; /* user pages mapped */
	/* peaks for /proc/PID/status (VmPeak, VmHWM): recorded where total_vm
	 * grows (mm/vma.c) and before pages are unmapped (vma_zap_range); a
	 * reader takes the larger of these and the current value */
	u64 hiwater_vm;
	u64 hiwater_rss;
	mm_context_t context; /* the architecture's part (asm/mmu.h): the ASID on arm64 */
};

#endif /* _KERNEL_MM_TYPES_H */
