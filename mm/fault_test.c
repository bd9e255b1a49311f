/*
 * mm/fault_test.c - KTAP suite "fault": demand paging and copy-on-write on
 * a scratch address space, checked through its page tables and the pages'
 * reference counts.
 */
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include "vma.h"

#define RW_FLAGS (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)
#define A 0x40000000UL

static pte_t pte_at(struct mm_struct *mm, u64 va)
{
	pte_t *p = walk_pgtable(mm->pgd, va, false);

	return p ? ptep_get(p) : (pte_t){0};
}

static void test_read_maps_zero_page_write_allocates(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	const char *why;

	KTEST_ASSERT_TRUE(t, mm != NULL);
	KTEST_ASSERT_TRUE(t, vma_map_range(mm, A, A + 4 * PAGE_SIZE, RW_FLAGS, NULL, 0) != NULL);
	KTEST_EXPECT_FALSE(t, pte_present(pte_at(mm, A))); /* nothing until touched */
	KTEST_EXPECT_EQ(t, fault_in_page(mm, A, 0, &why), 0);
	pte_t z = pte_at(mm, A);
	KTEST_EXPECT_TRUE(t, pte_present(z) && is_zero_pfn(pte_pfn(z)) && !pte_write(z));
	KTEST_EXPECT_EQ(t, fault_in_page(mm, A + 8, FAULT_FLAG_WRITE, &why), 0);
	pte_t w = pte_at(mm, A);
	KTEST_EXPECT_TRUE(t, pte_write(w) && !is_zero_pfn(pte_pfn(w)));
	KTEST_EXPECT_EQ(t, *(u64 *)__va(pte_pfn(w) << PAGE_SHIFT), 0); /* zeroed */
	/* outside the VMA, or without permission: refused with a reason */
	KTEST_EXPECT_EQ(t, fault_in_page(mm, A + 4 * PAGE_SIZE, 0, &why), -EFAULT);
	KTEST_EXPECT_STREQ(t, why, "no mapping");
	KTEST_EXPECT_EQ(t, fault_in_page(mm, A, FAULT_FLAG_INSTRUCTION, &why), -EFAULT);
	KTEST_EXPECT_STREQ(t, why, "permission");
	mmput(mm);
}

static void test_cow_copy_then_reuse(struct ktest *t)
{
	struct mm_struct *parent = mm_alloc(), *child;
	const char *why;
	unsigned long copies = vm_cow_copies, reuses = vm_cow_reuses;

	KTEST_ASSERT_TRUE(t, parent != NULL);
	KTEST_ASSERT_TRUE(t, vma_map_range(parent, A, A + PAGE_SIZE, RW_FLAGS, NULL, 0) != NULL);
	KTEST_ASSERT_TRUE(t, fault_in_page(parent, A, FAULT_FLAG_WRITE, &why) == 0);
	u64 pfn = pte_pfn(pte_at(parent, A));
	*(u64 *)__va(pfn << PAGE_SHIFT) = 0x1234;
	child = dup_mm(parent);
	KTEST_ASSERT_TRUE(t, child != NULL);
	/* shared, read-only in both, counted twice */
	KTEST_EXPECT_EQ(t, pte_pfn(pte_at(child, A)), pfn);
	KTEST_EXPECT_FALSE(t, pte_write(pte_at(parent, A)));
	KTEST_EXPECT_FALSE(t, pte_write(pte_at(child, A)));
	KTEST_EXPECT_EQ(t, page_ref_count(pfn_to_page(pfn)), 2);
	/* the child writes: it gets a copy with the same contents */
	KTEST_EXPECT_EQ(t, fault_in_page(child, A, FAULT_FLAG_WRITE, &why), 0);
	u64 cpfn = pte_pfn(pte_at(child, A));
	KTEST_EXPECT_NE(t, cpfn, pfn);
	KTEST_EXPECT_EQ(t, *(u64 *)__va(cpfn << PAGE_SHIFT), 0x1234);
	KTEST_EXPECT_EQ(t, vm_cow_copies - copies, 1);
	KTEST_EXPECT_EQ(t, page_ref_count(pfn_to_page(pfn)), 1);
	/* the parent writes next: last user, so the page is reused, not copied */
	KTEST_EXPECT_EQ(t, fault_in_page(parent, A, FAULT_FLAG_WRITE, &why), 0);
	KTEST_EXPECT_EQ(t, pte_pfn(pte_at(parent, A)), pfn);
	KTEST_EXPECT_TRUE(t, pte_write(pte_at(parent, A)));
	KTEST_EXPECT_EQ(t, vm_cow_reuses - reuses, 1);
	mmput(child);
	mmput(parent);
}

