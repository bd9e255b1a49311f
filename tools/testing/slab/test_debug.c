/*
 * tools/testing/slab/test_debug.c - slab_debug: red zones, poison, double
 * free, free to the wrong cache, bad pointers, each reported with the
 * cache, the object and the caller, and the kernel going on; the object
 * layout with debugging; which caches the boot argument selects.
 */
#include <stdio.h>
#include "ktest-host.h"
#include "slab-host.h"

static void expect_report(const char *what, const char *cache, const void *object,
			  unsigned long errors_before, int line)
{
	char addr[32];

	if (slab_error_count != errors_before + 1) {
		ktest_fail(__FILE__, line, "expected one report (%s), got %lu", what,
			   slab_error_count - errors_before);
		return;
	}
	if (!strstr(slab_last_error.what, what))
		ktest_fail(__FILE__, line, "reported \"%s\", expected \"%s\"", slab_last_error.what,
			   what);
	if (strcmp(slab_last_error.cache, cache))
		ktest_fail(__FILE__, line, "reported cache %s, expected %s", slab_last_error.cache,
			   cache);
	if (slab_last_error.object != object)
		ktest_fail(__FILE__, line, "reported object %p, expected %p",
			   slab_last_error.object, object);
	if (!slab_last_error.caller)
		ktest_fail(__FILE__, line, "no caller recorded");
	snprintf(addr, sizeof(addr), "0x%llx", (unsigned long long)(uintptr_t)object);
	if (!strstr(mm_host_log, addr) || !strstr(mm_host_log, cache) ||
	    !strstr(mm_host_log, "caller"))
		ktest_fail(__FILE__, line,
			   "the log does not name the cache, object and caller:\n%s", mm_host_log);
}

#define EXPECT_REPORT(what, cache, object, before) \
	expect_report(what, cache, object, before, __LINE__)

static void check(void)
{
	char why[256];

	if (slab_host_check(why, sizeof(why)))
		ktest_fail(__FILE__, __LINE__, "%s", why);
}

TEST(debug_layout_surrounds_objects_with_red_zones_and_tracks)
{
	struct kmem_cache *s;
	u8 *p;

	slab_host_boot(32, "slab_debug");
	s = kmem_cache_create("layout", 40, 0, 0, NULL);
	ASSERT_EQ(s->flags & SLAB_DEBUG_FLAGS, SLAB_DEBUG_FLAGS);
	EXPECT_EQ(s->red_left_pad, 8);
	EXPECT_GE(s->inuse, 48);
	EXPECT_GE(s->offset, s->inuse); /* the free pointer outside the poisoned object */
	EXPECT_GE(s->size, s->red_left_pad + s->track_off + sizeof(struct slab_track));
	p = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 1; i <= 8; i++)
		EXPECT_EQ(p[-i], SLUB_RED_ACTIVE);
	for (unsigned i = 40; i < s->inuse; i++)
		EXPECT_EQ(p[i], SLUB_RED_ACTIVE);
	EXPECT_EQ(get_track(s, p)->state, SLAB_OBJ_ALLOCATED);
	EXPECT_NE(get_track(s, p)->alloc_caller, 0);
	EXPECT_EQ(get_track(s, p)->pid, 1);
	kmem_cache_free(s, p);
	/* freed: poisoned, red zones inactive */
	for (int i = 0; i < 39; i++)
		EXPECT_EQ(p[i], POISON_FREE);
	EXPECT_EQ(p[39], POISON_END);
	EXPECT_EQ(p[-1], SLUB_RED_INACTIVE);
	EXPECT_EQ(get_track(s, p)->state, SLAB_OBJ_FREE);
	EXPECT_NE(get_track(s, p)->free_caller, 0);
	EXPECT_EQ(slab_error_count, 0);
	kmem_cache_destroy(s);
	check();
}

TEST(double_free_of_a_kmalloc_object_is_caught_and_named)
{
	unsigned long before;
	void *p;

	slab_host_boot(32, "slab_debug");
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	before = slab_error_count;
	mm_host_log_clear();
	kfree(p);
	EXPECT_REPORT("double free", "kmalloc-64", p, before);
	EXPECT_TRUE(strstr(mm_host_log, "BUG kmalloc-64: double free") != NULL);
	EXPECT_TRUE(strstr(mm_host_log, "allocated by") != NULL);
	EXPECT_TRUE(strstr(mm_host_log, "last freed by") != NULL);
	EXPECT_GE(slab_host_stack_dumps, 1);
	/* the allocator is intact: the object comes back once, not twice */
	void *a = kmalloc(64, GFP_KERNEL), *b = kmalloc(64, GFP_KERNEL);
	EXPECT_NE((uintptr_t)a, (uintptr_t)b);
	kfree(a);
	kfree(b);
	check();
}

TEST(double_free_is_caught_without_tracking_too)
{
	unsigned long before;
	void *p;

	slab_host_boot(32, "slab_debug=F");
	p = kmalloc(32, GFP_KERNEL);
	kfree(p);
	before = slab_error_count;
	mm_host_log_clear();
	kfree(p);
	EXPECT_REPORT("double free", "kmalloc-32", p, before);
	check();
}

TEST(free_to_the_wrong_cache_is_caught)
{
	struct kmem_cache *a, *b;
	unsigned long before;
	void *p;

	slab_host_boot(32, "");
	a = kmem_cache_create("cache-a", 100, 0, 0, NULL);
	b = kmem_cache_create("cache-b", 100, 0, 0, NULL);
	p = kmem_cache_alloc(a, GFP_KERNEL);
	before = slab_error_count;
	mm_host_log_clear();
	kmem_cache_free(b, p);
	EXPECT_REPORT("free to the wrong cache", "cache-b", p, before);
	EXPECT_TRUE(strstr(mm_host_log, "belongs to cache cache-a") != NULL);
	kmem_cache_free(a, p); /* still allocated: the right free works */
	EXPECT_EQ(slab_error_count, before + 1);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
	check();
}

