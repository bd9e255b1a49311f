/*
 * labs/pgtbl/host/test_driven.c - map_range(), unmap_range(), lookup_pte()
 * and free_pgtables() driven by the lab grader (labs/pgtbl/grade.py), which
 * picks random operations every run and checks the answers against its own
 * model of the address space and of the architecture's PTE format: this
 * process only carries them out and reports what mm/pgtable.c did (the code
 * under test runs here too, so a verdict made here could be forged).
 *
 * Operations, one per line on stdin (addresses in hex, page counts decimal):
 *   reset                  fresh memory and an empty root table; reports
 *                          "p CLASS PROT" for the protections below, "R N"
 *                          (pages in use)
 *   m VA N CLASS           map N fresh pages one by one from VA with
 *                          protection CLASS (0 kernel rw-, 1 kernel r--,
 *                          2 kernel r-x, 3 user rw-); reports "m RESULT PFN"
 *                          for each (0 or -EEXIST)
 *   u VA N                 unmap_range(..., free) of N pages; reports "u COUNT"
 *   l VA                   lookup_pte(); reports "l -" or "l LEVEL PFN RWXU RAW"
 *                          (RWXU from pte_read/write/exec/user, RAW the entry)
 *   F                      free_pgtables(); reports "F N" (pages in use after)
 */
#include <stdio.h>
#include <string.h>
#include <kernel/errno.h>
#include "host.h"

TEST(driven_map_unmap_lookup)
{
	const pgprot_t prot[4] = {PROT_RW, PROT_RO, PROT_RX, PROT_USER_RW};
	unsigned long long va;
	unsigned int n, cls;
	pte_t *pgd = NULL;
	char line[128];

	if (!ktest_driven())
		SKIP("the lab grader drives this test (labs/pgtbl/grade.py)");
	while (fgets(line, sizeof(line), stdin)) {
		if (strcmp(line, "reset\n") == 0) {
			host_mm_reset();
			for (int i = 0; i < 4; i++)
				ktest_report("p %d %llx", i,
					     (unsigned long long)pgprot_val(prot[i]));
			ktest_report("R %lu", host_pages_in_use());
			pgd = host_new_root();
		} else if (sscanf(line, "m %llx %u %u", &va, &n, &cls) == 3 && pgd && cls < 4) {
			for (unsigned int i = 0; i < n; i++) {
				u64 pa = host_alloc_page();
				int r = pa ? map_range(pgd, va + (u64)i * PAGE_SIZE, pa, PAGE_SIZE,
						       prot[cls], false)
					   : -ENOMEM;

				ktest_report("m %d %llu", r,
					     (unsigned long long)(pa >> PAGE_SHIFT));
				if (r && pa)
					free_page((unsigned long)__va(pa));
			}
		} else if (sscanf(line, "u %llx %u", &va, &n) == 2 && pgd) {
			ktest_report("u %llu", (unsigned long long)unmap_range(
						   pgd, va, (u64)n * PAGE_SIZE, true));
		} else if (sscanf(line, "l %llx", &va) == 1 && pgd) {
			int level = -1;
			pte_t *p = lookup_pte(pgd, va, &level);

			if (!p)
				ktest_report("l -");
			else
				ktest_report("l %d %llu %c%c%c%c %llx", level,
					     (unsigned long long)pte_pfn(*p),
					     pte_read(*p) ? 'r' : '-', pte_write(*p) ? 'w' : '-',
					     pte_exec(*p) ? 'x' : '-', pte_user(*p) ? 'u' : '-',
					     (unsigned long long)pte_val(*p));
		} else if (strcmp(line, "F\n") == 0 && pgd) {
			free_pgtables(pgd, TASK_SIZE);
			pgd = NULL;
			ktest_report("F %lu", host_pages_in_use());
		}
	}
}