static void test_munmap_gives_pages_back(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	const char *why;

	KTEST_ASSERT_TRUE(t, mm != NULL);
	KTEST_ASSERT_TRUE(t, vma_map_range(mm, A, A + 16 * PAGE_SIZE, RW_FLAGS, NULL, 0));
	for (int i = 0; i < 16; i++)
		KTEST_ASSERT_TRUE(t, fault_in_page(mm, A + i * PAGE_SIZE, FAULT_FLAG_WRITE, &why) ==
					 0);
	KTEST_EXPECT_EQ(t, mm->rss_pages, 16);
	unsigned long before = nr_free_pages();
	KTEST_EXPECT_EQ(t, do_vmi_munmap(mm, A + 4 * PAGE_SIZE, 8 * PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, mm->rss_pages, 8);
	KTEST_EXPECT_EQ(t, mm->map_count, 2);
	KTEST_EXPECT_TRUE(t, nr_free_pages() >= before + 8);
	mmput(mm);
}

static void test_stack_grows_down_to_its_limit(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	const char *why;
	u64 top = USER_STACK_TOP;

	KTEST_ASSERT_TRUE(t, mm != NULL);
	KTEST_ASSERT_TRUE(
	    t, vma_map_range(mm, top - PAGE_SIZE, top, RW_FLAGS | VM_GROWSDOWN, NULL, 0) != NULL);
	KTEST_EXPECT_EQ(t, fault_in_page(mm, top - 5 * PAGE_SIZE, FAULT_FLAG_WRITE, &why), 0);
	KTEST_EXPECT_EQ(t, find_vma(mm, top - 1)->vm_start, top - 5 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, fault_in_page(mm, top - STACK_LIMIT - PAGE_SIZE, FAULT_FLAG_WRITE, &why),
			-EFAULT);
	mmput(mm);
}

static struct ktest_case fault_cases[] = {
    KTEST_CASE(test_read_maps_zero_page_write_allocates),
    KTEST_CASE(test_cow_copy_then_reuse),
    KTEST_CASE(test_munmap_gives_pages_back),
    KTEST_CASE(test_stack_grows_down_to_its_limit),
    {},
};
KTEST_SUITE(fault, fault_cases);

/*
 * Suite "bench_vma": measurements for `make bench` only (`ktest=all` leaves it
 * out: figures without bounds are not test results; tools/bench-kernel.py
 * runs it under QEMU -icount shift=0: one instruction = 1 ns of virtual
 * time, so counter ticks convert to instructions).
 */
static u64 instructions(u64 ticks)
{
	return ticks * 1000000000ULL / arch_timer_freq;
}

static void bench_first_touch_fault(struct ktest *t)
{
	enum { N = 512 };
	struct mm_struct *mm = mm_alloc();
	const char *why;

	KTEST_ASSERT_TRUE(t, mm && vma_map_range(mm, A, A + N * PAGE_SIZE, RW_FLAGS, NULL, 0));
	u64 t0 = arch_counter_read();
	for (int i = 0; i < N; i++)
		KTEST_ASSERT_TRUE(t, fault_in_page(mm, A + i * PAGE_SIZE, FAULT_FLAG_WRITE, &why) ==
					 0);
	u64 dt = arch_counter_read() - t0;
	printk("    # bench: first-touch anonymous fault: %llu instructions per fault\n",
	       instructions(dt) / N);
	mmput(mm);
}

/*
 * The baseline: fork as xv6's does it, before copy-on-write. The same VMA
 * copy as dup_mm(), then for every present page of the parent: allocate a
 * page (not zeroed: it is overwritten at once), copy the parent's page into
 * it, and map it in the child with the parent's protection. No fault path,
 * no zeroing: only the work an eager fork cannot avoid.
 */
static struct mm_struct *dup_mm_eager(struct mm_struct *old)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	if (vma_dup_all(mm, old) < 0)
		goto fail;
	for (struct vm_area_struct *v = find_vma(old, 0); v; v = vma_next(v)) {
		for (u64 va = v->vm_start; va < v->vm_end; va += PAGE_SIZE) {
			pte_t *src = walk_pgtable(old->pgd, va, false), *dst;
			unsigned long page;

			if (!src || !pte_present(ptep_get(src)))
				continue;
			page = __get_free_page(GFP_HIGHUSER_MOVABLE);
			if (!page)
				goto fail;
			memcpy((void *)page, __va(pte_pfn(ptep_get(src)) << PAGE_SHIFT), PAGE_SIZE);
			dst = walk_pgtable(mm->pgd, va, true);
			if (!dst) {
				free_page(page);
				goto fail;
			}
			set_pte(dst,
				pfn_pte(__pa(page) >> PAGE_SHIFT, pte_pgprot(ptep_get(src)), 0));
			mm->rss_pages++;
		}
	}
	return mm;
fail:
	mmput(mm);
	return NULL;
}

