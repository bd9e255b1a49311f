/*
 * mm/pgtable.c - the one page-table walker, for every architecture.
 *
 * A page table is a radix tree of PT_LEVELS levels; every table is one page
 * of PTRS_PER_TABLE entries. Level PT_LEVELS-1 is the root (satp / TTBRx
 * points to it), level 0 holds the entries for 4 KiB pages:
 *
 *   va:  | idx(2) | idx(1) | idx(0) | offset |
 *           |        |        |
 *   root -> [  ] --> [  ] --> [  ] --> page frame
 *
 * An entry at level > 0 is either a pointer to the next table or a leaf for
 * a large page (2 MiB at level 1, 1 GiB at level 2) -- the architecture's
 * accessors (kernel/arch.h) tell which; this file never looks at PTE bits.
 *
 * Tables are allocated zeroed from the page allocator and addressed
 * through the direct map (__va of the physical address in the entry).
 *
 * No lock: a page table is changed only by the one thread that owns it (a
 * process's own, the parent's before the child first runs, the kernel's
 * at boot or under the lock of the area being mapped). Changing an entry
 * that a TLB may hold is followed by a flush in the caller.
 *
 * This file is the pgtbl lab: the regions between "LAB pgtbl" markers are
 * what students write (`make lab LAB=pgtbl` replaces them by stubs).
 *
 * See: labs/pgtbl/README.md; Linux mm/pagewalk.c and mm/memory.c for the
 * same ideas; Linux's ptdump for another dump format.
 */
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include <kernel/bootargs.h>
#include <kernel/setup.h>
#include <kernel/lab.h>

pte_t *swapper_pg_dir;

/* the table an entry at level > 0 points to, through the direct map */
static inline pte_t *table_va(pte_t pte)
{
	return (pte_t *)__va(pte_table_pa(pte));
}

/*
 * walk_to_level - find the entry for @va in the table at level @target.
 * @pgd:    root table
 * @va:     virtual address
 * @target: level of the table that holds the wanted entry (0: a 4 KiB page)
 * @alloc:  create missing tables on the way (zeroed pages)
 *
 * Context: the caller owns @pgd; may allocate memory.
 * Return: the entry, or NULL if a table is missing (and !@alloc), memory ran
 * out, or a large leaf above @target already covers @va.
 */
static pte_t *walk_to_level(pte_t *pgd, u64 va, int target, bool alloc)
{
	/* LAB pgtbl: BEGIN task 2: walk down from the root to the table at @target */
	pte_t *table = pgd;

	for (int level = PT_LEVELS - 1; level > target; level--) {
		pte_t *ptep = &table[pt_index(level, va)];
		pte_t pte = ptep_get(ptep);

		if (pte_present(pte)) {
			if (pte_leaf(pte, level))
				return NULL;
			table = table_va(pte);
			continue;
		}
		if (!alloc)
			return NULL;
		pte_t *next = (pte_t *)get_zeroed_page(GFP_KERNEL);
		if (!next)
			return NULL;
		set_pte(ptep, pte_mktable(__pa(next)));
		table = next;
	}
	return &table[pt_index(target, va)];
	/* LAB pgtbl: ELSE
	 * LAB_TODO("pgtbl", "walk_to_level()");
	 */
	/* LAB pgtbl: END */
}

/**
 * walk_pgtable - the level-0 entry for @va
 * @pgd:   root table
 * @va:    virtual address
 * @alloc: create missing tables
 *
 * Context: the caller owns @pgd; may allocate memory when @alloc.
 * Return: the entry (present or not), or NULL (see walk_to_level()).
 */
pte_t *walk_pgtable(pte_t *pgd, u64 va, bool alloc)
{
	return walk_to_level(pgd, va, 0, alloc);
}

