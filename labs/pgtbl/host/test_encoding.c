/*
 * labs/pgtbl/host/test_encoding.c - task 1: the architecture's PTE format
 * (asm/pgtable.h): indexes, level sizes, table entries and leaves.
 */
#include "host.h"

/* log2(PTRS_PER_TABLE): index bits per level */
static int index_bits(void)
{
	int b = 0;

	while ((1u << b) < PTRS_PER_TABLE)
		b++;
	return b;
}

TEST(encoding_index_and_level_size)
{
	int bits = index_bits();
	u64 va = 0;

	HOST_BEGIN();
	/* a VA whose index at level l is 0x100 + 0x11 * l: all different */
	for (int l = 0; l < PT_LEVELS; l++)
		va |= (u64)((0x100 + 0x11 * l) & (PTRS_PER_TABLE - 1)) << (PAGE_SHIFT + bits * l);
	va |= 0x123; /* page offset: ignored */
	for (int l = 0; l < PT_LEVELS; l++) {
		EXPECT_EQ(pt_index(l, va), (0x100 + 0x11 * l) & (PTRS_PER_TABLE - 1));
		EXPECT_EQ(pt_level_size(l), 1ULL << (PAGE_SHIFT + bits * l));
	}
	/* the offset and the bits above the top level do not matter */
	EXPECT_EQ(pt_index(0, 0xfff), 0);
	EXPECT_EQ(pt_index(0, 0x1000), 1);
	EXPECT_EQ(pt_index(1, (u64)PTRS_PER_TABLE << PAGE_SHIFT), 1);
	EXPECT_EQ(pt_index(PT_LEVELS - 1, ~0ULL), PTRS_PER_TABLE - 1);
	EXPECT_EQ(pt_index(0, ~0ULL), PTRS_PER_TABLE - 1);
	for (int i = 0; i < 1000; i++) {
		u64 v = ktest_rand();
		for (int l = 0; l < PT_LEVELS; l++)
			EXPECT_EQ(pt_index(l, v),
				  (v >> (PAGE_SHIFT + bits * l)) & (PTRS_PER_TABLE - 1));
	}
}

TEST(encoding_tables_and_leaves)
{
	static const u64 pfns[] = {0x1, 0x80000, 0x80001, 0x87654, 0xfffff, 0x123456, 0xfedcba9};

	HOST_BEGIN();
	for (unsigned i = 0; i < ARRAY_SIZE(pfns); i++) {
		u64 pa = pfns[i] << PAGE_SHIFT;
		pte_t t = pte_mktable(pa);

		EXPECT_TRUE(pte_present(t));
		EXPECT_FALSE(pte_none(t));
		EXPECT_EQ(pte_table_pa(t), pa);
		for (int l = 1; l < PT_LEVELS; l++)
			EXPECT_FALSE(pte_leaf(t, l)); /* a pointer to a table is not a leaf */
		for (int l = 0; l < PT_LEVELS; l++) {
			pte_t rw = pfn_pte(pfns[i], PROT_RW, l);
			pte_t ro = pfn_pte(pfns[i], PROT_RO, l);
			pte_t rx = pfn_pte(pfns[i], PROT_RX, l);
			pte_t u = pfn_pte(pfns[i], PROT_USER_RW, l);

			EXPECT_TRUE(pte_present(rw) && pte_present(ro) && pte_present(rx));
			EXPECT_TRUE(pte_leaf(rw, l) && pte_leaf(ro, l) && pte_leaf(rx, l));
			EXPECT_EQ(pte_pfn(rw), pfns[i]);
			EXPECT_EQ(pte_pfn(ro), pfns[i]);
			EXPECT_EQ(pte_pfn(rx), pfns[i]);
			/* the protection survives the encoding */
			EXPECT_TRUE(pte_read(rw) && pte_write(rw) && !pte_exec(rw) &&
				    !pte_user(rw));
			EXPECT_TRUE(pte_read(ro) && !pte_write(ro) && !pte_exec(ro));
			EXPECT_TRUE(pte_read(rx) && !pte_write(rx) && pte_exec(rx));
			EXPECT_TRUE(pte_user(u) && pte_write(u));
			EXPECT_TRUE(pte_young(rw));
			if (ktest_failed()) {
				KTEST_LOG("pfn 0x%llx level %d: pfn_pte(PAGE_KERNEL) = 0x%016llx",
					  (unsigned long long)pfns[i], l,
					  (unsigned long long)pte_val(rw));
				return;
			}
		}
	}
	EXPECT_FALSE(pte_present(__pte(0)));
}

/*
 * Known answers, from the architecture manuals (the diagrams at the top of
 * asm/pgtable.h): a walker in hardware reads these bits, not our accessors.
 */
TEST(encoding_matches_the_hardware_format)
{
	HOST_BEGIN();
#if defined(PAGODA_ARCH_riscv)
	/* Sv39: PPN at bit 10; a pointer has V=1 and R=W=X=0 (and nothing else) */
	EXPECT_EQ(pte_val(pte_mktable(0x87654000)), (0x87654ULL << 10) | 0x1);
	for (int l = 0; l < PT_LEVELS; l++) {
		EXPECT_EQ(pte_val(pfn_pte(0x87654, PAGE_KERNEL, l)),
			  (0x87654ULL << 10) | pgprot_val(PAGE_KERNEL));
		EXPECT_EQ(pte_val(pfn_pte(0x80000, PAGE_KERNEL_EXEC, l)),
			  (0x80000ULL << 10) | pgprot_val(PAGE_KERNEL_EXEC));
	}
	/* any of R, W, X makes a leaf; V alone is a pointer */
	EXPECT_TRUE(pte_leaf(__pte(0x1 | 0x8), 1));
	EXPECT_TRUE(pte_leaf(__pte(0x1 | 0x2), 2));
	EXPECT_FALSE(pte_leaf(__pte(0x1 | (0x87654ULL << 10)), 1));
	EXPECT_EQ(pte_pfn(__pte((0xfedcba987ULL << 10) | 0xcf)), 0xfedcba987ULL);
	EXPECT_EQ(pte_table_pa(__pte((0x87654ULL << 10) | 0x1)), 0x87654000ULL);
#elif defined(PAGODA_ARCH_arm64)
	/* ARMv8: output address in bits 47:12; bits 1:0 = 11 table (levels 2..1) or page
	 * (level 0), 01 block (a large leaf at levels 2..1) */
	EXPECT_EQ(pte_val(pte_mktable(0x47654000)), 0x47654000ULL | 0x3);
	EXPECT_EQ(pte_val(pfn_pte(0x47654, PAGE_KERNEL, 0)),
		  0x47654000ULL | pgprot_val(PAGE_KERNEL) | 0x3);
	for (int l = 1; l < PT_LEVELS; l++) {
		EXPECT_EQ(pte_val(pfn_pte(0x47654, PAGE_KERNEL, l)),
			  (0x47654000ULL | pgprot_val(PAGE_KERNEL) | 0x1) & ~0x2ULL);
		EXPECT_TRUE(pte_leaf(__pte(0x40000000ULL | 0x1), l));
		EXPECT_FALSE(pte_leaf(__pte(0x40000000ULL | 0x3), l));
	}
	EXPECT_TRUE(pte_leaf(__pte(0x40000000ULL | 0x3), 0));
	EXPECT_EQ(pte_pfn(__pte(0x0060fedcba987703ULL)), 0xfedcba987ULL);
	EXPECT_EQ(pte_table_pa(__pte(0x0000000047654003ULL)), 0x47654000ULL);
#else
	SKIP("no known-answer vectors for this architecture yet");
#endif
}
