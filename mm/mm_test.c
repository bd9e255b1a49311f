/*
 * mm/mm_test.c - KTAP suites "page_alloc", "pgtable" and "uaccess": the
 * page allocator, the generic page-table walker with the architecture's PTE
 * format, the kernel's own mapping permissions, and the user-copy checks.
 */
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/uaccess.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include <kernel/setup.h>

/* ---- page_alloc ---------------------------------------------------------- */

static void test_alloc_free_counts(struct ktest *t)
{
	unsigned long before = nr_free_pages();
	unsigned long a = __get_free_page(GFP_KERNEL), b = __get_free_page(GFP_KERNEL);

	KTEST_ASSERT_TRUE(t, a && b);
	KTEST_EXPECT_NE(t, a, b);
	KTEST_EXPECT_EQ(t, a % PAGE_SIZE, 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before - 2);
	free_page(a);
	free_page(b);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
}

static void test_zeroed_and_poisoned(struct ktest *t)
{
	unsigned long a = get_zeroed_page(GFP_KERNEL);
	bool zero = true;

	KTEST_ASSERT_TRUE(t, a);
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		zero &= ((u8 *)a)[i] == 0;
	KTEST_EXPECT_TRUE(t, zero);
	free_page(a);
	/* freed memory is poisoned so use-after-free reads garbage */
	KTEST_EXPECT_EQ(t, ((u8 *)a)[100], 0x5a);
}

static void test_higher_order_alignment(struct ktest *t)
{
	for (unsigned order = 1; order <= 4; order++) {
		unsigned long a = __get_free_pages(GFP_KERNEL, order);
		KTEST_ASSERT_TRUE(t, a);
		KTEST_EXPECT_EQ(t, __pa(a) % (PAGE_SIZE << order), 0);
		free_pages(a, order);
	}
	KTEST_EXPECT_EQ(t, __get_free_pages(GFP_KERNEL | __GFP_NOWARN, 11), 0);
}

/* free pages GFP_KERNEL must leave alone: each zone's min watermark and reserve */
static unsigned long reserve_pages(void)
{
	unsigned long r = 0;
	struct zone *zone;

	for_each_populated_zone(zone)
		r += min_wmark_pages(zone) + zone->lowmem_reserve[ZONE_NORMAL] + 1;
	return r;
}

static void test_exhaust_and_refill(struct ktest *t)
{
	unsigned long before = nr_free_pages(), n = 0, natomic = 0;
	unsigned long head = 0;

	/* chain every page GFP_KERNEL can get through its first word */
	for (;;) {
		unsigned long p = __get_free_page(GFP_KERNEL | __GFP_NOWARN);
		if (!p)
			break;
		*(unsigned long *)p = head;
		head = p;
		n++;
	}
	/* it stops at the min watermarks, not at zero */
	KTEST_EXPECT_TRUE(t, n + nr_free_pages() == before);
	KTEST_EXPECT_TRUE(t, nr_free_pages() <= reserve_pages());
	KTEST_EXPECT_TRUE(t, nr_free_pages() > 0);
	/* GFP_ATOMIC may dip into the reserve below min */
	for (;;) {
		unsigned long p = __get_free_page(GFP_ATOMIC | __GFP_NOWARN);
		if (!p)
			break;
		*(unsigned long *)p = head;
		head = p;
		natomic++;
	}
	KTEST_EXPECT_TRUE(t, natomic > 0);
	KTEST_EXPECT_TRUE(t, natomic < reserve_pages());
	while (head) {
		unsigned long next = *(unsigned long *)head;
		free_page(head);
		head = next;
	}
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
}

static struct ktest_case page_alloc_cases[] = {
    KTEST_CASE(test_alloc_free_counts),
    KTEST_CASE(test_zeroed_and_poisoned),
    KTEST_CASE(test_higher_order_alignment),
    KTEST_CASE(test_exhaust_and_refill),
    {},
};
KTEST_SUITE(page_alloc, page_alloc_cases);

/* ---- pgtable ------------------------------------------------------------- */

