/*
 * tools/testing/slab/test_driven.c - the slab allocator driven by the lab
 * grader (labs/slab/grade.py), which picks random operations every run and
 * checks the answers against a model of its own: this process only carries
 * them out and reports what mm/slab.c did (the code under test runs here
 * too, so a verdict made here could be forged).
 *
 * Operations, one per line on stdin:
 *   boot MB               a fresh machine with MB MiB of RAM and the slab
 *                         allocator set up
 *   c SIZE ALIGN          create the cache "driven" (objects of SIZE bytes
 *                         aligned to ALIGN); reports "c 1" or "c 0"
 *   o ID CPU              an object from "driven" on simulated CPU CPU
 *   k ID SIZE CPU         kmalloc(SIZE, GFP_KERNEL) on CPU CPU
 *                         both report "o ID PFN OFFSET CACHE" (where the
 *                         object starts, and the name of the cache of the
 *                         slab it is in) or "o ID -"
 *   x ID CPU              free object ID (kmem_cache_free or kfree)
 *   D                     destroy "driven" (it must be empty by then),
 *                         after shrinking it; reports "D N", N the slab
 *                         pages it still had after the shrink
 * Only the lab grader builds this file (it is not in sources.mk): run by
 * hand it would skip.
 */
#include <stdio.h>
#include <string.h>
#include "ktest-host.h"
#include "slab-host.h"

#define MAX_IDS 8192

static void *driven_obj[MAX_IDS];
static bool driven_kmalloc[MAX_IDS];

static void driven_report(unsigned int id, void *p)
{
	struct page *page;

	if (!p) {
		ktest_report("o %u -", id);
		return;
	}
	page = virt_to_head_page(p); /* the slab's first page: it names the cache */
	ktest_report("o %u %lu %lu %s", id, page_to_pfn(virt_to_page(p)),
		     (unsigned long)p & (PAGE_SIZE - 1),
		     PageSlab(page) && page->slab_cache ? page->slab_cache->name : "(none)");
}

TEST(driven_allocations_and_frees)
{
	struct kmem_cache *cache = NULL;
	unsigned int id, size, align, cpu;
	unsigned long mb;
	char line[128];

	if (!ktest_driven())
		SKIP("the lab grader drives this test (labs/slab/grade.py)");
	while (fgets(line, sizeof(line), stdin)) {
		if (sscanf(line, "boot %lu", &mb) == 1) {
			slab_host_boot(mb, "");
			cache = NULL;
			memset(driven_obj, 0, sizeof(driven_obj));
		} else if (sscanf(line, "c %u %u", &size, &align) == 2) {
			cache = kmem_cache_create("driven", size, align, 0, NULL);
			ktest_report("c %d", cache ? 1 : 0);
		} else if (sscanf(line, "o %u %u", &id, &cpu) == 2 && id < MAX_IDS && cache) {
			mm_host_cpu = (int)(cpu % 4);
			driven_obj[id] = kmem_cache_alloc(cache, GFP_KERNEL);
			driven_kmalloc[id] = false;
			driven_report(id, driven_obj[id]);
		} else if (sscanf(line, "k %u %u %u", &id, &size, &cpu) == 3 && id < MAX_IDS) {
			mm_host_cpu = (int)(cpu % 4);
			driven_obj[id] = kmalloc(size, GFP_KERNEL);
			driven_kmalloc[id] = true;
			driven_report(id, driven_obj[id]);
		} else if (sscanf(line, "x %u %u", &id, &cpu) == 2 && id < MAX_IDS) {
			mm_host_cpu = (int)(cpu % 4);
			if (driven_obj[id] && driven_kmalloc[id])
				kfree(driven_obj[id]);
			else if (driven_obj[id] && cache)
				kmem_cache_free(cache, driven_obj[id]);
			driven_obj[id] = NULL;
		} else if (strcmp(line, "D\n") == 0 && cache) {
			unsigned long pages = 0;
			struct page *slab;

			mm_host_cpu = 0;
			kmem_cache_shrink(cache);
			for (unsigned long pfn = min_low_pfn; pfn < max_pfn; pfn++) {
				slab = pfn_to_page(pfn);
				if (PageSlab(slab) && slab->slab_cache == cache)
					pages++;
			}
			ktest_report("D %lu", pages);
			kmem_cache_destroy(cache);
			cache = NULL;
		}
	}
	mm_host_cpu = 0;
}
