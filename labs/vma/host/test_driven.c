/*
 * labs/vma/host/test_driven.c - find_vma() and the VMA tree's mmap, munmap
 * and mprotect (tasks 1-4) driven by the lab grader (labs/vma/grade.py),
 * which picks random operations every run and checks the answers against a
 * model of its own: this process only carries them out and reports what
 * mm/vma.c did (the code under test runs here too, so a verdict made here
 * could be forged).
 *
 * Operations, one per line on stdin, in pages from BASE (decimal):
 *   reset                 an empty address space
 *   raw S E               insert VMA [S, E) rw- directly (host_insert_raw)
 *   q ADDR                find_vma(ADDR) (ADDR in bytes from BASE); reports
 *                         "q S E" or "q -"
 *   i LO HI               find_vma_intersection() of bytes [LO, HI) from BASE;
 *                         reports "i S E" or "i -"
 *   map S N K             vma_map_range() anonymous, K 0 rw-, 1 r--, 2 r-x;
 *                         reports "map 1" (a VMA) or "map 0" (NULL)
 *   unmap S N             do_vmi_munmap(); reports "unmap RET Z" (Z: pages
 *                         zapped, each counted as often as it was)
 *   prot S N K            mprotect_range(); reports "prot RET"
 *   dump                  every VMA in address order, "v S E K", then "dump"
 */
#include "vma_host.h"

#include <stdio.h>
#include <string.h>

static const unsigned long kinds[] = {RW, RO, RX};

static int kind_of(unsigned long flags)
{
	for (int k = 0; k < 3; k++)
		if (flags == kinds[k])
			return k;
	return -1;
}

static void report_vma(const char *what, struct vm_area_struct *v)
{
	if (v)
		ktest_report("%s %llu %llu", what, (v->vm_start - BASE) / PG,
			     (v->vm_end - BASE) / PG);
	else
		ktest_report("%s -", what);
}

TEST(driven_vma_operations)
{
	static struct mm_struct mm;
	unsigned long long s, n, k;
	char line[128];

	if (!ktest_driven())
		SKIP("the lab grader drives this test (labs/vma/grade.py)");
	host_mm_reset(&mm);
	while (fgets(line, sizeof(line), stdin)) {
		if (strcmp(line, "reset\n") == 0) {
			host_mm_reset(&mm);
		} else if (sscanf(line, "raw %llu %llu", &s, &n) == 2) {
			host_insert_raw(&mm, A(s), A(n), RW);
		} else if (sscanf(line, "q %llu", &s) == 1) {
			report_vma("q", find_vma(&mm, BASE + s));
		} else if (sscanf(line, "i %llu %llu", &s, &n) == 2) {
			report_vma("i", find_vma_intersection(&mm, BASE + s, BASE + n));
		} else if (sscanf(line, "map %llu %llu %llu", &s, &n, &k) == 3 && k < 3) {
			ktest_report("map %d",
				     vma_map_range(&mm, A(s), A(s + n), kinds[k], NULL, 0) ? 1 : 0);
		} else if (sscanf(line, "unmap %llu %llu", &s, &n) == 2) {
			long z = 0;
			int r;

			host_zap_reset();
			r = do_vmi_munmap(&mm, A(s), n * PG);
			for (int p = 0; p < NPAGES; p++)
				z += host_zapped[p];
			ktest_report("unmap %d %ld", r, z);
		} else if (sscanf(line, "prot %llu %llu %llu", &s, &n, &k) == 3 && k < 3) {
			ktest_report("prot %d", mprotect_range(&mm, A(s), A(s + n),
							       kinds[k] & VM_ACCESS_FLAGS));
		} else if (strcmp(line, "dump\n") == 0) {
			long count = 0;

			/* the tree itself, in order: not through find_vma() */
			for (struct rb_node *p = rb_first(&mm.mm_rb); p && count++ <= NPAGES;
			     p = rb_next(p)) {
				struct vm_area_struct *v =
				    rb_entry(p, struct vm_area_struct, vm_rb);

				ktest_report("v %llu %llu %d", (v->vm_start - BASE) / PG,
					     (v->vm_end - BASE) / PG, kind_of(v->vm_flags));
			}
			ktest_report("dump");
		}
	}
	host_mm_reset(&mm);
}
