/*
 * labs/pgtbl/ktest/pgtbl_lab_test.c - the pgtbl lab's in-kernel suite
 * "pgtbl_lab": the student's page tables used by the real MMU.
 *
 *   pgtbl_lab      new kernel mappings (4 KiB and 2 MiB) work through the MMU;
 *                  user protections come out of vm_get_page_prot() intact; an
 *                  address space with pages in several root entries gives
 *                  back every page when freed
 *   pgtbl_vmprint  (pgtbl_vmprint_test.c; it runs after this suite, so a
 *                  vmprint() that is not written yet stops nothing else)
 *
 * Run them with `make qemu BOOTARGS="ktest=pgtbl_lab,pgtbl_vmprint"`; the
 * grader (labs/pgtbl/grade.py) adds ktestkey and types a key, so that only
 * the test runner's own (signed) result lines count.
 *
 * The kernel mappings go into a 1 GiB-aligned region of the kernel's half
 * whose root entry is empty, above the direct map: nothing else uses it.
 */
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include <kernel/setup.h>
#include <kernel/printk.h>

/* a kernel address whose whole root entry is unused, or 0 */
static u64 scratch_va(void)
{
	u64 g = pt_level_size(PT_LEVELS - 1);

	for (u64 va = ALIGN_UP((u64)__va(ram_end), g) + g; va >= PAGE_OFFSET; va += g)
		if (pte_none(ptep_get(&swapper_pg_dir[pt_index(PT_LEVELS - 1, va)])))
			return va;
	return 0;
}

static u64 test_random(void)
{
	u64 x = arch_counter_read() * 0x9e3779b97f4a7c15ULL;

	return x ^ (x >> 29);
}

/* ---- pgtbl_lab ----------------------------------------------------------------------- */

static void test_kernel_4k_mapping_through_the_mmu(struct ktest *t)
{
	unsigned long page = get_zeroed_page(GFP_KERNEL);
	u64 va = scratch_va(), pattern = test_random() | 1;
	volatile u64 *w = (volatile u64 *)va, *r = (volatile u64 *)(va + PAGE_SIZE);

	KTEST_ASSERT_TRUE(t, page != 0 && va != 0);
	KTEST_ASSERT_TRUE(t, lookup_pte(swapper_pg_dir, va, NULL) == NULL);
	/* the same frame twice: read-write, then read-only */
	KTEST_ASSERT_TRUE(
	    t, map_range(swapper_pg_dir, va, __pa(page), PAGE_SIZE, PAGE_KERNEL, false) == 0);
	KTEST_ASSERT_TRUE(t, map_range(swapper_pg_dir, va + PAGE_SIZE, __pa(page), PAGE_SIZE,
				       PAGE_KERNEL_RO, false) == 0);
	flush_tlb_kernel_range(va, va + 2 * PAGE_SIZE);
	w[3] = pattern;
	KTEST_EXPECT_EQ(t, ((u64 *)page)[3], pattern); /* the store reached the frame */
	KTEST_EXPECT_EQ(t, r[3], pattern);	       /* and the alias sees it */
	((u64 *)page)[4] = ~pattern;
	KTEST_EXPECT_EQ(t, w[4], ~pattern);
	KTEST_EXPECT_EQ(t, unmap_range(swapper_pg_dir, va, 2 * PAGE_SIZE, false), 2);
	flush_tlb_kernel_range(va, va + 2 * PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, lookup_pte(swapper_pg_dir, va, NULL) == NULL);
	KTEST_EXPECT_TRUE(t, lookup_pte(swapper_pg_dir, va + PAGE_SIZE, NULL) == NULL);
	free_page(page);
}

static void test_kernel_2m_mapping_through_the_mmu(struct ktest *t)
{
	u64 sz = pt_level_size(1), va = scratch_va() + sz;
	/* a read-only alias of 2 MiB of RAM above the kernel image */
	u64 pa = ALIGN_UP(__pa(_end), sz);
	int level = -1;

	KTEST_ASSERT_TRUE(t, va != sz && pa + sz <= ram_end);
	KTEST_ASSERT_TRUE(t, lookup_pte(swapper_pg_dir, va, NULL) == NULL);
	KTEST_ASSERT_TRUE(t, map_range(swapper_pg_dir, va, pa, sz, PAGE_KERNEL_RO, true) == 0);
	flush_tlb_kernel_range(va, va + sz);
	pte_t *ptep = lookup_pte(swapper_pg_dir, va + 5 * PAGE_SIZE + 8, &level);
	KTEST_ASSERT_TRUE(t, ptep != NULL);
	KTEST_EXPECT_EQ(t, level, 1);
	for (u64 off = 0; off < sz; off += sz / 8 + 24)
		KTEST_EXPECT_EQ(t, *(volatile u64 *)(va + off), *(u64 *)__va(pa + off));
	KTEST_EXPECT_EQ(t, unmap_range(swapper_pg_dir, va, sz, false), sz / PAGE_SIZE);
	flush_tlb_kernel_range(va, va + sz);
	KTEST_EXPECT_TRUE(t, lookup_pte(swapper_pg_dir, va, NULL) == NULL);
}

