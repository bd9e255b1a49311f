/*
 * labs/vma/ktest/vma_lab.h - what the vma lab's in-kernel suites share. The
 * suites are one per file, named after the task they test, so that they
 * link, and run, in task order: a task that is not written yet (its stub
 * panics) stops only the suites after it.
 *
 * Each case builds a scratch address space with mm_alloc() and VMAs with
 * vma_map_range() (tasks 1-2), faults pages in with fault_in_page() - what
 * the trap handler calls for a user page fault - and looks at the result in
 * the page table and in the pages' reference counts.
 */
#ifndef _LABS_VMA_LAB_H
#define _LABS_VMA_LAB_H

#include <kernel/mm.h>
#include "../../../mm/vma.h"

#define LAB_RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define LAB_RO (VM_READ | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define LAB_VA 0x40000000UL /* where the scratch VMAs go */

/* the leaf entry for user address @va in @mm, or an empty entry */
static inline pte_t lab_pte(struct mm_struct *mm, u64 va)
{
	pte_t *p = walk_pgtable(mm->pgd, va, false);

	return p ? ptep_get(p) : (pte_t){0};
}

/* the bytes of the page mapped at @va (through the direct map) */
static inline u8 *lab_page(struct mm_struct *mm, u64 va)
{
	return (u8 *)__va(pte_pfn(lab_pte(mm, va)) << PAGE_SHIFT);
}

#endif /* _LABS_VMA_LAB_H */
