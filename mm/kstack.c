/*
 * mm/kstack.c - kernel stacks with guard pages.
 *
 * Each process slot owns a 2*KSTACK_SIZE slot of the kernel-stack area; the
 * stack is the upper half and the lower half stays unmapped:
 *
 *   slot + 2*KSTACK_SIZE  +------------------+  <- initial sp (pt_regs below it)
 *                         |  kernel stack    |
 *   slot + KSTACK_SIZE    +------------------+  <- p->kstack
 *                         |  guard (unmapped)|  an overflow faults here
 *   slot                  +------------------+
 *
 * The stacks are mapped once at boot and never unmapped, so no CPU can hold
 * a stale translation for them.
 */
#include <kernel/mm.h>
#include <kernel/printk.h>

u64 kstack_alloc(int slot)
{
	u64 base = KSTACK_AREA_START + (u64)slot * KSTACK_SLOT + KSTACK_SIZE;

	if (base + KSTACK_SIZE > KSTACK_AREA_END)
		return 0;
	for (u64 va = base; va < base + KSTACK_SIZE; va += PAGE_SIZE) {
		unsigned long page = get_zeroed_page(GFP_KERNEL);
		if (!page ||
		    map_range(swapper_pg_dir, va, __pa(page), PAGE_SIZE, PAGE_KERNEL, false))
			return 0;
	}
	return base;
}
