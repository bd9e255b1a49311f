/*
 * labs/pgtbl/ktest/vmprint_check.h - what vmprint() must print, computed
 * independently of the student's vmprint(), and a line-by-line comparison
 * that says where the two differ. Included by the pgtbl lab's in-kernel
 * suite and by its host tests, so the format has one definition in the
 * tests (and one in the handout, task 7).
 *
 *   vmprint: page table at pa 0x87f3e000
 *   L2[000] va 0x0000000000 pte 0x0000000021fcf801 table 0x87f3d000
 *     L1[000] va 0x0000000000 pte 0x0000000021fcf401 table 0x87f3c000
 *       L0[016] va 0x0000010000 pte 0x0000000021fcecdb 4K page 0x87f3b000 r-x user
 */
#ifndef _PGTBL_VMPRINT_CHECK_H
#define _PGTBL_VMPRINT_CHECK_H

struct vmx_out {
	char *buf;
	size_t size, len;
};

static void vmx_line(struct vmx_out *o, const char *line)
{
	size_t n = strlen(line);

	if (o->len + n + 1 < o->size) {
		memcpy(o->buf + o->len, line, n);
		o->buf[o->len + n] = '\n';
		o->buf[o->len + n + 1] = '\0';
	}
	o->len += n + 1;
}

static void vmx_table(struct vmx_out *o, pte_t *table, int level, u64 base)
{
	char line[160], ind[16];
	int depth = PT_LEVELS - 1 - level;

	for (int k = 0; k < 2 * depth && k < (int)sizeof(ind) - 1; k++)
		ind[k] = ' ';
	ind[2 * depth < (int)sizeof(ind) - 1 ? 2 * depth : (int)sizeof(ind) - 1] = '\0';
	for (unsigned i = 0; i < PTRS_PER_TABLE; i++) {
		pte_t pte = ptep_get(&table[i]);
		u64 size = pt_level_size(level);
		u64 va = base + (u64)i * size;
		unsigned long long raw = pte_val(pte);

		if (!pte_present(pte) || va >= TASK_SIZE)
			continue;
		if (level > 0 && !pte_leaf(pte, level)) {
			snprintf(line, sizeof(line),
				 "%sL%d[%03u] va 0x%010llx pte 0x%016llx table 0x%llx", ind, level,
				 i, (unsigned long long)va, raw,
				 (unsigned long long)pte_table_pa(pte));
			vmx_line(o, line);
			vmx_table(o, (pte_t *)__va(pte_table_pa(pte)), level - 1, va);
			continue;
		}
		snprintf(line, sizeof(line),
			 "%sL%d[%03u] va 0x%010llx pte 0x%016llx %llu%c page 0x%llx %c%c%c %s", ind,
			 level, i, (unsigned long long)va, raw,
			 (unsigned long long)(size >= (1ULL << 30)   ? size >> 30
					      : size >= (1ULL << 20) ? size >> 20
								     : size >> 10),
			 size >= (1ULL << 30)	? 'G'
			 : size >= (1ULL << 20) ? 'M'
						: 'K',
			 (unsigned long long)(pte_pfn(pte) << PAGE_SHIFT),
			 pte_read(pte) ? 'r' : '-', pte_write(pte) ? 'w' : '-',
			 pte_exec(pte) ? 'x' : '-', pte_user(pte) ? "user" : "kernel");
		vmx_line(o, line);
	}
}

/* The text vmprint(@pgd) must print, into @buf. Return: its length. */
static size_t vmprint_expected(pte_t *pgd, char *buf, size_t size)
{
	struct vmx_out o = {buf, size, 0};
	char line[80];

	if (size)
		buf[0] = '\0';
	snprintf(line, sizeof(line), "vmprint: page table at pa 0x%llx",
		 (unsigned long long)__pa(pgd));
	vmx_line(&o, line);
	vmx_table(&o, pgd, PT_LEVELS - 1, 0);
	return o.len;
}

/* Copy line @n (0-based) of @text into @out; false if there is no such line. */
static bool vmx_get_line(const char *text, int n, char *out, size_t size)
{
	const char *p = text;

	for (; n > 0 && *p; n--) {
		const char *nl = strchr(p, '\n');
		if (!nl)
			return false;
		p = nl + 1;
	}
	if (!*p)
		return false;
	size_t len = 0;
	while (p[len] && p[len] != '\n')
		len++;
	if (len >= size)
		len = size - 1;
	memcpy(out, p, len);
	out[len] = '\0';
	return true;
}

/*
 * Compare what vmprint printed (@got) with @want line by line. Return: true
 * if equal; otherwise false with the first difference described in @why.
 */
static bool vmprint_compare(const char *got, const char *want, char *why, size_t whysz)
{
	char g[200], w[200];

	for (int n = 0;; n++) {
		bool hg = vmx_get_line(got, n, g, sizeof(g));
		bool hw = vmx_get_line(want, n, w, sizeof(w));

		if (!hg && !hw)
			return true;
		if (!hg) {
			snprintf(why, whysz, "line %d missing: expected \"%s\"", n + 1, w);
			return false;
		}
		if (!hw) {
			snprintf(why, whysz, "line %d is one too many: \"%s\"", n + 1, g);
			return false;
		}
		if (strcmp(g, w) != 0) {
			snprintf(why, whysz, "line %d: expected \"%s\", got \"%s\"", n + 1, w, g);
			return false;
		}
	}
}

#endif /* _PGTBL_VMPRINT_CHECK_H */
