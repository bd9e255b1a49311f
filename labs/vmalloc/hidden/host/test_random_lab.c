/*
 * labs/vmalloc/hidden/host/test_random_lab.c - random allocations and
 * frees of many sizes and alignments, in random order, against a page
 * model: every area at the lowest place it fits, every invariant of the
 * trees after every operation, everything merged back into one range at
 * the end. (Hidden: the course's autograder runs it on the hand-in.)
 */
#include "vmap_host.h"

#include <stdio.h>
#include <stdlib.h>

static void random_run(unsigned seed, int pages_in_space, int slots, int ops)
{
	unsigned char *used = calloc(pages_in_space, 1);
	struct vmap_area **live = calloc(slots, sizeof(*live));
	struct vmap_space s;
	char when[96];

	srand(seed);
	host_space_init(&s, pages_in_space);
	for (int op = 0; op < ops; op++) {
		int i = rand() % slots;
		if (live[i]) {
			for (u64 a = live[i]->va_start; a < live[i]->va_end; a += PG)
				used[(a - BASE) / PG] = 0;
			snprintf(when, sizeof(when), "seed %u, op %d: freeing pages %llu-%llu",
				 seed, op, (live[i]->va_start - BASE) / PG,
				 (live[i]->va_end - BASE) / PG);
			vmap_space_free(&s, live[i]);
			live[i] = NULL;
		} else {
			u64 pages = 1 + rand() % (rand() % 5 ? 6 : 70), align = 1UL << (rand() % 6);
			u64 length = pages + align - 1;
			long expect = -1;
			for (long p = 0, run = 0; p < pages_in_space; p++) {
				run = used[p] ? 0 : run + 1;
				if ((u64)run >= length) {
					expect = p - run + 1;
					break;
				}
			}
			struct vmap_area *va = vmap_space_alloc(&s, pages * PG, align * PG);
			snprintf(when, sizeof(when), "seed %u, op %d: %llu pages aligned to %llu",
				 seed, op, pages, align);
			if (expect < 0) {
				if (va) {
					ktest_fail(__FILE__, __LINE__,
						   "%s: no room, yet got an area", when);
					return;
				}
				continue;
			}
			u64 want = (u64)(expect + align - 1) / align * align;
			if (!va || va->va_start != BASE + want * PG) {
				ktest_fail(__FILE__, __LINE__, "%s: expected page %llu, got %lld",
					   when, want,
					   va ? (long long)((va->va_start - BASE) / PG) : -1LL);
				return;
			}
			for (u64 p = want; p < want + pages; p++)
				used[p] = 1;
			live[i] = va;
		}
		if (host_check(&s, when))
			return;
	}
	for (int i = 0; i < slots; i++)
		if (live[i])
			vmap_space_free(&s, live[i]);
	EXPECT_EQ(host_check(&s, "after freeing everything"), 0);
	EXPECT_EQ(host_live_nodes, 1);
	EXPECT_EQ(s.free_bytes, (u64)pages_in_space * PG);
	free(used);
	free(live);
}

TEST(random_alloc_free_agree_with_the_model_and_every_invariant)
{
	random_run(101, 1024, 60, 4000);
	random_run(202, 8192, 400, 8000);
	random_run(303, 300, 200, 4000); /* often full */
}
