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
 * See: labs/pgtbl/README.md; Linux mm/pagewalk.c for the same idea.
 */
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/errno.h>

pte_t *swapper_pg_dir;

static pte_t *table_va(pte_t pte)
{
	return (pte_t *)__va(pte_table_pa(pte));
}

/*
 * walk_to_level - find the entry for @va in the table at @level.
 * @alloc: create missing intermediate tables.
 * Return: the entry, or NULL if a table is missing (and !@alloc), memory ran
 * out, or a large leaf above @level covers @va.
 */
static pte_t *walk_to_level(pte_t *pgd, u64 va, int target, bool alloc)
{
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
}

pte_t *walk_pgtable(pte_t *pgd, u64 va, bool alloc)
{
	return walk_to_level(pgd, va, 0, alloc);
}

pte_t *lookup_pte(pte_t *pgd, u64 va, int *levelp)
{
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
}

int map_range(pte_t *pgd, u64 va, u64 pa, u64 size, pgprot_t prot, bool huge)
{
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
}

u64 unmap_range(pte_t *pgd, u64 va, u64 size, bool free)
{
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
}

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

void free_pgtables(pte_t *pgd, u64 limit)
{
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
}

pte_t *pgd_alloc(void)
{
	pte_t *pgd = (pte_t *)__get_free_page(GFP_KERNEL);

	if (pgd)
		arch_pgd_init(pgd);
	return pgd;
}
