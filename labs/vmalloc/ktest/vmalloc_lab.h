/*
 * labs/vmalloc/ktest/vmalloc_lab.h - what the vmalloc lab's in-kernel suites
 * share. The suites are one per file, named after the task they test, so
 * that they link, and run, in task order: a task that is not written yet
 * (its stub panics) stops only the suites after it.
 */
#ifndef _LABS_VMALLOC_LAB_H
#define _LABS_VMALLOC_LAB_H

#include <kernel/mm.h>

/* the leaf entry mapping kernel address @va at level 0, or an empty entry */
static inline pte_t kpte(u64 va)
{
	int level = -1;
	pte_t *p = lookup_pte(swapper_pg_dir, va, &level);

	if (!p || level != 0)
		return (pte_t){0};
	return ptep_get(p);
}

#endif /* _LABS_VMALLOC_LAB_H */
