/*
 * labs/pgtbl/user/pgtbltest.c - the pgtbl lab's user-space checks: does the
 * MMU, reading the page tables your kernel built, enforce what each
 * mapping's permissions say?
 *
 * Usage: pgtbltest [-k]
 *
 * Each check is a question. Whatever must be refused is tried in a child
 * process at an address picked at random in every run; the child first
 * proves it runs (a byte through a pipe), then makes the access, and the
 * kernel must kill it (wait() status -1, and a line "pid N (pgtbltest):
 * killed: ... at address 0xADDR" on the console, which the grader checks
 * for that pid and address). Output is KTAP; with -k (the grader's runs) it
 * first reads the grader's key from the console and signs every result
 * line (user/ktap.h), whose directive names each killed child and address.
 * The exit status is the number of failed checks.
 */
#include "kernel/types.h"
#include "user/user.h"
#include "user/ktap.h"

#define PGSIZE 4096
#define KILLED (-1)

/* the instruction "return to the caller" */
#if defined(__riscv)
static const uint32 ret_insn = 0x00008067; /* jalr x0, 0(ra) */
/* the kernel image, seen through the kernel's direct map */
#define KERNEL_ADDR 0xffffffc080200000ULL
#elif defined(__aarch64__)
static const uint32 ret_insn = 0xd65f03c0; /* ret */
#define KERNEL_ADDR 0xffffff8040200000ULL
#else
#error "pgtbltest: add this architecture's return instruction and a kernel address"
#endif

static int nfailed, ntests;
/* read-only data: a store anywhere in it must be refused */
static const char rodata[512] = "read-only data";
static int data_word = 1234;
static uint64 target; /* where the next child makes its forbidden access */

typedef void (*fn_t)(void);

static void result(int ok, const char *question, const char *directive)
{
	ntests++;
	if (!ok)
		nfailed++;
	ktap_result(ok, ntests, question, directive);
}

/* A random multiple of @align below @span. */
static uint64 pick(uint64 span, uint64 align)
{
	return ktap_random() % (span / align) * align;
}

/* A check that the child making the access @fn makes at @target must be killed for. */
static void must_be_killed(const char *question, void (*fn)(void), const char *what)
{
	char evidence[96] = "";
	int ok = ktap_expect_kill(fn, target, 0, evidence, sizeof(evidence));

	if (!ok)
		printf("# %s at 0x%lx\n", what, (unsigned long)target);
	result(ok, question, ok ? evidence : 0);
}

static void store_at_target(void)
{
	*(volatile uint32 *)target = 0;
}

static void load_at_target(void)
{
	volatile uint64 x = *(volatile uint64 *)target;
	(void)x;
}

static void run_at_target(void)
{
	((fn_t)target)();
}

static void run_heap(void)
{
	memcpy((void *)target, &ret_insn, sizeof(ret_insn));
	run_at_target();
}

/* @target is in main()'s frame, which the child's stack holds too */
static void run_stack(void)
{
	*(volatile uint32 *)target = ret_insn;
	run_at_target();
}

static char *freed_heap;

/* Pages from sbrk hold what is written; sbrk(-n) unmaps them for real. */
static void check_sbrk(void)
{
	int n = 600; /* 2.3 MiB: several level-0 tables */
	char *p = sbrk(n * PGSIZE);
	int ok = p != (char *)-1;

	for (int i = 0; ok && i < n; i++)
		p[i * PGSIZE + (i % 64)] = (char)(i * 7 + 1);
	for (int i = 0; ok && i < n; i++) {
		if (p[i * PGSIZE + (i % 64)] != (char)(i * 7 + 1)) {
			printf("# sbrk page %d lost what was written to it\n", i);
			ok = 0;
		}
	}
	if (!ok)
		printf("# sbrk(%d pages) failed or its pages do not keep data\n", n);
	result(ok, "do sbrk()'s pages, across several page-table pages, keep what is written?", 0);
	if (p == (char *)-1)
		return;
	sbrk(-n * PGSIZE);
	freed_heap = p + (n - 1) * PGSIZE;
	target = (uint64)freed_heap + pick(PGSIZE, 8);
	must_be_killed("is memory given back with sbrk(-n) unmapped?", load_at_target,
		       "reading a page after sbrk(-n) gave it back");
}

/* fork copies every page: the parent never sees the child's writes. */
static void check_fork_copies(void)
{
	char *heap = sbrk(PGSIZE);
	char stack_buf[64];
	int pid, status = -2;

	if (heap == (char *)-1) {
		result(0, "does fork() give the child its own copy of data, heap and stack?", 0);
		return;
	}
	heap[100] = 'p';
	stack_buf[10] = 's';
	data_word = 1234;
	pid = fork();
	if (pid == 0) {
		heap[100] = 'c';
		stack_buf[10] = 'c';
		data_word = 4321;
		exit(heap[100] == 'c' && data_word == 4321 ? 0 : 1);
	}
	if (pid > 0)
		wait(&status);
	int ok = status == 0 && heap[100] == 'p' && stack_buf[10] == 's' && data_word == 1234;
	if (!ok)
		printf("# child status %d; parent sees heap '%c' stack '%c' data %d\n", status,
		       heap[100], stack_buf[10], data_word);
	result(ok, "does fork() give the child its own copy of data, heap and stack?", 0);
	sbrk(-PGSIZE);
}

int main(int argc, char *argv[])
{
	volatile uint32 stack_code[256];
	char *heap;

	if (ktap_read_key("pgtbltest", argc, argv) < 0)
		exit(1);
	printf("KTAP version 1\n1..11\n");
	target = ((uint64)store_at_target & ~(uint64)(PGSIZE - 1)) + pick(PGSIZE, 4);
	must_be_killed("can a program write to its own code?", store_at_target,
		       "a store to the text segment");
	target = (uint64)rodata + pick(sizeof(rodata), 4);
	must_be_killed("can a program write to its read-only data?", store_at_target,
		       "a store to .rodata");
	heap = sbrk(PGSIZE);
	target = (uint64)heap + pick(PGSIZE, 4);
	must_be_killed("can a program run code from its heap?",
		       heap == (char *)-1 ? store_at_target : run_heap,
		       "executing an instruction in a page from sbrk");
	target = (uint64)&stack_code[pick(sizeof(stack_code), 4) / 4];
	must_be_killed("can a program run code from its stack?", run_stack,
		       "executing an instruction on the stack");
	target = KERNEL_ADDR + pick(1 << 20, 8);
	must_be_killed("can a program read the kernel's memory?", load_at_target,
		       "a load from a kernel address");
	target = KERNEL_ADDR + pick(1 << 20, 8);
	must_be_killed("can a program write the kernel's memory?", store_at_target,
		       "a store to a kernel address");
	target = pick(PGSIZE, 8);
	must_be_killed("is page 0 unmapped?", load_at_target, "a load from page 0");
	check_sbrk();
	check_fork_copies();
	result(rodata[0] == 'r' && data_word == 1234, "are data and rodata readable?", 0);
	stack_code[0] = 0; /* keep the array on the stack */
	printf("# pgtbltest: %d passed, %d failed\n", ntests - nfailed, nfailed);
	exit(nfailed);
}
