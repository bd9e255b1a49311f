/*
 * mm/memory.c - user pages: demand faults, the shared zero page,
 * copy-on-write, and creating, copying and tearing down address spaces.
 *
 * Pages arrive lazily. A VMA promises a range; the first touch of a page
 * faults and handle_mm_fault() decides what to map:
 *
 *   access   PTE now            VMA                 result
 *   ------   ------------       ----------------    -----------------------------------
 *   read     none               anonymous           the shared zero page, read-only
 *   write    none               anonymous           a new zeroed page (minor fault)
 *   any      none               file                the file's page (page cache if shared)
 *   write    read-only, COW     private, writable   copy the page, or reuse it if we are
 *                                                   its last user
 *
 * Copy-on-write: fork() does not copy memory. Both processes map the same
 * pages read-only and each page's reference count says how many share it;
 * the first write copies the page for the writer (or, for the last sharer,
 * simply makes it writable again):
 *
 *   parent PTE --\                      parent PTE --> page A (count 1, RW)
 *                 >-- page A (count 2)  ==write in child==>
 *   child PTE  --/    read-only         child PTE  --> page A' (copy, RW)
 *
 * The zero page is never freed and never counted: it is mapped read-only
 * everywhere a page was read before being written.
 *
 * Lock: a process's page tables change in its own system calls and faults
 * (one thread per process), or in fork before the child runs.
 *
 * The vma lab (labs/vma/README.md, tasks 5-7) has students write the fault
 * handling (fault_in_page, handle_mm_fault, do_anonymous_page), copy-on-write
 * (do_wp_page, dup_mm's sharing) and the shared-file part of vma_zap_range.
 */
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include <kernel/file.h>
#include <kernel/fs.h>
#include <kernel/lab.h>
#include <kernel/slab.h>
#include <kernel/seq_buf.h>
#include <kernel/vmalloc.h>
#include <kernel/buf.h>
#include "vma.h"

static unsigned long zero_page; /* direct-map address of the zero page */
static u64 zero_pfn;

/* counters for /proc/vmstat */
unsigned long vm_pgfault, vm_pgmajfault, vm_cow_copies, vm_cow_reuses;

void zero_page_init(void)
{
	zero_page = get_zeroed_page(GFP_KERNEL);
	if (!zero_page)
		panic("zero_page_init: no memory");
	zero_pfn = __pa(zero_page) >> PAGE_SHIFT;
}

bool is_zero_pfn(u64 pfn)
{
	return pfn == zero_pfn;
}

/* Drop one mapping's reference to the page at @pfn: freed with the last
 * one (__free_pages drops a reference). Never the zero page. */
void put_user_pfn(u64 pfn)
{
	if (!is_zero_pfn(pfn))
		__free_pages(pfn_to_page(pfn), 0);
}

/* ---- address spaces ------------------------------------------------------ */

static struct kmem_cache *mm_cachep; /* "mm_struct" */

void mm_cache_init(void)
{
	mm_cachep = kmem_cache_create("mm_struct", sizeof(struct mm_struct), 0,
				      SLAB_HWCACHE_ALIGN | SLAB_PANIC, NULL);
}

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kmem_cache_zalloc(mm_cachep, GFP_KERNEL);

	if (!mm)
		return NULL;
	mm->mm_users = 1;
	spin_lock_init(&mm->vma_lock, "vma_lock");
	mm->mm_rb = RB_ROOT;
	mm->mmap_base = USER_STACK_TOP - STACK_LIMIT - STACK_GAP;
	mm->pgd = pgd_alloc();
	if (!mm->pgd || init_new_context(mm) < 0) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

/* Take a reference to @mm (a /proc reader): it stays until mmput(). */
void mmget(struct mm_struct *mm)
{
	__atomic_fetch_add(&mm->mm_users, 1, __ATOMIC_RELAXED);
}

