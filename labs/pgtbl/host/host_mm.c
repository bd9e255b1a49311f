/*
 * labs/pgtbl/host/host_mm.c - the pgtbl host tests' world: simulated
 * physical memory with a checking page allocator, printk with capture,
 * panic, and the two architecture hooks mm/pgtable.c calls.
 *
 * The allocator refuses, as a failed test, what a real kernel would
 * silently corrupt itself with: freeing a page that is not allocated (a
 * double free, or a table the code did not allocate) and freeing an address
 * outside memory. Freed pages are poisoned with 0x5a.
 */
#include "host.h"
#include <kernel/printk.h>
#include <kernel/setup.h>

/* tools/testing/lib/ktest-host.c: a child exiting with this status failed */
#define KTEST_EXIT_FAIL 42

u64 host_va_offset;
char boot_command_line[512];

static u8 *arena;
static u8 allocated[HOST_RAM_PAGES];
static unsigned long in_use, alloc_count, fail_after;

jmp_buf host_panic_jmp;
int host_panic_armed;
static int panicked;
static char panic_msg[512];

static char capture[1 << 16];
static size_t capture_len;

__attribute__((constructor)) static void host_mm_init(void)
{
	arena = aligned_alloc(PAGE_SIZE, (size_t)HOST_RAM_PAGES * PAGE_SIZE);
	if (!arena)
		abort();
	host_va_offset = (u64)(uintptr_t)arena - HOST_RAM_BASE;
	host_mm_reset();
}

void host_mm_reset(void)
{
	memset(arena, 0x5a, (size_t)HOST_RAM_PAGES * PAGE_SIZE);
	memset(allocated, 0, sizeof(allocated));
	in_use = alloc_count = fail_after = 0;
	capture_len = 0;
	capture[0] = '\0';
}

unsigned long host_pages_in_use(void)
{
	return in_use;
}

unsigned long host_alloc_count(void)
{
	return alloc_count;
}

void host_fail_alloc_after(unsigned long n)
{
	fail_after = n ? alloc_count + n : 0;
}

bool host_page_allocated(u64 pa)
{
	u64 i = (pa - HOST_RAM_BASE) / PAGE_SIZE;

	return pa >= HOST_RAM_BASE && i < HOST_RAM_PAGES && allocated[i];
}

static long page_index(unsigned long addr)
{
	u64 pa = __pa(addr);

	if (pa < HOST_RAM_BASE || pa >= HOST_RAM_BASE + (u64)HOST_RAM_PAGES * PAGE_SIZE)
		return -1;
	return (long)((pa - HOST_RAM_BASE) / PAGE_SIZE);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	(void)gfp;
	if (order != 0) {
		ktest_fail(__FILE__, __LINE__,
			   "__get_free_pages(order %u): page tables need "
			   "single pages",
			   order);
		return 0;
	}
	alloc_count++;
	if (fail_after && alloc_count >= fail_after)
		return 0;
	for (long i = 0; i < HOST_RAM_PAGES; i++) {
		if (!allocated[i]) {
			allocated[i] = 1;
			in_use++;
			return (unsigned long)__va(HOST_RAM_BASE + (u64)i * PAGE_SIZE);
		}
	}
	return 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	unsigned long p = __get_free_pages(gfp, 0);

	if (p)
		memset((void *)p, 0, PAGE_SIZE);
	return p;
}

void free_pages(unsigned long addr, unsigned int order)
{
	long i = page_index(addr);

	if (order != 0 || i < 0 || addr % PAGE_SIZE) {
		ktest_fail(__FILE__, __LINE__,
			   "free_pages(pa 0x%llx, order %u): not a page of memory (a pte_pfn or "
			   "pte_table_pa that decodes the entry wrongly?)",
			   (unsigned long long)__pa(addr), order);
		return;
	}
	if (!allocated[i]) {
		ktest_fail(__FILE__, __LINE__,
			   "free_pages(pa 0x%llx): that page is not allocated (freed twice, or "
			   "never allocated by the page-table code)",
			   (unsigned long long)__pa(addr));
		return;
	}
	allocated[i] = 0;
	in_use--;
	memset((void *)addr, 0x5a, PAGE_SIZE);
}

unsigned long nr_free_pages(void)
{
	return HOST_RAM_PAGES - in_use;
}