/**
 * pgtable_next_va - where a walk over user pages goes after @va
 * @ptep: what walk_pgtable(pgd, @va, false) returned
 * @va:   the address just looked at
 *
 * The next page; or, when @ptep is NULL (no level-0 table covers @va), the
 * first address of the next level-0 table's range, so that a walk over a
 * huge, mostly untouched mapping costs one step per empty 2 MiB instead of
 * one per page (fork, munmap and exit of a 64 GiB mapping walked 16 million
 * pages).
 *
 * Context: any. Return: the next address to look at.
 */
u64 pgtable_next_va(const pte_t *ptep, u64 va)
{
	u64 span = (u64)PTRS_PER_TABLE * PAGE_SIZE;

	return ptep ? va + PAGE_SIZE : (va & ~(span - 1)) + span;
}

/**
 * lookup_pte - the leaf entry that maps @va, at whatever level it is
 * @pgd:    root table
 * @va:     virtual address
 * @levelp: if not NULL, receives the leaf's level (0, or 1/2 for large pages)
 *
 * Context: any; allocates nothing.
 * Return: the present leaf entry, or NULL if @va is not mapped.
 */
pte_t *lookup_pte(pte_t *pgd, u64 va, int *levelp)
{
	/* LAB pgtbl: BEGIN task 3: find the leaf, which may sit above level 0 */
	pte_t *table = pgd;

	for (int level = PT_LEVELS - 1; level >= 0; level--) {
		pte_t *ptep = &table[pt_index(level, va)];
		pte_t pte = ptep_get(ptep);

		if (!pte_present(pte))
			return NULL;
		if (level == 0 || pte_leaf(pte, level)) {
			if (levelp)
				*levelp = level;
			return ptep;
		}
		table = table_va(pte);
	}
	return NULL;
	/* LAB pgtbl: ELSE
	 * LAB_TODO("pgtbl", "lookup_pte()");
	 */
	/* LAB pgtbl: END */
}

/**
 * map_range - map [@va, @va + @size) to [@pa, @pa + @size) with @prot
 * @pgd:  root table
 * @va:   first virtual address (page aligned)
 * @pa:   first physical address (page aligned)
 * @size: bytes (a multiple of PAGE_SIZE)
 * @prot: protection for every leaf (PAGE_KERNEL, vm_get_page_prot(), ...)
 * @huge: use the largest leaf the alignment of va, pa and the remaining
 *        size allows (2 MiB, 1 GiB); 4 KiB pages otherwise
 *
 * Context: the caller owns @pgd; allocates tables. On an error, what was
 * mapped before it stays mapped.
 * Return: 0, -EINVAL (unaligned), -ENOMEM, or -EEXIST (already mapped).
 */
int map_range(pte_t *pgd, u64 va, u64 pa, u64 size, pgprot_t prot, bool huge)
{
	/* LAB pgtbl: BEGIN task 4: one leaf at a time, the largest allowed */
	u64 end = va + size;

	if ((va | pa | size) & (PAGE_SIZE - 1))
		return -EINVAL;
	while (va < end) {
		int level = 0;
		if (huge) {
			for (int l = PT_LEVELS - 2; l > 0; l--) {
				u64 sz = pt_level_size(l);
				if (pt_level_leaf_ok(l) && !(va & (sz - 1)) && !(pa & (sz - 1)) &&
				    end - va >= sz) {
					level = l;
					break;
				}
			}
		}
		pte_t *ptep = walk_to_level(pgd, va, level, true);
		if (!ptep)
			return -ENOMEM;
		if (pte_present(ptep_get(ptep)))
			return -EEXIST;
		set_pte(ptep, pfn_pte(pa >> PAGE_SHIFT, prot, level));
		va += pt_level_size(level);
		pa += pt_level_size(level);
	}
	return 0;
	/* LAB pgtbl: ELSE
	 * LAB_TODO("pgtbl", "map_range()");
	 */
	/* LAB pgtbl: END */
}