/* Drop a reference; the last one tears the address space down. */
void mmput(struct mm_struct *mm)
{
	if (__atomic_sub_fetch(&mm->mm_users, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	vma_remove_all(mm); /* zaps every page, writes back shared file pages */
	if (mm->pgd) {
		destroy_context(mm);
		free_pgtables(mm->pgd, TASK_SIZE);
	}
	mm->pgd = NULL;
	kmem_cache_free(mm_cachep, mm);
}

/*
 * vma_zap_range - unmap [start, end) of @vma: every present page loses this
 * mapping's reference (freed when it was the last one). Shared file pages are
 * written back first.
 */
void vma_zap_range(struct vm_area_struct *vma, u64 start, u64 end)
{
	struct mm_struct *mm = vma->vm_mm;

	bool shared_file = vma->vm_file && (vma->vm_flags & VM_SHARED);

	mm->hiwater_rss = MAX(mm->hiwater_rss, mm->rss_pages); /* VmHWM */
	if (shared_file) {
		/* LAB vma: BEGIN task 7: a shared file mapping's changes go back to the file first */
		filemap_write_range(vma, start, end);
		/* LAB vma: ELSE
		 * LAB_TODO("vma", "vma_zap_range(): writing back a shared file mapping");
		 */
		/* LAB vma: END */
	}
	pte_t *ptep;

	for (u64 va = start; va < end; va = pgtable_next_va(ptep, va)) {
		ptep = walk_pgtable(mm->pgd, va, false);
		if (!ptep || !pte_present(ptep_get(ptep)))
			continue;
		pte_t old = ptep_get_and_clear(ptep);
		if (shared_file) {
			/* LAB vma: BEGIN task 7: the page cache's page loses this mapping's reference */
			filemap_unmap_page(vma, va, pte_pfn(old));
			/* LAB vma: ELSE
			 * (void)old;
			 * LAB_TODO("vma", "vma_zap_range(): a shared file page");
			 */
			/* LAB vma: END */
		} else {
			put_user_pfn(pte_pfn(old));
		}
		mm->rss_pages--;
	}
	flush_tlb_mm(mm);
}

void vma_change_protection(struct vm_area_struct *vma, u64 start, u64 end)
{
	struct mm_struct *mm = vma->vm_mm;
	bool private_write = (vma->vm_flags & VM_WRITE) && !(vma->vm_flags & VM_SHARED);
	pte_t *ptep;

	for (u64 va = start; va < end; va = pgtable_next_va(ptep, va)) {
		ptep = walk_pgtable(mm->pgd, va, false);
		if (!ptep || !pte_present(ptep_get(ptep)))
			continue;
		u64 pfn = pte_pfn(ptep_get(ptep));
		pte_t pte = pfn_pte(pfn, vma->vm_page_prot, 0);
		/* shared pages (zero page, COW) stay read-only: the next write copies */
		if (private_write && (is_zero_pfn(pfn) || page_ref_count(pfn_to_page(pfn)) > 1))
			pte = pte_wrprotect(pte);
		set_pte(ptep, pte);
	}
	flush_tlb_mm(mm);
}

/* Copy @old's VMAs and share its pages copy-on-write (fork). */
struct mm_struct *dup_mm(struct mm_struct *old)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	mm->start_code = old->start_code;
	mm->end_code = old->end_code;
	mm->start_brk = old->start_brk;
	mm->brk = old->brk;
	mm->start_stack = old->start_stack;
	mm->start_data = old->start_data;
	mm->end_data = old->end_data;
	mm->arg_start = old->arg_start; /* the same bytes, copy-on-write */
	mm->arg_end = old->arg_end;
	mm->mmap_base = old->mmap_base;
	if (vma_dup_all(mm, old) < 0)
		goto fail;
	for (struct vm_area_struct *vma = find_vma(old, 0); vma; vma = vma_next(vma)) {
		/* LAB vma: BEGIN task 6: share every present page; private writable ones read-only in both */
		bool cow = !(vma->vm_flags & VM_SHARED);
		pte_t *src;
		for (u64 va = vma->vm_start; va < vma->vm_end; va = pgtable_next_va(src, va)) {
			src = walk_pgtable(old->pgd, va, false);
			if (!src || !pte_present(ptep_get(src)))
				continue;
			pte_t pte = ptep_get(src);
			if (cow && pte_write(pte)) {
				pte = pte_wrprotect(pte);
				set_pte(src, pte); /* the parent too: whoever writes first copies */
			}
			pte_t *dst = walk_pgtable(mm->pgd, va, true);
			if (!dst)
				goto fail;
			if (!is_zero_pfn(pte_pfn(pte)))
				get_page(pfn_to_page(pte_pfn(pte)));
			set_pte(dst, pte);
			mm->rss_pages++;
		}
		/* LAB vma: ELSE
		 * LAB_TODO("vma", "dup_mm(): sharing the pages copy-on-write");
		 */
		/* LAB vma: END */
	}
	flush_tlb_mm(old);
	return mm;
fail:
	mmput(mm);
	flush_tlb_mm(old);
	return NULL;
}

/* ---- faults -------------------------------------------------------------- */

/* Install @pfn at @va with @vma's protection (write-protected if !@writable). */
static inline int install_pte(struct vm_area_struct *vma, u64 va, u64 pfn, bool writable)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t *ptep = walk_pgtable(mm->pgd, va, true);
	pte_t pte;

	if (!ptep)
		return -ENOMEM;
	pte = pfn_pte(pfn, vma->vm_page_prot, 0);
	if (!writable)
		pte = pte_wrprotect(pte);
	if (!pte_present(ptep_get(ptep)))
		mm->rss_pages++;
	set_pte(ptep, pte);
	return 0;
}