static void test_map_lookup_unmap(struct ktest *t)
{
	unsigned long before = nr_free_pages();
	pte_t *pgd = pgd_alloc();
	unsigned long page = get_zeroed_page(GFP_KERNEL);
	u64 va = 0x12345000;
	int level = -1;

	KTEST_ASSERT_TRUE(t, pgd && page);
	KTEST_EXPECT_EQ(
	    t,
	    map_range(pgd, va, __pa(page), PAGE_SIZE, vm_get_page_prot(VM_READ | VM_WRITE), false),
	    0);
	pte_t *ptep = lookup_pte(pgd, va + 123, &level);
	KTEST_ASSERT_TRUE(t, ptep != NULL);
	KTEST_EXPECT_EQ(t, level, 0);
	KTEST_EXPECT_EQ(t, pte_pfn(*ptep), __pa(page) >> PAGE_SHIFT);
	KTEST_EXPECT_TRUE(t, pte_user(*ptep) && pte_read(*ptep) && pte_write(*ptep));
	KTEST_EXPECT_FALSE(t, pte_exec(*ptep));
	KTEST_EXPECT_TRUE(t, walk_pgtable(pgd, va, false) == ptep);
	KTEST_EXPECT_TRUE(t, lookup_pte(pgd, va + PAGE_SIZE, NULL) == NULL);
	/* mapping twice is refused */
	KTEST_EXPECT_EQ(t, map_range(pgd, va, __pa(page), PAGE_SIZE, PAGE_KERNEL, false), -EEXIST);
	KTEST_EXPECT_EQ(t, unmap_range(pgd, va, PAGE_SIZE, true), 1);
	KTEST_EXPECT_TRUE(t, lookup_pte(pgd, va, NULL) == NULL);
	free_pgtables(pgd, TASK_SIZE);
	/* the root, the intermediate tables and the page all came back */
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
}

static void test_large_leaf(struct ktest *t)
{
	pte_t *pgd = pgd_alloc();
	u64 sz = pt_level_size(1); /* 2 MiB */
	unsigned long before;
	int level = -1;

	KTEST_ASSERT_TRUE(t, pgd != NULL);
	before = nr_free_pages();
	/* map 2 MiB of the kernel's own RAM (not freed below) as one leaf */
	KTEST_EXPECT_EQ(
	    t, map_range(pgd, 0x40000000, ALIGN_UP(ram_start, sz), sz, PAGE_KERNEL_RO, true), 0);
	pte_t *ptep = lookup_pte(pgd, 0x40000000 + 5 * PAGE_SIZE, &level);
	KTEST_ASSERT_TRUE(t, ptep != NULL);
	KTEST_EXPECT_EQ(t, level, 1);
	KTEST_EXPECT_TRUE(t, pte_leaf(*ptep, 1));
	/* only the level-1 table was needed: one page */
	KTEST_EXPECT_EQ(t, before - nr_free_pages(), 1);
	KTEST_EXPECT_EQ(t, unmap_range(pgd, 0x40000000, sz, false), sz / PAGE_SIZE);
	free_pgtables(pgd, TASK_SIZE);
}

static void test_vm_prot(struct ktest *t)
{
	pte_t rx = pfn_pte(1, vm_get_page_prot(VM_READ | VM_EXEC), 0);
	pte_t r = pfn_pte(1, vm_get_page_prot(VM_READ), 0);
	pte_t k = pfn_pte(1, vm_get_page_prot(VM_READ | VM_WRITE | VM_KERNEL), 0);

	KTEST_EXPECT_TRUE(t, pte_present(rx) && pte_user(rx) && pte_exec(rx) && !pte_write(rx));
	KTEST_EXPECT_TRUE(t, pte_read(r) && !pte_write(r) && !pte_exec(r));
	KTEST_EXPECT_TRUE(t, !pte_user(k) && pte_write(k));
	KTEST_EXPECT_TRUE(t, pte_write(pte_mkwrite(r)));
	KTEST_EXPECT_FALSE(t, pte_write(pte_wrprotect(k)));
	KTEST_EXPECT_FALSE(t, pte_young(pte_mkold(k)));
	KTEST_EXPECT_TRUE(t, pte_young(pte_mkyoung(pte_mkold(k))));
}

