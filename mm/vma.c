/*
 * mm/vma.c - the VMAs of an address space: a red-black tree by address with
 * merging of compatible neighbours and splitting for partial munmap and
 * mprotect.
 *
 * Invariants (host tests check them after every operation):
 *   - VMAs never overlap; each has vm_start < vm_end, both page-aligned;
 *   - mm->map_count and mm->total_vm match the tree;
 *   - two adjacent VMAs with the same flags and backing (and, for a file,
 *     consecutive offsets) are merged, so the tree stays small.
 *
 * An munmap in the middle of a VMA splits it in three and drops the middle:
 *
 *   before:  [--------------- vma ---------------]
 *   after:   [-- vma --]  (unmapped)  [-- new --]
 *
 * Lock: a process's VMAs change only in that process's own system calls
 * (one thread per process) or in fork before the child runs, so they need
 * no lock of their own; the fault handler runs in the same process.
 *
 * The vma lab (labs/vma/README.md, tasks 1-4) has students write
 * find_vma(), can_merge() and vma_try_merge(), split_vma() and
 * do_vmi_munmap().
 *
 * See: Linux mm/vma.c and mm/mmap.c for the same ideas; labs/vma.
 */
#include "vma.h"
#include <kernel/errno.h>
#include <kernel/lab.h>

#define VMA_PAGE_SIZE 4096UL

static struct vm_area_struct *vma_of(struct rb_node *n)
{
	return n ? rb_entry(n, struct vm_area_struct, vm_rb) : NULL;
}

struct vm_area_struct *find_vma(struct mm_struct *mm, u64 addr)
{
	/* LAB vma: BEGIN task 1: one descent from the root, remembering the best candidate */
	struct rb_node *n = mm->mm_rb.rb_node;
	struct vm_area_struct *best = NULL;

	while (n) {
		struct vm_area_struct *vma = vma_of(n);
		if (vma->vm_end > addr) {
			best = vma;
			if (vma->vm_start <= addr)
				break;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return best;
	/* LAB vma: ELSE
	 * (void)mm;
	 * (void)addr;
	 * LAB_TODO("vma", "find_vma()");
	 */
	/* LAB vma: END */
}

struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, u64 start, u64 end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	return vma && vma->vm_start < end ? vma : NULL;
}

struct vm_area_struct *vma_next(struct vm_area_struct *vma)
{
	return vma_of(rb_next(&vma->vm_rb));
}

struct vm_area_struct *vma_prev(struct vm_area_struct *vma)
{
	return vma_of(rb_prev(&vma->vm_rb));
}

static void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct rb_node **link, *parent = NULL;

	spin_lock(&mm->vma_lock);
	link = &mm->mm_rb.rb_node;

	while (*link) {
		parent = *link;
		link =
		    vma->vm_start < vma_of(parent)->vm_start ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&vma->vm_rb, parent, link);
	rb_insert_color(&vma->vm_rb, &mm->mm_rb);
	mm->map_count++;
	mm->total_vm += (vma->vm_end - vma->vm_start) / VMA_PAGE_SIZE;
	mm->hiwater_vm = MAX(mm->hiwater_vm, mm->total_vm);
	spin_unlock(&mm->vma_lock);
}

static void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	spin_lock(&mm->vma_lock);
	rb_erase(&vma->vm_rb, &mm->mm_rb);
	mm->map_count--;
	mm->total_vm -= (vma->vm_end - vma->vm_start) / VMA_PAGE_SIZE;
	spin_unlock(&mm->vma_lock);
}

/* Set @vma's end (it stays in place in the tree: the key is vm_start). */
static inline void vma_set_end(struct mm_struct *mm, struct vm_area_struct *vma, u64 end)
{
	spin_lock(&mm->vma_lock);
	mm->total_vm += (s64)(end - vma->vm_end) / (s64)VMA_PAGE_SIZE;
	mm->hiwater_vm = MAX(mm->hiwater_vm, mm->total_vm);
	vma->vm_end = end;
	spin_unlock(&mm->vma_lock);
}

static void free_vma(struct vm_area_struct *vma)
{
	if (vma->vm_file)
		vma_put_file(vma->vm_file);
	vm_area_free(vma);
}