/* Map a fresh zeroed page at @va in @pgd with @vm_flags' protection. */
static int map_fresh_page(pte_t *pgd, u64 va, unsigned long vm_flags)
{
	unsigned long page = get_zeroed_page(GFP_KERNEL);
	int err;

	if (!page)
		return -ENOMEM;
	err = map_range(pgd, va, __pa(page), PAGE_SIZE, vm_get_page_prot(vm_flags), false);
	if (err)
		free_page(page);
	return err;
}

static void test_user_protections(struct ktest *t)
{
	static const unsigned long flags[] = {VM_READ, VM_READ | VM_WRITE, VM_READ | VM_EXEC,
					      VM_READ | VM_WRITE | VM_KERNEL};
	pte_t *pgd = pgd_alloc();

	KTEST_ASSERT_TRUE(t, pgd != NULL);
	for (unsigned i = 0; i < ARRAY_SIZE(flags); i++) {
		u64 va = 0x200000 + i * PAGE_SIZE;
		int level = -1;

		KTEST_ASSERT_TRUE(t, map_fresh_page(pgd, va, flags[i]) == 0);
		pte_t *ptep = lookup_pte(pgd, va, &level);
		KTEST_ASSERT_TRUE(t, ptep != NULL);
		pte_t pte = ptep_get(ptep);
		KTEST_EXPECT_EQ(t, level, 0);
		KTEST_EXPECT_TRUE(t, pte_read(pte));
		KTEST_EXPECT_EQ(t, pte_write(pte), !!(flags[i] & VM_WRITE));
		KTEST_EXPECT_EQ(t, pte_exec(pte), !!(flags[i] & VM_EXEC));
		KTEST_EXPECT_EQ(t, pte_user(pte), !(flags[i] & VM_KERNEL));
	}
	free_pgtables(pgd, TASK_SIZE);
}

static void test_address_space_teardown(struct ktest *t)
{
	unsigned long before = nr_free_pages();
	u64 root = pt_level_size(PT_LEVELS - 1);
	static const u64 starts[] = {0x10000, 0x400000, 0x1ff000};
	pte_t *pgd = pgd_alloc();

	KTEST_ASSERT_TRUE(t, pgd != NULL);
	/* pages in three root entries, several level-1 and level-0 tables */
	for (unsigned i = 0; i < ARRAY_SIZE(starts); i++)
		for (u64 va = starts[i]; va < starts[i] + 3 * PAGE_SIZE; va += PAGE_SIZE)
			KTEST_ASSERT_TRUE(t, map_fresh_page(pgd, va, VM_READ | VM_WRITE) == 0);
	KTEST_ASSERT_TRUE(t, map_fresh_page(pgd, 5 * root - PAGE_SIZE, VM_READ) == 0);
	KTEST_ASSERT_TRUE(t, map_fresh_page(pgd, 5 * root, VM_READ) == 0);
	for (u64 va = USER_STACK_TOP - 4 * PAGE_SIZE; va < USER_STACK_TOP; va += PAGE_SIZE)
		KTEST_ASSERT_TRUE(t, map_fresh_page(pgd, va, VM_READ | VM_WRITE) == 0);
	KTEST_EXPECT_TRUE(t, nr_free_pages() < before - 15);
	/* the data reaches the frame the entry names */
	pte_t *p = lookup_pte(pgd, 0x400000, NULL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	memcpy(__va((pte_pfn(*p) << PAGE_SHIFT) + 0xff8), "pagoda!", 8);
	free_pgtables(pgd, TASK_SIZE);
	/* every table, every page and the root came back */
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
}

static struct ktest_case pgtbl_lab_cases[] = {
    KTEST_CASE(test_kernel_4k_mapping_through_the_mmu),
    KTEST_CASE(test_kernel_2m_mapping_through_the_mmu),
    KTEST_CASE(test_user_protections),
    KTEST_CASE(test_address_space_teardown),
    {},
};
KTEST_SUITE(pgtbl_lab, pgtbl_lab_cases);
