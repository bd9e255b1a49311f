/*
 * labs/vma/hidden/host/test_random_files.c - random mappings of anonymous
 * memory and of two files (offsets that continue or not), munmaps and
 * mprotects, against a page model that knows every page's file offset.
 * (Hidden: the course's autograder runs it on the hand-in.)
 */
#include "vma_host.h"

TEST(random_operations_with_files_agree_with_a_page_model)
{
	EXPECT_EQ(host_random_run(11, 512, 6000, true), 0);
	EXPECT_EQ(host_random_run(12, 48, 6000, true), 0);
	EXPECT_EQ(host_random_run(13, 1024, 3000, true), 0);
}
