/*
 * tools/testing/slab/test_kmalloc.c - kmalloc and friends: every size class,
 * the boundaries between classes, large kmalloc from the page allocator,
 * kzalloc/kcalloc/krealloc/ksize, ZERO_SIZE_PTR, and the gfp flags that
 * pick the dma and reclaimable caches.
 */
#include <stdio.h>
#include <kernel/seq_buf.h>
#include "ktest-host.h"
#include "slab-host.h"

static struct kmem_cache *cache_of(const void *p)
{
	struct page *slab = virt_to_head_page(p);

	return PageSlab(slab) ? slab->slab_cache : NULL;
}

TEST(every_size_class_has_its_cache)
{
	static const char *const names[] = {
	    "kmalloc-8",   "kmalloc-16",  "kmalloc-32",	 "kmalloc-64",	"kmalloc-96",
	    "kmalloc-128", "kmalloc-192", "kmalloc-256", "kmalloc-512", "kmalloc-1k",
	    "kmalloc-2k",  "kmalloc-4k",  "kmalloc-8k"};
	char why[256];

	slab_host_boot(32, "");
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++) {
		unsigned int size = kmalloc_sizes[i];
		void *p = kmalloc(size, GFP_KERNEL);

		ASSERT_NOT_NULL(p);
		ASSERT_NOT_NULL(cache_of(p));
		EXPECT_STREQ(cache_of(p)->name, names[i]);
		EXPECT_EQ(ksize(p), size);
		/* power-of-two classes are naturally aligned (without slab_debug) */
		if (!(size & (size - 1)))
			EXPECT_EQ((uintptr_t)p % size, 0);
		else
			EXPECT_EQ((uintptr_t)p % 8, 0);
		memset(p, 0x5a, size);
		kfree(p);
	}
	ASSERT_EQ(slab_host_check(why, sizeof(why)), 0);
}

TEST(sizes_round_up_to_the_next_class)
{
	slab_host_boot(32, "");
	for (size_t size = 1; size <= KMALLOC_MAX_CACHE_SIZE; size += (size < 300 ? 1 : 37)) {
		unsigned int want = 0;
		void *p;

		for (unsigned i = 0; i < KMALLOC_CLASSES; i++) {
			if (kmalloc_sizes[i] >= size) {
				want = kmalloc_sizes[i];
				break;
			}
		}
		EXPECT_EQ(kmalloc_sizes[kmalloc_index(size)], want);
		p = kmalloc(size, GFP_KERNEL);
		ASSERT_NOT_NULL(p);
		EXPECT_EQ(ksize(p), want);
		kfree(p);
	}
	EXPECT_EQ(kmalloc_index(8), 0);
	EXPECT_EQ(kmalloc_index(9), 1);
	EXPECT_EQ(kmalloc_index(65), 4);  /* 96 */
	EXPECT_EQ(kmalloc_index(97), 5);  /* 128 */
	EXPECT_EQ(kmalloc_index(129), 6); /* 192 */
	EXPECT_EQ(kmalloc_index(193), 7); /* 256 */
	EXPECT_EQ(kmalloc_index(8192), 12);
}

TEST(large_kmalloc_takes_pages_from_the_buddy)
{
	unsigned long before;
	struct page *page;
	void *p;

	slab_host_boot(32, "");
	drain_all_pages(NULL);
	before = nr_free_pages();
	p = kmalloc(KMALLOC_MAX_CACHE_SIZE + 1, GFP_KERNEL);
	ASSERT_NOT_NULL(p);
	page = virt_to_page(p);
	EXPECT_FALSE(PageSlab(page));
	EXPECT_TRUE(PageLargeKmalloc(page));
	EXPECT_EQ((uintptr_t)p % (4 * PAGE_SIZE), 0);
	EXPECT_EQ(ksize(p), 4 * PAGE_SIZE); /* 8193 bytes: an order-2 block */
	memset(p, 1, ksize(p));
	kfree(p);
	drain_all_pages(NULL);
	EXPECT_EQ(nr_free_pages(), before);
	EXPECT_FALSE(PageLargeKmalloc(page));
	/* the limit: one MAX_PAGE_ORDER block */
	mm_host_log_clear();
	EXPECT_NULL(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL));
	EXPECT_TRUE(strstr(mm_host_log, "KMALLOC_MAX_SIZE") != NULL);
	p = kmalloc(KMALLOC_MAX_SIZE, GFP_KERNEL);
	EXPECT_NOT_NULL(p);
	kfree(p);
}

