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

/* mm/init.c: boot-time setup */
void mem_init(void);	       /* RAM and reserved ranges from the device tree -> page allocator */
void paging_init(void);	       /* build swapper_pg_dir and switch to it */
extern u64 ram_start, ram_end; /* physical RAM in use (after mem=) */

/* mm/page_alloc.c */
void page_alloc_init(u64 start_pa, u64 end_pa);
void page_alloc_reserve(u64 start_pa, u64 end_pa);
void page_alloc_release(u64 start_pa, u64 end_pa);

/* mm/pgtable.c: the generic walker */
/* Return the level-0 entry for @va, allocating tables if @alloc; NULL if absent. */
pte_t *walk_pgtable(pte_t *pgd, u64 va, bool alloc);
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
struct mm_struct *mm_alloc(void);
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

/* mm/vmalloc.c: ioremap and kernel stacks live in the vmalloc area */
#include <kernel/vmalloc.h>
void *ioremap(u64 pa, u64 size);
void iounmap(void *va);

#endif /* _KERNEL_MM_H */