/**
 * unmap_range - remove the mappings of [@va, @va + @size)
 * @pgd:  root table
 * @va:   first virtual address (page aligned)
 * @size: bytes
 * @free: also give each mapped page back to the page allocator
 *
 * Holes are skipped. A large leaf must be unmapped whole. Tables stay (they
 * go with free_pgtables()). The caller flushes the TLB.
 *
 * Context: the caller owns @pgd.
 * Return: the number of 4 KiB pages that were mapped.
 */
u64 unmap_range(pte_t *pgd, u64 va, u64 size, bool free)
{
	/* LAB pgtbl: BEGIN task 5: clear each leaf, count it, maybe free its memory */
	u64 end = va + size, count = 0;

	while (va < end) {
		int level;
		pte_t *ptep = lookup_pte(pgd, va, &level);

		if (!ptep) {
			va = ALIGN_DOWN(va, PAGE_SIZE) + PAGE_SIZE;
			continue;
		}
		u64 sz = pt_level_size(level);
		if (level > 0 && (va & (sz - 1) || end - va < sz))
			panic("unmap_range: partial unmap of a %llu KiB leaf at 0x%llx", sz >> 10,
			      va);
		pte_t old = ptep_get_and_clear(ptep);
		if (free)
			free_pages((unsigned long)__va(pte_pfn(old) << PAGE_SHIFT), 0);
		count += sz / PAGE_SIZE;
		va += sz;
	}
	return count;
	/* LAB pgtbl: ELSE
	 * LAB_TODO("pgtbl", "unmap_range()");
	 */
	/* LAB pgtbl: END */
}

/* LAB pgtbl: BEGIN task 6: helpers for free_pgtables(), if you want any */
/* Free the subtree under @table at @level; user leaves' pages too. */
static void free_table(pte_t *table, int level)
{
	for (int i = 0; i < PTRS_PER_TABLE; i++) {
		pte_t pte = ptep_get(&table[i]);
		if (!pte_present(pte))
			continue;
		if (level > 0 && !pte_leaf(pte, level))
			free_table(table_va(pte), level - 1);
		else if (level == 0)
			free_pages((unsigned long)__va(pte_pfn(pte) << PAGE_SHIFT), 0);
		else
			panic("free_table: large user leaf at level %d", level);
	}
	free_page((unsigned long)table);
}
/* LAB pgtbl: END */

/**
 * free_pgtables - free a whole user address space's page table
 * @pgd:   root table, from pgd_alloc()
 * @limit: only entries below this address are the process's (TASK_SIZE);
 *         root entries above it are shared with the kernel and stay
 *
 * Frees every table page under the root entries below @limit, every page a
 * 4 KiB leaf there maps, then the root itself.
 *
 * Context: nobody uses @pgd any more (not loaded in any CPU's MMU).
 */
void free_pgtables(pte_t *pgd, u64 limit)
{
	/* LAB pgtbl: BEGIN task 6: free tables bottom-up, then the root */
	int root = PT_LEVELS - 1;
	u64 n = limit / pt_level_size(root);

	if (n > PTRS_PER_TABLE)
		n = PTRS_PER_TABLE;
	for (u64 i = 0; i < n; i++) {
		pte_t pte = ptep_get(&pgd[i]);
		if (pte_present(pte) && !pte_leaf(pte, root))
			free_table(table_va(pte), root - 1);
	}
	free_page((unsigned long)pgd);
	/* LAB pgtbl: ELSE
	 * LAB_TODO("pgtbl", "free_pgtables()");
	 */
	/* LAB pgtbl: END */
}

/**
 * pgd_alloc - a new, empty root table for a user address space
 *
 * Context: may allocate memory.
 * Return: the root (kernel half prepared by arch_pgd_init()), or NULL.
 */
pte_t *pgd_alloc(void)
{
	pte_t *pgd = (pte_t *)__get_free_page(GFP_KERNEL);

	if (pgd)
		arch_pgd_init(pgd);
	return pgd;
}

