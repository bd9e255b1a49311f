/*
 * arch/riscv/mmu.c - the machine-dependent half of address translation:
 * protections for user mappings, sharing the kernel half of every root
 * table, satp, and TLB maintenance (sfence.vma locally, SBI RFENCE for the
 * other harts).
 *
 * See: RISC-V Privileged ISA, "Supervisor Memory-Management Fence
 * Instruction"; SBI spec, "RFENCE Extension".
 */
#include <kernel/arch.h>
#include <kernel/mm_types.h>
#include <kernel/proc.h>
#include <kernel/string.h>
#include <asm/csr.h>
#include <asm/sbi.h>

pgprot_t vm_get_page_prot(unsigned long vm_flags)
{
	u64 p = _PAGE_V | _PAGE_A | _PAGE_D;

	if (vm_flags & VM_READ)
		p |= _PAGE_R;
	if (vm_flags & VM_WRITE)
		p |= _PAGE_R | _PAGE_W; /* W without R is reserved in Sv39 */
	if (vm_flags & VM_EXEC)
		p |= _PAGE_X;
	if (!(vm_flags & VM_KERNEL))
		p |= _PAGE_U;
	else
		p |= _PAGE_G;
	return __pgprot(p);
}

/* The upper half (root entries 256..511) is the kernel's: share it. */
void arch_pgd_init(pte_t *pgd)
{
	memset(pgd, 0, PAGE_SIZE / 2);
	memcpy(pgd + PTRS_PER_TABLE / 2, swapper_pg_dir + PTRS_PER_TABLE / 2, PAGE_SIZE / 2);
}

/*
 * The kernel half is in every root table, so "no user mm" simply means the
 * kernel's own table. No ASIDs on RISC-V yet: every switch flushes the TLB.
 */
void switch_mm(struct mm_struct *mm)
{
	pte_t *pgd = mm ? mm->pgd : swapper_pg_dir;

	csr_write(satp, SATP_MODE_SV39 | (__pa(pgd) >> PAGE_SHIFT));
	__asm__ __volatile__("sfence.vma" ::: "memory");
}

int init_new_context(struct mm_struct *mm)
{
	mm->context.asid = 0;
	return 0;
}

void destroy_context(struct mm_struct *mm)
{
	(void)mm;
}

void local_flush_tlb_all(void)
{
	__asm__ __volatile__("sfence.vma" ::: "memory");
}

void local_flush_tlb_page(u64 va)
{
	__asm__ __volatile__("sfence.vma %0" : : "r"(va) : "memory");
}

static void remote_sfence(u64 start, u64 size)
{
	u64 mask = 0;
	struct cpu *me = this_cpu();

	for (int i = 0; i < NCPU; i++)
		if (cpus[i].online && &cpus[i] != me && cpus[i].hwid < 64)
			mask |= 1UL << cpus[i].hwid;
	if (mask)
		sbi_remote_sfence_vma(mask, 0, start, size);
}

void flush_tlb_all(void)
{
	local_flush_tlb_all();
	remote_sfence(0, (u64)-1);
}

/*
 * Every switch_mm() flushes on RISC-V, and a process runs on one CPU at a
 * time, so only this CPU can hold its entries.
 */
void flush_tlb_mm(struct mm_struct *mm)
{
	(void)mm;
	local_flush_tlb_all();
}

void flush_tlb_kernel_range(u64 start, u64 end)
{
	for (u64 va = start; va < end; va += PAGE_SIZE)
		local_flush_tlb_page(va);
	remote_sfence(start, end - start);
}
