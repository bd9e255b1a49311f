/*
 * labs/pgtbl/host/stubs/kernel/arch.h - host stand-in for <kernel/arch.h> in
 * the pgtbl lab's host tests.
 *
 * It keeps the architecture's real memory layout and PTE format
 * (asm/memory.h, asm/pgtable.h: the code under test) and replaces the rest
 * of the contract: "physical memory" is an arena the test allocates
 * (host_mm.c), and the direct map is its host address minus its
 * simulated physical base.
 */
#ifndef _KERNEL_ARCH_H
#define _KERNEL_ARCH_H

#include <kernel/types.h>
#include <asm/memory.h>
#include <asm/pgtable.h>

extern u64 host_va_offset; /* host address of the arena - its simulated physical base */

#define __va(pa) ((void *)((u64)(pa) + host_va_offset))
#define __pa(va) ((u64)(va)-host_va_offset)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x) ALIGN_UP((u64)(x), PAGE_SIZE)

pgprot_t vm_get_page_prot(unsigned long vm_flags);
void arch_pgd_init(pte_t *pgd);
extern pte_t *swapper_pg_dir;

#endif /* _KERNEL_ARCH_H */
