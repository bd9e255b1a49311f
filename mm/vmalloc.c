/*
 * mm/vmalloc.c - the vmalloc area: vmalloc/vfree, vmap/vunmap, ioremap,
 * and the kernel stacks.
 *
 * The area VMALLOC_START..VMALLOC_END of kernel virtual addresses is shared
 * by everything that needs kernel mappings of scattered pages or device
 * registers. Addresses come from the vmap_area allocator (mm/vmap_area.c,
 * O(log n)); each area gets one more page of addresses than it maps, so an
 * unmapped guard page follows it:
 *
 *   VMALLOC_START                                            VMALLOC_END
 *   |[ vmalloc 3 pages ][g][ ioremap 1 ][g][ ... kstack ...][g]   free   |
 *
 * Kernel stacks reserve twice their size, aligned, and map only the upper
 * half, so the guard lies below the stack, where an overflow goes (and the
 * trap entry recognises a stack pointer that left the mapped half).
 *
 * Freeing is lazy, as in Linux: vfree() clears the page-table entries and
 * frees the pages at once, but the addresses are kept out of use until
 * enough have accumulated (LAZY_MAX_PAGES); then one TLB flush on every CPU
 * covers them all and they return to the free tree. A stale TLB entry for a
 * freed area can therefore exist for a while on another CPU, but the
 * address is never handed out again before the flush.
 *
 * Lock: vmap_lock (a spinlock) protects the vmap_space, the purge list and
 * the counters. vfree() from interrupt context only queues the address; the
 * next vmalloc()/vfree() in process context frees it.
 *
 * The vmalloc lab (labs/vmalloc/README.md, tasks 3 and 4) has students write
 * the map loop of __vmap_range() and __vfree_area() (task 3) and
 * __purge_lazy() (task 4).
 *
 * See: Documentation/core-api/memory-allocation.rst in Linux; labs/vmalloc.
 */
#include <kernel/vmalloc.h>
#include <kernel/mm.h>
#include <kernel/spinlock.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/io.h>
#include <kernel/ksyms.h>
#include <kernel/lab.h>
#include <kernel/seq_buf.h>
#include <kernel/slab.h>
#include "vmap_area.h"

#define VM_DEAD 0x100UL /* freed; its addresses wait for the next purge */

#define LAZY_MAX_PAGES 2048 /* 8 MiB of freed addresses before a purge */

static struct spinlock vmap_lock = SPINLOCK_INIT("vmap");
static struct vmap_space space;
static struct vmap_area *purge_list;
static unsigned long lazy_pages, used_pages;
static bool vmalloc_ready;

/* vfree() from interrupt context: areas waiting for process context */
static struct spinlock deferred_lock = SPINLOCK_INIT("vfree-deferred");
static struct vmap_area *deferred;

/* vmap_area structures: the slab cache "vmap_area" (allocated under vmap_lock: atomic) */
static struct kmem_cache *vmap_area_cachep;

static struct vmap_area *node_alloc(void)
{
	return kmem_cache_zalloc(vmap_area_cachep, GFP_ATOMIC);
}

static void node_free(struct vmap_area *va)
{
	kmem_cache_free(vmap_area_cachep, va);
}

void vmalloc_init(void)
{
	vmap_area_cachep =
	    kmem_cache_create("vmap_area", sizeof(struct vmap_area), 0, SLAB_PANIC, NULL);
	if (vmap_space_init(&space, VMALLOC_START, VMALLOC_END, node_alloc, node_free) < 0)
		panic("vmalloc_init: no memory");
	vmalloc_ready = true;
}

bool is_vmalloc_addr(const void *addr)
{
	return (u64)addr >= VMALLOC_START && (u64)addr < VMALLOC_END;
}

/* Flush all lazily freed areas and give their addresses back. vmap_lock held. */
static void __purge_lazy(void)
{
	/* LAB vmalloc: BEGIN task 4: one TLB flush over all the queued areas, then give them back */
	u64 lo = ~0ULL, hi = 0;

	if (!purge_list)
		return;
	for (struct vmap_area *va = purge_list; va; va = va->next) {
		lo = MIN(lo, va->va_start);
		hi = MAX(hi, va->va_end);
	}
	flush_tlb_kernel_range(lo, hi);
	while (purge_list) {
		struct vmap_area *va = purge_list;
		purge_list = va->next;
		vmap_space_free(&space, va);
	}
	lazy_pages = 0;
	/* LAB vmalloc: ELSE
	 * LAB_TODO("vmalloc", "__purge_lazy()");
	 */
	/* LAB vmalloc: END */
}

