/*
 * labs/vmalloc/host/test_driven.c - the vmalloc area's address allocator
 * (tasks 1-2) driven by the lab grader (labs/vmalloc/grade.py), which picks
 * random operations every run and checks the answers against its own model
 * of a lowest-fit allocator: this process only carries them out and reports
 * what mm/vmap_area.c did (the code under test runs here too, so a verdict
 * made here could be forged).
 *
 * Operations, one per line on stdin, sizes in pages:
 *   init PAGES            a fresh space of PAGES pages at BASE
 *   a ID PAGES ALIGN      vmap_space_alloc(); reports "a ID START" (the page
 *                         offset from BASE) or "a ID -"
 *   f ID                  vmap_space_free() of area ID
 *   d                     reports every free range in address order, "r
 *                         START END", then "m LARGEST" (the largest free
 *                         range, vmap_space_largest_free()) and "d"
 */
#include "vmap_host.h"

#include <stdio.h>
#include <string.h>

#define MAX_IDS 4096

static struct vmap_area *driven_va[MAX_IDS];

static void driven_dump(struct vmap_space *s)
{
	long n = 0;

	for (struct rb_node *p = rb_first(&s->free_root); p; p = rb_next(p)) {
		struct vmap_area *va = rb_entry(p, struct vmap_area, rb_node);

		if (++n > 2 * MAX_IDS + 2) {
			ktest_report("loop");
			return;
		}
		ktest_report("r %llu %llu", (va->va_start - BASE) / PG, (va->va_end - BASE) / PG);
	}
	ktest_report("m %llu", vmap_space_largest_free(s) / PG);
	ktest_report("d");
}

TEST(driven_allocations_and_frees)
{
	static struct vmap_space s;
	unsigned long long pages, align;
	unsigned int id;
	char line[128];

	if (!ktest_driven())
		SKIP("the lab grader drives this test (labs/vmalloc/grade.py)");
	while (fgets(line, sizeof(line), stdin)) {
		if (sscanf(line, "init %llu", &pages) == 1) {
			host_space_init(&s, pages);
			memset(driven_va, 0, sizeof(driven_va));
		} else if (sscanf(line, "a %u %llu %llu", &id, &pages, &align) == 3 &&
			   id < MAX_IDS) {
			struct vmap_area *va = vmap_space_alloc(&s, pages * PG, align * PG);

			driven_va[id] = va;
			if (va)
				ktest_report("a %u %llu", id, (va->va_start - BASE) / PG);
			else
				ktest_report("a %u -", id);
		} else if (sscanf(line, "f %u", &id) == 1 && id < MAX_IDS) {
			if (driven_va[id])
				vmap_space_free(&s, driven_va[id]);
			driven_va[id] = NULL;
		} else if (strcmp(line, "d\n") == 0) {
			driven_dump(&s);
		}
	}
}
