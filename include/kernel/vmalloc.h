/*
 * kernel/vmalloc.h - virtually contiguous kernel memory (Linux's names).
 *
 * vmalloc(size) returns memory that is contiguous in the kernel's virtual
 * address space but built from single pages that may lie anywhere in RAM,
 * mapped one by one into the vmalloc area (VMALLOC_START..VMALLOC_END).
 * Use it for large buffers that need not be physically contiguous; devices
 * doing DMA need physically contiguous memory (__get_free_pages, or CMA),
 * because they see physical addresses, not the kernel's page tables.
 *
 * Every area is followed by an unmapped guard page: running off its end
 * faults instead of corrupting the next area.
 */
#ifndef _KERNEL_VMALLOC_H
#define _KERNEL_VMALLOC_H

#include <kernel/types.h>
#include <kernel/gfp.h>

/* vmap_area flags: what an area holds (shown in /proc/vmallocinfo) */
#define VM_IOREMAP 0x1UL
#define VM_ALLOC 0x2UL
#define VM_MAP 0x4UL
#define VM_KSTACK 0x8UL

void vmalloc_init(void);

void *vmalloc(unsigned long size);
void *vzalloc(unsigned long size);
/* Free a vmalloc'd area; NULL is fine; from interrupt context it is deferred. */
void vfree(const void *addr);
/* Map @count pages (physical frame numbers) contiguously; unmap with vunmap(). */
void *vmap(const u64 *pfns, unsigned int count, unsigned long vm_flags);
void vunmap(const void *addr);

bool is_vmalloc_addr(const void *addr);
struct page;
/* The page behind a vmalloc address, or NULL. */
struct page *vmalloc_to_page(const void *addr);

/* mm/util.c: contiguous pages if that is cheap, vmalloc otherwise */
void *kvmalloc(size_t size, gfp_t gfp);
void *kvzalloc(size_t size, gfp_t gfp);
void kvfree(const void *addr);
/* The physical frame behind a vmalloc address, or 0 if none is mapped. */
u64 vmalloc_to_pfn(const void *addr);

/* Flush the lazily kept TLB entries of freed areas now and make their
 * addresses reusable (Linux: vm_unmap_aliases). */
void vm_unmap_aliases(void);

/* Kernel stacks: KSTACK_SIZE mapped at the top of a 2*KSTACK_SIZE slot. */
u64 kstack_alloc(void);
void kstack_free(u64 base);
/* live kernel stacks (KernelStack in /proc/meminfo is this x KSTACK_SIZE) */
unsigned long nr_kernel_stacks(void);

/* statistics for /proc/meminfo and /proc/vmallocinfo */
unsigned long vmalloc_used_pages(void);
unsigned long vmalloc_total_bytes(void);
/* Write /proc/vmallocinfo's text into @buf; return its length. */
int vmallocinfo_show(char *buf, int size);
struct seq_buf;
/* the same into a seq_buf, for /proc/vmallocinfo */
void vmallocinfo_seq(struct seq_buf *m);

#endif /* _KERNEL_VMALLOC_H */
