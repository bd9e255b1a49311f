/*
 * labs/pgtbl/host/host.h - what the pgtbl host tests get besides the code
 * under test (mm/pgtable.c with the architecture's asm/pgtable.h): a
 * simulated physical memory with a checking page allocator, and printk.
 *
 * Physical memory is HOST_RAM_PAGES pages at HOST_RAM_BASE. Every page the
 * code under test allocates, frees or double-frees is accounted for, so a
 * test can say exactly which pages must come back.
 */
#ifndef _PGTBL_HOST_H
#define _PGTBL_HOST_H

#include <kernel/mm.h>
#include "ktest-host.h"

#define HOST_RAM_BASE 0x80000000ULL
#define HOST_RAM_PAGES 4096

/* Set up an empty memory; every test starts with this (host_mm.c does it). */
void host_mm_reset(void);
/* Pages currently allocated. */
unsigned long host_pages_in_use(void);
/* Is the page at physical address @pa allocated right now? */
bool host_page_allocated(u64 pa);
/* Make the @n-th allocation from now on (1 = the next) and all after it fail; 0: never. */
void host_fail_alloc_after(unsigned long n);
/* Number of allocations so far (since the reset). */
unsigned long host_alloc_count(void);
/* Take a page for the test itself (counted like any other). */
u64 host_alloc_page(void);

/* a root table as pgd_alloc() makes it, without calling the code under test */
pte_t *host_new_root(void);
/* the "kernel half": root entries the arch shares with every process, or -1 if none */
int host_first_kernel_root_index(void);

/* printk output captured since the last host_capture_start() */
void host_capture_start(void);
const char *host_captured(void);

/*
 * Expect the code under test to panic: if (HOST_EXPECT_PANIC()) { call } and
 * the statement after it runs with host_panicked() true when it did.
 */
extern jmp_buf host_panic_jmp;
extern int host_panic_armed;
#define HOST_EXPECT_PANIC() (host_panic_armed = 1, setjmp(host_panic_jmp) == 0)
void host_expect_panic_end(void);
bool host_panicked(void);
const char *host_panic_message(void);

/* the leaf mapping @va, found by the test's own walker, and its level */
pte_t *host_lookup(pte_t *pgd, u64 va, int *level);
/* the table at @level on @va's path (level PT_LEVELS-1: the root), or NULL */
pte_t *host_table(pte_t *pgd, u64 va, int level);
/* build a path by hand: the entry for @va in a table at @level, making tables */
pte_t *host_entry(pte_t *pgd, u64 va, int level);

/* some protections every architecture has (asm/pgtable.h) */
#define PROT_RW PAGE_KERNEL
#define PROT_RO PAGE_KERNEL_RO
#define PROT_RX PAGE_KERNEL_EXEC
/* a user read-write page, in the architecture's own bits */
#if defined(PAGODA_ARCH_riscv)
#define PROT_USER_RW __pgprot(_PAGE_V | _PAGE_R | _PAGE_W | _PAGE_U | _PAGE_A | _PAGE_D)
#elif defined(PAGODA_ARCH_arm64)
#define PROT_USER_RW                                                                           \
	__pgprot(_PAGE_VALID | _PAGE_SHARED | _PAGE_AF | _PAGE_USER | _PAGE_NG | _PAGE_DIRTY | \
		 _PAGE_PXN | _PAGE_UXN)
#else
#define PROT_USER_RW PAGE_KERNEL
#endif

/* every test begins with a fresh memory (also when run with -n, in one process) */
#define HOST_BEGIN() host_mm_reset()

#endif /* _PGTBL_HOST_H */