/* Can @a (below) and @b (just above) become one VMA? */
static inline bool can_merge(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	/* LAB vma: BEGIN task 2: adjacent, same flags, same backing (and offsets that continue) */
	if (a->vm_end != b->vm_start || a->vm_flags != b->vm_flags || a->vm_file != b->vm_file)
		return false;
	if (a->vm_file && a->vm_pgoff + (a->vm_end - a->vm_start) / VMA_PAGE_SIZE != b->vm_pgoff)
		return false;
	return true;
	/* LAB vma: ELSE
	 * (void)a;
	 * (void)b;
	 * LAB_TODO("vma", "can_merge()");
	 */
	/* LAB vma: END */
}

/* Merge @vma with its neighbours where possible; return the survivor. */
static struct vm_area_struct *vma_try_merge(struct mm_struct *mm, struct vm_area_struct *vma)
{
	/* LAB vma: BEGIN task 2: absorb the next VMA, then let the previous one absorb this */
	struct vm_area_struct *prev = vma_prev(vma), *next = vma_next(vma);

	if (next && can_merge(vma, next)) {
		u64 end = next->vm_end;
		vma_unlink(mm, next);
		free_vma(next);
		vma_set_end(mm, vma, end);
	}
	if (prev && can_merge(prev, vma)) {
		u64 end = vma->vm_end;
		vma_unlink(mm, vma);
		free_vma(vma);
		vma_set_end(mm, prev, end);
		return prev;
	}
	return vma;
	/* LAB vma: ELSE
	 * (void)mm;
	 * (void)vma;
	 * LAB_TODO("vma", "vma_try_merge()");
	 */
	/* LAB vma: END */
}

struct vm_area_struct *vma_map_range(struct mm_struct *mm, u64 start, u64 end, unsigned long flags,
				     struct file *file, u64 pgoff)
{
	struct vm_area_struct *vma;

	if (start >= end || (start | end) % VMA_PAGE_SIZE)
		return NULL;
	if (find_vma_intersection(mm, start, end))
		return NULL;
	vma = vm_area_alloc(mm);
	if (!vma)
		return NULL;
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_mm = mm;
	vma->vm_flags = flags;
	vma->vm_page_prot = vm_get_page_prot(flags);
	vma->vm_file = file;
	vma->vm_pgoff = pgoff;
	if (file)
		vma_get_file(file);
	vma_link(mm, vma);
	return vma_try_merge(mm, vma);
}

int split_vma(struct vm_area_struct *vma, u64 addr, bool new_below)
{
	/* LAB vma: BEGIN task 3: a copy of the VMA for one side; file offsets follow the split */
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *new;

	if (addr <= vma->vm_start || addr >= vma->vm_end || addr % VMA_PAGE_SIZE)
		return -EINVAL;
	new = vm_area_alloc(mm);
	if (!new)
		return -ENOMEM;
	*new = *vma;
	if (new->vm_file)
		vma_get_file(new->vm_file);
	/* the tree is keyed by vm_start: unlink, adjust, relink */
	vma_unlink(mm, vma);
	if (new_below) {
		new->vm_end = addr;
		if (vma->vm_file)
			vma->vm_pgoff += (addr - vma->vm_start) / VMA_PAGE_SIZE;
		vma->vm_start = addr;
	} else {
		new->vm_start = addr;
		if (new->vm_file)
			new->vm_pgoff += (addr - vma->vm_start) / VMA_PAGE_SIZE;
		vma->vm_end = addr;
	}
	vma_link(mm, vma);
	vma_link(mm, new);
	return 0;
	/* LAB vma: ELSE
	 * (void)vma;
	 * (void)addr;
	 * (void)new_below;
	 * LAB_TODO("vma", "split_vma()");
	 */
	/* LAB vma: END */
}

int do_vmi_munmap(struct mm_struct *mm, u64 start, u64 len)
{
	/* LAB vma: BEGIN task 4: split at both edges, then zap and free every VMA inside */
	u64 end = start + len;
	struct vm_area_struct *vma;

	if (start % VMA_PAGE_SIZE || len == 0 || end < start)
		return -EINVAL;
	end = (end + VMA_PAGE_SIZE - 1) & ~(VMA_PAGE_SIZE - 1);
	vma = find_vma_intersection(mm, start, end);
	if (!vma)
		return 0; /* nothing mapped there: not an error (POSIX) */
	/* split the edge VMAs so every VMA left in the range lies inside it */
	if (vma->vm_start < start) {
		if (split_vma(vma, start, true) < 0)
			return -ENOMEM;
	}
	struct vm_area_struct *last = find_vma(mm, end - 1);
	if (last && last->vm_start < end && last->vm_end > end) {
		if (split_vma(last, end, true) < 0)
			return -ENOMEM;
	}
	for (vma = find_vma(mm, start); vma && vma->vm_start < end;) {
		struct vm_area_struct *next = vma_next(vma);
		vma_zap_range(vma, vma->vm_start, vma->vm_end);
		vma_unlink(mm, vma);
		free_vma(vma);
		vma = next;
	}
	return 0;
	/* LAB vma: ELSE
	 * (void)mm;
	 * (void)start;
	 * (void)len;
	 * LAB_TODO("vma", "do_vmi_munmap()");
	 */
	/* LAB vma: END */
}

