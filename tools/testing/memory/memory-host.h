/*
 * tools/testing/memory/memory-host.h - the host environment of the
 * mm/memory.c tests: a booted page and slab allocator on the mm tests'
 * arena, the zero page, and a software MMU that loads and stores through a
 * process's real page tables and takes page faults the way the hardware
 * would (a missing or read-only entry calls fault_in_page()).
 *
 * See: memory-host.c, sources.mk, mm/memory.c.
 */
#ifndef _MEMORY_HOST_H
#define _MEMORY_HOST_H

#include <kernel/types.h>
#include <kernel/mm.h>
#include "slab-host.h"
#include "vma.h" /* mm/vma.h */

/* Boot a 32 MiB machine: page allocator, slab, VMA cache, mm cache, zero page. */
void memory_host_boot(void);

/* TLB flushes the code under test asked for (mm, page), since boot. */
extern unsigned long memory_host_tlb_flushes;

/* A fresh address space with one anonymous VMA [start, end) with @flags. */
struct mm_struct *memory_host_mm(u64 start, u64 end, unsigned long flags);

/*
 * The software MMU: access the byte at @va of @mm as user code would. A
 * missing entry, or a write to a read-only one, is a page fault handled by
 * fault_in_page(); after it the access is retried once.
 * Return: 0, or -EFAULT with *@why (if not NULL) the reason the process
 * would be killed with.
 */
int user_read(struct mm_struct *mm, u64 va, u8 *val, const char **why);
int user_write(struct mm_struct *mm, u64 va, u8 val, const char **why);

/* The leaf entry for @va (a zero entry if there is none). */
pte_t user_pte(struct mm_struct *mm, u64 va);

/* Page frames that are free in the buddy allocator and its per-CPU lists. */
unsigned long memory_host_free_pages(void);

#endif /* _MEMORY_HOST_H */
