/*
 * tools/testing/memory/test_cow.c - copy-on-write fork (mm/memory.c:
 * dup_mm, do_wp_page): the child shares every page read-only; the first
 * writer gets a copy with the same contents and the other side keeps the
 * original; the last sharer reuses the page instead of copying; shared
 * mappings stay shared; mprotect does not make a shared page writable;
 * and parent and child together give every page back.
 */
#include <kernel/errno.h>
#include "ktest-host.h"
#include "memory-host.h"

#define PG PAGE_SIZE
#define BASE 0x100000UL
#define NPG 8
#define RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)

static u8 pattern(int page, int off)
{
	return (u8)(page * 31 + off * 7 + 1);
}

/* A parent whose NPG pages at BASE hold pattern(), plus its fork. */
static struct mm_struct *parent_with_pages(void)
{
	struct mm_struct *mm = memory_host_mm(BASE, BASE + NPG * PG, RW);

	if (!mm)
		return NULL;
	for (int i = 0; i < NPG; i++)
		for (int off = 0; off < (int)PG; off += 509)
			if (user_write(mm, BASE + i * PG + off, pattern(i, off), NULL))
				return NULL;
	return mm;
}

/* Does page @i of @mm hold pattern() (with byte @changed_off = @changed, if >= 0)? */
static bool holds_pattern(struct mm_struct *mm, int i, int changed_off, u8 changed)
{
	for (int off = 0; off < (int)PG; off += 509) {
		u8 v;

		if (user_read(mm, BASE + i * PG + off, &v, NULL))
			return false;
		if (v != (off == changed_off ? changed : pattern(i, off)))
			return false;
	}
	return true;
}

static int refs(struct mm_struct *mm, u64 va)
{
	return page_ref_count(pfn_to_page(pte_pfn(user_pte(mm, va))));
}

TEST(fork_shares_every_page_read_only)
{
	struct mm_struct *parent, *child;
	unsigned long free_before;

	memory_host_boot();
	parent = parent_with_pages();
	ASSERT_NOT_NULL(parent);
	free_before = memory_host_free_pages();
	child = dup_mm(parent);
	ASSERT_NOT_NULL(child);
	for (int i = 0; i < NPG; i++) {
		pte_t p = user_pte(parent, BASE + i * PG), c = user_pte(child, BASE + i * PG);

		EXPECT_TRUE(pte_present(p) && pte_present(c));
		EXPECT_EQ(pte_pfn(p), pte_pfn(c));
		EXPECT_FALSE(pte_write(p)); /* the parent too: whoever writes first copies */
		EXPECT_FALSE(pte_write(c));
		EXPECT_EQ(refs(parent, BASE + i * PG), 2);
		EXPECT_TRUE(holds_pattern(child, i, -1, 0));
	}
	EXPECT_EQ(child->rss_pages, parent->rss_pages);
	/* no page was copied: only the child's page tables and root (3 pages) */
	EXPECT_GE(memory_host_free_pages(), free_before - 3);
	mmput(child);
	mmput(parent);
}

TEST(the_first_writer_gets_a_copy_and_the_other_keeps_the_original)
{
	struct mm_struct *parent, *child;
	u64 va = BASE + 3 * PG, shared_pfn;

	memory_host_boot();
	parent = parent_with_pages();
	ASSERT_NOT_NULL(parent);
	child = dup_mm(parent);
	ASSERT_NOT_NULL(child);
	shared_pfn = pte_pfn(user_pte(parent, va));
	ASSERT_EQ(user_write(parent, va + 509, 0xee, NULL), 0);
	/* the parent has a new page, a copy of the old one with its write */
	EXPECT_NE(pte_pfn(user_pte(parent, va)), shared_pfn);
	EXPECT_TRUE(pte_write(user_pte(parent, va)));
	EXPECT_TRUE(holds_pattern(parent, 3, 509, 0xee));
	EXPECT_EQ(vm_cow_copies, 1);
	/* the child still sees the original, now its alone */
	EXPECT_EQ(pte_pfn(user_pte(child, va)), shared_pfn);
	EXPECT_TRUE(holds_pattern(child, 3, -1, 0));
	EXPECT_EQ(refs(child, va), 1);
	EXPECT_EQ(refs(parent, va), 1);
	/* and the other way round on another page */
	ASSERT_EQ(user_write(child, BASE + 5 * PG, 0x11, NULL), 0);
	EXPECT_TRUE(holds_pattern(child, 5, 0, 0x11));
	EXPECT_TRUE(holds_pattern(parent, 5, -1, 0));
	EXPECT_EQ(vm_cow_copies, 2);
	mmput(child);
	mmput(parent);
}

