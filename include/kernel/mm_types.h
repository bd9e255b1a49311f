/*
 * kernel/mm_types.h - a process's address space.
 *
 * For now an address space is Pagoda's simple, xv6-like layout: the ELF
 * image and the heap form one range [start_code, brk) grown by sbrk(), and
 * the stack is a fixed range below USER_STACK_TOP. All of it is mapped
 * eagerly. The address-space issue replaces this with VMAs and lazy faults;
 * the names (mm_struct, start_code, brk, start_stack) are Linux's already.
 */
#ifndef _KERNEL_MM_TYPES_H
#define _KERNEL_MM_TYPES_H

#include <kernel/types.h>
#include <asm/pgtable.h>
#include <asm/mmu.h>

/* protection flags of a mapping (Linux's vm_flags) */
#define VM_READ 0x1UL
#define VM_WRITE 0x2UL
#define VM_EXEC 0x4UL
#define VM_SHARED 0x8UL
#define VM_KERNEL 0x100UL /* Pagoda: a kernel mapping (global, no user access) */

struct mm_struct {
	pte_t *pgd;	      /* root page table (kernel virtual address) */
	u64 start_code;	      /* lowest address of the ELF image */
	u64 end_code;	      /* end of the ELF image's last segment */
	u64 start_brk;	      /* heap start: page-aligned end of the image */
	u64 brk;	      /* current program break */
	u64 start_stack;      /* lowest address of the stack */
	u64 rss_pages;	      /* user pages mapped */
	mm_context_t context; /* the architecture's part (asm/mmu.h): the ASID on arm64 */
};

#endif /* _KERNEL_MM_TYPES_H */
