/*
 * labs/pgtbl/hidden/host/test_random.c - hidden from students: random
 * sequences of map_range / unmap_range / lookup_pte / walk_pgtable checked
 * against a simple model, then free_pgtables() must give every page back.
 */
#include <kernel/errno.h>
#include "host.h"

#define WINDOW_PAGES 2048 /* 8 MiB of address space, across a 1 GiB boundary */
#define WINDOW_VA (0x40000000ULL - 4 * 1024 * 1024)

static u64 model_pfn[WINDOW_PAGES]; /* 0 = unmapped */

static void one_seed(unsigned long long seed)
{
	pte_t *pgd;
	unsigned long before;

	host_mm_reset();
	memset(model_pfn, 0, sizeof(model_pfn));
	ktest_srand(seed);
	before = host_pages_in_use();
	pgd = host_new_root();
	ASSERT_NOT_NULL(pgd);
	for (int op = 0; op < 400; op++) {
		unsigned long long r = ktest_rand();
		int first = (int)(r % WINDOW_PAGES), n = 1 + (int)((r >> 16) % 40);
		u64 va = WINDOW_VA + (u64)first * PAGE_SIZE;

		if (first + n > WINDOW_PAGES)
			n = WINDOW_PAGES - first;
		switch ((r >> 32) % 3) {
		case 0: { /* map fresh pages one by one: -EEXIST exactly where mapped */
			for (int i = 0; i < n; i++) {
				u64 pa = host_alloc_page();
				int want = model_pfn[first + i] ? -EEXIST : 0;
				ASSERT_NE(pa, 0);
				int got = map_range(pgd, va + (u64)i * PAGE_SIZE, pa, PAGE_SIZE,
						    PROT_USER_RW, false);
				if (got != want) {
					ktest_fail(
					    __FILE__, __LINE__,
					    "seed %llu op %d: map_range(0x%llx) = %d, expected %d",
					    seed, op, (unsigned long long)(va + i * PAGE_SIZE), got,
					    want);
					return;
				}
				if (got == 0)
					model_pfn[first + i] = pa >> PAGE_SHIFT;
				else
					free_page((unsigned long)__va(pa));
			}
			break;
		}
		case 1: { /* unmap and free */
			u64 want = 0;
			for (int i = 0; i < n; i++) {
				want += model_pfn[first + i] != 0;
				model_pfn[first + i] = 0;
			}
			u64 got = unmap_range(pgd, va, (u64)n * PAGE_SIZE, true);
			if (got != want) {
				ktest_fail(__FILE__, __LINE__,
					   "seed %llu op %d: unmap_range(0x%llx, %d pages) = %llu, "
					   "expected %llu",
					   seed, op, (unsigned long long)va, n,
					   (unsigned long long)got, (unsigned long long)want);
				return;
			}
			break;
		}
		default: /* look every page of the range up */
			for (int i = 0; i < n; i++) {
				int level = -1;
				pte_t *p = lookup_pte(pgd, va + (u64)i * PAGE_SIZE, &level);
				u64 want = model_pfn[first + i];
				if (want ? (!p || level != 0 || pte_pfn(*p) != want) : p != NULL) {
					ktest_fail(
					    __FILE__, __LINE__,
					    "seed %llu op %d: lookup_pte(0x%llx) disagrees with "
					    "the model (expected pfn 0x%llx)",
					    seed, op, (unsigned long long)(va + (u64)i * PAGE_SIZE),
					    (unsigned long long)want);
					return;
				}
				if (p)
					EXPECT_PTR_EQ(
					    walk_pgtable(pgd, va + (u64)i * PAGE_SIZE, false), p);
			}
		}
	}
	free_pgtables(pgd, TASK_SIZE);
	EXPECT_LE(host_pages_in_use(), before + 1); /* + the kernel half's table (RISC-V) */
}

TEST(random_operations_agree_with_a_model)
{
	HOST_BEGIN();
	for (unsigned long long seed = 1; seed <= 3 && !ktest_failed(); seed++)
		one_seed(seed * 0x9e3779b97f4a7c15ULL);
}
