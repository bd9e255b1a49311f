/*
 * mm/mmap.c - the address-space system calls: mmap, munmap, mprotect,
 * msync, brk/sbrk, and how a process's layout is laid out.
 *
 * Layout of a user address space (both architectures):
 *
 *   USER_STACK_TOP  +---------------------------+
 *                   | stack (VM_GROWSDOWN)      |  grows on faults, at most
 *                   |   ...                     |  STACK_LIMIT
 *                   +- - - - - - - - - - - - - -+
 *                   | (gap)                     |
 *   mmap_base       +---------------------------+
 *                   | mmap() areas, top down    |
 *                   |   ...                     |
 *                   | heap [start_brk, brk)     |  grows up with sbrk()
 *                   | data, bss                 |
 *                   | text                      |
 *   0x10000         +---------------------------+
 *
 * Every range is a VMA (mm/vma.c); pages arrive on first touch through page
 * faults (mm/memory.c). Errors are Linux's: EINVAL for bad arguments,
 * ENOMEM for no room or no memory, EACCES for a protection the file does
 * not allow, EBADF for a bad descriptor.
 *
 * See: mmap(2), munmap(2), mprotect(2), msync(2); labs/vma.
 */
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/syscall.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/file.h>
#include <kernel/fs.h>
#include <kernel/slab.h>
#include <kernel/shmem_fs.h>
#include <uapi/pagoda/mman.h>
#include <uapi/pagoda/stat.h>
#include <kernel/seq_buf.h>
#include "vma.h"

/* ---- vm_area_struct allocation: the slab cache "vm_area_struct" ------------------ */

static struct kmem_cache *vm_area_cachep;

void mmap_init(void)
{
	vm_area_cachep =
	    kmem_cache_create("vm_area_struct", sizeof(struct vm_area_struct), 0, SLAB_PANIC, NULL);
}

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = kmem_cache_zalloc(vm_area_cachep, GFP_KERNEL | __GFP_NOWARN);

	if (vma)
		vma->vm_mm = mm;
	return vma;
}

void vm_area_free(struct vm_area_struct *vma)
{
	kmem_cache_free(vm_area_cachep, vma);
}

void vma_get_file(struct file *f)
{
	filedup(f);
}

void vma_put_file(struct file *f)
{
	fileclose(f);
}

/* ---- layout ------------------------------------------------------------------ */

static unsigned long prot_to_vm_flags(int prot)
{
	unsigned long f = 0;

	if (prot & PROT_READ)
		f |= VM_READ;
	if (prot & PROT_WRITE)
		f |= VM_WRITE;
	if (prot & PROT_EXEC)
		f |= VM_EXEC;
	return f;
}

/* lowest address mmap may hand out: above the heap and a guard page */
static u64 mmap_low(struct mm_struct *mm)
{
	return PAGE_ALIGN(mm->brk) + PAGE_SIZE;
}

/* ---- mmap ---------------------------------------------------------------------- */

/*
 * do_mmap - create a mapping in the current process.
 * @file: NULL for MAP_ANONYMOUS. @off: byte offset in the file.
 * Return: the address, or -errno.
 */
