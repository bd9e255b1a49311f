/*
 * labs/vma/host/vma_host.h - what the vma lab's host tests share: the
 * environment mm/vma.c expects (VMA allocation, the page hooks, file
 * references, the VMA lock) implemented as a model that counts and
 * records, panic() for the host, and a checker of every invariant of an
 * address space's VMA tree.
 *
 * The tests compile the student's mm/vma.c (and kernel/rbtree.c) for the
 * host under AddressSanitizer; a task that is not written yet panics,
 * which ends only the test that reached it.
 */
#ifndef _VMA_HOST_H
#define _VMA_HOST_H

#include "vma.h"
#include "ktest-host.h"
#include <kernel/errno.h>

#define PG 4096UL
#define BASE 0x10000UL /* page 0 of the tests' address space */
#define NPAGES 1024    /* pages the zap record covers */
#define A(page) (BASE + (u64)(page)*PG)

#define RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define RO (VM_READ | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define RX (VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

/* VMAs allocated and not freed */
extern long host_live_vmas;
/* how many times each page was zapped (vma_zap_range), and in total */
extern int host_zapped[NPAGES];
extern long host_zap_calls;
/* pages given to vma_change_protection */
extern long host_protected_pages;

/* Fake open files: references taken (vma_get_file) minus dropped. */
#define HOST_NFILES 4
extern struct file *host_file[HOST_NFILES];
int host_file_refs(struct file *f);

/* A fresh, empty address space (frees what the previous test left). */
void host_mm_reset(struct mm_struct *mm);
void host_zap_reset(void);

/* Insert a VMA into the tree directly, not through mm/vma.c (for find_vma's tests). */
struct vm_area_struct *host_insert_raw(struct mm_struct *mm, u64 start, u64 end,
				       unsigned long flags);

/*
 * host_check - every invariant of @mm's tree; the first broken one fails
 * the test with what is wrong. Return: 0, or -1.
 *   - VMAs in address order, non-empty, page-aligned, never overlapping;
 *   - with @merged: no two adjacent VMAs that could be one (same flags,
 *     same file, offsets that continue);
 *   - map_count and total_vm match the tree; every VMA allocated is in it;
 *   - vm_page_prot is vm_get_page_prot(vm_flags); vm_mm is @mm;
 *   - every file's references equal the VMAs that map it.
 */
int host_check(struct mm_struct *mm, bool merged, const char *when);

/* Expect exactly these VMAs: {start page, end page, flags} triples. */
struct host_vma {
	u64 start, end;
	unsigned long flags;
};
void host_expect(struct mm_struct *mm, const struct host_vma *want, int n, const char *when);

/*
 * host_random_run - @ops random vma_map_range / do_vmi_munmap /
 * mprotect_range calls on pages 0..@pages-1 (with @files, some mappings are
 * of files), each checked against a model of every page's flags, file and
 * file offset, and host_check() after every step. Return: 0, or -1 after
 * reporting the first difference.
 */
int host_random_run(unsigned seed, int pages, int ops, bool files);

#endif /* _VMA_HOST_H */
