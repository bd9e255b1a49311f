/*
 * asm/pgtable.h - the ARMv8-A translation table format (stage 1, 4 KiB
 * granule, 39-bit virtual addresses) behind the accessors of kernel/arch.h.
 *
 * How this compares with RISC-V Sv39, level by level (Pagoda counts levels
 * down from the root, as mm/pgtable.c does):
 *
 *   Pagoda level   Sv39 name     ARMv8 name   VA bits   one leaf maps
 *   ------------   ---------     ----------   -------   -------------
 *   2 (root)       VPN[2]        level 1      38..30    1 GiB block
 *   1              VPN[1]        level 2      29..21    2 MiB block
 *   0              VPN[0]        level 3      20..12    4 KiB page
 *
 * Same shape: 3 levels of 512 8-byte entries, a 12-bit page offset. With a
 * 39-bit VA the ARMv8 walk starts at its level 1 (T0SZ = T1SZ = 25), and
 * there are two roots: TTBR0_EL1 for user addresses, TTBR1_EL1 for kernel
 * addresses (top bits all ones). The descriptors differ:
 *
 *   63  59 58  55 54  53  52  51  48 47                 12 11 10 9 8 7 6 5 4  2 1 0
 *  +------+------+---+---+---+------+---------------------+--+--+---+---+--+-----+-+-+
 *  |      | SW   |UXN|PXN|Con|      | output address      |nG|AF|SH |AP |NS|Attr |T|V|
 *  +------+------+---+---+---+------+---------------------+--+--+---+---+--+-----+-+-+
 *
 *   V (bit 0)    valid (Sv39: V)
 *   T (bit 1)    levels 2..1: 1 = table pointer, 0 = block (a large leaf);
 *                level 0: must be 1 for a page. (Sv39 tells a leaf by R/W/X.)
 *   AttrIndx     index into MAIR_EL1: 0 = normal write-back memory,
 *                1 = Device-nGnRE (MMIO), 2 = normal non-cacheable
 *   AP[7:6]      bit 6 = EL0 may access (Sv39: U); bit 7 = read-only (Sv39: !W)
 *   SH           shareability; inner-shareable for normal memory
 *   AF (bit 10)  access flag (Sv39: A). An access with AF = 0 faults on
 *                cores without hardware AF (Cortex-A72), so we set it.
 *   nG (bit 11)  not global: the TLB entry is tagged with the ASID (user)
 *   PXN / UXN    never execute at EL1 / EL0 (Sv39 has one X bit and U)
 *   SW (55..58)  ignored by hardware; bit 55 is our software dirty bit
 *                (Sv39: D is set by hardware; v8.0 has no hardware dirty bit)
 *
 * See: Arm ARM D8.3 "Translation table descriptor formats"; labs/pgtbl.
 */
#ifndef _ASM_ARM64_PGTABLE_H
#define _ASM_ARM64_PGTABLE_H

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

#define _PAGE_VALID (1UL << 0)
#define _PAGE_TABLE (1UL << 1) /* table at levels 2..1, page at level 0 */
#define _PAGE_ATTRIDX(n) ((u64)(n) << 2)
#define _PAGE_USER (1UL << 6)
#define _PAGE_RDONLY (1UL << 7)
#define _PAGE_SHARED (3UL << 8)
#define _PAGE_AF (1UL << 10)
#define _PAGE_NG (1UL << 11)
#define _PAGE_PXN (1UL << 53)
#define _PAGE_UXN (1UL << 54)
#define _PAGE_DIRTY (1UL << 55)
#define _PAGE_ADDR_MASK 0x0000fffffffff000UL

#define MT_NORMAL 0
#define MT_DEVICE_nGnRE 1
#define MT_NORMAL_NC 2

#define __pgprot(x) ((pgprot_t){(x)})
#define pgprot_val(p) ((p).val)
#define pte_val(p) ((p).val)
#define __pte(x) ((pte_t){(x)})

#define _PROT_NORMAL (_PAGE_VALID | _PAGE_ATTRIDX(MT_NORMAL) | _PAGE_SHARED | _PAGE_AF)
#define PAGE_KERNEL __pgprot(_PROT_NORMAL | _PAGE_DIRTY | _PAGE_PXN | _PAGE_UXN)
#define PAGE_KERNEL_RO __pgprot(_PROT_NORMAL | _PAGE_RDONLY | _PAGE_PXN | _PAGE_UXN)
#define PAGE_KERNEL_EXEC __pgprot(_PROT_NORMAL | _PAGE_RDONLY | _PAGE_UXN)
#define PAGE_KERNEL_DEVICE \
	__pgprot(_PAGE_VALID | _PAGE_ATTRIDX(MT_DEVICE_nGnRE) | _PAGE_AF | _PAGE_PXN | _PAGE_UXN)

static inline unsigned pt_index(int level, u64 va)
{
	/* LAB pgtbl: BEGIN task 1: which entry of a level's table va selects */
	return (va >> (PAGE_SHIFT + 9 * level)) & (PTRS_PER_TABLE - 1);
	/* LAB pgtbl: ELSE
	 * LAB_TODO("pgtbl", "pt_index() for arm64");
	 */
	/* LAB pgtbl: END */
}

