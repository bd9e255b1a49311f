/*
 * mm/memory.c - user address spaces (foundation version): create, copy on
 * fork, grow with sbrk, check and copy user ranges, free.
 *
 * Every user page is mapped eagerly and owned by exactly one address space,
 * so freeing an mm frees every page its tables map. The address-space lab
 * replaces eager mapping with VMAs, lazy faults and copy-on-write.
 *
 * Lock: mm_lock protects the pool of mm_structs. A process's page tables are
 * changed only by the process itself (one thread per process) or by the
 * parent before the child first runs, so they need no lock.
 */
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include <kernel/spinlock.h>

static struct mm_struct mm_pool[NPROC + 8];
static bool mm_used[NPROC + 8];
static struct spinlock mm_lock = SPINLOCK_INIT("mm_pool");

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = NULL;

	spin_lock(&mm_lock);
	for (unsigned i = 0; i < ARRAY_SIZE(mm_pool); i++) {
		if (!mm_used[i]) {
			mm_used[i] = true;
			mm = &mm_pool[i];
			break;
		}
	}
	spin_unlock(&mm_lock);
	if (!mm)
		return NULL;
	memset(mm, 0, sizeof(*mm));
	mm->pgd = pgd_alloc();
	if (!mm->pgd || init_new_context(mm) < 0) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

void mmput(struct mm_struct *mm)
{
	if (mm->pgd) {
		destroy_context(mm);
		free_pgtables(mm->pgd, TASK_SIZE);
	}
	mm->pgd = NULL;
	spin_lock(&mm_lock);
	mm_used[mm - mm_pool] = false;
	spin_unlock(&mm_lock);
}

int mm_populate_range(struct mm_struct *mm, u64 start, u64 end, unsigned long vm_flags)
{
	pgprot_t prot = vm_get_page_prot(vm_flags);

	for (u64 va = start; va < end; va += PAGE_SIZE) {
		unsigned long page = get_zeroed_page(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN);
		int err =
		    page ? map_range(mm->pgd, va, __pa(page), PAGE_SIZE, prot, false) : -ENOMEM;
		if (err) {
			if (page)
				free_page(page);
			mm->rss_pages -= unmap_range(mm->pgd, start, va - start, true);
			return err;
		}
		mm->rss_pages++;
	}
	return 0;
}

/* Copy the subtree at @level of @src into @dst's tables; fresh pages. */
static int copy_level(struct mm_struct *dst, pte_t *table, int level, u64 base)
{
	for (int i = 0; i < PTRS_PER_TABLE; i++) {
		pte_t pte = ptep_get(&table[i]);
		u64 va = base + (u64)i * pt_level_size(level);

		if (!pte_present(pte) || va >= TASK_SIZE)
			continue;
		if (level > 0 && !pte_leaf(pte, level)) {
			int err = copy_level(dst, (pte_t *)__va(pte_table_pa(pte)), level - 1, va);
			if (err)
				return err;
			continue;
		}
		unsigned long page = __get_free_page(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN);
		if (!page)
			return -ENOMEM;
		memcpy((void *)page, __va(pte_pfn(pte) << PAGE_SHIFT), PAGE_SIZE);
		if (map_range(dst->pgd, va, __pa(page), PAGE_SIZE, pte_pgprot(pte), false) < 0) {
			free_page(page);
			return -ENOMEM;
		}
		dst->rss_pages++;
	}
	return 0;
}

struct mm_struct *dup_mm(struct mm_struct *old)
{
	struct mm_struct *mm = mm_alloc();
	pte_t *pgd;

	if (!mm)
		return NULL;
	pgd = mm->pgd;
	mm_context_t ctx = mm->context;
	*mm = *old;
	mm->pgd = pgd;
	mm->context = ctx;
	mm->rss_pages = 0;
	if (copy_level(mm, old->pgd, PT_LEVELS - 1, 0) < 0) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

long mm_brk(struct mm_struct *mm, long incr)
{
	u64 old = mm->brk, new = old + (u64)incr;

	if (incr > 0 && (new < old || new > mm->start_stack - PAGE_SIZE))
		return -ENOMEM;
	if (incr < 0 && (new > old || new < mm->start_brk))
		return -EINVAL;
	if (PAGE_ALIGN(new) > PAGE_ALIGN(old)) {
		if (mm_populate_range(mm, PAGE_ALIGN(old), PAGE_ALIGN(new), VM_READ | VM_WRITE) < 0)
			return -ENOMEM;
	} else if (PAGE_ALIGN(new) < PAGE_ALIGN(old)) {
		mm->rss_pages -=
		    unmap_range(mm->pgd, PAGE_ALIGN(new), PAGE_ALIGN(old) - PAGE_ALIGN(new), true);
		flush_tlb_mm(mm);
	}
	mm->brk = new;
	return (long)old;
}

bool access_ok(struct mm_struct *mm, u64 addr, u64 len, unsigned long vm_flags)
{
	if (!mm || addr >= TASK_SIZE || len > TASK_SIZE - addr)
		return false;
	for (u64 va = ALIGN_DOWN(addr, PAGE_SIZE); va < addr + len; va += PAGE_SIZE) {
		int level;
		pte_t *ptep = lookup_pte(mm->pgd, va, &level);
		if (!ptep)
			return false;
		pte_t pte = ptep_get(ptep);
		if (!pte_user(pte) || !pte_read(pte))
			return false;
		if ((vm_flags & VM_WRITE) && !pte_write(pte))
			return false;
	}
	return true;
}

int copy_to_mm(struct mm_struct *mm, u64 va, const void *src, u64 len)
{
	const u8 *s = src;

	while (len > 0) {
		pte_t *ptep = walk_pgtable(mm->pgd, va, false);
		if (!ptep || !pte_present(ptep_get(ptep)))
			return -EFAULT;
		u64 off = va & (PAGE_SIZE - 1), n = MIN(len, PAGE_SIZE - off);
		memcpy((u8 *)__va(pte_pfn(ptep_get(ptep)) << PAGE_SHIFT) + off, s, n);
		s += n;
		va += n;
		len -= n;
	}
	return 0;
}