long do_mmap(struct mm_struct *mm, u64 addr, u64 len, int prot, int flags, struct file *file,
	     u64 off)
{
	unsigned long vm_flags;
	u64 start;

	if (len == 0 || (off & (PAGE_SIZE - 1)) || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (!(flags & MAP_SHARED) == !(flags & MAP_PRIVATE))
		return -EINVAL; /* exactly one of them */
	len = PAGE_ALIGN(len);
	if (len == 0 || len > TASK_SIZE)
		return -ENOMEM;
	vm_flags = prot_to_vm_flags(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	if (flags & MAP_SHARED)
		vm_flags |= VM_SHARED | VM_MAYSHARE;
	if (file) {
		struct inode *ip = file->ip;
		if (file->type != FD_INODE || !ip || ip->type != T_FILE)
			return -EACCES; /* pipes, devices, directories cannot be mapped */
		if (!file->readable)
			return -EACCES;
		if ((flags & MAP_SHARED) && !file->writable) {
			if (prot & PROT_WRITE)
				return -EACCES;
			vm_flags &= ~VM_MAYWRITE; /* mprotect may not add it later */
		}
	}
	if (flags & MAP_FIXED) {
		if (addr & (PAGE_SIZE - 1) || addr < PAGE_SIZE * 16 ||
		    addr + len > USER_STACK_TOP || addr + len < addr)
			return -EINVAL;
		int err = do_vmi_munmap(mm, addr, len); /* MAP_FIXED replaces what was there */
		if (err)
			return err;
		start = addr;
	} else {
		start = 0;
		/* a hint is used when that range is free */
		if (addr && !(addr & (PAGE_SIZE - 1)) && addr >= mmap_low(mm) &&
		    addr + len <= mm->mmap_base && !find_vma_intersection(mm, addr, addr + len))
			start = addr;
		if (!start)
			start = vma_find_gap(mm, len, mmap_low(mm), mm->mmap_base);
		if (!start)
			return -ENOMEM;
	}
	if (!file && (flags & MAP_SHARED)) {
		/* shared anonymous memory: an in-memory file keeps its pages,
		 * so that fork()'s children find the same ones (mm/shmem.c) */
		struct file *shm = shmem_file_setup(len);
		struct vm_area_struct *vma;

		if (!shm)
			return -ENOMEM;
		vma = vma_map_range(mm, start, start + len, vm_flags, shm, 0);
		fileclose(shm); /* the VMA holds its own reference */
		return vma ? (long)start : -ENOMEM;
	}
	if (!vma_map_range(mm, start, start + len, vm_flags, file, off / PAGE_SIZE))
		return -ENOMEM;
	return (long)start;
}

u64 sys_mmap(void)
{
	u64 addr = argaddr(0), len = argraw(1), off = argraw(5);
	int prot = argint(2), flags = argint(3), fd = argint(4);
	struct proc *p = myproc();
	struct file *file = NULL;

	if (!(flags & MAP_ANONYMOUS)) {
		if (fd < 0 || fd >= NOFILE || !(file = p->ofile[fd]))
			return (u64)-EBADF;
	}
	return (u64)do_mmap(p->mm, addr, len, prot, flags, file, off);
}

u64 sys_munmap(void)
{
	u64 addr = argaddr(0), len = argraw(1);

	if (addr & (PAGE_SIZE - 1) || len == 0 || addr >= TASK_SIZE || len > TASK_SIZE - addr)
		return (u64)-EINVAL;
	return (u64)(s64)do_vmi_munmap(myproc()->mm, addr, len);
}

u64 sys_mprotect(void)
{
	u64 addr = argaddr(0), len = PAGE_ALIGN(argraw(1));
	int prot = argint(2);

	if (addr & (PAGE_SIZE - 1) || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return (u64)-EINVAL;
	if (len == 0)
		return 0;
	if (addr >= TASK_SIZE || len > TASK_SIZE - addr)
		return (u64)-ENOMEM;
	return (u64)(s64)mprotect_range(myproc()->mm, addr, addr + len, prot_to_vm_flags(prot));
}

u64 sys_msync(void)
{
	u64 addr = argaddr(0), len = PAGE_ALIGN(argraw(1));
	struct mm_struct *mm = myproc()->mm;

	if (addr & (PAGE_SIZE - 1) || addr >= TASK_SIZE || len > TASK_SIZE - addr)
		return (u64)-EINVAL;
	for (u64 a = addr; a < addr + len;) {
		struct vm_area_struct *vma = find_vma(mm, a);
		if (!vma || vma->vm_start > a)
			return (u64)-ENOMEM;
		u64 end = MIN(vma->vm_end, addr + len);
		if (vma->vm_file && (vma->vm_flags & VM_SHARED))
			filemap_write_range(vma, a, end);
		a = end;
	}
	return 0;
}

u64 sys_geterrno(void)
{
	return (u64)myproc()->last_errno;
}

/* ---- brk ----------------------------------------------------------------------- */

/*
 * The heap is [start_brk, PAGE_ALIGN(brk)). Growing maps the new pages
 * [old end, new end) as anonymous memory, which merges with the heap's VMA
 * below when that is still there; shrinking unmaps [new end, old end). No
 * page is allocated until the program touches it.
 *
 * Like Linux's brk(), neither step goes looking for "the heap VMA": a
 * program that munmap()ed part or all of its heap gets fresh zero pages
 * from the old break up when it grows again, the hole stays a hole, and a
 * mapping above the break is never resized or unmapped by sbrk (growing
 * into it, or to within a guard page of it, fails with -ENOMEM).
 */
#define HEAP_VM_FLAGS (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

long mm_brk(struct mm_struct *mm, long incr)
{
	u64 old = mm->brk, new = old + (u64)incr;
	u64 old_end = PAGE_ALIGN(old), new_end = PAGE_ALIGN(new);

	if (incr > 0 && (new < old || new_end > mm->mmap_base))
		return -ENOMEM;
	if (incr < 0 && (new > old || new < mm->start_brk))
		return -EINVAL;
	if (new_end > old_end) {
		if (find_vma_intersection(mm, old_end, new_end + PAGE_SIZE))
			return -ENOMEM;
		if (!vma_map_range(mm, old_end, new_end, HEAP_VM_FLAGS, NULL, 0))
			return -ENOMEM;
	} else if (new_end < old_end) {
		int err = do_vmi_munmap(mm, new_end, old_end - new_end);
		if (err)
			return err; /* no memory to split a VMA: nothing changed */
	}
	mm->brk = new;
	return (long)old;
}

/* ---- /proc/PID/maps and smaps ------------------------------------------------- */

struct mem_size_stats {
	u64 rss, pss_x1000, shared_clean, shared_dirty, private_clean, private_dirty, anon;
};

/* Walk @vma's present pages; the zero page counts nowhere (as in Linux). */
static void smaps_account(struct vm_area_struct *vma, struct mem_size_stats *ss)
{
	bool cached = vma->vm_file && (vma->vm_flags & VM_SHARED);
	pte_t *ptep;

	for (u64 va = vma->vm_start; va < vma->vm_end; va = pgtable_next_va(ptep, va)) {
		ptep = walk_pgtable(vma->vm_mm->pgd, va, false);
		if (!ptep || !pte_present(ptep_get(ptep)))
			continue;
		pte_t pte = ptep_get(ptep);
		u64 pfn = pte_pfn(pte);
		if (is_zero_pfn(pfn) || !pfn_valid(pfn))
			continue;
		/* mappings sharing the page: its references, less the page cache's */
		int users = page_ref_count(pfn_to_page(pfn)) - (cached ? 1 : 0);
		if (users < 1)
			users = 1;
		bool dirty = pte_dirty(pte) && pte_write(pte);
		ss->rss += PAGE_SIZE;
		ss->pss_x1000 += PAGE_SIZE * 1000 / (u64)users;
		if (!vma->vm_file)
			ss->anon += PAGE_SIZE;
		if (users > 1) {
			if (dirty)
				ss->shared_dirty += PAGE_SIZE;
			else
				ss->shared_clean += PAGE_SIZE;
		} else if (dirty || !vma->vm_file) {
			ss->private_dirty += PAGE_SIZE; /* anonymous memory is always dirty */
		} else {
			ss->private_clean += PAGE_SIZE;
		}
	}
}

/*
 * One line per VMA, Linux's format:
 *   00010000-00013000 r-xp 00000000 00:00 0          /cat
 *   start-end perms offset dev inode name
 * name: the file's name, [heap], [stack], or the program for its image.
 */
void show_map_vmas(struct seq_buf *m, struct mm_struct *mm, const char *comm, bool smaps)
{
	spin_lock(&mm->vma_lock);
	for (struct vm_area_struct *vma = find_vma(mm, 0); vma; vma = vma_next(vma)) {
		unsigned long f = vma->vm_flags;
		const char *name = "";
		char prog[24];
		uint dev = 0, ino = 0;

		if (vma->vm_file && vma->vm_file->type == FD_SHMEM) {
			name = "/dev/zero (deleted)"; /* Linux's name for it */
			dev = 0;
			ino = vma->vm_file->ip->inum;
		} else if (vma->vm_file) {
			name = vma->vm_file->name;
			if (vma->vm_file->ip) {
				dev = vma->vm_file->ip->dev;
				ino = vma->vm_file->ip->inum;
			}
		} else if (f & VM_GROWSDOWN) {
			name = "[stack]";
		} else if (vma->vm_start < mm->brk && vma->vm_end > mm->start_brk &&
			   vma->vm_start >= mm->end_code) {
			name = "[heap]";
		} else if (vma->vm_start < mm->end_code && vma->vm_end > mm->start_code) {
			snprintf(prog, sizeof(prog), "/%s", comm);
			name = prog;
		}
		seq_buf_printf(m, "%08llx-%08llx %c%c%c%c %08llx %02x:%02x %-10u %s%s\n",
			       vma->vm_start, vma->vm_end, (f & VM_READ) ? 'r' : '-',
			       (f & VM_WRITE) ? 'w' : '-', (f & VM_EXEC) ? 'x' : '-',
			       (f & VM_SHARED) ? 's' : 'p', vma->vm_pgoff * PAGE_SIZE, dev >> 8,
			       dev & 0xff, ino, *name ? "                " : "", name);
		if (!smaps)
			continue;
		struct mem_size_stats ss = {0};
		smaps_account(vma, &ss);
		seq_buf_printf(m, "Size:           %8llu kB\n",
			       (vma->vm_end - vma->vm_start) >> 10);
		seq_buf_printf(m, "KernelPageSize: %8llu kB\n", (u64)PAGE_SIZE >> 10);
		seq_buf_printf(m, "MMUPageSize:    %8llu kB\n", (u64)PAGE_SIZE >> 10);
		seq_buf_printf(m, "Rss:            %8llu kB\n", ss.rss >> 10);
		seq_buf_printf(m, "Pss:            %8llu kB\n", ss.pss_x1000 / 1000 >> 10);
		seq_buf_printf(m, "Shared_Clean:   %8llu kB\n", ss.shared_clean >> 10);
		seq_buf_printf(m, "Shared_Dirty:   %8llu kB\n", ss.shared_dirty >> 10);
		seq_buf_printf(m, "Private_Clean:  %8llu kB\n", ss.private_clean >> 10);
		seq_buf_printf(m, "Private_Dirty:  %8llu kB\n", ss.private_dirty >> 10);
		seq_buf_printf(m, "Anonymous:      %8llu kB\n", ss.anon >> 10);
		seq_buf_printf(m, "Swap:           %8llu kB\n", 0ULL);
	}
	spin_unlock(&mm->vma_lock);
}