/* Case A for anonymous memory: the zero page for a read, a new zeroed page for a write. */
static int do_anonymous_page(struct vm_area_struct *vma, u64 va, bool write)
{
	/* LAB vma: BEGIN task 5: a read maps the zero page read-only; a write gets a zeroed page */
	if (!write)
		return install_pte(vma, va, zero_pfn, false);
	unsigned long page = get_zeroed_page(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN);
	if (!page)
		return -ENOMEM;
	int err = install_pte(vma, va, __pa(page) >> PAGE_SHIFT, true);
	if (err)
		free_page(page);
	return err;
	/* LAB vma: ELSE
	 * (void)vma;
	 * (void)va;
	 * (void)write;
	 * LAB_TODO("vma", "do_anonymous_page()");
	 */
	/* LAB vma: END */
}

/* A write to a present, read-only page of a writable VMA: copy-on-write. */
static inline int do_wp_page(struct vm_area_struct *vma, u64 va, pte_t *ptep)
{
	/* LAB vma: BEGIN task 6: reuse the page if we are its last user, else copy it */
	u64 pfn = pte_pfn(ptep_get(ptep));

	if (vma->vm_flags & VM_SHARED) {
		/* a shared writable mapping: just allow the write */
		set_pte(ptep, pte_mkwrite(ptep_get(ptep)));
		return 0;
	}
	if (!is_zero_pfn(pfn) && page_ref_count(pfn_to_page(pfn)) == 1) {
		vm_cow_reuses++; /* nobody else shares it any more: reuse */
		set_pte(ptep, pte_mkwrite(ptep_get(ptep)));
		return 0;
	}
	unsigned long copy = __get_free_page(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN);
	if (!copy)
		return -ENOMEM;
	memcpy((void *)copy, __va(pfn << PAGE_SHIFT), PAGE_SIZE);
	set_pte(ptep, pfn_pte(__pa(copy) >> PAGE_SHIFT, vma->vm_page_prot, 0));
	put_user_pfn(pfn);
	vm_cow_copies++;
	return 0;
	/* LAB vma: ELSE
	 * (void)vma;
	 * (void)va;
	 * (void)ptep;
	 * LAB_TODO("vma", "do_wp_page()");
	 */
	/* LAB vma: END */
}

/*
 * handle_mm_fault - make the page at @addr of @vma accessible for @flags.
 * The caller has checked that @vma allows the access.
 * Return: 0, or -ENOMEM (no memory: the caller kills the process), -ENXIO
 * (a file page beyond the end of the file), -EIO.
 */
int handle_mm_fault(struct vm_area_struct *vma, u64 addr, unsigned int flags)
{
	/* LAB vma: BEGIN task 5: count it; no page: file or anonymous; a write to a read-only one: COW */
	struct mm_struct *mm = vma->vm_mm;
	u64 va = ALIGN_DOWN(addr, PAGE_SIZE);
	bool write = flags & FAULT_FLAG_WRITE;
	pte_t *ptep = walk_pgtable(mm->pgd, va, false);
	int err;

	vm_pgfault++;
	if (!ptep || !pte_present(ptep_get(ptep))) {
		if (vma->vm_file)
			err = filemap_fault(vma, va, write);
		else
			err = do_anonymous_page(vma, va, write);
	} else if (write && !pte_write(ptep_get(ptep))) {
		err = do_wp_page(vma, va, ptep);
	} else {
		err = 0; /* already fine (another path got here first) */
	}
	local_flush_tlb_page(va);
	return err;
	/* LAB vma: ELSE
	 * (void)vma;
	 * (void)addr;
	 * (void)flags;
	 * LAB_TODO("vma", "handle_mm_fault()");
	 */
	/* LAB vma: END */
}