/* the kernel's own image: W^X */
static void test_kernel_permissions(struct ktest *t)
{
	pte_t *text = lookup_pte(swapper_pg_dir, (u64)start_kernel, NULL);
	pte_t *ro = lookup_pte(swapper_pg_dir, (u64)_srodata, NULL);
	pte_t *data = lookup_pte(swapper_pg_dir, (u64)&boot_info, NULL);
	pte_t *ram = lookup_pte(swapper_pg_dir, (u64)__va(ram_end - PAGE_SIZE), NULL);

	KTEST_ASSERT_TRUE(t, text && ro && data && ram);
	KTEST_EXPECT_TRUE(t, pte_exec(*text) && !pte_write(*text) && !pte_user(*text));
	KTEST_EXPECT_TRUE(t, !pte_exec(*ro) && !pte_write(*ro));
	KTEST_EXPECT_TRUE(t, !pte_exec(*data) && pte_write(*data));
	KTEST_EXPECT_TRUE(t, !pte_exec(*ram) && pte_write(*ram));
	/* nothing maps user addresses in the kernel's table */
	KTEST_EXPECT_TRUE(t, lookup_pte(swapper_pg_dir, 0x10000, NULL) == NULL);
}

static void test_kstack_guard(struct ktest *t)
{
	struct proc *p = myproc();

	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_TRUE(t, lookup_pte(swapper_pg_dir, p->kstack, NULL) != NULL);
	KTEST_EXPECT_TRUE(t, lookup_pte(swapper_pg_dir, p->kstack - PAGE_SIZE, NULL) == NULL);
	KTEST_EXPECT_TRUE(t, lookup_pte(swapper_pg_dir, p->kstack + KSTACK_SIZE - 1, NULL) != NULL);
}

static struct ktest_case pgtable_cases[] = {
    KTEST_CASE(test_map_lookup_unmap),	 KTEST_CASE(test_large_leaf),	KTEST_CASE(test_vm_prot),
    KTEST_CASE(test_kernel_permissions), KTEST_CASE(test_kstack_guard), {},
};
KTEST_SUITE(pgtable, pgtable_cases);

/* ---- uaccess -------------------------------------------------------------- */

/* Run @fn with a scratch address space: one RW page at 0x10000, one RO page after. */
static void with_scratch_mm(struct ktest *t, void (*fn)(struct ktest *t))
{
	struct proc *p = myproc();
	struct mm_struct *saved = p->mm, *mm = mm_alloc();

	KTEST_ASSERT_TRUE(t, mm != NULL);
	KTEST_ASSERT_TRUE(t, vma_map_range(mm, 0x10000, 0x11000, VM_READ | VM_WRITE | VM_MAYREAD,
					   NULL, 0) != NULL);
	KTEST_ASSERT_TRUE(t, vma_map_range(mm, 0x11000, 0x12000, VM_READ | VM_MAYREAD, NULL, 0));
	KTEST_ASSERT_TRUE(t, mm_populate_range(mm, 0x10000, 0x11000, VM_READ | VM_WRITE) == 0);
	KTEST_ASSERT_TRUE(t, mm_populate_range(mm, 0x11000, 0x12000, VM_READ) == 0);
	p->mm = mm;
	switch_mm(mm);
	fn(t);
	p->mm = saved;
	switch_mm(saved);
	mmput(mm);
}