TEST(the_last_sharer_reuses_the_page_instead_of_copying)
{
	struct mm_struct *parent, *child;
	u64 va = BASE + 2 * PG, pfn;
	unsigned long free_before;

	memory_host_boot();
	parent = parent_with_pages();
	ASSERT_NOT_NULL(parent);
	child = dup_mm(parent);
	ASSERT_NOT_NULL(child);
	pfn = pte_pfn(user_pte(child, va));
	ASSERT_EQ(user_write(parent, va, 1, NULL), 0); /* parent copies */
	free_before = memory_host_free_pages();
	ASSERT_EQ(user_write(child, va, 2, NULL), 0); /* child is the last user: reuse */
	EXPECT_EQ(pte_pfn(user_pte(child, va)), pfn);
	EXPECT_TRUE(pte_write(user_pte(child, va)));
	EXPECT_EQ(memory_host_free_pages(), free_before);
	EXPECT_EQ(vm_cow_reuses, 1);
	EXPECT_EQ(vm_cow_copies, 1);
	/* the child exits: the parent's remaining shared pages are its own again */
	mmput(child);
	u64 other = BASE + 6 * PG;
	pfn = pte_pfn(user_pte(parent, other));
	EXPECT_EQ(refs(parent, other), 1);
	ASSERT_EQ(user_write(parent, other, 3, NULL), 0);
	EXPECT_EQ(pte_pfn(user_pte(parent, other)), pfn);
	EXPECT_EQ(vm_cow_reuses, 2);
	EXPECT_TRUE(holds_pattern(parent, 6, 0, 3));
	mmput(parent);
}

TEST(a_page_shared_by_three_is_copied_until_one_user_is_left)
{
	struct mm_struct *a, *b, *c;
	u64 va = BASE + PG, pfn;

	memory_host_boot();
	a = parent_with_pages();
	ASSERT_NOT_NULL(a);
	b = dup_mm(a);
	c = dup_mm(a);
	ASSERT_TRUE(b && c);
	pfn = pte_pfn(user_pte(a, va));
	EXPECT_EQ(refs(a, va), 3);
	ASSERT_EQ(user_write(b, va, 0xb, NULL), 0);
	EXPECT_NE(pte_pfn(user_pte(b, va)), pfn);
	EXPECT_EQ(refs(a, va), 2);
	ASSERT_EQ(user_write(c, va, 0xc, NULL), 0);
	EXPECT_NE(pte_pfn(user_pte(c, va)), pfn);
	ASSERT_EQ(user_write(a, va, 0xa, NULL), 0); /* last: reused */
	EXPECT_EQ(pte_pfn(user_pte(a, va)), pfn);
	EXPECT_TRUE(holds_pattern(a, 1, 0, 0xa));
	EXPECT_TRUE(holds_pattern(b, 1, 0, 0xb));
	EXPECT_TRUE(holds_pattern(c, 1, 0, 0xc));
	EXPECT_EQ(vm_cow_copies, 2);
	EXPECT_EQ(vm_cow_reuses, 1);
	mmput(c);
	mmput(b);
	mmput(a);
}

