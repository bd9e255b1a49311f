/*
 * arch/arm64/mmu.c - the machine-dependent half of address translation on
 * AArch64: protections, ASIDs, TTBR0/TTBR1, TLB maintenance, and the
 * user-access window (hardware PAN, or TTBR0 switching where the CPU has
 * no PAN).
 *
 * TLB maintenance: `tlbi ...is` instructions broadcast to every CPU in the
 * inner-shareable domain, so no IPIs are needed; a `dsb ishst` before makes
 * the page-table update visible to the walkers, and a `dsb ish; isb` after
 * waits for completion.
 *
 * See: Arm ARM D8.13 "Translation Lookaside Buffers", D8.2.2 "ASIDs";
 * kernel/arch.h for the contract.
 */
#include <kernel/arch.h>
#include <kernel/mm_types.h>
#include <kernel/proc.h>
#include <kernel/string.h>
#include <kernel/spinlock.h>
#include <kernel/printk.h>
#include <kernel/gfp.h>
#include <kernel/errno.h>
#include <asm/sysreg.h>
#include "arm64.h"

bool arm64_has_pan;
static u64 empty_ttbr0;		/* an all-invalid root table, ASID 0 */
static bool early_ttbr0 = true; /* the boot identity map still in TTBR0 */

#define ASID_SHIFT 48
#define NR_ASIDS 256
static u8 asid_used[NR_ASIDS];
static struct spinlock asid_lock = SPINLOCK_INIT("asid");

pgprot_t vm_get_page_prot(unsigned long vm_flags)
{
	u64 p = _PAGE_VALID | _PAGE_ATTRIDX(MT_NORMAL) | _PAGE_SHARED | _PAGE_AF;

	if (vm_flags & VM_KERNEL) {
		p |= _PAGE_UXN;
		if (!(vm_flags & VM_EXEC))
			p |= _PAGE_PXN;
	} else {
		/* user: EL0 access, ASID-tagged, never executable by the kernel */
		p |= _PAGE_USER | _PAGE_NG | _PAGE_PXN;
		if (!(vm_flags & VM_EXEC))
			p |= _PAGE_UXN;
	}
	if (vm_flags & VM_WRITE)
		p |= _PAGE_DIRTY;
	else
		p |= _PAGE_RDONLY;
	return __pgprot(p);
}

/* TTBR1 holds the kernel: a process's root table has only its user half. */
void arch_pgd_init(pte_t *pgd)
{
	memset(pgd, 0, PAGE_SIZE);
}

int init_new_context(struct mm_struct *mm)
{
	spin_lock(&asid_lock);
	for (u64 a = 1; a < NR_ASIDS; a++) {
		if (!asid_used[a]) {
			asid_used[a] = 1;
			mm->context.asid = a;
			spin_unlock(&asid_lock);
			return 0;
		}
	}
	spin_unlock(&asid_lock);
	printk("arm64: out of ASIDs\n");
	return -ENOMEM;
}

void destroy_context(struct mm_struct *mm)
{
	u64 asid = mm->context.asid;

	if (!asid)
		return;
	flush_tlb_mm(mm);
	spin_lock(&asid_lock);
	asid_used[asid] = 0;
	spin_unlock(&asid_lock);
	mm->context.asid = 0;
}

static void load_ttbr0(u64 v)
{
	write_sysreg(ttbr0_el1, v);
	isb();
}

static void ensure_empty_ttbr0(void)
{
	if (!empty_ttbr0) {
		unsigned long page = get_zeroed_page(GFP_KERNEL);
		if (!page)
			panic("arm64: no page for the empty TTBR0 table");
		empty_ttbr0 = __pa(page);
	}
}

/*
 * Kernel half: TTBR1 = swapper_pg_dir (set once per CPU; the old boot
 * tables' global entries are flushed). User half: the mm's table and ASID,
 * or the empty table.
 */
void switch_mm(struct mm_struct *mm)
{
	struct cpu *c = this_cpu();
	u64 ttbr1 = __pa(swapper_pg_dir);

	if (read_sysreg(ttbr1_el1) != ttbr1) {
		write_sysreg(ttbr1_el1, ttbr1);
		isb();
		local_flush_tlb_all();
	}
	if (early_ttbr0)
		return; /* the boot identity map keeps the early UART reachable */
	ensure_empty_ttbr0();
	c->arch.user_ttbr0 = mm ? (__pa(mm->pgd) | (mm->context.asid << ASID_SHIFT)) : empty_ttbr0;
	/* with PAN the user table stays loaded; without, only in the window */
	load_ttbr0(arm64_has_pan ? c->arch.user_ttbr0 : empty_ttbr0);
}

/* The UART is mapped through ioremap now: retire the identity map. */
void arm64_mmu_early_done(void)
{
	arm64_has_pan = ((read_sysreg(id_aa64mmfr1_el1) >> 20) & 0xf) != 0;
	early_ttbr0 = false;
	ensure_empty_ttbr0();
	this_cpu()->arch.user_ttbr0 = empty_ttbr0;
	load_ttbr0(empty_ttbr0);
	local_flush_tlb_all();
}

void arm64_uaccess_ttbr0_enable(void)
{
	load_ttbr0(this_cpu()->arch.user_ttbr0);
}

void arm64_uaccess_ttbr0_disable(void)
{
	load_ttbr0(empty_ttbr0);
}

/* First thing on an exception from EL0 (before any C code touches memory
 * that could alias user addresses): close the user window. */
void arm64_enter_from_user(void)
{
	if (!arm64_has_pan)
		load_ttbr0(empty_ttbr0);
}

/* Last thing before eret to EL0 (called from ret_to_user, irqs masked). */
void arm64_prepare_user_return(void)
{
	if (!arm64_has_pan)
		load_ttbr0(this_cpu()->arch.user_ttbr0);
}

void local_flush_tlb_all(void)
{
	__asm__ __volatile__("dsb nshst\n\ttlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
}

void local_flush_tlb_page(u64 va)
{
	__asm__ __volatile__("dsb nshst\n\ttlbi vaae1, %0\n\tdsb nsh\n\tisb"
			     :
			     : "r"(va >> PAGE_SHIFT)
			     : "memory");
}

void flush_tlb_all(void)
{
	__asm__ __volatile__("dsb ishst\n\ttlbi vmalle1is\n\tdsb ish\n\tisb" ::: "memory");
}

void flush_tlb_kernel_range(u64 start, u64 end)
{
	dsb(ishst);
	for (u64 va = start; va < end; va += PAGE_SIZE)
		__asm__ __volatile__("tlbi vaae1is, %0" : : "r"(va >> PAGE_SHIFT) : "memory");
	dsb(ish);
	isb();
}

void flush_tlb_mm(struct mm_struct *mm)
{
	__asm__ __volatile__("dsb ishst\n\ttlbi aside1is, %0\n\tdsb ish\n\tisb"
			     :
			     : "r"(mm->context.asid << ASID_SHIFT)
			     : "memory");
}
