/*
 * tools/testing/memory/memory-host.c - the host environment of the
 * mm/memory.c tests (see memory-host.h): boot, the architecture functions
 * mm/memory.c and mm/pgtable.c call (Sv39 protections, TLB flushes that
 * are counted, no ASIDs), the VMA cache of mm/mmap.c, file mappings that
 * are not there (these tests map anonymous memory only), and the software
 * MMU.
 */
#include <kernel/errno.h>
#include <kernel/string.h>
#include <kernel/slab.h>
#include <kernel/file.h>
#include <kernel/vmalloc.h>
#include "ktest-host.h"
#include "memory-host.h"

unsigned long memory_host_tlb_flushes;
unsigned long nr_cache_pages;
static struct kmem_cache *vm_area_cachep;

/* As arch/riscv/mmu.c: Sv39 bits for a user mapping (W needs R). */
pgprot_t vm_get_page_prot(unsigned long vm_flags)
{
	u64 p = _PAGE_V | _PAGE_A | _PAGE_D;

	if (vm_flags & VM_READ)
		p |= _PAGE_R;
	if (vm_flags & VM_WRITE)
		p |= _PAGE_R | _PAGE_W;
	if (vm_flags & VM_EXEC)
		p |= _PAGE_X;
	p |= (vm_flags & VM_KERNEL) ? _PAGE_G : _PAGE_U;
	return __pgprot(p);
}

/* No kernel half to share on the host: a user root table starts empty. */
void arch_pgd_init(pte_t *pgd)
{
	memset(pgd, 0, PAGE_SIZE);
}

void local_flush_tlb_all(void)
{
	memory_host_tlb_flushes++;
}

void local_flush_tlb_page(u64 va)
{
	memory_host_tlb_flushes++;
}

void flush_tlb_all(void)
{
	memory_host_tlb_flushes++;
}

void flush_tlb_mm(struct mm_struct *mm)
{
	memory_host_tlb_flushes++;
}

int init_new_context(struct mm_struct *mm)
{
	return 0;
}

void destroy_context(struct mm_struct *mm)
{
}

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = kmem_cache_zalloc(vm_area_cachep, GFP_KERNEL);

	if (vma)
		vma->vm_mm = mm;
	return vma;
}

void vm_area_free(struct vm_area_struct *vma)
{
	kmem_cache_free(vm_area_cachep, vma);
}

/* /proc/vmstat's pgpgin/pgpgout count the buffer cache's disk blocks: no disk here */
unsigned long bio_blocks_read, bio_blocks_written;

/* File mappings are the page cache's business (mm/filemap.c), not tested here. */
void vma_get_file(struct file *f)
{
	ktest_fail(__FILE__, __LINE__, "a file mapping in the anonymous-memory tests");
}

void vma_put_file(struct file *f)
{
}

int filemap_fault(struct vm_area_struct *vma, u64 va, bool write)
{
	ktest_fail(__FILE__, __LINE__, "filemap_fault() for an anonymous VMA");
	return -EIO;
}

void filemap_write_range(struct vm_area_struct *vma, u64 start, u64 end)
{
}

void filemap_unmap_page(struct vm_area_struct *vma, u64 va, u64 pfn)
{
}

unsigned long vmalloc_used_pages(void)
{
	return 0;
}

void memory_host_boot(void)
{
	slab_host_boot(32, "");
	vm_area_cachep =
	    kmem_cache_create("vm_area_struct", sizeof(struct vm_area_struct), 0, SLAB_PANIC, NULL);
	mm_cache_init();
	zero_page_init();
	vm_pgfault = vm_cow_copies = vm_cow_reuses = 0;
	memory_host_tlb_flushes = 0;
}

struct mm_struct *memory_host_mm(u64 start, u64 end, unsigned long flags)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	if (!vma_map_range(mm, start, end, flags, NULL, 0)) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

pte_t user_pte(struct mm_struct *mm, u64 va)
{
	pte_t *ptep = walk_pgtable(mm->pgd, va, false);

	return ptep ? ptep_get(ptep) : __pte(0);
}

/* What the MMU checks for a user access: present, user, and R or W. */
static bool mmu_allows(pte_t pte, bool write)
{
	return pte_present(pte) && pte_user(pte) && (write ? pte_write(pte) : pte_read(pte));
}

static u8 *user_byte(struct mm_struct *mm, u64 va, bool write, const char **why)
{
	const char *reason = NULL;

	for (int tries = 0; tries < 2; tries++) {
		pte_t pte = user_pte(mm, va);

		if (mmu_allows(pte, write))
			return (u8 *)__va(pte_pfn(pte) << PAGE_SHIFT) + (va & (PAGE_SIZE - 1));
		if (tries == 1 ||
		    fault_in_page(mm, va,
				  write ? FAULT_FLAG_WRITE | FAULT_FLAG_USER : FAULT_FLAG_USER,
				  &reason) < 0)
			break;
	}
	if (why)
		*why = reason ? reason : "the fault left the page inaccessible";
	return NULL;
}

int user_read(struct mm_struct *mm, u64 va, u8 *val, const char **why)
{
	u8 *p = user_byte(mm, va, false, why);

	if (!p)
		return -EFAULT;
	*val = *p;
	return 0;
}

int user_write(struct mm_struct *mm, u64 va, u8 val, const char **why)
{
	u8 *p = user_byte(mm, va, true, why);

	if (!p)
		return -EFAULT;
	*p = val;
	return 0;
}

unsigned long memory_host_free_pages(void)
{
	unsigned long nr[NR_PAGE_ORDERS], total = 0;

	mm_host_free_per_order(nr);
	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++)
		total += nr[order] << order;
	return total;
}
