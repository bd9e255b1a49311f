/*
 * labs/pgtbl/user/pgtbltest.c - the pgtbl lab's user-space checks: does the
 * MMU, reading the page tables your kernel built, enforce what each
 * mapping's permissions say?
 *
 * Usage: pgtbltest [TOKEN]
 *
 * Each check is a question. Whatever must be refused is tried in a child
 * process, which the kernel must kill (wait() status -1, and a line
 * "pid N (pgtbltest): killed: ..." on the console); a child that survives
 * means the access was allowed. Output is KTAP; with a TOKEN (the grader
 * passes a fresh random one each run) every result line ends in
 * " # ktoken:TOKEN". The exit status is the number of failed checks.
 */
#include "kernel/types.h"
#include "user/user.h"

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

static const char *token;
static int nfailed, ntests;
static const char rodata[] = "read-only data";
static int data_word = 1234;

typedef void (*fn_t)(void);

static void result(int ok, const char *question)
{
	ntests++;
	if (!ok)
		nfailed++;
	if (token)
		printf("%sok %d %s # ktoken:%s\n", ok ? "" : "not ", ntests, question, token);
	else
		printf("%sok %d %s\n", ok ? "" : "not ", ntests, question);
}

/* Run @fn in a child. Return: its wait() status. */
static int in_child(void (*fn)(void))
{
	int pid = fork(), status = 0;

	if (pid < 0) {
		printf("# fork failed\n");
		return -2;
	}
	if (pid == 0) {
		fn();
		exit(0);
	}
	if (wait(&status) != pid)
		return -2;
	return status;
}

/* A check that @fn must be killed for. */
static void must_be_killed(const char *question, void (*fn)(void), const char *what)
{
	int status = in_child(fn);

	if (status != KILLED)
		printf("# the child was not killed (status %d): %s was allowed\n", status, what);
	result(status == KILLED, question);
}

static void write_code(void)
{
	*(volatile uint32 *)(uint64)write_code = 0;
}

static void write_rodata(void)
{
	*(volatile char *)rodata = 'R';
}

static void run_heap(void)
{
	char *page = sbrk(PGSIZE);

	if (page == (char *)-1)
		exit(2);
	memcpy(page, &ret_insn, sizeof(ret_insn));
	((fn_t)(uint64)page)();
}

static void run_stack(void)
{
	uint32 code[4];

	code[0] = ret_insn;
	((fn_t)(uint64)code)();
	*(volatile uint32 *)code = 0; /* keep the array on the stack */
}

static void read_kernel(void)
{
	volatile uint64 x = *(volatile uint64 *)KERNEL_ADDR;
	(void)x;
}

static void write_kernel(void)
{
	*(volatile uint64 *)KERNEL_ADDR = 0;
}

static void read_null(void)
{
	volatile int x = *(volatile int *)0;
	(void)x;
}

static char *freed_heap;

static void touch_freed_heap(void)
{
	volatile char c = freed_heap[0];
	(void)c;
}

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
	result(ok, "do sbrk()'s pages, across several page-table pages, keep what is written?");
	if (p == (char *)-1)
		return;
	sbrk(-n * PGSIZE);
	freed_heap = p + (n - 1) * PGSIZE;
	must_be_killed("is memory given back with sbrk(-n) unmapped?", touch_freed_heap,
		       "reading a page after sbrk(-n) gave it back");
}

/* fork copies every page: the parent never sees the child's writes. */
static void check_fork_copies(void)
{
	char *heap = sbrk(PGSIZE);
	char stack_buf[64];
	int pid, status = -2;

	if (heap == (char *)-1) {
		result(0, "does fork() give the child its own copy of data, heap and stack?");
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
	result(ok, "does fork() give the child its own copy of data, heap and stack?");
	sbrk(-PGSIZE);
}

int main(int argc, char *argv[])
{
	token = argc > 1 ? argv[1] : 0;
	printf("KTAP version 1\n1..11\n");
	must_be_killed("can a program write to its own code?", write_code,
		       "a store to the text segment");
	must_be_killed("can a program write to its read-only data?", write_rodata,
		       "a store to .rodata");
	must_be_killed("can a program run code from its heap?", run_heap,
		       "executing an instruction in a page from sbrk");
	must_be_killed("can a program run code from its stack?", run_stack,
		       "executing an instruction on the stack");
	must_be_killed("can a program read the kernel's memory?", read_kernel,
		       "a load from a kernel address");
	must_be_killed("can a program write the kernel's memory?", write_kernel,
		       "a store to a kernel address");
	must_be_killed("is page 0 unmapped?", read_null, "a load from address 0");
	check_sbrk();
	check_fork_copies();
	result(rodata[0] == 'r' && data_word == 1234, "are data and rodata readable?");
	printf("# pgtbltest: %d passed, %d failed%s%s\n", ntests - nfailed, nfailed,
	       token ? " ktoken:" : "", token ? token : "");
	exit(nfailed);
}
