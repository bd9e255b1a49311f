/*
 * mm/page_alloc.c - the physical page allocator (foundation version).
 *
 * A bitmap with one bit per page frame of RAM (1 = in use) and a first-fit
 * search for 2^order free, naturally aligned frames, behind Linux's entry
 * points (__get_free_pages, free_pages). It is deliberately simple: the
 * physical-memory lab replaces it with memblock, struct page and the zoned
 * buddy allocator without changing any caller.
 *
 * Debug checks (always on): freeing a page that is already free, or one
 * outside RAM, panics with the address; freed pages are poisoned with 0x5a
 * so a use-after-free reads garbage instead of the old data.
 *
 * Lock: page_lock protects the bitmap and the counters.
 */
#include <kernel/gfp.h>
#include <kernel/mm.h>
#include <kernel/spinlock.h>
#include <kernel/printk.h>
#include <kernel/string.h>

#define MAX_ORDER_SIMPLE 10
#define MAX_RAM_PAGES ((4UL << 30) / PAGE_SIZE) /* 4 GiB of RAM at most */

static struct spinlock page_lock = SPINLOCK_INIT("page_alloc");
static u64 bitmap[MAX_RAM_PAGES / 64];
static u64 base_pfn, npages;
static u64 nr_free, nr_total;
static u64 hint; /* where the next order-0 search starts */

static bool test_bit_(u64 i)
{
	return bitmap[i / 64] & (1UL << (i % 64));
}

static void set_bits(u64 first, u64 n, bool used)
{
	for (u64 i = first; i < first + n; i++) {
		if (used)
			bitmap[i / 64] |= 1UL << (i % 64);
		else
			bitmap[i / 64] &= ~(1UL << (i % 64));
	}
}

void page_alloc_init(u64 start_pa, u64 end_pa)
{
	base_pfn = start_pa >> PAGE_SHIFT;
	npages = (end_pa - start_pa) >> PAGE_SHIFT;
	if (npages > MAX_RAM_PAGES)
		panic("page_alloc_init: %llu MiB of RAM is more than the 4 GiB supported",
		      (end_pa - start_pa) >> 20);
	memset(bitmap, 0xff, sizeof(bitmap));
	nr_free = nr_total = 0;
}

/* Make [start, end) available (boot only). */
void page_alloc_release(u64 start_pa, u64 end_pa)
{
	u64 first = (PAGE_ALIGN(start_pa) >> PAGE_SHIFT) - base_pfn;
	u64 last = (end_pa >> PAGE_SHIFT) - base_pfn;

	spin_lock(&page_lock);
	for (u64 i = first; i < last && i < npages; i++) {
		if (test_bit_(i)) {
			set_bits(i, 1, false);
			nr_free++;
			nr_total++;
		}
	}
	spin_unlock(&page_lock);
}

/* Take [start, end) away again (firmware, kernel image, device tree). */
void page_alloc_reserve(u64 start_pa, u64 end_pa)
{
	u64 lo = start_pa >> PAGE_SHIFT, hi = PAGE_ALIGN(end_pa) >> PAGE_SHIFT;

	spin_lock(&page_lock);
	for (u64 pfn = lo; pfn < hi; pfn++) {
		if (pfn < base_pfn || pfn >= base_pfn + npages)
			continue;
		u64 i = pfn - base_pfn;
		if (!test_bit_(i)) {
			set_bits(i, 1, true);
			nr_free--;
			nr_total--;
		}
	}
	spin_unlock(&page_lock);
}

static bool run_free(u64 first, u64 n)
{
	for (u64 i = first; i < first + n; i++)
		if (test_bit_(i))
			return false;
	return true;
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	u64 n = 1UL << order, found = (u64)-1;

	if (order > MAX_ORDER_SIMPLE) {
		if (!(gfp & __GFP_NOWARN))
			printk("page allocation failure: order %u is above the maximum %d\n", order,
			       MAX_ORDER_SIMPLE);
		return 0;
	}
	spin_lock(&page_lock);
	if (nr_free >= n) {
		if (order == 0) {
			/* next fit: skip full words quickly */
			for (u64 k = 0; k < npages / 64 + 1 && found == (u64)-1; k++) {
				u64 w = (hint / 64 + k) % (npages / 64 + 1);
				if (bitmap[w] == ~0UL)
					continue;
				for (u64 i = w * 64; i < w * 64 + 64 && i < npages; i++) {
					if (!test_bit_(i)) {
						found = i;
						break;
					}
				}
			}
		} else {
			/* naturally aligned in physical frame numbers */
			u64 start = (ALIGN_UP(base_pfn, n)) - base_pfn;
			for (u64 i = start; i + n <= npages; i += n) {
				if (run_free(i, n)) {
					found = i;
					break;
				}
			}
		}
	}
	if (found != (u64)-1) {
		set_bits(found, n, true);
		nr_free -= n;
		hint = found + n;
	}
	spin_unlock(&page_lock);

	if (found == (u64)-1) {
		if (!(gfp & __GFP_NOWARN))
			printk("page allocation failure: order %u, gfp 0x%x, %llu pages free\n",
			       order, gfp, nr_free);
		return 0;
	}
	unsigned long addr = (unsigned long)__va((base_pfn + found) << PAGE_SHIFT);
	if (gfp & __GFP_ZERO)
		memset((void *)addr, 0, n * PAGE_SIZE);
	return addr;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

void free_pages(unsigned long addr, unsigned int order)
{
	u64 n = 1UL << order;
	u64 pfn = __pa(addr) >> PAGE_SHIFT;

	if (addr == 0)
		return;
	if (addr & (PAGE_SIZE - 1) || pfn < base_pfn || pfn + n > base_pfn + npages)
		panic("free_pages: 0x%lx is not a page of RAM", addr);
	memset((void *)addr, 0x5a, n * PAGE_SIZE);
	spin_lock(&page_lock);
	for (u64 i = pfn - base_pfn; i < pfn - base_pfn + n; i++)
		if (!test_bit_(i))
			panic("free_pages: double free of page 0x%llx (order %u)",
			      (u64)(base_pfn + i) << PAGE_SHIFT, order);
	set_bits(pfn - base_pfn, n, false);
	nr_free += n;
	spin_unlock(&page_lock);
}

unsigned long nr_free_pages(void)
{
	return nr_free;
}

unsigned long totalram_pages(void)
{
	return nr_total;
}
