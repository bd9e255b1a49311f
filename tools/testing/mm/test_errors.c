/*
 * tools/testing/mm/test_errors.c - bugs in callers are caught with a clear
 * panic: double free (from the buddy or a per-CPU list), freeing a tail
 * page, the wrong order, a reserved page, an address outside RAM.
 */
#include "ktest-host.h"
#include "mm-host.h"

/* Run @stmt expecting a panic whose message contains @needle. */
#define EXPECT_PANIC(stmt, needle)                                                  \
	do {                                                                        \
		jmp_buf env_;                                                       \
		if (setjmp(env_) == 0) {                                            \
			mm_host_expect_panic(&env_);                                \
			stmt;                                                       \
			mm_host_no_panic();                                         \
			ktest_fail(__FILE__, __LINE__, "no panic from %s", #stmt);  \
		} else if (!strstr(mm_host_panic_msg, needle)) {                    \
			ktest_fail(__FILE__, __LINE__, "panic \"%s\" lacks \"%s\"", \
				   mm_host_panic_msg, needle);                      \
		}                                                                   \
	} while (0)

TEST(double_free_from_a_per_cpu_list)
{
	unsigned long a;

	mm_host_boot_mb(32);
	a = __get_free_page(GFP_KERNEL);
	free_page(a);
	EXPECT_PANIC(free_page(a), "double free");
}

TEST(double_free_of_a_merged_block)
{
	struct page *p;

	mm_host_boot_mb(32);
	p = alloc_pages(GFP_KERNEL, 4);
	__free_pages(p, 4);
	EXPECT_PANIC(__free_pages(p, 4), "double free");
	/* the report names the flags: a free block's head, and its zone */
	EXPECT_PANIC(__free_pages(p, 4), "(buddy, zone ");
	EXPECT_PANIC(__free_pages(p + 3, 0), "double free");
}

TEST(freeing_a_tail_page)
{
	struct page *p;

	mm_host_boot_mb(32);
	p = alloc_pages(GFP_KERNEL, 3);
	EXPECT_PANIC(__free_pages(p + 5, 0), "is a tail page of the order-3 block");
}

TEST(freeing_with_the_wrong_order)
{
	struct page *p;

	mm_host_boot_mb(32);
	p = alloc_pages(GFP_KERNEL, 3);
	EXPECT_PANIC(__free_pages(p, 2), "allocated with order 3 but freed with order 2");
}

TEST(freeing_a_reserved_page)
{
	mm_host_boot_mb(32);
	/* the first pages of RAM are firmware: reserved */
	EXPECT_PANIC(__free_pages(pfn_to_page(min_low_pfn), 0), "reserved page");
	EXPECT_PANIC(__free_pages(mem_map == NULL ? NULL : virt_to_page(mem_map), 0),
		     "reserved page");
}

TEST(freeing_something_that_is_not_ram)
{
	static char not_ram[2 * 4096];

	mm_host_boot_mb(32);
	EXPECT_PANIC(free_pages((unsigned long)not_ram, 0), "is not a page of RAM");
	EXPECT_PANIC(free_pages((unsigned long)page_address(pfn_to_page(min_low_pfn)) + 8, 0),
		     "is not a page of RAM");
}

TEST(a_write_to_a_free_block_header_is_caught_on_allocation)
{
	struct page *p;

	mm_host_boot_mb(32);
	p = alloc_pages(GFP_KERNEL, 10);
	__free_pages(p, 10);
	/* someone scribbles on the free block's struct page */
	set_page_count(p, 5);
	jmp_buf env;
	if (setjmp(env) == 0) {
		mm_host_expect_panic(&env);
		for (int i = 0; i < 100000; i++)
			if (!alloc_pages(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOWARN, 0))
				break;
		mm_host_no_panic();
		ktest_fail(__FILE__, __LINE__, "no panic");
	} else {
		EXPECT_TRUE(strstr(mm_host_panic_msg, "was changed while free") != NULL);
		/* the flags in words, not only as a number */
		EXPECT_TRUE(strstr(mm_host_panic_msg, "flags 0x4000000000000000 (zone Normal)") !=
			    NULL);
	}
}
