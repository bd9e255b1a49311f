/*
 * labs/vmalloc/ktest/task3_map_test.c - the vmalloc lab's in-kernel
 * suites, one file per task (see vmalloc_lab.h), all checked through the
 * kernel's own page table (swapper_pg_dir):
 *
 *   vmalloc_lab        task 3 (this file): vmalloc/vzalloc/vmap/ioremap map
 *                      exactly their pages, with the right protection and a
 *                      guard page after them; vfree/vunmap/iounmap unmap at
 *                      once and free only vmalloc's own pages
 *   vmalloc_lab_unwind task 3 (task3_unwind_test.c): a vmalloc that runs out
 *                      of memory half-way gives back every page it took (in
 *                      a boot of its own: it takes all memory)
 *   vmalloc_lab_purge  task 4 (task4_purge_test.c): freed addresses wait
 *                      for the lazy purge; the purge runs by itself once
 *                      enough has been freed
 *   kvmalloc_lab       task 5 (task5_kvmalloc_test.c): kvmalloc picks
 *                      physically contiguous memory when it is there,
 *                      vmalloc when memory is fragmented; kvfree frees either
 *
 * Run them with `make qemu BOOTARGS="ktest=vmalloc_lab,vmalloc_lab_unwind,vmalloc_lab_purge,kvmalloc_lab"`;
 * the grader (labs/vmalloc/grade.py) adds ktestkey and types a key, so that
 * only the test runner's own (signed) result lines count.
 */
#include <kernel/ktest.h>
#include <kernel/vmalloc.h>
#include <kernel/mm.h>
#include <kernel/io.h>
#include <kernel/fdt.h>
#include <kernel/setup.h>
#include <kernel/string.h>
#include "vmalloc_lab.h"

/* ---- vmalloc_lab (task 3) ---------------------------------------------------------- */

/* what this suite maps, freed by its last case */
static u8 *map_vmalloc, *map_vzalloc, *map_vmap;
static volatile u8 *map_io;
static unsigned long map_vmap_pages[3];

static void test_vmalloc_maps_every_page_once(struct ktest *t)
{
	enum { NPAGES = 6 };
	unsigned long used = vmalloc_used_pages();
	u64 pfns[NPAGES];
	u8 *p = vmalloc(5 * PAGE_SIZE + 1); /* rounds up to 6 pages */

	map_vmalloc = p;
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr(p));
	KTEST_EXPECT_EQ(t, (u64)p % PAGE_SIZE, 0);
	KTEST_EXPECT_EQ(t, vmalloc_used_pages() - used, NPAGES);
	for (int i = 0; i < NPAGES; i++) {
		pte_t pte = kpte((u64)p + i * PAGE_SIZE);
		if (!pte_present(pte)) {
			ktest_fail(t, __FILE__, __LINE__, "page %d of 6 is not mapped", i);
			return;
		}
		KTEST_EXPECT_TRUE(t, pte_read(pte) && pte_write(pte));
		KTEST_EXPECT_FALSE(t, pte_exec(pte)); /* data: never executable */
		KTEST_EXPECT_FALSE(t, pte_user(pte)); /* the kernel's, not user space's */
		pfns[i] = pte_pfn(pte);
		KTEST_EXPECT_TRUE(t, pfn_valid(pfns[i]));
		KTEST_EXPECT_EQ(t, page_ref_count(pfn_to_page(pfns[i])), 1);
		for (int j = 0; j < i; j++)
			if (pfns[j] == pfns[i])
				ktest_fail(t, __FILE__, __LINE__,
					   "pages %d and %d map the same frame", j, i);
	}
	KTEST_EXPECT_FALSE(t, pte_present(kpte((u64)p + NPAGES * PAGE_SIZE))); /* guard */
	/* one buffer, seen through vmalloc's addresses and each frame's direct map */
	for (int i = 0; i < NPAGES; i++)
		p[i * PAGE_SIZE + 7] = (u8)(0x40 + i);
	for (int i = 0; i < NPAGES; i++)
		KTEST_EXPECT_EQ(t, ((u8 *)__va(pfns[i] << PAGE_SHIFT))[7], 0x40 + i);
	KTEST_EXPECT_EQ(t, vmalloc_to_pfn(p + 3 * PAGE_SIZE + 100), pfns[3]);
}

static void test_vzalloc_gives_zeroed_pages(struct ktest *t)
{
	u8 *p = vzalloc(4 * PAGE_SIZE);
	bool zero = true;

	map_vzalloc = p;
	KTEST_ASSERT_TRUE(t, p != NULL);
	for (u64 i = 0; i < 4 * PAGE_SIZE; i++)
		zero &= p[i] == 0;
	KTEST_EXPECT_TRUE(t, zero); /* free pages are poisoned with 0x5a: zero them */
	KTEST_EXPECT_FALSE(t, pte_present(kpte((u64)p + 4 * PAGE_SIZE)));
}

