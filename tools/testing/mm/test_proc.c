/*
 * tools/testing/mm/test_proc.c - /proc/buddyinfo, /proc/pagetypeinfo and
 * /proc/zoneinfo in Linux's formats (mm/vmstat.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include "ktest-host.h"
#include "mm-host.h"
#include <kernel/seq_buf.h>

static char text[16384];

static const char *show(void (*fn)(struct seq_buf *))
{
	struct seq_buf s;

	seq_buf_init(&s, text, sizeof(text));
	fn(&s);
	if (seq_buf_has_overflowed(&s))
		ktest_fail(__FILE__, __LINE__, "output overflowed");
	return text;
}

TEST(buddyinfo_matches_the_free_lists)
{
	unsigned long nr[NR_PAGE_ORDERS], total = 0;
	char zone[16];
	const char *line;
	int node, off;

	mm_host_boot_mb(64);
	alloc_pages(GFP_KERNEL, 3);
	drain_all_pages(NULL);
	show(buddyinfo_show);
	line = strstr(text, "Node 0, zone   Normal ");
	ASSERT_NOT_NULL(line);
	ASSERT_EQ(sscanf(text, "Node %d, zone %15s%n", &node, zone, &off), 2);
	EXPECT_STREQ(zone, "DMA");
	/* each count is "%6lu " */
	for (int o = 0; o < NR_PAGE_ORDERS; o++) {
		nr[o] = strtoul(line + 22 + 7 * o, NULL, 10);
		EXPECT_EQ(nr[o], contig_page_data.node_zones[ZONE_NORMAL].free_area[o].nr_free);
		EXPECT_EQ(line[22 + 7 * o + 6], ' ');
		total += nr[o] << o;
	}
	EXPECT_EQ(total, zone_page_state(&contig_page_data.node_zones[ZONE_NORMAL], NR_FREE_PAGES));
	EXPECT_EQ(line[22 + 7 * NR_PAGE_ORDERS], '\n');
}

TEST(pagetypeinfo_counts_blocks_per_type)
{
	mm_host_boot_mb(64);
	alloc_pages(GFP_KERNEL, 0); /* steals two pageblocks */
	show(pagetypeinfo_show);
	EXPECT_TRUE(strncmp(text, "Page block order: 9\nPages per block:  512\n\n", 42) == 0);
	EXPECT_TRUE(strstr(text, "Free pages count per migrate type at order       0      1") !=
		    NULL);
	EXPECT_TRUE(strstr(text, "Node    0, zone   Normal, type    Unmovable ") != NULL);
	EXPECT_TRUE(strstr(text, "Number of blocks type     Unmovable      Movable  Reclaimable"
				 "          CMA      Isolate \n") != NULL);
	/* 48 MiB of Normal = 24 pageblocks: 2 unmovable, 22 movable */
	EXPECT_TRUE(strstr(text, "Node 0, zone   Normal            2           22            0"
				 "            0            0 \n") != NULL);
}

TEST(zoneinfo_shows_watermarks_and_pagesets)
{
	struct zone *normal = &contig_page_data.node_zones[ZONE_NORMAL];
	char want[128];

	mm_host_boot_mb(64);
	show(zoneinfo_show);
	EXPECT_TRUE(strstr(text, "Node 0, zone      DMA\n  pages free     ") != NULL);
	snprintf(want, sizeof(want),
		 "        min      %lu\n        low      %lu\n        high     %lu\n",
		 min_wmark_pages(normal), low_wmark_pages(normal), high_wmark_pages(normal));
	EXPECT_TRUE(strstr(text, want) != NULL);
	snprintf(want, sizeof(want), "        managed  %lu\n", zone_managed_pages(normal));
	EXPECT_TRUE(strstr(text, want) != NULL);
	EXPECT_TRUE(strstr(text, "        protection: (0, ") != NULL);
	EXPECT_TRUE(strstr(text, "  pagesets\n    cpu: 0\n              count: ") != NULL);
}

TEST(seq_buf_truncates_and_flags_overflow)
{
	struct seq_buf s;
	char small[8];

	seq_buf_init(&s, small, sizeof(small));
	EXPECT_EQ(seq_buf_printf(&s, "%d", 1234), 0);
	EXPECT_EQ(seq_buf_printf(&s, "%d", 5678), -1);
	EXPECT_TRUE(seq_buf_has_overflowed(&s));
	EXPECT_STREQ(small, "1234567");
}

TEST(format_gfp_names_combinations)
{
	char buf[128];

	EXPECT_STREQ(format_gfp(GFP_KERNEL, buf, sizeof(buf)), "GFP_KERNEL");
	EXPECT_STREQ(format_gfp(GFP_KERNEL | __GFP_ZERO, buf, sizeof(buf)),
		     "GFP_KERNEL|__GFP_ZERO");
	EXPECT_STREQ(format_gfp(GFP_HIGHUSER_MOVABLE, buf, sizeof(buf)), "GFP_HIGHUSER_MOVABLE");
	EXPECT_STREQ(format_gfp(GFP_ATOMIC | __GFP_NOWARN, buf, sizeof(buf)),
		     "GFP_ATOMIC|__GFP_NOWARN");
	EXPECT_STREQ(format_gfp(0, buf, sizeof(buf)), "0");
	EXPECT_STREQ(format_gfp(0x400000, buf, sizeof(buf)), "0x400000");
}