TEST(zero_size_and_null)
{
	slab_host_boot(32, "");
	EXPECT_PTR_EQ(kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	EXPECT_EQ(ksize(NULL), 0);
	EXPECT_EQ(ksize(ZERO_SIZE_PTR), 0);
	EXPECT_EQ(slab_error_count, 0);
}

TEST(kzalloc_and_kcalloc_zero_and_kcalloc_checks_overflow)
{
	u8 *p;

	slab_host_boot(32, "");
	/* dirty an object, free it, and get it back zeroed */
	p = kmalloc(100, GFP_KERNEL);
	ASSERT_NOT_NULL(p);
	memset(p, 0xee, 128);
	kfree(p);
	p = kzalloc(100, GFP_KERNEL);
	ASSERT_NOT_NULL(p);
	for (int i = 0; i < 100; i++)
		EXPECT_EQ(p[i], 0);
	kfree(p);
	p = kcalloc(10, 30, GFP_KERNEL);
	ASSERT_NOT_NULL(p);
	EXPECT_EQ(ksize(p), 512);
	for (int i = 0; i < 300; i++)
		EXPECT_EQ(p[i], 0);
	kfree(p);
	EXPECT_NULL(kcalloc((size_t)1 << 40, (size_t)1 << 40, GFP_KERNEL));
	EXPECT_NULL(kmalloc_array(~(size_t)0 / 2, 3, GFP_KERNEL));
}

TEST(krealloc_keeps_contents_grows_shrinks_in_place_when_it_fits)
{
	u8 *p, *q;

	slab_host_boot(32, "");
	p = krealloc(NULL, 40, GFP_KERNEL); /* NULL: kmalloc */
	ASSERT_NOT_NULL(p);
	for (int i = 0; i < 40; i++)
		p[i] = (u8)i;
	q = krealloc(p, 60, GFP_KERNEL); /* still fits kmalloc-64: in place */
	EXPECT_PTR_EQ(q, p);
	q = krealloc(p, 1000, GFP_KERNEL);
	ASSERT_NOT_NULL(q);
	EXPECT_NE((uintptr_t)q, (uintptr_t)p);
	for (int i = 0; i < 40; i++)
		EXPECT_EQ(q[i], i);
	EXPECT_EQ(ksize(q), 1024);
	p = krealloc(q, 20000, GFP_KERNEL); /* to whole pages */
	ASSERT_NOT_NULL(p);
	EXPECT_TRUE(PageLargeKmalloc(virt_to_page(p)));
	for (int i = 0; i < 40; i++)
		EXPECT_EQ(p[i], i);
	q = krealloc(p, 10, GFP_KERNEL); /* shrink from pages back to a slab */
	ASSERT_NOT_NULL(q);
	EXPECT_TRUE(PageSlab(virt_to_head_page(q)));
	for (int i = 0; i < 10; i++)
		EXPECT_EQ(q[i], i);
	EXPECT_PTR_EQ(krealloc(q, 0, GFP_KERNEL), ZERO_SIZE_PTR); /* 0: freed */
	EXPECT_EQ(slab_error_count, 0);
}

TEST(gfp_dma_and_reclaimable_pick_their_caches)
{
	void *d, *r, *n;

	slab_host_boot(32, "");
	d = kmalloc(64, GFP_DMA);
	r = kmalloc(64, GFP_KERNEL | __GFP_RECLAIMABLE);
	n = kmalloc(64, GFP_ATOMIC);
	ASSERT_NOT_NULL(d);
	ASSERT_NOT_NULL(r);
	ASSERT_NOT_NULL(n);
	EXPECT_STREQ(cache_of(d)->name, "dma-kmalloc-64");
	EXPECT_STREQ(cache_of(r)->name, "kmalloc-rcl-64");
	EXPECT_STREQ(cache_of(n)->name, "kmalloc-64");
	EXPECT_EQ(page_zonenum(virt_to_page(d)), ZONE_DMA);
	EXPECT_EQ(page_zonenum(virt_to_page(n)), ZONE_NORMAL);
	/* the reclaimable cache's slab comes from a reclaimable pageblock */
	EXPECT_EQ(get_pageblock_migratetype(virt_to_page(r)), MIGRATE_RECLAIMABLE);
	EXPECT_EQ(get_pageblock_migratetype(virt_to_page(n)), MIGRATE_UNMOVABLE);
	EXPECT_EQ(nr_slab_reclaimable, 1);
	kfree(d);
	kfree(r);
	kfree(n);
}

TEST(gfp_dma_fails_cleanly_without_a_dma_zone)
{
	struct mm_host_config cfg = {.ram_mb = 32, .dma_mb = 0, .min_free_kbytes = -1};

	mm_host_boot(&cfg);
	kmem_cache_init();
	EXPECT_NULL(kmalloc(64, GFP_DMA | __GFP_NOWARN));
	EXPECT_NOT_NULL(kmalloc(64, GFP_KERNEL));
}

TEST(slabinfo_has_linux_21_format)
{
	static char buf[16384];
	struct seq_buf m;
	char *line, name[32];
	unsigned long active, num, objsize, per, pages, l, b, sh, aslabs, nslabs, sa;
	void *p[10];

	slab_host_boot(32, "");
	for (int i = 0; i < 10; i++)
		p[i] = kmalloc(64, GFP_KERNEL);
	seq_buf_init(&m, buf, sizeof(buf));
	slabinfo_show(&m);
	ASSERT_TRUE(strncmp(buf,
			    "slabinfo - version: 2.1\n# name            <active_objs> "
			    "<num_objs> <objsize> <objperslab> <pagesperslab> : tunables "
			    "<limit> <batchcount> <sharedfactor> : slabdata <active_slabs> "
			    "<num_slabs> <sharedavail>\n",
			    200) == 0);
	line = strstr(buf, "\nkmalloc-64 ");
	ASSERT_NOT_NULL(line);
	ASSERT_EQ(sscanf(line + 1,
			 "%31s %lu %lu %lu %lu %lu : tunables %lu %lu %lu : slabdata %lu %lu %lu",
			 name, &active, &num, &objsize, &per, &pages, &l, &b, &sh, &aslabs, &nslabs,
			 &sa),
		  12);
	EXPECT_EQ(active, 10);
	EXPECT_EQ(num, 64);
	EXPECT_EQ(objsize, 64);
	EXPECT_EQ(per, 64);
	EXPECT_EQ(pages, 1);
	EXPECT_EQ(nslabs, 1);
	/* the name column is 17 wide, then the numbers */
	EXPECT_TRUE(strncmp(line + 1,
			    "kmalloc-64            10     64     64   64    1 : tunables "
			    "   0    0    0 : slabdata      1      1      0\n",
			    100) == 0);
	for (int i = 0; i < 10; i++)
		kfree(p[i]);
	seq_buf_init(&m, buf, sizeof(buf));
	slabinfo_show(&m);
	line = strstr(buf, "\nkmalloc-64 ");
	ASSERT_NOT_NULL(line);
	ASSERT_EQ(sscanf(line + 1, "%31s %lu %lu", name, &active, &num), 3);
	EXPECT_EQ(active, 0); /* objects on the CPU's freelist are not active */
}
