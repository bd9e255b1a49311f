/*
 * asm/pgtable.h - the Sv39 page-table entry format behind the generic
 * accessors of kernel/arch.h.
 *
 * An Sv39 virtual address splits into three 9-bit indexes and a 12-bit
 * offset; each table is one 4 KiB page of 512 8-byte entries:
 *
 *   38        30 29        21 20        12 11           0
 *  +------------+------------+------------+--------------+
 *  |  VPN[2]    |  VPN[1]    |  VPN[0]    | page offset  |
 *  +------------+------------+------------+--------------+
 *    level 2      level 1      level 0
 *    (root)
 *
 * An entry (PTE):
 *
 *   63  54 53                     10 9 8 7 6 5 4 3 2 1 0
 *  +------+-------------------------+---+-+-+-+-+-+-+-+-+
 *  | 0    | PPN (physical page no.) |RSW|D|A|G|U|X|W|R|V|
 *  +------+-------------------------+---+-+-+-+-+-+-+-+-+
 *
 * V=0: not present. V=1 and R=W=X=0: a pointer to the next-level table.
 * Any of R/W/X set: a leaf; at level 1 it maps a 2 MiB page, at level 2 a
 * 1 GiB page. A and D are the accessed and dirty bits; we set them when
 * creating a mapping because hardware is allowed to fault instead of setting
 * them. RSW is free for software.
 *
 * See: RISC-V Privileged ISA, section "Sv39: Page-Based 39-bit Virtual-Memory
 * System"; labs/pgtbl/README.md.
 */
#ifndef _ASM_RISCV_PGTABLE_H
#define _ASM_RISCV_PGTABLE_H

#include <kernel/types.h>
#include <asm/memory.h>
#include <kernel/lab.h>

typedef struct {
	u64 val;
} pte_t;
typedef struct {
	u64 val;
} pgprot_t;

#define PT_LEVELS 3
#define PTRS_PER_TABLE 512

#define _PAGE_V (1UL << 0)
#define _PAGE_R (1UL << 1)
#define _PAGE_W (1UL << 2)
#define _PAGE_X (1UL << 3)
#define _PAGE_U (1UL << 4)
#define _PAGE_G (1UL << 5)
#define _PAGE_A (1UL << 6)
#define _PAGE_D (1UL << 7)
#define _PAGE_PFN_SHIFT 10
#define _PAGE_PFN_MASK (((1UL << 44) - 1) << _PAGE_PFN_SHIFT)

#define __pgprot(x) ((pgprot_t){(x)})
#define pgprot_val(p) ((p).val)
#define pte_val(p) ((p).val)
#define __pte(x) ((pte_t){(x)})

#define PAGE_KERNEL __pgprot(_PAGE_V | _PAGE_R | _PAGE_W | _PAGE_G | _PAGE_A | _PAGE_D)
#define PAGE_KERNEL_RO __pgprot(_PAGE_V | _PAGE_R | _PAGE_G | _PAGE_A)
#define PAGE_KERNEL_EXEC __pgprot(_PAGE_V | _PAGE_R | _PAGE_X | _PAGE_G | _PAGE_A)
/* The virt board's devices sit in a PMA region that is already uncached and
 * strongly ordered: Sv39 without Svpbmt has no attribute bits to set. */
#define PAGE_KERNEL_DEVICE PAGE_KERNEL

static inline unsigned pt_index(int level, u64 va)
{
	/* LAB pgtbl: BEGIN task 1: which entry of a level's table va selects */
	return (va >> (PAGE_SHIFT + 9 * level)) & (PTRS_PER_TABLE - 1);
	/* LAB pgtbl: ELSE
	 * LAB_TODO("pgtbl", "pt_index() for riscv");
	 */
	/* LAB pgtbl: END */
}

static inline u64 pt_level_size(int level)
{
	/* LAB pgtbl: BEGIN task 1: bytes one leaf at @level maps */
	return 1UL << (PAGE_SHIFT + 9 * level);
	/* LAB pgtbl: ELSE
	 * LAB_TODO("pgtbl", "pt_level_size() for riscv");
	 */
	/* LAB pgtbl: END */
}

