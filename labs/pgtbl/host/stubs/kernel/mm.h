/*
 * labs/pgtbl/host/stubs/kernel/mm.h - host stand-in for <kernel/mm.h> in the
 * pgtbl lab's host tests: only what mm/pgtable.c implements and uses (the
 * real header pulls in processes, zones and locks). The prototypes are
 * include/kernel/mm.h's; a mismatch with mm/pgtable.c fails the build.
 */
#ifndef _KERNEL_MM_H
#define _KERNEL_MM_H

#include <kernel/types.h>
#include <kernel/arch.h>
#include <kernel/gfp.h>

pte_t *walk_pgtable(pte_t *pgd, u64 va, bool alloc);
pte_t *lookup_pte(pte_t *pgd, u64 va, int *levelp);
int map_range(pte_t *pgd, u64 va, u64 pa, u64 size, pgprot_t prot, bool huge);
u64 unmap_range(pte_t *pgd, u64 va, u64 size, bool free_pages);
void free_pgtables(pte_t *pgd, u64 limit);
pte_t *pgd_alloc(void);
void vmprint(pte_t *pgd);
void vmprint_exec(int pid, const char *name, pte_t *pgd);

#endif /* _KERNEL_MM_H */
