/*
 * mm/task_mmu.c - what a process's memory is made of, counted from its VMAs
 * and page tables for /proc: the Vm and Rss lines of /proc/PID/status,
 * /proc/PID/statm, and the system-wide AnonPages, Mapped, Dirty and
 * PageTables of /proc/meminfo.
 *
 * Pagoda keeps few counters (mm->total_vm, mm->rss_pages), so the rest is
 * counted when a file is read, by walking the page tables under each VMA
 * (the way smaps already does). The walk descends the radix tree and skips
 * a missing table whole, so a large, mostly empty mapping costs little.
 *
 * What a mapped page is, in Linux's terms:
 *
 *   in a shared file mapping   a page-cache page: "file" (RssFile, Mapped)
 *   anything else              "anonymous" (RssAnon, AnonPages): Pagoda
 *                              gives a private file mapping, and exec an
 *                              ELF segment, its own copy of the file's
 *                              bytes, which is what Linux's copy-on-write
 *                              would make of them too
 *   the shared zero page       nothing (as in Linux)
 *
 * System-wide figures must count a page once however many processes map
 * it (fork shares every page copy-on-write). Each mapping counts
 * 1/(its mappers) of the page, the mappers being the page's references
 * (one per page-table entry, plus the page cache's own for file pages):
 * summed over every process, a page adds up to one.
 *
 * Locking: the caller holds a reference to the mm (mmget); mm->vma_lock
 * keeps the VMA tree still during the walk. Page tables are freed only
 * with the mm (free_pgtables), so the walk never meets a freed table; a
 * page being unmapped meanwhile is at worst counted once more or less.
 *
 * See: Linux fs/proc/task_mmu.c (task_mem, task_statm) and
 * fs/proc/meminfo.c; proc(5) for the fields; mm/mmap.c (smaps).
 */
#include <kernel/mm.h>
#include <kernel/string.h>
#include "vma.h"

#define SHARE_ONE 65536 /* one whole page, in the fixed point of the shares */

struct walk_state {
	struct vm_area_struct *vma;
	bool file;				 /* a page-cache mapping */
	u64 rss_anon, rss_file;			 /* pages mapped here */
	u64 anon_share, file_share, dirty_share; /* system-wide shares, SHARE_ONE a page */
};

static void account_pte(struct walk_state *w, pte_t pte)
{
	u64 pfn = pte_pfn(pte);
	int users;

	if (is_zero_pfn(pfn) || !pfn_valid(pfn))
		return;
	users = page_ref_count(pfn_to_page(pfn)) - (w->file ? 1 : 0);
	if (users < 1)
		users = 1;
	if (w->file) {
		w->rss_file++;
		w->file_share += SHARE_ONE / (u64)users;
		if (pte_dirty(pte) && pte_write(pte))
			w->dirty_share += SHARE_ONE / (u64)users;
	} else {
		w->rss_anon++;
		w->anon_share += SHARE_ONE / (u64)users;
	}
}

/* Visit the present 4 KiB entries for [start, end) under @table (at @level, covering from @base). */
static void walk_range(struct walk_state *w, pte_t *table, int level, u64 base, u64 start, u64 end)
{
	u64 size = pt_level_size(level);

	for (u64 va = MAX(start, base); va < end;) {
		u64 entry_base = base + (u64)pt_index(level, va) * size;
		u64 next = entry_base + size;
		pte_t pte = ptep_get(&table[pt_index(level, va)]);

		if (pte_present(pte)) {
			if (level == 0)
				account_pte(w, pte);
			else if (!pte_leaf(pte, level))
				walk_range(w, (pte_t *)__va(pte_table_pa(pte)), level - 1,
					   entry_base, va, MIN(end, next));
		}
		va = next;
	}
}

/* Table pages under @table at @level, itself included; only [0, @limit) of a root. */
static u64 count_tables(pte_t *table, int level, u64 limit)
{
	u64 n = 1, entries = PTRS_PER_TABLE;

	if (level == PT_LEVELS - 1)
		entries = MIN((u64)PTRS_PER_TABLE, limit / pt_level_size(level));
	if (level == 0)
		return 1;
	for (u64 i = 0; i < entries; i++) {
		pte_t pte = ptep_get(&table[i]);
		if (pte_present(pte) && !pte_leaf(pte, level))
			n += count_tables((pte_t *)__va(pte_table_pa(pte)), level - 1, limit);
	}
	return n;
}

void task_mem(struct mm_struct *mm, struct task_mem_info *t)
{
	struct walk_state w;

	memset(t, 0, sizeof(*t));
	spin_lock(&mm->vma_lock);
	for (struct vm_area_struct *vma = find_vma(mm, 0); vma; vma = vma_next(vma)) {
		unsigned long f = vma->vm_flags;
		u64 pages = (vma->vm_end - vma->vm_start) / PAGE_SIZE;

		memset(&w, 0, sizeof(w));
		w.vma = vma;
		w.file = vma->vm_file && (f & VM_SHARED);
		walk_range(&w, mm->pgd, PT_LEVELS - 1, 0, vma->vm_start, vma->vm_end);
		t->rss_anon += w.rss_anon;
		t->rss_file += w.rss_file;
		t->anon_share += w.anon_share;
		t->file_share += w.file_share;
		t->dirty_share += w.dirty_share;
		if (f & VM_GROWSDOWN)
			t->stack += pages;
		else if ((f & VM_WRITE) && !(f & VM_SHARED))
			t->data += pages;
		else if ((f & VM_EXEC) && !vma->vm_file && vma->vm_start < mm->end_code &&
			 vma->vm_end > mm->start_code)
			t->exec += pages;
	}
	t->total_vm = mm->total_vm;
	t->pte_pages = count_tables(mm->pgd, PT_LEVELS - 1, TASK_SIZE);
	t->hiwater_vm = MAX(mm->hiwater_vm, mm->total_vm);
	spin_unlock(&mm->vma_lock);
	t->hiwater_rss = MAX(READ_ONCE(mm->hiwater_rss), t->rss_anon + t->rss_file);
}

int access_remote_vm(struct mm_struct *mm, u64 addr, void *buf, int len)
{
	int done = 0;

	spin_lock(&mm->vma_lock);
	while (done < len && addr < TASK_SIZE) {
		pte_t *ptep = walk_pgtable(mm->pgd, addr, false);
		pte_t pte = ptep ? ptep_get(ptep) : (pte_t){0};
		u64 off = addr & (PAGE_SIZE - 1);
		int n = (int)MIN((u64)(len - done), PAGE_SIZE - off);

		if (!ptep || !pte_present(pte) || !pte_user(pte) || !pfn_valid(pte_pfn(pte)))
			break; /* not in memory: stop there */
		memcpy((char *)buf + done, (u8 *)__va(pte_pfn(pte) << PAGE_SHIFT) + off, n);
		done += n;
		addr += n;
	}
	spin_unlock(&mm->vma_lock);
	return done;
}
