/*
 * tools/testing/vma/test_vma.c - host tests for mm/vma.c.
 *
 * The environment hooks (vma_zap_range, vma_change_protection) update a
 * model: an array with the expected flags of every page of a small address
 * space, plus counters of zapped pages. After each operation the tree must
 * match the model page by page, have no overlaps, be fully merged, and keep
 * map_count and total_vm right.
 */
#include "vma.h"
#include "ktest-host.h"
#include <kernel/errno.h>

#include <stdlib.h>

#define PG 4096UL
#define BASE 0x10000UL
#define NPAGES 512

static long live_vmas, zapped_pages, protected_pages;

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	(void)mm;
	live_vmas++;
	return calloc(1, sizeof(struct vm_area_struct));
}

void vm_area_free(struct vm_area_struct *vma)
{
	live_vmas--;
	free(vma);
}

void vma_zap_range(struct vm_area_struct *vma, u64 start, u64 end)
{
	(void)vma;
	zapped_pages += (end - start) / PG;
}

void vma_change_protection(struct vm_area_struct *vma, u64 start, u64 end)
{
	(void)vma;
	protected_pages += (end - start) / PG;
}

void vma_get_file(struct file *f)
{
	(void)f;
}

void vma_put_file(struct file *f)
{
	(void)f;
}

/* one thread on the host: the VMA lock only has to be taken and released in pairs */
static int lock_depth;

void spin_lock_init(struct spinlock *lk, const char *name)
{
	(void)lk;
	(void)name;
}

void spin_lock(struct spinlock *lk)
{
	(void)lk;
	lock_depth++;
}

void spin_unlock(struct spinlock *lk)
{
	(void)lk;
	lock_depth--;
}

pgprot_t vm_get_page_prot(unsigned long flags)
{
	return (pgprot_t){flags * 3};
}

static unsigned long model[NPAGES]; /* 0 = unmapped, else vm_flags */

static void model_set(u64 start, u64 end, unsigned long flags)
{
	for (u64 a = start; a < end; a += PG)
		model[(a - BASE) / PG] = flags;
}

static void check(struct mm_struct *mm)
{
	int count = 0;
	u64 pages = 0, last_end = 0;
	struct vm_area_struct *prev = NULL;

	for (struct rb_node *n = rb_first(&mm->mm_rb); n; n = rb_next(n)) {
		struct vm_area_struct *v = rb_entry(n, struct vm_area_struct, vm_rb);
		count++;
		pages += (v->vm_end - v->vm_start) / PG;
		EXPECT_LT(v->vm_start, v->vm_end);
		EXPECT_GE(v->vm_start, last_end);
		EXPECT_EQ(v->vm_page_prot.val, v->vm_flags * 3);
		if (prev && prev->vm_end == v->vm_start)
			EXPECT_NE(prev->vm_flags, v->vm_flags); /* would have merged */
		last_end = v->vm_end;
		prev = v;
	}
	EXPECT_EQ(lock_depth, 0); /* every vma_lock taken was released */
	EXPECT_EQ(count, mm->map_count);
	EXPECT_EQ(pages, mm->total_vm);
	EXPECT_EQ(count, live_vmas);
	for (int i = 0; i < NPAGES; i++) {
		u64 a = BASE + i * PG;
		struct vm_area_struct *v = find_vma(mm, a);
		if (model[i]) {
			if (!v || v->vm_start > a) {
				ktest_fail(__FILE__, __LINE__, "page 0x%llx should be mapped", a);
				return;
			}
			EXPECT_EQ(v->vm_flags, model[i]);
		} else if (v && v->vm_start <= a) {
			ktest_fail(__FILE__, __LINE__, "page 0x%llx should be unmapped", a);
			return;
		}
	}
}

static void reset(struct mm_struct *mm)
{
	vma_remove_all(mm);
	memset(mm, 0, sizeof(*mm));
	memset(model, 0, sizeof(model));
	zapped_pages = protected_pages = 0;
}

#define RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define RO (VM_READ | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

