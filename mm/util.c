/*
 * mm/util.c - kvmalloc()/kvfree(): "physically contiguous if cheap,
 * virtually contiguous otherwise" (Linux's rule).
 *
 * Less than a page is a slab object (kmalloc). From a page up, kvmalloc
 * asks for whole pages the way kmalloc does above 8 KiB (kmalloc_large,
 * mm/slab_common.c; not kmalloc's 4k and 8k slabs, whose objects need two
 * pages or more once slab_debug adds red zones). More than a page asks
 * quietly (__GFP_NOWARN) and without trying hard (__GFP_NORETRY):
 * physically contiguous memory is fast and uses the direct map, but large
 * contiguous blocks may not exist after long uptime (fragmentation). If it
 * fails, vmalloc builds the buffer from single pages instead.
 *
 *   kvmalloc(size)
 *     size < PAGE_SIZE   -> kmalloc (a slab object)
 *     size == PAGE_SIZE  -> one page (kmalloc_large): cannot be fragmented
 *     larger             -> pages, quietly  --fails-->  vmalloc
 *
 * kvfree() tells them apart by the address: is_vmalloc_addr(), else kfree
 * (which knows slab objects from large kmalloc blocks).
 *
 * The vmalloc lab (labs/vmalloc/README.md, task 5) has students write both.
 */
#include <kernel/vmalloc.h>
#include <kernel/lab.h>
#include <kernel/mm.h>
#include <kernel/string.h>
#include <kernel/slab.h>
#include "slab.h"

void *kvmalloc(size_t size, gfp_t gfp)
{
	/* LAB vmalloc: BEGIN task 5: contiguous memory quietly if that works, else vmalloc */
	unsigned long caller = (unsigned long)__builtin_return_address(0);
	void *p;

	if (size == 0)
		return NULL;
	if (size < PAGE_SIZE)
		return kmalloc_caller(size, gfp, caller);
	p = kmalloc_large(size, size > PAGE_SIZE ? gfp | __GFP_NOWARN | __GFP_NORETRY : gfp,
			  caller);
	if (p || size <= PAGE_SIZE)
		return p;
	return (gfp & __GFP_ZERO) ? vzalloc(size) : vmalloc(size);
	/* LAB vmalloc: ELSE
	 * (void)size;
	 * (void)gfp;
	 * LAB_TODO("vmalloc", "kvmalloc()");
	 */
	/* LAB vmalloc: END */
}

void *kvzalloc(size_t size, gfp_t gfp)
{
	return kvmalloc(size, gfp | __GFP_ZERO);
}

void kvfree(const void *addr)
{
	/* LAB vmalloc: BEGIN task 5: which allocator did this come from? */
	if (!addr)
		return;
	if (is_vmalloc_addr(addr)) {
		vfree(addr);
		return;
	}
	/* a slab object or a large kmalloc block */
	kfree(addr);
	/* LAB vmalloc: ELSE
	 * (void)addr;
	 * LAB_TODO("vmalloc", "kvfree()");
	 */
	/* LAB vmalloc: END */
}

struct page *vmalloc_to_page(const void *addr)
{
	u64 pfn = vmalloc_to_pfn(addr);

	return pfn ? pfn_to_page(pfn) : NULL;
}