TEST(red_zone_overwrites_are_caught_and_repaired)
{
	struct kmem_cache *s;
	unsigned long before;
	u8 *p;

	slab_host_boot(32, "slab_debug");
	s = kmem_cache_create("rz", 40, 0, 0, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	p[40] = 'x'; /* one past the end */
	before = slab_error_count;
	mm_host_log_clear();
	kmem_cache_free(s, p);
	EXPECT_REPORT("right red zone overwritten", "rz", p, before);
	EXPECT_TRUE(strstr(mm_host_log, "bytes object+40..+40 (0x") != NULL);
	EXPECT_TRUE(strstr(mm_host_log, "found 0x78, expected 0xcc; restored") != NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	p[-3] = 'y'; /* before the start */
	before = slab_error_count;
	mm_host_log_clear();
	kmem_cache_free(s, p);
	EXPECT_REPORT("left red zone overwritten", "rz", p, before);
	check(); /* repaired */
	kmem_cache_destroy(s);
}

TEST(writes_past_the_kmalloc_size_are_caught)
{
	unsigned long before;
	u8 *p;

	slab_host_boot(32, "slab_debug");
	p = kmalloc(50, GFP_KERNEL); /* kmalloc-64: bytes 50..63 are a red zone */
	memset(p, 0, 50);
	p[55] = 1;
	before = slab_error_count;
	mm_host_log_clear();
	kfree(p);
	EXPECT_REPORT("kmalloc red zone", "kmalloc-64", p, before);
	/* ksize says all 64 bytes may be used: then writing them is fine */
	p = kmalloc(50, GFP_KERNEL);
	EXPECT_EQ(ksize(p), 64);
	memset(p, 1, 64);
	before = slab_error_count;
	kfree(p);
	EXPECT_EQ(slab_error_count, before);
	/* krealloc in place moves the red zone */
	p = kmalloc(20, GFP_KERNEL);
	p = krealloc(p, 60, GFP_KERNEL);
	memset(p, 2, 60);
	kfree(p);
	EXPECT_EQ(slab_error_count, before);
	check();
}

TEST(a_write_after_free_is_caught_by_the_poison)
{
	unsigned long before;
	u8 *p, *q;

	slab_host_boot(32, "slab_debug");
	p = kmalloc(128, GFP_KERNEL);
	kfree(p);
	p[5] = 0; /* use after free */
	before = slab_error_count;
	mm_host_log_clear();
	q = kmalloc(128, GFP_KERNEL); /* the same object: checked before it is handed out */
	EXPECT_PTR_EQ(q, p);
	EXPECT_REPORT("poison overwritten", "kmalloc-128", p, before);
	kfree(q);
	check();
}

TEST(bad_pointers_are_refused)
{
	unsigned long before;
	struct page *page;
	u8 *p;

	slab_host_boot(32, "slab_debug");
	p = kmalloc(64, GFP_KERNEL);
	before = slab_error_count;
	mm_host_log_clear();
	kfree(p + 8);
	EXPECT_REPORT("invalid free", "kmalloc-64", p + 8, before);
	EXPECT_TRUE(strstr(mm_host_log, "inside an object") != NULL);
	kfree(p);
	/* memory from the page allocator is not kmalloc's */
	page = alloc_page(GFP_KERNEL);
	before = slab_error_count;
	kfree(page_address(page));
	EXPECT_EQ(slab_error_count, before + 1);
	EXPECT_STREQ(slab_last_error.cache, "kmalloc");
	__free_page(page);
	/* a large kmalloc freed twice */
	p = kmalloc(20000, GFP_KERNEL);
	kfree(p);
	before = slab_error_count;
	kfree(p);
	EXPECT_EQ(slab_error_count, before + 1);
	check();
}

TEST(slab_debug_can_name_caches_and_letters)
{
	struct kmem_cache *s;

	slab_host_boot(32, "slab_debug=ZP,kmalloc-64,mine");
	EXPECT_EQ(slab_host_find("kmalloc-64")->flags & SLAB_DEBUG_FLAGS,
		  SLAB_RED_ZONE | SLAB_POISON);
	EXPECT_EQ(slab_host_find("kmalloc-128")->flags & SLAB_DEBUG_FLAGS, 0);
	s = kmem_cache_create("mine", 10, 0, 0, NULL);
	EXPECT_EQ(s->flags & SLAB_DEBUG_FLAGS, SLAB_RED_ZONE | SLAB_POISON);
	kmem_cache_destroy(s);
	slab_host_boot(32, "slab_debug=-");
	EXPECT_EQ(slab_host_find("kmalloc-64")->flags & SLAB_DEBUG_FLAGS, 0);
	slab_host_boot(32, "slub_debug=U");
	EXPECT_EQ(slab_host_find("kmalloc-64")->flags & SLAB_DEBUG_FLAGS, SLAB_STORE_USER);
}

TEST(destroy_with_live_objects_names_where_they_were_allocated)
{
	struct kmem_cache *s;
	void *p;

	slab_host_boot(32, "slab_debug");
	s = kmem_cache_create("leaky", 24, 0, 0, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	mm_host_log_clear();
	kmem_cache_destroy(s);
	EXPECT_TRUE(strstr(mm_host_log, "cache leaky still has 1 live objects") != NULL);
	EXPECT_TRUE(strstr(mm_host_log, "allocated by") != NULL);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	EXPECT_NULL(slab_host_find("leaky"));
}