/**
 * vm_fault_reason - why handle_mm_fault() failed with @err, in the words of
 * the kill message: -ENOMEM "out of memory"; -ENXIO the access lies in a
 * page of a file mapping beyond the end of the file (Linux sends SIGBUS);
 * anything else a read error of the file.
 * Context: any. Return: a constant string.
 */
const char *vm_fault_reason(int err)
{
	if (err == -ENOMEM)
		return "out of memory";
	if (err == -ENXIO)
		return "bus error: beyond end of file";
	return "I/O error";
}

/*
 * fault_in_page - the common part of a user page fault and of the copy
 * helpers touching a page that is not there yet: find the VMA (growing the
 * stack if the address is just below it), check the access, handle it.
 * Return: 0, or -EFAULT with *@why set ("no mapping", "permission", ...).
 */
int fault_in_page(struct mm_struct *mm, u64 addr, unsigned int flags, const char **why)
{
	struct vm_area_struct *vma;

	*why = "no mapping";
	if (!mm || addr >= TASK_SIZE)
		return -EFAULT;
	/* LAB vma: BEGIN task 5: case B (no VMA: "no mapping"), the stack, case C ("permission") */
	vma = find_vma(mm, addr);
	if (!vma)
		return -EFAULT;
	if (vma->vm_start > addr) {
		/* below the stack: grow it, within its limit */
		u64 lim = USER_STACK_TOP - STACK_LIMIT;
		struct vm_area_struct *prev = vma_prev(vma);
		if (!(vma->vm_flags & VM_GROWSDOWN) || addr < lim ||
		    (prev && prev->vm_end + PAGE_SIZE > ALIGN_DOWN(addr, PAGE_SIZE)))
			return -EFAULT;
		if (vma_resize(vma, ALIGN_DOWN(addr, PAGE_SIZE), vma->vm_end) < 0)
			return -EFAULT;
	}
	*why = "permission";
	if ((flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_WRITE))
		return -EFAULT;
	if ((flags & FAULT_FLAG_INSTRUCTION) && !(vma->vm_flags & VM_EXEC))
		return -EFAULT;
	if (!(flags & (FAULT_FLAG_WRITE | FAULT_FLAG_INSTRUCTION)) && !(vma->vm_flags & VM_READ))
		return -EFAULT;
	int err = handle_mm_fault(vma, addr, flags);
	*why = vm_fault_reason(err);
	return err < 0 ? -EFAULT : 0;
	/* LAB vma: ELSE
	 * (void)vma;
	 * (void)flags;
	 * LAB_TODO("vma", "fault_in_page()");
	 */
	/* LAB vma: END */
}

/* ---- helpers for exec and the user copies ----------------------------------- */

/* Map zeroed pages over [start, end), which a VMA already covers (exec).
 * A kill of the caller stops it (-EINTR): a program's segments may be huge. */
int mm_populate_range(struct mm_struct *mm, u64 start, u64 end, unsigned long vm_flags)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	struct proc *p = myproc();

	(void)vm_flags;
	if (!vma || vma->vm_start > start || vma->vm_end < end)
		return -EINVAL;
	for (u64 va = start; va < end; va += PAGE_SIZE) {
		if (p && (va - start) % (64 * PAGE_SIZE) == 0 && killed(p))
			return -EINTR;
		if (do_anonymous_page(vma, va, true) < 0)
			return -ENOMEM; /* exec throws the whole mm away */
	}
	return 0;
}

/**
 * vmas_allow - would faults make all of [addr, addr+len) accessible with
 * @vm_flags? The VMAs say, without touching a page: each part must lie in a
 * VMA that allows the access, or in the hole below the stack that the stack
 * grows into (the rule of fault_in_page()).
 * Context: @mm's own process (its VMAs change only in its own calls);
 * takes no lock and does not sleep.
 * Return: true if so.
 */
