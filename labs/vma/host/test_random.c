/*
 * labs/vma/host/test_random.c - tasks 1-4 together: random mappings,
 * munmaps and mprotects against a page model.
 */
#include "vma_host.h"

TEST(random_operations_agree_with_a_page_model)
{
	EXPECT_EQ(host_random_run(1, 256, 3000, false), 0);
	EXPECT_EQ(host_random_run(2, 64, 3000, false), 0);
}