static inline u64 pt_level_size(int level)
{
	/* LAB pgtbl: BEGIN task 1: bytes one leaf at @level maps */
	return 1UL << (PAGE_SHIFT + 9 * level);
	/* LAB pgtbl: ELSE
	 * LAB_TODO("pgtbl", "pt_level_size() for arm64");
	 */
	/* LAB pgtbl: END */
}

/* blocks exist at ARMv8 levels 1 and 2 (our 2 and 1), pages at level 3 (our 0) */
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
	return pte.val & _PAGE_VALID;
}

static inline bool pte_leaf(pte_t pte, int level)
{
	/* LAB pgtbl: BEGIN task 1: leaf or pointer to the next table? */
	if (!(pte.val & _PAGE_VALID))
		return false;
	return level == 0 || !(pte.val & _PAGE_TABLE);
	/* LAB pgtbl: ELSE
	 * LAB_TODO("pgtbl", "pte_leaf() for arm64");
	 */
	/* LAB pgtbl: END */
}

static inline pte_t pte_mktable(u64 table_pa)
{
	/* LAB pgtbl: BEGIN task 1: an entry pointing to the table at @table_pa */
	return __pte((table_pa & _PAGE_ADDR_MASK) | _PAGE_TABLE | _PAGE_VALID);
	/* LAB pgtbl: ELSE
	 * LAB_TODO("pgtbl", "pte_mktable() for arm64");
	 */
	/* LAB pgtbl: END */
}

static inline u64 pte_pfn(pte_t pte)
{
	/* LAB pgtbl: BEGIN task 1: the page frame number in a leaf */
	return (pte.val & _PAGE_ADDR_MASK) >> PAGE_SHIFT;
	/* LAB pgtbl: ELSE
	 * LAB_TODO("pgtbl", "pte_pfn() for arm64");
	 */
	/* LAB pgtbl: END */
}

static inline u64 pte_table_pa(pte_t pte)
{
	/* LAB pgtbl: BEGIN task 1: the physical address of the next table */
	return pte.val & _PAGE_ADDR_MASK;
	/* LAB pgtbl: ELSE
	 * LAB_TODO("pgtbl", "pte_table_pa() for arm64");
	 */
	/* LAB pgtbl: END */
}

static inline pte_t pfn_pte(u64 pfn, pgprot_t prot, int level)
{
	/* LAB pgtbl: BEGIN task 1: a leaf for @pfn with @prot at @level */
	u64 v = ((pfn << PAGE_SHIFT) & _PAGE_ADDR_MASK) | (prot.val & ~_PAGE_TABLE);

	if (level == 0)
		v |= _PAGE_TABLE; /* "page" descriptor */
	return __pte(v);
	/* LAB pgtbl: ELSE
	 * LAB_TODO("pgtbl", "pfn_pte() for arm64");
	 */
	/* LAB pgtbl: END */
}

static inline bool pte_user(pte_t pte)
{
	return pte.val & _PAGE_USER;
}
static inline bool pte_read(pte_t pte)
{
	return pte.val & _PAGE_VALID;
}
static inline bool pte_write(pte_t pte)
{
	return !(pte.val & _PAGE_RDONLY);
}
static inline bool pte_exec(pte_t pte)
{
	return !(pte.val & (pte_user(pte) ? _PAGE_UXN : _PAGE_PXN));
}
static inline pte_t pte_mkwrite(pte_t pte)
{
	return __pte((pte.val & ~_PAGE_RDONLY) | _PAGE_DIRTY);
}
static inline pte_t pte_wrprotect(pte_t pte)
{
	return __pte(pte.val | _PAGE_RDONLY);
}
static inline bool pte_young(pte_t pte)
{
	return pte.val & _PAGE_AF;
}
static inline pte_t pte_mkold(pte_t pte)
{
	return __pte(pte.val & ~_PAGE_AF);
}
static inline pte_t pte_mkyoung(pte_t pte)
{
	return __pte(pte.val | _PAGE_AF);
}
static inline bool pte_dirty(pte_t pte)
{
	return pte.val & _PAGE_DIRTY;
}
static inline pgprot_t pte_pgprot(pte_t pte)
{
	return __pgprot(pte.val & ~(_PAGE_ADDR_MASK | _PAGE_TABLE));
}

/*
 * The table walker reads memory on its own: the store must be complete
 * (dsb ishst) before any later walk, and an isb keeps this CPU from having
 * fetched through the old entry.
 */
static inline void set_pte(pte_t *ptep, pte_t pte)
{
	*(volatile u64 *)&ptep->val = pte.val;
	__asm__ __volatile__("dsb ishst\n\tisb" ::: "memory");
}

static inline pte_t ptep_get(pte_t *ptep)
{
	return __pte(*(volatile u64 *)&ptep->val);
}

static inline pte_t ptep_get_and_clear(pte_t *ptep)
{
	pte_t old = __pte(__atomic_exchange_n(&ptep->val, 0, __ATOMIC_SEQ_CST));

	__asm__ __volatile__("dsb ishst" ::: "memory");
	return old;
}

#endif /* _ASM_ARM64_PGTABLE_H */
