/*
 * mm/util.c - kvmalloc()/kvfree(): "physically contiguous if cheap,
 * virtually contiguous otherwise" (Linux's rule).
 *
 * A request larger than a page first tries the page allocator for a
 * physically contiguous block, quietly (__GFP_NOWARN) and without trying
 * hard (__GFP_NORETRY): that is fast and uses the direct map, but large
 * contiguous blocks may not exist after long uptime (fragmentation). If it
 * fails, vmalloc builds the buffer from single pages instead.
 *
 *   kvmalloc(size)
 *     size <= PAGE_SIZE  -> one page  (kmalloc once the slab allocator exists)
 *     larger             -> alloc_pages(order, quietly)  --fails-->  vmalloc
 *
 * kvfree() tells the two apart by the address: is_vmalloc_addr().
 */
#include <kernel/vmalloc.h>
#include <kernel/mm.h>
#include <kernel/string.h>

void *kvmalloc(size_t size, gfp_t gfp)
{
	unsigned int order = get_order(size);
	void *p = NULL;

	if (size == 0)
		return NULL;
	if (order <= MAX_PAGE_ORDER)
		p = (void *)__get_free_pages(gfp | __GFP_NOWARN | (order ? __GFP_NORETRY : 0),
					     order);
	if (p || order == 0)
		return p;
	return (gfp & __GFP_ZERO) ? vzalloc(size) : vmalloc(size);
}

void *kvzalloc(size_t size, gfp_t gfp)
{
	return kvmalloc(size, gfp | __GFP_ZERO);
}

void kvfree(const void *addr)
{
	if (!addr)
		return;
	if (is_vmalloc_addr(addr)) {
		vfree(addr);
		return;
	}
	/* the head page remembers the order it was allocated with */
	free_pages((unsigned long)addr, (unsigned int)virt_to_page(addr)->private);
}

struct page *vmalloc_to_page(const void *addr)
{
	u64 pfn = vmalloc_to_pfn(addr);

	return pfn ? pfn_to_page(pfn) : NULL;
}