void vm_unmap_aliases(void)
{
	spin_lock(&vmap_lock);
	__purge_lazy();
	spin_unlock(&vmap_lock);
}

/* Reserve addresses; retry once after a purge. vmap_lock held. */
static struct vmap_area *__reserve(u64 size, u64 align, unsigned long flags, const void *caller)
{
	struct vmap_area *va = vmap_space_alloc(&space, size, align);

	if (!va && purge_list) {
		__purge_lazy();
		va = vmap_space_alloc(&space, size, align);
	}
	if (va) {
		va->flags = flags;
		va->caller = caller;
	}
	return va;
}

static void drain_deferred(void);

/*
 * Reserve size + a guard page, then map pages over [map_off, map_off+size).
 * @pfns: map these frames; NULL: allocate fresh pages.
 */
static void *__vmap_range(u64 size, u64 align, u64 map_off, const u64 *pfns, u64 phys,
			  pgprot_t prot, unsigned long flags, bool zero, const void *caller)
{
	struct vmap_area *va;
	u64 npages = size / PAGE_SIZE, done = 0;
	int err = 0;

	if (in_interrupt()) {
		WARN_ON(1); /* vmalloc may sleep in Linux: never from interrupts */
		return NULL;
	}
	drain_deferred();
	spin_lock(&vmap_lock);
	va = __reserve(map_off + size + PAGE_SIZE, align, flags, caller);
	spin_unlock(&vmap_lock);
	if (!va) {
		printk("vmalloc: allocation failure: %llu bytes, no room in the vmalloc area\n",
		       size);
		return NULL;
	}
	u64 base = va->va_start + map_off;
	/* LAB vmalloc: BEGIN task 3: map npages pages at base; on failure undo it all, return NULL */
	for (; done < npages; done++) {
		u64 pa;
		if (flags & VM_IOREMAP) {
			pa = phys + done * PAGE_SIZE;
		} else if (pfns) {
			pa = pfns[done] << PAGE_SHIFT;
		} else {
			unsigned long page =
			    __get_free_page(GFP_KERNEL | __GFP_NOWARN | (zero ? __GFP_ZERO : 0));
			if (!page) {
				err = -ENOMEM;
				break;
			}
			pa = __pa(page);
		}
		err =
		    map_range(swapper_pg_dir, base + done * PAGE_SIZE, pa, PAGE_SIZE, prot, false);
		if (err) {
			if (!(flags & (VM_IOREMAP | VM_MAP)))
				free_page((unsigned long)__va(pa));
			break;
		}
	}
	if (err) {
		printk("vmalloc: allocation failure: %llu bytes, out of memory after %llu pages\n",
		       size, done);
		unmap_range(swapper_pg_dir, base, done * PAGE_SIZE,
			    !(flags & (VM_IOREMAP | VM_MAP)));
		spin_lock(&vmap_lock);
		va->next = purge_list; /* may be cached in TLBs: lazy like any free */
		purge_list = va;
		lazy_pages += npages + 1;
		spin_unlock(&vmap_lock);
		return NULL;
	}
	/* LAB vmalloc: ELSE
	 * (void)base;
	 * (void)pfns;
	 * (void)prot;
	 * (void)zero;
	 * (void)done;
	 * (void)err;
	 * LAB_TODO("vmalloc", "the map loop of __vmap_range()");
	 */
	/* LAB vmalloc: END */
	spin_lock(&vmap_lock);
	va->nr_pages = npages;
	va->phys_addr = phys;
	if (!(flags & (VM_IOREMAP | VM_MAP)))
		used_pages += npages; /* VmallocUsed: pages vmalloc allocated */
	spin_unlock(&vmap_lock);
	return (void *)base;
}

static void *__vmalloc(unsigned long size, bool zero, const void *caller)
{
	if (size == 0) {
		printk("vmalloc: size 0 requested by %p\n", caller);
		return NULL;
	}
	if (size > VMALLOC_END - VMALLOC_START) {
		printk("vmalloc: %lu bytes is larger than the whole vmalloc area\n", size);
		return NULL;
	}
	return __vmap_range(PAGE_ALIGN(size), PAGE_SIZE, 0, NULL, 0, PAGE_KERNEL, VM_ALLOC, zero,
			    caller);
}

void *vmalloc(unsigned long size)
{
	return __vmalloc(size, false, __builtin_return_address(0));
}

void *vzalloc(unsigned long size)
{
	return __vmalloc(size, true, __builtin_return_address(0));
}

