/*
 * kernel/sys_proc.c - process-related system calls: argument checking in
 * front of kernel/proc.c.
 */
#include <kernel/syscall.h>
#include <kernel/proc.h>
#include <kernel/errno.h>
#include <kernel/arch.h>
#include <kernel/mm.h>
#include <kernel/printk.h>

u64 sys_exit(void)
{
	exit(argint(0));
}

u64 sys_getpid(void)
{
	return myproc()->pid;
}

u64 sys_fork(void)
{
	return (u64)(s64)fork();
}

u64 sys_wait(void)
{
	return (u64)(s64)wait(argaddr(0));
}

/* sbrk(n): xv6 passes an int; the kernel treats it as signed. */
u64 sys_sbrk(void)
{
	return (u64)mm_brk(myproc()->mm, (long)argint(0));
}

u64 sys_sleep(void)
{
	int n = argint(0);
	u64 start;

	if (n < 0)
		n = 0;
	spin_lock(&tickslock);
	start = ticks;
	while (ticks - start < (u64)n) {
		if (killed(myproc())) {
			spin_unlock(&tickslock);
			return (u64)-EINTR;
		}
		sleep(&ticks, &tickslock);
	}
	spin_unlock(&tickslock);
	return 0;
}

u64 sys_kill(void)
{
	return (u64)(s64)kill(argint(0));
}

u64 sys_uptime(void)
{
	u64 t;

	spin_lock(&tickslock);
	t = ticks;
	spin_unlock(&tickslock);
	return t;
}

/* poweroff(status): the test harness's way out of QEMU; init (pid 1) only. */
u64 sys_poweroff(void)
{
	int status = argint(0);

	if (myproc()->pid != 1)
		return (u64)-EPERM;
	printk("poweroff: status %d\n", status);
	arch_poweroff(status);
}