TEST(find_vma_semantics)
{
	struct mm_struct mm = {0};

	ASSERT_NOT_NULL(vma_map_range(&mm, BASE + 4 * PG, BASE + 8 * PG, RW, NULL, 0));
	ASSERT_NOT_NULL(vma_map_range(&mm, BASE + 16 * PG, BASE + 20 * PG, RO, NULL, 0));
	EXPECT_EQ(find_vma(&mm, BASE)->vm_start, BASE + 4 * PG); /* the next one up */
	EXPECT_EQ(find_vma(&mm, BASE + 5 * PG)->vm_start, BASE + 4 * PG);
	EXPECT_EQ(find_vma(&mm, BASE + 8 * PG)->vm_start, BASE + 16 * PG);
	EXPECT_NULL(find_vma(&mm, BASE + 20 * PG));
	EXPECT_NULL(find_vma_intersection(&mm, BASE + 8 * PG, BASE + 16 * PG));
	EXPECT_NOT_NULL(find_vma_intersection(&mm, BASE + 8 * PG, BASE + 17 * PG));
	/* overlapping or unaligned requests are refused */
	EXPECT_NULL(vma_map_range(&mm, BASE + 6 * PG, BASE + 10 * PG, RW, NULL, 0));
	EXPECT_NULL(vma_map_range(&mm, BASE + 100, BASE + PG, RW, NULL, 0));
	reset(&mm);
}

TEST(adjacent_compatible_areas_merge)
{
	struct mm_struct mm = {0};

	vma_map_range(&mm, BASE, BASE + 4 * PG, RW, NULL, 0);
	vma_map_range(&mm, BASE + 8 * PG, BASE + 12 * PG, RW, NULL, 0);
	EXPECT_EQ(mm.map_count, 2);
	vma_map_range(&mm, BASE + 4 * PG, BASE + 8 * PG, RW, NULL, 0); /* fills the hole */
	EXPECT_EQ(mm.map_count, 1);
	EXPECT_EQ(mm.total_vm, 12);
	vma_map_range(&mm, BASE + 12 * PG, BASE + 13 * PG, RO, NULL, 0); /* different: no merge */
	EXPECT_EQ(mm.map_count, 2);
	/* file mappings merge only with consecutive offsets */
	struct file *f = (struct file *)0x1000;
	vma_map_range(&mm, BASE + 20 * PG, BASE + 22 * PG, RO, f, 0);
	vma_map_range(&mm, BASE + 22 * PG, BASE + 24 * PG, RO, f, 5);
	EXPECT_EQ(mm.map_count, 4);
	vma_map_range(&mm, BASE + 24 * PG, BASE + 25 * PG, RO, f, 7);
	EXPECT_EQ(mm.map_count, 4);
	reset(&mm);
}

TEST(munmap_in_the_middle_splits_in_three)
{
	struct mm_struct mm = {0};

	vma_map_range(&mm, BASE, BASE + 10 * PG, RW, NULL, 0);
	model_set(BASE, BASE + 10 * PG, RW);
	EXPECT_EQ(do_vmi_munmap(&mm, BASE + 3 * PG, 4 * PG), 0);
	model_set(BASE + 3 * PG, BASE + 7 * PG, 0);
	EXPECT_EQ(mm.map_count, 2);
	EXPECT_EQ(zapped_pages, 4);
	check(&mm);
	/* unmapping nothing is fine; bad arguments are not */
	EXPECT_EQ(do_vmi_munmap(&mm, BASE + 3 * PG, PG), 0);
	EXPECT_EQ(do_vmi_munmap(&mm, BASE + 1, PG), -EINVAL);
	EXPECT_EQ(do_vmi_munmap(&mm, BASE, 0), -EINVAL);
	/* a range spanning several VMAs and holes */
	EXPECT_EQ(do_vmi_munmap(&mm, BASE + PG, 8 * PG), 0);
	model_set(BASE + PG, BASE + 9 * PG, 0);
	check(&mm);
	reset(&mm);
}