void *vmap(const u64 *pfns, unsigned int count, unsigned long vm_flags)
{
	(void)vm_flags;
	if (!count)
		return NULL;
	return __vmap_range((u64)count * PAGE_SIZE, PAGE_SIZE, 0, pfns, 0, PAGE_KERNEL, VM_MAP,
			    false, __builtin_return_address(0));
}

/* Mark @va freed; false if it already was (a double free). */
static bool mark_dead(struct vmap_area *va)
{
	bool was_dead;

	spin_lock(&vmap_lock);
	was_dead = va->flags & VM_DEAD;
	va->flags |= VM_DEAD;
	spin_unlock(&vmap_lock);
	return !was_dead;
}

/* Unmap a dead area's pages (freeing them if they were vmalloc's) and queue
 * its addresses for the next purge. */
static void __vfree_area(struct vmap_area *va)
{
	/* LAB vmalloc: BEGIN task 3: unmap (freeing vmalloc's own pages), count, queue, maybe purge */
	u64 map_off = (va->flags & VM_KSTACK) ? KSTACK_SIZE : 0;

	unmap_range(swapper_pg_dir, va->va_start + map_off, va->nr_pages * PAGE_SIZE,
		    (va->flags & (VM_ALLOC | VM_KSTACK)) != 0);
	spin_lock(&vmap_lock);
	if (!(va->flags & (VM_IOREMAP | VM_MAP)))
		used_pages -= va->nr_pages;
	va->next = purge_list;
	purge_list = va;
	lazy_pages += (va->va_end - va->va_start) / PAGE_SIZE;
	if (lazy_pages > LAZY_MAX_PAGES)
		__purge_lazy();
	spin_unlock(&vmap_lock);
	/* LAB vmalloc: ELSE
	 * (void)va;
	 * (void)lazy_pages;
	 * LAB_TODO("vmalloc", "__vfree_area()");
	 */
	/* LAB vmalloc: END */
}

/* Find the live area that starts at @addr (its mapped part), or complain. */
static struct vmap_area *find_area(const void *addr, unsigned long want, const char *fn)
{
	struct vmap_area *va;

	spin_lock(&vmap_lock);
	va = vmap_space_find(&space, (u64)addr);
	spin_unlock(&vmap_lock);
	if (!va || !(va->flags & want) || va->nr_pages == 0) {
		printk("%s: %p was not returned by the matching allocator\n", fn, addr);
		dump_stack();
		return NULL;
	}
	u64 map_off = (va->flags & VM_KSTACK) ? KSTACK_SIZE : 0;
	if ((u64)addr != va->va_start + map_off) {
		printk("%s: %p is inside an area starting at 0x%llx, not its start\n", fn, addr,
		       va->va_start + map_off);
		dump_stack();
		return NULL;
	}
	return va;
}

static void drain_deferred(void)
{
	struct vmap_area *list;

	if (!READ_ONCE(deferred))
		return;
	spin_lock(&deferred_lock);
	list = deferred;
	deferred = NULL;
	spin_unlock(&deferred_lock);
	while (list) {
		struct vmap_area *va = list;
		list = va->next;
		__vfree_area(va);
	}
}

void vfree(const void *addr)
{
	struct vmap_area *va;

	if (!addr)
		return;
	if (!is_vmalloc_addr(addr)) {
		printk("vfree: %p is not a vmalloc address\n", addr);
		dump_stack();
		return;
	}
	va = find_area(addr, VM_ALLOC, "vfree");
	if (!va)
		return;
	if (!mark_dead(va)) {
		printk("vfree: double free of %p (%llu pages)\n", addr, va->nr_pages);
		dump_stack();
		return;
	}
	if (in_interrupt()) {
		/* unmapping and freeing pages is process-context work: defer */
		spin_lock(&deferred_lock);
		va->next = deferred;
		deferred = va;
		spin_unlock(&deferred_lock);
		return;
	}
	__vfree_area(va);
	drain_deferred();
}

void vunmap(const void *addr)
{
	struct vmap_area *va = addr ? find_area(addr, VM_MAP, "vunmap") : NULL;

	if (!va)
		return;
	if (!mark_dead(va)) {
		printk("vunmap: %p was unmapped already\n", addr);
		return;
	}
	__vfree_area(va);
}

u64 vmalloc_to_pfn(const void *addr)
{
	int level;
	pte_t *ptep;

	if (!is_vmalloc_addr(addr))
		return 0;
	ptep = lookup_pte(swapper_pg_dir, (u64)addr, &level);
	if (!ptep || level != 0)
		return 0;
	return pte_pfn(ptep_get(ptep));
}

/* ---- device registers ---------------------------------------------------- */

