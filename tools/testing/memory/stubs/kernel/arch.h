/*
 * tools/testing/memory/stubs/kernel/arch.h - the architecture contract as
 * the host tests of mm/memory.c see it: the mm tests' page size, direct map
 * into the arena and simulated interrupts (tools/testing/mm/stubs), the
 * RISC-V Sv39 page-table entries (asm/pgtable.h here), and the TLB and
 * context functions, which memory-host.c implements (they count calls).
 */
#ifndef _MEMORY_STUB_KERNEL_ARCH_H
#define _MEMORY_STUB_KERNEL_ARCH_H

#include "../../../mm/stubs/kernel/arch.h"
#include <asm/memory.h>

struct mm_struct;

pgprot_t vm_get_page_prot(unsigned long vm_flags);
void arch_pgd_init(pte_t *pgd);
extern pte_t *swapper_pg_dir;
void local_flush_tlb_all(void);
void local_flush_tlb_page(u64 va);
void flush_tlb_all(void);
void flush_tlb_mm(struct mm_struct *mm);
int init_new_context(struct mm_struct *mm);
void destroy_context(struct mm_struct *mm);

#endif /* _MEMORY_STUB_KERNEL_ARCH_H */