TEST(file_offsets_follow_splits)
{
	struct mm_struct mm = {0};
	struct file *f = (struct file *)0x2000;

	vma_map_range(&mm, BASE, BASE + 8 * PG, RO, f, 100);
	EXPECT_EQ(do_vmi_munmap(&mm, BASE + 2 * PG, 3 * PG), 0);
	struct vm_area_struct *hi = find_vma(&mm, BASE + 5 * PG);
	ASSERT_NOT_NULL(hi);
	EXPECT_EQ(hi->vm_start, BASE + 5 * PG);
	EXPECT_EQ(hi->vm_pgoff, 105);
	EXPECT_EQ(find_vma(&mm, BASE)->vm_pgoff, 100);
	reset(&mm);
}

/* Does every page of [start, end) map file offset @pgoff0 + its page index? */
static void expect_file_pages(struct mm_struct *mm, u64 start, u64 end, unsigned long pgoff0)
{
	for (u64 a = start; a < end; a += PG) {
		struct vm_area_struct *v = find_vma(mm, a);

		if (!v || v->vm_start > a) {
			ktest_fail(__FILE__, __LINE__, "page 0x%llx should be mapped", a);
			return;
		}
		EXPECT_EQ(v->vm_pgoff + (a - v->vm_start) / PG, pgoff0 + (a - start) / PG);
	}
}

/* split_vma keeps each page's file offset whichever half is the new VMA */
TEST(file_offsets_follow_splits_both_ways)
{
	struct mm_struct mm = {0};
	struct file *f = (struct file *)0x3000;
	struct vm_area_struct *v;

	v = vma_map_range(&mm, BASE, BASE + 12 * PG, RO, f, 100);
	ASSERT_NOT_NULL(v);
	EXPECT_EQ(split_vma(v, BASE + 8 * PG, false), 0); /* the new VMA is the upper half */
	expect_file_pages(&mm, BASE, BASE + 12 * PG, 100);
	EXPECT_EQ(find_vma(&mm, BASE + 8 * PG)->vm_pgoff, 108);
	EXPECT_EQ(split_vma(find_vma(&mm, BASE), BASE + 3 * PG, true), 0); /* new below */
	expect_file_pages(&mm, BASE, BASE + 12 * PG, 100);
	EXPECT_EQ(find_vma(&mm, BASE + 3 * PG)->vm_pgoff, 103);
	EXPECT_EQ(mm.map_count, 3);
	/* mprotect splits at both ends (the upper split makes the new VMA the
	 * upper part); going back, the three merge again only if the offsets
	 * run on */
	reset(&mm);
	vma_map_range(&mm, BASE, BASE + 10 * PG, RO, f, 100);
	EXPECT_EQ(mprotect_range(&mm, BASE + 3 * PG, BASE + 6 * PG, VM_READ | VM_WRITE), 0);
	EXPECT_EQ(mm.map_count, 3);
	expect_file_pages(&mm, BASE, BASE + 10 * PG, 100);
	EXPECT_EQ(find_vma(&mm, BASE + 6 * PG)->vm_pgoff, 106);
	EXPECT_EQ(mprotect_range(&mm, BASE + 3 * PG, BASE + 6 * PG, VM_READ), 0);
	EXPECT_EQ(mm.map_count, 1);
	expect_file_pages(&mm, BASE, BASE + 10 * PG, 100);
	reset(&mm);
}

TEST(mprotect_splits_and_remerges)
{
	struct mm_struct mm = {0};

	vma_map_range(&mm, BASE, BASE + 10 * PG, RW, NULL, 0);
	model_set(BASE, BASE + 10 * PG, RW);
	EXPECT_EQ(mprotect_range(&mm, BASE + 2 * PG, BASE + 4 * PG, VM_READ), 0);
	model_set(BASE + 2 * PG, BASE + 4 * PG, RO);
	EXPECT_EQ(mm.map_count, 3);
	EXPECT_EQ(protected_pages, 2);
	check(&mm);
	EXPECT_EQ(mprotect_range(&mm, BASE + 2 * PG, BASE + 4 * PG, VM_READ | VM_WRITE), 0);
	model_set(BASE + 2 * PG, BASE + 4 * PG, RW);
	EXPECT_EQ(mm.map_count, 1); /* back to one VMA */
	check(&mm);
	/* a hole in the range: ENOMEM, nothing changed */
	vma_map_range(&mm, BASE + 20 * PG, BASE + 22 * PG, RW, NULL, 0);
	model_set(BASE + 20 * PG, BASE + 22 * PG, RW);
	EXPECT_EQ(mprotect_range(&mm, BASE + 8 * PG, BASE + 21 * PG, VM_READ), -ENOMEM);
	check(&mm);
	/* beyond VM_MAY*: EACCES */
	vma_map_range(&mm, BASE + 30 * PG, BASE + 31 * PG, VM_READ | VM_MAYREAD, NULL, 0);
	model_set(BASE + 30 * PG, BASE + 31 * PG, VM_READ | VM_MAYREAD);
	EXPECT_EQ(mprotect_range(&mm, BASE + 30 * PG, BASE + 31 * PG, VM_READ | VM_WRITE), -EACCES);
	check(&mm);
	reset(&mm);
}