static void bench_fork_cow_vs_copy(struct ktest *t)
{
	const u64 size = 64UL << 20;
	struct mm_struct *mm = mm_alloc();
	const char *why;

	if (nr_free_pages() < 3 * (size / PAGE_SIZE)) {
		ktest_skip(t, "needs 192 MiB free (run with MEM=256M)");
		if (mm)
			mmput(mm);
		return;
	}
	KTEST_ASSERT_TRUE(t, mm && vma_map_range(mm, A, A + size, RW_FLAGS, NULL, 0));
	for (u64 va = A; va < A + size; va += PAGE_SIZE)
		KTEST_ASSERT_TRUE(t, fault_in_page(mm, va, FAULT_FLAG_WRITE, &why) == 0);
	u64 t0 = arch_counter_read();
	struct mm_struct *cow = dup_mm(mm);
	mmput(cow);
	u64 t_cow = arch_counter_read() - t0;
	t0 = arch_counter_read();
	struct mm_struct *copy = dup_mm_eager(mm);
	u64 t_copied = arch_counter_read() - t0;
	/* a real copy: the child's last page is another frame with the same bytes */
	if (copy) {
		pte_t *p = walk_pgtable(mm->pgd, A + size - PAGE_SIZE, false);
		pte_t *c = walk_pgtable(copy->pgd, A + size - PAGE_SIZE, false);

		KTEST_EXPECT_TRUE(t, p && c && pte_pfn(*p) != pte_pfn(*c) &&
					 memcmp(__va(pte_pfn(*p) << PAGE_SHIFT),
						__va(pte_pfn(*c) << PAGE_SHIFT), PAGE_SIZE) == 0);
		KTEST_EXPECT_EQ(t, copy->rss_pages, mm->rss_pages);
	}
	t0 = arch_counter_read();
	if (copy)
		mmput(copy);
	u64 t_copy = t_copied + arch_counter_read() - t0;
	KTEST_EXPECT_TRUE(t, cow != NULL && copy != NULL);
	printk("    # bench: fork+exit with a 64 MiB touched heap: copy-on-write %llu, eager copy "
	       "%llu instructions (%llu.%llux fewer)\n",
	       instructions(t_cow), instructions(t_copy), t_copy / t_cow,
	       (t_copy * 10 / t_cow) % 10);
	mmput(mm);
}

static u64 time_find_vma(struct mm_struct *mm, int nvmas, int lookups)
{
	u64 sum = 0, t0 = arch_counter_read();

	for (int i = 0; i < lookups; i++) {
		u64 k = (u64)((i * 7919) % nvmas);
		sum += (u64)find_vma(mm, A + k * 2 * PAGE_SIZE);
	}
	(void)sum;
	return arch_counter_read() - t0;
}

static void bench_find_vma(struct ktest *t)
{
	enum { LOOKUPS = 20000 };
	static const int sizes[] = {10, 10000};
	u64 per[2];

	for (int s = 0; s < 2; s++) {
		struct mm_struct *mm = mm_alloc();
		KTEST_ASSERT_TRUE(t, mm != NULL);
		/* one-page VMAs with one-page holes between them: nothing merges */
		for (int i = 0; i < sizes[s]; i++)
			KTEST_ASSERT_TRUE(t, vma_map_range(mm, A + (u64)i * 2 * PAGE_SIZE,
							   A + (u64)i * 2 * PAGE_SIZE + PAGE_SIZE,
							   RW_FLAGS, NULL, 0) != NULL);
		KTEST_EXPECT_EQ(t, mm->map_count, sizes[s]);
		per[s] = instructions(time_find_vma(mm, sizes[s], LOOKUPS)) / LOOKUPS;
		mmput(mm);
	}
	printk("    # bench: find_vma: %llu instructions with 10 VMAs, %llu with 10,000 "
	       "(ratio %llu.%02llu; linear would be 1000)\n",
	       per[0], per[1], per[1] / per[0], (per[1] * 100 / per[0]) % 100);
}

static struct ktest_case bench_vma_cases[] = {
    KTEST_CASE(bench_first_touch_fault),
    KTEST_CASE(bench_fork_cow_vs_copy),
    KTEST_CASE(bench_find_vma),
    {},
};
KTEST_SUITE_EXPLICIT(bench_vma, bench_vma_cases);
