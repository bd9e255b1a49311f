/*
 * labs/pgtbl/host/test_vmprint.c - task 7: vmprint()'s exact format.
 */
#include "host.h"
#include "vmprint_check.h"

static char want[1 << 15];

/* every line a KTAP diagnostic, so the grader shows them */
static void log_lines(const char *title, const char *text)
{
	char line[200];

	KTEST_LOG("%s", title);
	for (int n = 0; n < 40 && vmx_get_line(text, n, line, sizeof(line)); n++)
		KTEST_LOG("  %s", line);
}

static void check_vmprint(pte_t *pgd)
{
	char why[512];

	vmprint_expected(pgd, want, sizeof(want));
	host_capture_start();
	vmprint(pgd);
	if (!vmprint_compare(host_captured(), want, why, sizeof(why))) {
		ktest_fail(__FILE__, __LINE__, "vmprint's output differs: %s", why);
		log_lines("vmprint printed:", host_captured());
		log_lines("expected:", want);
	}
}

TEST(vmprint_empty_table)
{
	pte_t *pgd;

	HOST_BEGIN();
	pgd = host_new_root();
	ASSERT_NOT_NULL(pgd);
	check_vmprint(pgd);
}

TEST(vmprint_prints_every_level_in_order)
{
	u64 s1 = pt_level_size(1);
	pte_t *pgd, *p;

	HOST_BEGIN();
	pgd = host_new_root();
	ASSERT_NOT_NULL(pgd);
	/* a program-like layout: text, rodata, data, a stack near the top, a 2 MiB
	 * leaf, and pages in a second and a last root entry */
	ASSERT_EQ(map_range(pgd, 0x10000, 0x88000000ULL, 2 * PAGE_SIZE, PROT_RX, false), 0);
	ASSERT_EQ(map_range(pgd, 0x12000, 0x88010000ULL, PAGE_SIZE, PROT_RO, false), 0);
	ASSERT_EQ(map_range(pgd, 0x13000, 0x88020000ULL, 3 * PAGE_SIZE, PROT_USER_RW, false), 0);
	ASSERT_EQ(map_range(pgd, 0x40000000ULL + 3 * s1, 0xc0000000ULL, s1, PROT_RW, true), 0);
	ASSERT_EQ(map_range(pgd, TASK_SIZE - 2 * PAGE_SIZE, 0x88030000ULL, PAGE_SIZE, PROT_USER_RW,
			    false),
		  0);
	p = host_entry(pgd, 2 * pt_level_size(PT_LEVELS - 1), PT_LEVELS - 1);
	ASSERT_NOT_NULL(p);
	*p = pfn_pte(0x100000, PROT_RO, PT_LEVELS - 1); /* a 1 GiB leaf */
	check_vmprint(pgd);
}