void *ioremap(u64 pa, u64 size)
{
	u64 off = pa & (PAGE_SIZE - 1);
	u64 *base;

	if (!vmalloc_ready || size == 0)
		return NULL;
	base = __vmap_range(PAGE_ALIGN(off + size), PAGE_SIZE, 0, NULL, pa - off,
			    PAGE_KERNEL_DEVICE, VM_IOREMAP, false, __builtin_return_address(0));
	return base ? (void *)((u64)base + off) : NULL;
}

void iounmap(void *addr)
{
	struct vmap_area *va;

	if (!addr)
		return;
	spin_lock(&vmap_lock);
	va = vmap_space_find(&space, (u64)addr);
	spin_unlock(&vmap_lock);
	if (!va || !(va->flags & VM_IOREMAP) || !va->nr_pages || !mark_dead(va)) {
		printk("iounmap: %p was not returned by ioremap, or was unmapped already\n", addr);
		return;
	}
	__vfree_area(va);
}

/* ---- kernel stacks --------------------------------------------------------- */

static unsigned long kernel_stacks; /* live ones (atomic), for /proc/meminfo */

u64 kstack_alloc(void)
{
	void *p = __vmap_range(KSTACK_SIZE, KSTACK_SLOT, KSTACK_SIZE, NULL, 0, PAGE_KERNEL,
			       VM_KSTACK, true, __builtin_return_address(0));

	if (p)
		__atomic_fetch_add(&kernel_stacks, 1, __ATOMIC_RELAXED);
	return (u64)p;
}

unsigned long nr_kernel_stacks(void)
{
	return __atomic_load_n(&kernel_stacks, __ATOMIC_RELAXED);
}

void kstack_free(u64 base)
{
	struct vmap_area *va;

	if (!base)
		return;
	spin_lock(&vmap_lock);
	va = vmap_space_find(&space, base);
	spin_unlock(&vmap_lock);
	if (!va || !(va->flags & VM_KSTACK) || !mark_dead(va)) {
		printk("kstack_free: 0x%llx is not a live kernel stack\n", base);
		return;
	}
	__vfree_area(va);
	__atomic_fetch_sub(&kernel_stacks, 1, __ATOMIC_RELAXED);
}

/* ---- statistics --------------------------------------------------------------- */

unsigned long vmalloc_used_pages(void)
{
	return used_pages;
}

unsigned long vmalloc_total_bytes(void)
{
	return VMALLOC_END - VMALLOC_START;
}

/*
 * /proc/vmallocinfo, Linux's format: one line per live area,
 *   0xffffffd000000000-0xffffffd000005000   20480 start_kernel+0x1c/0x2d0 pages=4 vmalloc
 * (the size includes the guard page; ioremap areas show phys=).
 */
int vmallocinfo_show(char *buf, int size)
{
	int n = 0;

	spin_lock(&vmap_lock);
	for (struct rb_node *r = rb_first(&space.busy_root); r && n < size; r = rb_next(r)) {
		struct vmap_area *va = rb_entry(r, struct vmap_area, rb_node);
		if (!va->nr_pages || (va->flags & VM_DEAD))
			continue;
		u64 off, sz;
		const char *fn = ksym_lookup((u64)va->caller, &off, &sz);
		n += snprintf(buf + n, size - n, "0x%016llx-0x%016llx %8llu ", va->va_start,
			      va->va_end, va->va_end - va->va_start);
		if (fn)
			n += snprintf(buf + n, size - n, "%s+0x%llx/0x%llx", fn, off, sz);
		else
			n += snprintf(buf + n, size - n, "0x%llx", (u64)va->caller);
		if (va->nr_pages && !(va->flags & VM_IOREMAP))
			n += snprintf(buf + n, size - n, " pages=%llu", va->nr_pages);
		if (va->flags & VM_IOREMAP)
			n += snprintf(buf + n, size - n, " phys=0x%llx ioremap", va->phys_addr);
		if (va->flags & VM_ALLOC)
			n += snprintf(buf + n, size - n, " vmalloc");
		if (va->flags & VM_MAP)
			n += snprintf(buf + n, size - n, " vmap");
		if (va->flags & VM_KSTACK)
			n += snprintf(buf + n, size - n, " vmalloc kstack");
		n += snprintf(buf + n, size - n, "\n");
	}
	spin_unlock(&vmap_lock);
	return MIN(n, size);
}

void vmallocinfo_seq(struct seq_buf *m)
{
	int n = vmallocinfo_show(m->buffer + m->len, (int)(m->size - m->len));

	m->len += (size_t)MIN(n, (int)(m->size - m->len - 1));
	m->buffer[m->len] = '\0';
}
