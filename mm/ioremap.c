/*
 * mm/ioremap.c - map device registers into the kernel's ioremap area
 * (foundation version: a bump allocator; the vmalloc lab replaces it with
 * the vmap_area allocator). Each mapping is followed by an unmapped guard
 * page, so running off the end of a device's registers faults.
 */
#include <kernel/mm.h>
#include <kernel/io.h>
#include <kernel/spinlock.h>
#include <kernel/printk.h>

static u64 ioremap_next = IOREMAP_START;
static struct spinlock ioremap_lock = SPINLOCK_INIT("ioremap");

void *ioremap(u64 pa, u64 size)
{
	u64 off = pa & (PAGE_SIZE - 1);
	u64 len = PAGE_ALIGN(off + size), va;

	spin_lock(&ioremap_lock);
	va = ioremap_next;
	if (va + len + PAGE_SIZE > IOREMAP_END) {
		spin_unlock(&ioremap_lock);
		printk("ioremap: area full mapping 0x%llx (+0x%llx)\n", pa, size);
		return NULL;
	}
	ioremap_next += len + PAGE_SIZE;
	spin_unlock(&ioremap_lock);
	if (map_range(swapper_pg_dir, va, pa - off, len, PAGE_KERNEL_DEVICE, false) < 0) {
		printk("ioremap: cannot map 0x%llx (+0x%llx)\n", pa, size);
		return NULL;
	}
	local_flush_tlb_all();
	return (void *)(va + off);
}

void iounmap(void *addr)
{
	(void)addr; /* mappings live as long as the kernel in this version */
}
