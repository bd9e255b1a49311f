/*
 * labs/vma/host/vma_host.c - the host environment of the vma lab's host
 * tests (see vma_host.h).
 */
#include "vma_host.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

long host_live_vmas;
int host_zapped[NPAGES];
long host_zap_calls;
long host_protected_pages;

static char file_objects[HOST_NFILES]; /* the fake files' addresses */
struct file *host_file[HOST_NFILES] = {
    (struct file *)&file_objects[0], (struct file *)&file_objects[1],
    (struct file *)&file_objects[2], (struct file *)&file_objects[3]};
static int file_refs[HOST_NFILES];

static int file_index(struct file *f)
{
	for (int i = 0; i < HOST_NFILES; i++)
		if (host_file[i] == f)
			return i;
	ktest_fail(__FILE__, __LINE__, "a file pointer no test ever mapped: %p", (void *)f);
	return -1;
}

int host_file_refs(struct file *f)
{
	int i = file_index(f);

	return i < 0 ? -1 : file_refs[i];
}

/* ---- what mm/vma.c asks of its environment ---- */

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = calloc(1, sizeof(*vma));

	host_live_vmas++;
	vma->vm_mm = mm;
	return vma;
}

void vm_area_free(struct vm_area_struct *vma)
{
	host_live_vmas--;
	memset(vma, 0x5a, sizeof(*vma)); /* a use after free shows */
	free(vma);
}

void vma_zap_range(struct vm_area_struct *vma, u64 start, u64 end)
{
	host_zap_calls++;
	if (start < vma->vm_start || end > vma->vm_end || start >= end)
		ktest_fail(
		    __FILE__, __LINE__,
		    "vma_zap_range(0x%llx-0x%llx) of a VMA 0x%llx-0x%llx: outside it or empty",
		    start, end, vma->vm_start, vma->vm_end);
	for (u64 a = start; a < end; a += PG)
		if (a >= BASE && a < A(NPAGES))
			host_zapped[(a - BASE) / PG]++;
}

void vma_change_protection(struct vm_area_struct *vma, u64 start, u64 end)
{
	(void)vma;
	host_protected_pages += (end - start) / PG;
}

void vma_get_file(struct file *f)
{
	int i = file_index(f);

	if (i >= 0)
		file_refs[i]++;
}

void vma_put_file(struct file *f)
{
	int i = file_index(f);

	if (i >= 0 && --file_refs[i] < 0)
		ktest_fail(__FILE__, __LINE__, "file %d: more references dropped than taken", i);
}

pgprot_t vm_get_page_prot(unsigned long flags)
{
	return (pgprot_t){flags * 3 + 1};
}

/* one thread on the host: the VMA lock is only checked to be taken and released in pairs */
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

volatile int panicking;