TEST(zero_page_mappings_are_shared_and_each_writer_gets_its_own_page)
{
	struct mm_struct *parent, *child;
	u8 v;

	memory_host_boot();
	parent = memory_host_mm(BASE, BASE + 2 * PG, RW);
	ASSERT_NOT_NULL(parent);
	ASSERT_EQ(user_read(parent, BASE, &v, NULL), 0);
	int zero_refs = refs(parent, BASE);
	child = dup_mm(parent);
	ASSERT_NOT_NULL(child);
	EXPECT_TRUE(is_zero_pfn(pte_pfn(user_pte(child, BASE))));
	EXPECT_EQ(refs(parent, BASE), zero_refs); /* the zero page is never counted */
	ASSERT_EQ(user_write(child, BASE, 5, NULL), 0);
	ASSERT_EQ(user_write(parent, BASE, 6, NULL), 0);
	EXPECT_NE(pte_pfn(user_pte(child, BASE)), pte_pfn(user_pte(parent, BASE)));
	EXPECT_FALSE(is_zero_pfn(pte_pfn(user_pte(parent, BASE))));
	ASSERT_EQ(user_read(child, BASE, &v, NULL), 0);
	EXPECT_EQ(v, 5);
	ASSERT_EQ(user_read(parent, BASE, &v, NULL), 0);
	EXPECT_EQ(v, 6);
	ASSERT_EQ(user_read(parent, BASE + 1, &v, NULL), 0);
	EXPECT_EQ(v, 0);
	mmput(child);
	mmput(parent);
}

TEST(a_shared_mapping_stays_shared_after_fork)
{
	struct mm_struct *parent, *child;
	u8 v;

	memory_host_boot();
	parent = memory_host_mm(BASE, BASE + 2 * PG, RW | VM_SHARED | VM_MAYSHARE);
	ASSERT_NOT_NULL(parent);
	ASSERT_EQ(user_write(parent, BASE, 1, NULL), 0);
	child = dup_mm(parent);
	ASSERT_NOT_NULL(child);
	ASSERT_EQ(user_write(child, BASE, 2, NULL), 0);
	ASSERT_EQ(user_read(parent, BASE, &v, NULL), 0);
	EXPECT_EQ(v, 2); /* the parent sees the child's write */
	EXPECT_EQ(pte_pfn(user_pte(parent, BASE)), pte_pfn(user_pte(child, BASE)));
	EXPECT_EQ(vm_cow_copies, 0);
	mmput(child);
	mmput(parent);
}

TEST(mprotect_does_not_make_a_shared_page_writable)
{
	struct mm_struct *parent, *child;

	memory_host_boot();
	parent = parent_with_pages();
	ASSERT_NOT_NULL(parent);
	child = dup_mm(parent);
	ASSERT_NOT_NULL(child);
	ASSERT_EQ(mprotect_range(parent, BASE, BASE + NPG * PG, VM_READ), 0);
	ASSERT_EQ(mprotect_range(parent, BASE, BASE + NPG * PG, VM_READ | VM_WRITE), 0);
	EXPECT_FALSE(pte_write(user_pte(parent, BASE + 4 * PG)));
	ASSERT_EQ(user_write(parent, BASE + 4 * PG, 0x99, NULL), 0);
	EXPECT_TRUE(holds_pattern(child, 4, -1, 0));
	EXPECT_TRUE(holds_pattern(parent, 4, 0, 0x99));
	mmput(child);
	mmput(parent);
}

TEST(parent_and_child_give_every_page_back)
{
	struct mm_struct *parent, *child;
	unsigned long free_before;

	memory_host_boot();
	parent = memory_host_mm(BASE, BASE + PG, RW); /* warm up the slab caches */
	ASSERT_NOT_NULL(parent);
	child = dup_mm(parent);
	ASSERT_NOT_NULL(child);
	mmput(child);
	mmput(parent);
	free_before = memory_host_free_pages();
	parent = parent_with_pages();
	ASSERT_NOT_NULL(parent);
	child = dup_mm(parent);
	ASSERT_NOT_NULL(child);
	for (int i = 0; i < NPG; i += 2)
		ASSERT_EQ(user_write(i % 4 ? child : parent, BASE + i * PG, 0, NULL), 0);
	mmput(parent); /* the parent first: the child keeps the pages it shares */
	for (int i = 1; i < NPG; i += 2)
		EXPECT_TRUE(holds_pattern(child, i, -1, 0));
	mmput(child);
	EXPECT_EQ(memory_host_free_pages(), free_before);
}