static void test_vmap_maps_the_given_pages_in_order(struct ktest *t)
{
	u64 pfns[3];

	for (int i = 0; i < 3; i++) {
		map_vmap_pages[i] = get_zeroed_page(GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, map_vmap_pages[i] != 0);
	}
	/* in reverse physical order: the mapping must follow the array, not the frames */
	for (int i = 0; i < 3; i++)
		pfns[i] = __pa(map_vmap_pages[2 - i]) >> PAGE_SHIFT;
	u8 *v = vmap(pfns, 3, 0);
	map_vmap = v;
	KTEST_ASSERT_TRUE(t, v != NULL);
	for (int i = 0; i < 3; i++)
		KTEST_EXPECT_EQ(t, pte_pfn(kpte((u64)v + i * PAGE_SIZE)), pfns[i]);
	KTEST_EXPECT_FALSE(t, pte_present(kpte((u64)v + 3 * PAGE_SIZE)));
	v[5] = 42;
	KTEST_EXPECT_EQ(t, ((u8 *)map_vmap_pages[2])[5], 42);
	/* the caller's pages: vmap takes no reference and allocates nothing */
	KTEST_EXPECT_EQ(t, page_ref_count(virt_to_page((void *)map_vmap_pages[0])), 1);
}

static void test_ioremap_maps_device_memory(struct ktest *t)
{
	int node = fdt_find_compatible(boot_dtb, "virtio,mmio", -1);
	u64 base, size;

	if (node < 0 || fdt_read_reg(boot_dtb, node, 0, &base, &size) < 0) {
		ktest_skip(t, "no virtio-mmio device in the device tree");
		return;
	}
	/* an offset inside the page comes back in the address */
	volatile u8 *regs = ioremap(base + 0x10, 4);
	map_io = regs;
	KTEST_ASSERT_TRUE(t, regs != NULL);
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr((void *)regs));
	KTEST_EXPECT_EQ(t, (u64)regs % PAGE_SIZE, (base + 0x10) % PAGE_SIZE);
	pte_t pte = kpte((u64)regs);
	KTEST_EXPECT_EQ(t, pte_val(pte),
			pte_val(pfn_pte(base >> PAGE_SHIFT, PAGE_KERNEL_DEVICE, 0)));
	KTEST_EXPECT_EQ(t, readl(regs - 0x10), 0x74726976); /* "virt": the device's magic */
}

static void test_vfree_unmaps_and_frees_at_once(struct ktest *t)
{
	enum { NPAGES = 8 };
	unsigned long used = vmalloc_used_pages();
	u64 pfns[NPAGES];
	u8 *p = vmalloc(NPAGES * PAGE_SIZE);

	KTEST_ASSERT_TRUE(t, p != NULL);
	for (int i = 0; i < NPAGES; i++)
		pfns[i] = pte_pfn(kpte((u64)p + i * PAGE_SIZE));
	vfree(p);
	KTEST_EXPECT_EQ(t, vmalloc_used_pages(), used);
	for (int i = 0; i < NPAGES; i++) {
		if (pte_present(kpte((u64)p + i * PAGE_SIZE)))
			ktest_fail(t, __FILE__, __LINE__, "page %d is still mapped after vfree", i);
		if (page_ref_count(pfn_to_page(pfns[i])) != 0)
			ktest_fail(t, __FILE__, __LINE__,
				   "page %d (pfn 0x%llx) was not given back to the page allocator",
				   i, pfns[i]);
	}
}

static void test_vunmap_and_iounmap_free_no_pages(struct ktest *t)
{
	unsigned long page = get_zeroed_page(GFP_KERNEL);
	u64 pfn;

	KTEST_ASSERT_TRUE(t, page != 0);
	pfn = __pa(page) >> PAGE_SHIFT;
	void *v = vmap(&pfn, 1, 0);
	KTEST_ASSERT_TRUE(t, v != NULL);
	vunmap(v);
	KTEST_EXPECT_FALSE(t, pte_present(kpte((u64)v)));
	KTEST_EXPECT_EQ(t, page_ref_count(virt_to_page((void *)page)), 1); /* still the caller's */
	free_page(page);
}

/* The suite's areas go: the mapped pages' PTEs are cleared at once. */
static void test_cleanup_frees_the_suites_areas(struct ktest *t)
{
	u8 *p = map_vmalloc;

	vfree(map_vmalloc);
	vfree(map_vzalloc);
	vunmap(map_vmap);
	iounmap((void *)map_io);
	for (int i = 0; i < 3; i++)
		free_page(map_vmap_pages[i]);
	if (p)
		KTEST_EXPECT_FALSE(t, pte_present(kpte((u64)p)));
	map_vmalloc = map_vzalloc = map_vmap = NULL;
	map_io = NULL;
}

static struct ktest_case vmalloc_lab_cases[] = {
    KTEST_CASE(test_vmalloc_maps_every_page_once),
    KTEST_CASE(test_vzalloc_gives_zeroed_pages),
    KTEST_CASE(test_vmap_maps_the_given_pages_in_order),
    KTEST_CASE(test_ioremap_maps_device_memory),
    KTEST_CASE(test_vfree_unmaps_and_frees_at_once),
    KTEST_CASE(test_vunmap_and_iounmap_free_no_pages),
    KTEST_CASE(test_cleanup_frees_the_suites_areas),
    {},
};
KTEST_SUITE(vmalloc_lab, vmalloc_lab_cases);