static void uaccess_body(struct ktest *t)
{
	char buf[16] = "hello";
	char name[8];

	KTEST_EXPECT_EQ(t, copy_to_user(0x10ff0, buf, 6), 0);
	memset(buf, 0, sizeof(buf));
	KTEST_EXPECT_EQ(t, copy_from_user(buf, 0x10ff0, 6), 0);
	KTEST_EXPECT_STREQ(t, buf, "hello");
	/* read-only page: readable, not writable; a copy crossing into it fails */
	KTEST_EXPECT_EQ(t, copy_from_user(buf, 0x11000, 8), 0);
	KTEST_EXPECT_EQ(t, copy_to_user(0x11000, buf, 1), -EFAULT);
	KTEST_EXPECT_EQ(t, copy_to_user(0x10ffc, buf, 8), -EFAULT);
	/* unmapped, kernel, and wrapping addresses */
	KTEST_EXPECT_EQ(t, copy_from_user(buf, 0, 1), -EFAULT);
	KTEST_EXPECT_EQ(t, copy_from_user(buf, 0x12000, 1), -EFAULT);
	KTEST_EXPECT_EQ(t, copy_from_user(buf, (u64)&boot_info, 1), -EFAULT);
	KTEST_EXPECT_EQ(t, copy_from_user(buf, ~0ULL - 2, 8), -EFAULT);
	KTEST_EXPECT_EQ(t, copy_to_user(TASK_SIZE - 4, buf, 8), -EFAULT);
	/* strings */
	KTEST_EXPECT_EQ(t, strncpy_from_user(name, 0x10ff0, sizeof(name)), 5);
	KTEST_EXPECT_STREQ(t, name, "hello");
	KTEST_EXPECT_EQ(t, copy_to_user(0x10ff0, "0123456789", 10), 0);
	KTEST_EXPECT_EQ(t, strncpy_from_user(name, 0x10ff0, sizeof(name)), -ENAMETOOLONG);
	/* a string running off the end of the mapped pages (written into the
	 * read-only page through the direct map) */
	pte_t *ro = walk_pgtable(myproc()->mm->pgd, 0x11000, false);
	KTEST_ASSERT_TRUE(t, ro && pte_present(*ro));
	memcpy((u8 *)__va(pte_pfn(*ro) << PAGE_SHIFT) + 0xff8, "abcdefgh", 8);
	KTEST_EXPECT_EQ(t, strncpy_from_user(name, 0x11ffc, sizeof(name)), -EFAULT);
}

static void test_uaccess_checks(struct ktest *t)
{
	with_scratch_mm(t, uaccess_body);
}

static void test_uaccess_without_mm(struct ktest *t)
{
	struct proc *p = myproc();
	struct mm_struct *saved = p->mm;
	char c;

	p->mm = NULL;
	KTEST_EXPECT_EQ(t, copy_from_user(&c, 0x10000, 1), -EFAULT);
	p->mm = saved;
}

/* sbrk only moves the end of the heap VMA; pages come on first touch */
static void test_brk(struct ktest *t)
{
	unsigned long before = nr_free_pages();
	struct mm_struct *mm = mm_alloc();

	KTEST_ASSERT_TRUE(t, mm != NULL);
	mm->start_brk = mm->brk = 0x20000;
	KTEST_EXPECT_EQ(t, mm_brk(mm, 3 * PAGE_SIZE + 1), 0x20000);
	KTEST_EXPECT_EQ(t, mm->rss_pages, 0); /* lazy: nothing allocated yet */
	KTEST_EXPECT_EQ(t, mm->total_vm, 4);
	/* the kernel's own access faults the pages in (access_ok) */
	KTEST_EXPECT_TRUE(t, access_ok(mm, 0x20000, 3 * PAGE_SIZE + 1, VM_WRITE));
	KTEST_EXPECT_EQ(t, mm->rss_pages, 4);
	KTEST_EXPECT_EQ(t, mm_brk(mm, -(long)(2 * PAGE_SIZE)), 0x23001);
	KTEST_EXPECT_EQ(t, mm->rss_pages, 2);
	KTEST_EXPECT_FALSE(t, access_ok(mm, 0x22000, 1, VM_READ));
	KTEST_EXPECT_EQ(t, mm_brk(mm, -(long)(64 * PAGE_SIZE)), -EINVAL);
	KTEST_EXPECT_EQ(t, mm_brk(mm, 0x7fffffffffffL), -ENOMEM);
	/* a huge growth succeeds (nothing is allocated) and gives no RSS */
	KTEST_EXPECT_EQ(t, mm_brk(mm, 1L << 30), 0x21001);
	KTEST_EXPECT_EQ(t, mm->rss_pages, 2);
	mmput(mm);
	/* page tables, VMAs and pages all came back (a VMA pool page may stay) */
	KTEST_EXPECT_TRUE(t, before - nr_free_pages() <= 1);
}

static struct ktest_case uaccess_cases[] = {
    KTEST_CASE(test_uaccess_checks),
    KTEST_CASE(test_uaccess_without_mm),
    KTEST_CASE(test_brk),
    {},
};
KTEST_SUITE(uaccess, uaccess_cases);