int mprotect_range(struct mm_struct *mm, u64 start, u64 end, unsigned long newflags)
{
	struct vm_area_struct *vma;
	u64 addr;

	if (start % VMA_PAGE_SIZE || end <= start)
		return -EINVAL;
	/* the whole range must be mapped, and each VMA must allow the change */
	for (addr = start; addr < end;) {
		vma = find_vma(mm, addr);
		if (!vma || vma->vm_start > addr)
			return -ENOMEM;
		unsigned long want = newflags & VM_ACCESS_FLAGS;
		if (((want & VM_READ) && !(vma->vm_flags & VM_MAYREAD)) ||
		    ((want & VM_WRITE) && !(vma->vm_flags & VM_MAYWRITE)) ||
		    ((want & VM_EXEC) && !(vma->vm_flags & VM_MAYEXEC)))
			return -EACCES;
		addr = vma->vm_end;
	}
	vma = find_vma(mm, start);
	if (vma->vm_start < start && split_vma(vma, start, true) < 0)
		return -ENOMEM;
	for (addr = start; addr < end;) {
		vma = find_vma(mm, addr);
		if (vma->vm_end > end && split_vma(vma, end, false) < 0)
			return -ENOMEM;
		vma->vm_flags = (vma->vm_flags & ~VM_ACCESS_FLAGS) | (newflags & VM_ACCESS_FLAGS);
		vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
		vma_change_protection(vma, vma->vm_start, vma->vm_end);
		addr = vma->vm_end;
		vma_try_merge(mm, vma);
	}
	return 0;
}

int vma_resize(struct vm_area_struct *vma, u64 new_start, u64 new_end)
{
	struct mm_struct *mm = vma->vm_mm;

	if (new_start >= new_end || (new_start | new_end) % VMA_PAGE_SIZE)
		return -EINVAL;
	if (new_end < vma->vm_end)
		vma_zap_range(vma, new_end, vma->vm_end);
	if (new_start > vma->vm_start)
		vma_zap_range(vma, vma->vm_start, new_start);
	vma_unlink(mm, vma);
	if (vma->vm_file)
		vma->vm_pgoff += ((s64)new_start - (s64)vma->vm_start) / (s64)VMA_PAGE_SIZE;
	vma->vm_start = new_start;
	vma->vm_end = new_end;
	vma_link(mm, vma);
	return 0;
}

u64 vma_find_gap(struct mm_struct *mm, u64 len, u64 low, u64 high)
{
	u64 top = high;
	struct vm_area_struct *vma;

	if (len == 0 || high < low || len > high - low)
		return 0;
	/* start from the highest VMA below @high; the first hole big enough wins */
	vma = find_vma(mm, high - 1);
	if (vma && vma->vm_start < high) {
		top = vma->vm_start;
		vma = vma_prev(vma);
	} else {
		vma = vma ? vma_prev(vma) : vma_of(rb_last(&mm->mm_rb));
	}
	for (; vma; vma = vma_prev(vma)) {
		if (top < low + len)
			return 0;
		if (top - len >= vma->vm_end)
			return top - len;
		top = vma->vm_start;
	}
	return top >= low + len ? top - len : 0;
}

void vma_remove_all(struct mm_struct *mm)
{
	struct rb_node *n;

	while ((n = rb_first(&mm->mm_rb)) != NULL) {
		struct vm_area_struct *vma = vma_of(n);
		vma_zap_range(vma, vma->vm_start, vma->vm_end);
		vma_unlink(mm, vma);
		free_vma(vma);
	}
}

int vma_dup_all(struct mm_struct *new, struct mm_struct *old)
{
	for (struct rb_node *n = rb_first(&old->mm_rb); n; n = rb_next(n)) {
		struct vm_area_struct *src = vma_of(n), *vma = vm_area_alloc(new);
		if (!vma)
			return -ENOMEM;
		*vma = *src;
		vma->vm_mm = new;
		if (vma->vm_file)
			vma_get_file(vma->vm_file);
		vma_link(new, vma);
	}
	return 0;
}