bool vmas_allow(struct mm_struct *mm, u64 addr, u64 len, unsigned long vm_flags)
{
	u64 end = addr + len;
	struct vm_area_struct *vma, *prev;

	if (!mm || addr >= TASK_SIZE || len > TASK_SIZE - addr)
		return false;
	while (addr < end) {
		vma = find_vma(mm, addr);
		if (!vma)
			return false;
		if (vma->vm_start > addr) {
			prev = vma_prev(vma);
			if (!(vma->vm_flags & VM_GROWSDOWN) ||
			    addr < USER_STACK_TOP - STACK_LIMIT ||
			    (prev && prev->vm_end + PAGE_SIZE > ALIGN_DOWN(addr, PAGE_SIZE)))
				return false;
		}
		if ((vm_flags & VM_WRITE) && !(vma->vm_flags & VM_WRITE))
			return false;
		if ((vm_flags & VM_READ) && !(vma->vm_flags & VM_READ))
			return false;
		addr = vma->vm_end;
	}
	return true;
}

/* Is [addr, addr+len) accessible with @vm_flags? Faults pages in as needed. */
bool access_ok(struct mm_struct *mm, u64 addr, u64 len, unsigned long vm_flags)
{
	const char *why;

	if (!mm || addr >= TASK_SIZE || len > TASK_SIZE - addr)
		return false;
	for (u64 va = ALIGN_DOWN(addr, PAGE_SIZE); va < addr + len; va += PAGE_SIZE) {
		pte_t *ptep = walk_pgtable(mm->pgd, va, false);
		pte_t pte = ptep ? ptep_get(ptep) : (pte_t){0};
		bool ok = ptep && pte_present(pte) && pte_user(pte) && pte_read(pte) &&
			  (!(vm_flags & VM_WRITE) || pte_write(pte));
		if (ok)
			continue;
		/* not there yet, or copy-on-write: fault it in like the hardware would */
		if (fault_in_page(mm, va, (vm_flags & VM_WRITE) ? FAULT_FLAG_WRITE : 0, &why) < 0)
			return false;
	}
	return true;
}

/* Write into @mm, which need not be the current one (exec builds the new
 * stack before switching): pages are faulted in for writing as needed. */
int copy_to_mm(struct mm_struct *mm, u64 va, const void *src, u64 len)
{
	const u8 *s = src;

	while (len > 0) {
		pte_t *ptep = walk_pgtable(mm->pgd, va, false);
		if (!ptep || !pte_present(ptep_get(ptep)) || !pte_write(ptep_get(ptep))) {
			struct vm_area_struct *vma = find_vma(mm, va);
			if (!vma || vma->vm_start > va || !(vma->vm_flags & VM_WRITE) ||
			    handle_mm_fault(vma, va, FAULT_FLAG_WRITE) < 0)
				return -EFAULT;
			ptep = walk_pgtable(mm->pgd, va, false);
		}
		u64 off = va & (PAGE_SIZE - 1), n = MIN(len, PAGE_SIZE - off);
		memcpy((u8 *)__va(pte_pfn(ptep_get(ptep)) << PAGE_SHIFT) + off, s, n);
		s += n;
		va += n;
		len -= n;
	}
	return 0;
}

/*
 * /proc/vmstat: "name value" lines, Linux's names. pgfault counts every
 * page fault handled, pgmajfault those that had to read a file. (Kept here,
 * beside the counters, rather than in mm/vmstat.c, which the buddy
 * allocator's host tests compile without the rest of mm/.)
 */
void vmstat_show(struct seq_buf *m)
{
	seq_buf_printf(m, "nr_free_pages %lu\n", nr_free_pages());
	seq_buf_printf(m, "nr_vmalloc %lu\n", vmalloc_used_pages());
	seq_buf_printf(m, "nr_file_pages %lu\n", nr_cache_pages);
	/* KiB to and from the disk: Pagoda's blocks are 1 KiB */
	seq_buf_printf(m, "pgpgin %lu\n", READ_ONCE(bio_blocks_read) * (BSIZE / 1024));
	seq_buf_printf(m, "pgpgout %lu\n", READ_ONCE(bio_blocks_written) * (BSIZE / 1024));
	seq_buf_printf(m, "pswpin %lu\n", 0UL);
	seq_buf_printf(m, "pswpout %lu\n", 0UL);
	seq_buf_printf(m, "pgfault %lu\n", vm_pgfault);
	seq_buf_printf(m, "pgmajfault %lu\n", vm_pgmajfault);
	seq_buf_printf(m, "cow_copy %lu\n", vm_cow_copies);
	seq_buf_printf(m, "cow_reuse %lu\n", vm_cow_reuses);
}