TEST(gaps_are_found_top_down)
{
	struct mm_struct mm = {0};
	u64 top = BASE + NPAGES * PG;

	EXPECT_EQ(vma_find_gap(&mm, 4 * PG, BASE, top), top - 4 * PG);
	vma_map_range(&mm, top - 8 * PG, top, RW, NULL, 0);
	vma_map_range(&mm, top - 20 * PG, top - 10 * PG, RW, NULL, 0);
	EXPECT_EQ(vma_find_gap(&mm, 2 * PG, BASE, top), top - 10 * PG); /* the 2-page hole */
	EXPECT_EQ(vma_find_gap(&mm, 3 * PG, BASE, top), top - 23 * PG);
	EXPECT_EQ(vma_find_gap(&mm, NPAGES * PG, BASE, top), 0);
	reset(&mm);
}

TEST(random_against_model)
{
	struct mm_struct mm = {0};
	static const unsigned long flag_choices[] = {RW, RO,
						     VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYEXEC};

	srand(7);
	for (int op = 0; op < 6000; op++) {
		u64 s = BASE + (rand() % (NPAGES - 1)) * PG;
		u64 n = 1 + rand() % 24;
		u64 e = s + n * PG;
		if (e > BASE + NPAGES * PG)
			e = BASE + NPAGES * PG;
		unsigned long f = flag_choices[rand() % 3];
		switch (rand() % 3) {
		case 0: {
			bool free = true;
			for (u64 a = s; a < e; a += PG)
				free &= model[(a - BASE) / PG] == 0;
			struct vm_area_struct *v = vma_map_range(&mm, s, e, f, NULL, 0);
			ASSERT_EQ(v != NULL, free);
			if (free)
				model_set(s, e, f);
			break;
		}
		case 1:
			ASSERT_EQ(do_vmi_munmap(&mm, s, e - s), 0);
			model_set(s, e, 0);
			break;
		case 2: {
			/* like Linux: the first problem in address order decides */
			int expect = 0;
			for (u64 a = s; a < e && !expect; a += PG) {
				unsigned long m = model[(a - BASE) / PG];
				if (!m)
					expect = -ENOMEM;
				else if (((f & VM_WRITE) && !(m & VM_MAYWRITE)) ||
					 ((f & VM_EXEC) && !(m & VM_MAYEXEC)))
					expect = -EACCES;
			}
			int err = mprotect_range(&mm, s, e, f & VM_ACCESS_FLAGS);
			ASSERT_EQ(err, expect);
			if (!err)
				for (u64 a = s; a < e; a += PG) {
					unsigned long *m = &model[(a - BASE) / PG];
					*m = (*m & ~VM_ACCESS_FLAGS) | (f & VM_ACCESS_FLAGS);
				}
			break;
		}
		}
		if (op % 50 == 0)
			check(&mm);
	}
	check(&mm);
	struct mm_struct copy = {0};
	ASSERT_EQ(vma_dup_all(&copy, &mm), 0);
	EXPECT_EQ(copy.map_count, mm.map_count);
	EXPECT_EQ(copy.total_vm, mm.total_vm);
	vma_remove_all(&copy);
	reset(&mm);
	EXPECT_EQ(live_vmas, 0);
}