unsigned long totalram_pages(void)
{
	return HOST_RAM_PAGES;
}

u64 host_alloc_page(void)
{
	unsigned long p = get_zeroed_page(GFP_KERNEL);

	return p ? __pa(p) : 0;
}

/*
 * RISC-V shares the upper half of every root table with the kernel: put a
 * table there that the code under test must leave alone. ARM64's kernel has
 * its own root (TTBR1), so a user root has no such entries.
 */
int host_first_kernel_root_index(void)
{
	u64 n = TASK_SIZE / pt_level_size(PT_LEVELS - 1);

	return n < PTRS_PER_TABLE ? (int)n : -1;
}

static pte_t *kernel_table;

void arch_pgd_init(pte_t *pgd)
{
	int first = host_first_kernel_root_index();

	memset(pgd, 0, PAGE_SIZE);
	if (first < 0)
		return;
	if (!kernel_table || !host_page_allocated(__pa(kernel_table)))
		kernel_table = (pte_t *)get_zeroed_page(GFP_KERNEL);
	if (!kernel_table)
		return;
	for (int i = first; i < PTRS_PER_TABLE; i += 64)
		pgd[i] = pte_mktable(__pa(kernel_table));
}

pte_t *host_new_root(void)
{
	pte_t *pgd = (pte_t *)__get_free_page(GFP_KERNEL);

	if (pgd)
		arch_pgd_init(pgd);
	return pgd;
}

pgprot_t vm_get_page_prot(unsigned long vm_flags)
{
	(void)vm_flags;
	return PAGE_KERNEL;
}

void host_capture_start(void)
{
	capture_len = 0;
	capture[0] = '\0';
}

const char *host_captured(void)
{
	return capture;
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (n > 0 && capture_len + (size_t)n < sizeof(capture)) {
		memcpy(capture + capture_len, buf, (size_t)n);
		capture_len += (size_t)n;
		capture[capture_len] = '\0';
	}
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void printk_capture_begin(char *buf, size_t size)
{
	(void)buf;
	(void)size;
	host_capture_start();
}

size_t printk_capture_end(void)
{
	return capture_len;
}

void dump_stack(void)
{
}

volatile int panicking;

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
	va_end(ap);
	if (host_panic_armed) {
		host_panic_armed = 0;
		panicked = 1;
		longjmp(host_panic_jmp, 1);
	}
	printf("# Kernel panic - not syncing: %s\n", panic_msg);
	fflush(stdout);
	_exit(KTEST_EXIT_FAIL);
}

void host_expect_panic_end(void)
{
	host_panic_armed = 0;
}

bool host_panicked(void)
{
	bool p = panicked;

	panicked = 0;
	return p;
}

const char *host_panic_message(void)
{
	return panic_msg;
}

pte_t *host_table(pte_t *pgd, u64 va, int level)
{
	pte_t *table = pgd;

	for (int l = PT_LEVELS - 1; l > level; l--) {
		pte_t pte = table[pt_index(l, va)];
		if (!pte_present(pte) || pte_leaf(pte, l))
			return NULL;
		table = (pte_t *)__va(pte_table_pa(pte));
	}
	return table;
}

pte_t *host_lookup(pte_t *pgd, u64 va, int *level)
{
	pte_t *table = pgd;

	for (int l = PT_LEVELS - 1; l >= 0; l--) {
		pte_t *ptep = &table[pt_index(l, va)];
		if (!pte_present(*ptep))
			return NULL;
		if (l == 0 || pte_leaf(*ptep, l)) {
			if (level)
				*level = l;
			return ptep;
		}
		table = (pte_t *)__va(pte_table_pa(*ptep));
	}
	return NULL;
}

pte_t *host_entry(pte_t *pgd, u64 va, int level)
{
	pte_t *table = pgd;

	for (int l = PT_LEVELS - 1; l > level; l--) {
		pte_t *ptep = &table[pt_index(l, va)];
		if (!pte_present(*ptep)) {
			u64 pa = host_alloc_page();
			if (!pa)
				return NULL;
			*ptep = pte_mktable(pa);
		}
		table = (pte_t *)__va(pte_table_pa(*ptep));
	}
	return &table[pt_index(level, va)];
}