/* LAB pgtbl: BEGIN task 7: helpers for vmprint(), if you want any */
/* "4K", "2M", "1G": what one leaf at @level maps */
static void size_name(int level, char *buf, size_t n)
{
	u64 sz = pt_level_size(level);

	if (sz >= (1UL << 30))
		snprintf(buf, n, "%lluG", sz >> 30);
	else if (sz >= (1UL << 20))
		snprintf(buf, n, "%lluM", sz >> 20);
	else
		snprintf(buf, n, "%lluK", sz >> 10);
}

/* Print the present entries of @table (at @level, mapping from @base) and below. */
static void vmprint_table(pte_t *table, int level, u64 base)
{
	static const char spaces[] = "                ";
	const char *indent = spaces + sizeof(spaces) - 1 - 2 * (PT_LEVELS - 1 - level);

	for (unsigned i = 0; i < PTRS_PER_TABLE; i++) {
		pte_t pte = ptep_get(&table[i]);
		u64 va = base + (u64)i * pt_level_size(level);
		char size[8];

		if (!pte_present(pte) || va >= TASK_SIZE)
			continue;
		if (level > 0 && !pte_leaf(pte, level)) {
			printk("%sL%d[%03u] va 0x%010llx pte 0x%016llx table 0x%llx\n", indent,
			       level, i, va, pte_val(pte), pte_table_pa(pte));
			vmprint_table(table_va(pte), level - 1, va);
			continue;
		}
		size_name(level, size, sizeof(size));
		printk("%sL%d[%03u] va 0x%010llx pte 0x%016llx %s page 0x%llx %c%c%c %s\n", indent,
		       level, i, va, pte_val(pte), size, pte_pfn(pte) << PAGE_SHIFT,
		       pte_read(pte) ? 'r' : '-', pte_write(pte) ? 'w' : '-',
		       pte_exec(pte) ? 'x' : '-', pte_user(pte) ? "user" : "kernel");
	}
}
/* LAB pgtbl: END */

/**
 * vmprint - print the user half of a page table, one line per present entry
 * @pgd: root table
 *
 * The format (labs/pgtbl/README.md, task 7) is the same on every
 * architecture; only the raw entries differ:
 *
 *   vmprint: page table at pa 0x87f3e000
 *   L2[000] va 0x0000000000 pte 0x0000000021fcf801 table 0x87f3d000
 *     L1[000] va 0x0000000000 pte 0x0000000021fcf401 table 0x87f3c000
 *       L0[016] va 0x0000010000 pte 0x0000000021fcecdb 4K page 0x87f3b000 r-x user
 *
 * Entries come depth first in index order, indented two spaces per level
 * below the root; entries for addresses at or above TASK_SIZE (the kernel's
 * half, shared by every process) are left out.
 *
 * Context: process context (prints a lot).
 */
void vmprint(pte_t *pgd)
{
	/* LAB pgtbl: BEGIN task 7: print the tree in the documented format */
	printk("vmprint: page table at pa 0x%llx\n", __pa(pgd));
	vmprint_table(pgd, PT_LEVELS - 1, 0);
	/* LAB pgtbl: ELSE
	 * LAB_TODO("pgtbl", "vmprint()");
	 */
	/* LAB pgtbl: END */
}

/**
 * vmprint_exec - print a program's page table right after exec() built it,
 * when the boot argument asks: `vmprint=NAME` (that program) or
 * `vmprint=all` (every exec)
 * @pid:  the process
 * @name: the program's name (last component of its path)
 * @pgd:  its new root table
 *
 * Context: process context.
 */
void vmprint_exec(int pid, const char *name, pte_t *pgd)
{
	char want[32];

	if (bootarg_get(boot_command_line, "vmprint", want, sizeof(want)) < 0)
		return;
	if (strcmp(want, "all") != 0 && strcmp(want, name) != 0)
		return;
	printk("vmprint: pid %d (%s) after exec\n", pid, name);
	vmprint(pgd);
}
