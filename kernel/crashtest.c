/*
 * kernel/crashtest.c - deliberate kernel failures, to see (and test) what a
 * kernel bug looks like. Boot with `crashtest=WHAT` (the first process runs
 * it before /init):
 *
 *   crashtest=panic           panic() with a message
 *   crashtest=null            load from address 0 in the kernel
 *   crashtest=user            touch a user address outside copy_from_user
 *   crashtest=stack_overflow  unbounded recursion into the kernel stack's guard
 *   crashtest=bug             BUG_ON(1)
 *   crashtest=printk_lock     printk() from inside printk() (recursive locking)
 *   crashtest=printk_fault    a fault while this CPU holds printk's lock
 *   crashtest=reenter         jump back into the kernel's boot entry (_start)
 *   crashtest=boot_entry      no crash: smp_init() starts CPU1 at the kernel's
 *                             boot entry, as a racy firmware may, and it must
 *                             join as a secondary (kernel/smpboot.c)
 *   crashtest=stray           no crash: smp_init() starts the last CPU without
 *                             a pending start; it must be parked
 *
 * Each crash must end in a readable report: the reason, the registers where
 * a trap is involved, and a symbolized backtrace of every CPU.
 */
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/bootargs.h>
#include <kernel/setup.h>
#include <kernel/proc.h>
#include <kernel/arch.h>

static volatile int recursion_limit = 1 << 30;

static int __attribute__((noinline)) recurse(volatile char *prev, int depth)
{
	volatile char frame[256];

	frame[0] = (char)depth;
	if (prev)
		frame[1] = prev[0];
	if (depth > recursion_limit)
		return 0;
	return recurse(frame, depth + 1) + frame[1];
}

static void __attribute__((noinline)) crash_null(void)
{
	volatile int *p = NULL;

	printk("crashtest: reading kernel address 0\n");
	(void)*p;
}

void crashtest_run(void)
{
	char what[32];

	if (bootarg_get(boot_command_line, "crashtest", what, sizeof(what)) <= 0)
		return;
	printk("crashtest: %s\n", what);
	if (strcmp(what, "panic") == 0)
		panic("crashtest: deliberate panic");
	else if (strcmp(what, "null") == 0)
		crash_null();
	else if (strcmp(what, "user") == 0)
		(void)*(volatile int *)0x10000;
	else if (strcmp(what, "stack_overflow") == 0)
		recurse(NULL, 0);
	else if (strcmp(what, "bug") == 0)
		BUG_ON(what[0] != 0);
	else if (strcmp(what, "printk_lock") == 0)
		printk_crashtest(false);
	else if (strcmp(what, "printk_fault") == 0)
		printk_crashtest(true);
	else if (strcmp(what, "reenter") == 0)
		arch_reenter_boot_entry();
	else if (strcmp(what, "boot_entry") == 0 || strcmp(what, "stray") == 0)
		return; /* done in smp_init() */
	else
		printk("crashtest: unknown test '%s' (panic, null, user, stack_overflow, bug, "
		       "printk_lock, printk_fault, reenter, boot_entry, stray)\n",
		       what);
}
