/*
 * mm/vma.h - managing a process's VMAs: the tree, merging, splitting,
 * unmapping and changing protections of address ranges (mm/vma.c).
 *
 * mm/vma.c knows nothing about page tables or pages: what has to happen to
 * the pages of a range that goes away or changes protection is done by the
 * hooks below, which mm/memory.c implements in the kernel and the host tests
 * (tools/testing/vma) implement with a model. That is what makes the VMA
 * logic testable on the host, as in Linux's tools/testing/vma.
 */
#ifndef _MM_VMA_H
#define _MM_VMA_H

#include <kernel/mm_types.h>

/* ---- provided by the environment (mm/memory.c, or the host test) ---- */
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
void vm_area_free(struct vm_area_struct *vma);
/* drop the pages mapped in [start, end) of @vma (writing back shared file pages) */
void vma_zap_range(struct vm_area_struct *vma, u64 start, u64 end);
/* apply @vma's (new) vm_page_prot to its pages in [start, end) */
void vma_change_protection(struct vm_area_struct *vma, u64 start, u64 end);
/* the architecture's PTE protection for vm_flags (kernel/arch.h) */
pgprot_t vm_get_page_prot(unsigned long vm_flags);
/* take / drop a reference to a mapped file */
void vma_get_file(struct file *f);
void vma_put_file(struct file *f);

/* ---- mm/vma.c ---- */
/* the first VMA that ends above @addr (it may start above @addr too), or NULL */
struct vm_area_struct *find_vma(struct mm_struct *mm, u64 addr);
/* the first VMA overlapping [start, end), or NULL */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, u64 start, u64 end);
struct vm_area_struct *vma_next(struct vm_area_struct *vma);
struct vm_area_struct *vma_prev(struct vm_area_struct *vma);
/* Add [start, end) as a new VMA, merged with compatible neighbours.
 * Return: the VMA that now covers it, or NULL (-ENOMEM, or an overlap). */
struct vm_area_struct *vma_map_range(struct mm_struct *mm, u64 start, u64 end, unsigned long flags,
				     struct file *file, u64 pgoff);
/* Split @vma at @addr; the new VMA is the lower part if @new_below. 0 or -ENOMEM. */
int split_vma(struct vm_area_struct *vma, u64 addr, bool new_below);
/* Unmap [start, start+len): split at the edges, zap, free. 0 or -errno. */
int do_vmi_munmap(struct mm_struct *mm, u64 start, u64 len);
/* Change the access flags of [start, end), which must be fully mapped.
 * 0, -ENOMEM (a hole, or no memory to split), or -EACCES (beyond VM_MAY*). */
int mprotect_range(struct mm_struct *mm, u64 start, u64 end, unsigned long newflags);
/* Grow or shrink @vma's end (heap) or start (stack); no checks of neighbours. */
int vma_resize(struct vm_area_struct *vma, u64 new_start, u64 new_end);
/* A gap of @len bytes, searched top-down from @high down to @low, or 0. */
u64 vma_find_gap(struct mm_struct *mm, u64 len, u64 low, u64 high);
/* Remove every VMA (exit, exec). */
void vma_remove_all(struct mm_struct *mm);
/* Copy @old's VMAs into @new (fork). 0 or -ENOMEM. */
int vma_dup_all(struct mm_struct *new, struct mm_struct *old);

#endif /* _MM_VMA_H */