/* A stub that is not written yet (LAB_TODO) lands here: fail this test only. */
void panic(const char *fmt, ...)
{
	va_list ap;

	printf("# Kernel panic - not syncing: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	_exit(1);
}

/* ---- helpers ---- */

void host_zap_reset(void)
{
	memset(host_zapped, 0, sizeof(host_zapped));
	host_zap_calls = 0;
	host_protected_pages = 0;
}

void host_mm_reset(struct mm_struct *mm)
{
	struct rb_node *n;

	/* free whatever a previous step left, without mm/vma.c (it may be a stub) */
	while ((n = rb_first(&mm->mm_rb)) != NULL) {
		struct vm_area_struct *v = rb_entry(n, struct vm_area_struct, vm_rb);
		rb_erase(n, &mm->mm_rb);
		if (v->vm_file)
			vma_put_file(v->vm_file);
		vm_area_free(v);
	}
	memset(mm, 0, sizeof(*mm));
	mm->mm_rb = RB_ROOT;
	host_live_vmas = 0;
	memset(file_refs, 0, sizeof(file_refs));
	host_zap_reset();
}

struct vm_area_struct *host_insert_raw(struct mm_struct *mm, u64 start, u64 end,
				       unsigned long flags)
{
	struct rb_node **link = &mm->mm_rb.rb_node, *parent = NULL;
	struct vm_area_struct *vma = vm_area_alloc(mm);

	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = flags;
	vma->vm_page_prot = vm_get_page_prot(flags);
	while (*link) {
		parent = *link;
		link = start < rb_entry(parent, struct vm_area_struct, vm_rb)->vm_start
			   ? &parent->rb_left
			   : &parent->rb_right;
	}
	rb_link_node(&vma->vm_rb, parent, link);
	rb_insert_color(&vma->vm_rb, &mm->mm_rb);
	mm->map_count++;
	mm->total_vm += (end - start) / PG;
	return vma;
}

static int report(const char *when, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int report(const char *when, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ktest_fail(__FILE__, __LINE__, "%s: %s", when, msg);
	return -1;
}

static bool mergeable(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_flags == b->vm_flags && a->vm_file == b->vm_file &&
	       (!a->vm_file || a->vm_pgoff + (a->vm_end - a->vm_start) / PG == b->vm_pgoff);
}

int host_check(struct mm_struct *mm, bool merged, const char *when)
{
	struct vm_area_struct *prev = NULL;
	long count = 0;
	u64 pages = 0;
	int refs[HOST_NFILES] = {0};

	if (lock_depth != 0)
		return report(when, "the VMA lock was taken %d more times than released",
			      lock_depth);
	for (struct rb_node *n = rb_first(&mm->mm_rb); n; n = rb_next(n)) {
		struct vm_area_struct *v = rb_entry(n, struct vm_area_struct, vm_rb);
		if (v->vm_start >= v->vm_end || v->vm_start % PG || v->vm_end % PG)
			return report(when, "a VMA 0x%llx-0x%llx is empty, inverted or not aligned",
				      v->vm_start, v->vm_end);
		if (prev && v->vm_start < prev->vm_end)
			return report(when,
				      "VMAs 0x%llx-0x%llx and 0x%llx-0x%llx overlap or are out "
				      "of order",
				      prev->vm_start, prev->vm_end, v->vm_start, v->vm_end);
		if (merged && prev && mergeable(prev, v))
			return report(when,
				      "VMAs 0x%llx-0x%llx and 0x%llx-0x%llx are adjacent and "
				      "compatible: they should have been merged into one",
				      prev->vm_start, prev->vm_end, v->vm_start, v->vm_end);
		if (v->vm_page_prot.val != vm_get_page_prot(v->vm_flags).val)
			return report(when,
				      "VMA 0x%llx-0x%llx: vm_page_prot does not match vm_flags",
				      v->vm_start, v->vm_end);
		if (v->vm_mm != mm)
			return report(when, "VMA 0x%llx-0x%llx: vm_mm is not its mm", v->vm_start,
				      v->vm_end);
		if (v->vm_file) {
			int i = file_index(v->vm_file);
			if (i >= 0)
				refs[i]++;
		}
		count++;
		pages += (v->vm_end - v->vm_start) / PG;
		prev = v;
	}
	if (count != mm->map_count)
		return report(when, "the tree holds %ld VMAs, map_count says %d", count,
			      mm->map_count);
	if (pages != mm->total_vm)
		return report(when, "the VMAs cover %llu pages, total_vm says %llu", pages,
			      mm->total_vm);
	if (count != host_live_vmas)
		return report(when,
			      "%ld VMAs are allocated but %ld are in the tree: one was leaked, or "
			      "freed while still in the tree",
			      host_live_vmas, count);
	for (int i = 0; i < HOST_NFILES; i++)
		if (refs[i] != file_refs[i])
			return report(
			    when,
			    "file %d: %d VMAs map it, but it holds %d references (take one "
			    "per VMA with vma_get_file, drop it with vma_put_file)",
			    i, refs[i], file_refs[i]);
	return 0;
}

void host_expect(struct mm_struct *mm, const struct host_vma *want, int n, const char *when)
{
	char got[400] = "", exp[400] = "";
	int k = 0, same = 1;

	for (struct rb_node *r = rb_first(&mm->mm_rb); r; r = rb_next(r), k++) {
		struct vm_area_struct *v = rb_entry(r, struct vm_area_struct, vm_rb);
		char one[48];
		snprintf(one, sizeof(one), " [%llu-%llu %s]", (v->vm_start - BASE) / PG,
			 (v->vm_end - BASE) / PG,
			 v->vm_flags == RW   ? "rw"
			 : v->vm_flags == RO ? "ro"
					     : "rx");
		if (strlen(got) + strlen(one) < sizeof(got) - 4)
			strcat(got, one);
		if (k >= n || v->vm_start != A(want[k].start) || v->vm_end != A(want[k].end) ||
		    v->vm_flags != want[k].flags)
			same = 0;
	}
	for (int i = 0; i < n; i++) {
		char one[48];
		snprintf(one, sizeof(one), " [%llu-%llu %s]", want[i].start, want[i].end,
			 want[i].flags == RW   ? "rw"
			 : want[i].flags == RO ? "ro"
					       : "rx");
		strcat(exp, one);
	}
	if (!same || k != n)
		ktest_fail(__FILE__, __LINE__, "%s: VMAs (in pages from BASE):%s; expected:%s",
			   when, got, exp);
}

/* ---- the randomized run ---- */

struct page_model {
	unsigned long flags; /* 0: unmapped */
	int file;	     /* -1: anonymous */
	u64 fpage;	     /* the file's page here */
};

int host_random_run(unsigned seed, int pages, int ops, bool files)
{
	static struct page_model model[NPAGES];
	static const unsigned long kinds[] = {RW, RO, RX};
	struct mm_struct mm = {0};
	char when[128];

	if (pages > NPAGES)
		pages = NPAGES;
	host_mm_reset(&mm);
	memset(model, 0, sizeof(model));
	srand(seed);
	for (int op = 0; op < ops; op++) {
		int s = rand() % pages, len = 1 + rand() % (rand() % 4 ? 6 : 40);
		if (s + len > pages)
			len = pages - s;
		int what = rand() % 3;
		if (what == 0) {
			unsigned long fl = kinds[rand() % 3];
			int f = files && rand() % 3 == 0 ? rand() % 2 : -1;
			u64 fpage = f >= 0 ? (u64)(rand() % 4 ? s : rand() % 64) : 0;
			bool free = true;
			for (int p = s; p < s + len; p++)
				free &= model[p].flags == 0;
			snprintf(when, sizeof(when), "seed %u op %d: map pages %d-%d %s%s", seed,
				 op, s, s + len,
				 fl == RW   ? "rw"
				 : fl == RO ? "ro"
					    : "rx",
				 f >= 0 ? " file" : "");
			struct vm_area_struct *v = vma_map_range(
			    &mm, A(s), A(s + len), fl, f >= 0 ? host_file[f] : NULL, fpage);
			if (!free) {
				if (v)
					return report(
					    when, "the range overlaps a VMA, yet it was mapped");
			} else if (!v) {
				return report(when, "the range is free, yet vma_map_range failed");
			} else {
				for (int p = s; p < s + len; p++)
					model[p] = (struct page_model){fl, f, fpage + (u64)(p - s)};
			}
		} else if (what == 1) {
			snprintf(when, sizeof(when), "seed %u op %d: munmap pages %d-%d", seed, op,
				 s, s + len);
			host_zap_reset();
			if (do_vmi_munmap(&mm, A(s), (u64)len * PG) != 0)
				return report(when, "do_vmi_munmap failed");
			for (int p = 0; p < pages; p++) {
				int want = p >= s && p < s + len && model[p].flags;
				if (host_zapped[p] != want)
					return report(when, "page %d zapped %d times, expected %d",
						      p, host_zapped[p], want);
			}
			for (int p = s; p < s + len; p++)
				model[p].flags = 0;
		} else {
			unsigned long fl = kinds[rand() % 3];
			bool mapped = true;
			for (int p = s; p < s + len; p++)
				mapped &= model[p].flags != 0;
			snprintf(when, sizeof(when), "seed %u op %d: mprotect pages %d-%d", seed,
				 op, s, s + len);
			int r = mprotect_range(&mm, A(s), A(s + len), fl & VM_ACCESS_FLAGS);
			if (mapped != (r == 0))
				return report(when, "returned %d, but the range is %s", r,
					      mapped ? "all mapped" : "not all mapped");
			if (r == 0)
				for (int p = s; p < s + len; p++)
					model[p].flags = fl;
		}
		if (host_check(&mm, true, when))
			return -1;
		for (int p = 0; p < pages; p++) {
			struct vm_area_struct *v = find_vma(&mm, A(p));
			bool in = v && v->vm_start <= A(p);
			if (!model[p].flags) {
				if (in)
					return report(when, "page %d should be unmapped", p);
				continue;
			}
			if (!in)
				return report(when, "page %d should be mapped", p);
			if (v->vm_flags != model[p].flags)
				return report(when, "page %d has the wrong flags", p);
			struct file *f = model[p].file >= 0 ? host_file[model[p].file] : NULL;
			if (v->vm_file != f)
				return report(when, "page %d has the wrong file", p);
			if (f && v->vm_pgoff + (A(p) - v->vm_start) / PG != model[p].fpage)
				return report(when, "page %d maps file page %llu, expected %llu", p,
					      v->vm_pgoff + (A(p) - v->vm_start) / PG,
					      model[p].fpage);
		}
	}
	host_mm_reset(&mm);
	return 0;
}