static inline bool pt_level_leaf_ok(int level)
{
	return level >= 0 && level <= 2;
}

static inline bool pte_none(pte_t pte)
{
	return pte.val == 0;
}

static inline bool pte_present(pte_t pte)
{
	return pte.val & _PAGE_V;
}

static inline bool pte_leaf(pte_t pte, int level)
{
	/* LAB pgtbl: BEGIN task 1: leaf or pointer to the next table? */
	(void)level;
	return (pte.val & _PAGE_V) && (pte.val & (_PAGE_R | _PAGE_W | _PAGE_X));
	/* LAB pgtbl: ELSE
	 * LAB_TODO("pgtbl", "pte_leaf() for riscv");
	 */
	/* LAB pgtbl: END */
}

static inline pte_t pte_mktable(u64 table_pa)
{
	/* LAB pgtbl: BEGIN task 1: an entry pointing to the table at @table_pa */
	return __pte(((table_pa >> PAGE_SHIFT) << _PAGE_PFN_SHIFT) | _PAGE_V);
	/* LAB pgtbl: ELSE
	 * LAB_TODO("pgtbl", "pte_mktable() for riscv");
	 */
	/* LAB pgtbl: END */
}

static inline u64 pte_pfn(pte_t pte)
{
	/* LAB pgtbl: BEGIN task 1: the page frame number in a leaf */
	return (pte.val & _PAGE_PFN_MASK) >> _PAGE_PFN_SHIFT;
	/* LAB pgtbl: ELSE
	 * LAB_TODO("pgtbl", "pte_pfn() for riscv");
	 */
	/* LAB pgtbl: END */
}

static inline u64 pte_table_pa(pte_t pte)
{
	/* LAB pgtbl: BEGIN task 1: the physical address of the next table */
	return pte_pfn(pte) << PAGE_SHIFT;
	/* LAB pgtbl: ELSE
	 * LAB_TODO("pgtbl", "pte_table_pa() for riscv");
	 */
	/* LAB pgtbl: END */
}

static inline pte_t pfn_pte(u64 pfn, pgprot_t prot, int level)
{
	/* LAB pgtbl: BEGIN task 1: a leaf for @pfn with @prot at @level */
	(void)level;
	return __pte((pfn << _PAGE_PFN_SHIFT) | prot.val);
	/* LAB pgtbl: ELSE
	 * LAB_TODO("pgtbl", "pfn_pte() for riscv");
	 */
	/* LAB pgtbl: END */
}

static inline bool pte_user(pte_t pte)
{
	return pte.val & _PAGE_U;
}
static inline bool pte_read(pte_t pte)
{
	return pte.val & _PAGE_R;
}
static inline bool pte_write(pte_t pte)
{
	return pte.val & _PAGE_W;
}
static inline bool pte_exec(pte_t pte)
{
	return pte.val & _PAGE_X;
}
static inline pte_t pte_mkwrite(pte_t pte)
{
	return __pte(pte.val | _PAGE_W | _PAGE_D);
}
static inline pte_t pte_wrprotect(pte_t pte)
{
	return __pte(pte.val & ~_PAGE_W);
}
static inline bool pte_young(pte_t pte)
{
	return pte.val & _PAGE_A;
}
static inline pte_t pte_mkold(pte_t pte)
{
	return __pte(pte.val & ~_PAGE_A);
}
static inline pte_t pte_mkyoung(pte_t pte)
{
	return __pte(pte.val | _PAGE_A);
}
static inline bool pte_dirty(pte_t pte)
{
	return pte.val & _PAGE_D;
}
static inline pgprot_t pte_pgprot(pte_t pte)
{
	return __pgprot(pte.val & ~_PAGE_PFN_MASK);
}

static inline void set_pte(pte_t *ptep, pte_t pte)
{
	*(volatile u64 *)&ptep->val = pte.val;
}

static inline pte_t ptep_get(pte_t *ptep)
{
	return __pte(*(volatile u64 *)&ptep->val);
}

static inline pte_t ptep_get_and_clear(pte_t *ptep)
{
	return __pte(__atomic_exchange_n(&ptep->val, 0, __ATOMIC_SEQ_CST));
}

#endif /* _ASM_RISCV_PGTABLE_H */
