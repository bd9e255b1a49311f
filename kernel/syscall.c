/*
 * kernel/syscall.c - system call dispatch.
 *
 * The architecture's trap code calls syscall() for an `ecall`/`svc` from
 * user mode. The number and arguments come from the saved registers through
 * the architecture's register accessors (kernel/arch.h), so nothing here knows which registers
 * those are.
 */
#include <kernel/syscall.h>
#include <kernel/arch.h>
#include <kernel/proc.h>
#include <kernel/printk.h>
#include <kernel/uaccess.h>
#include <kernel/errno.h>

/* one call per line reads best */
/* clang-format off */
static u64 (*const syscalls[NR_SYSCALLS])(void) = {
	[SYS_fork] = sys_fork,
	[SYS_exit] = sys_exit,
	[SYS_wait] = sys_wait,
	[SYS_pipe] = sys_pipe,
	[SYS_read] = sys_read,
	[SYS_kill] = sys_kill,
	[SYS_exec] = sys_exec,
	[SYS_fstat] = sys_fstat,
	[SYS_chdir] = sys_chdir,
	[SYS_dup] = sys_dup,
	[SYS_getpid] = sys_getpid,
	[SYS_sbrk] = sys_sbrk,
	[SYS_sleep] = sys_sleep,
	[SYS_uptime] = sys_uptime,
	[SYS_open] = sys_open,
	[SYS_write] = sys_write,
	[SYS_mknod] = sys_mknod,
	[SYS_unlink] = sys_unlink,
	[SYS_link] = sys_link,
	[SYS_mkdir] = sys_mkdir,
	[SYS_close] = sys_close,
	[SYS_poweroff] = sys_poweroff,
	[SYS_mmap] = sys_mmap,
	[SYS_munmap] = sys_munmap,
	[SYS_mprotect] = sys_mprotect,
	[SYS_msync] = sys_msync,
	[SYS_geterrno] = sys_geterrno,
};
/* clang-format on */

u64 argraw(int n)
{
	return regs_syscall_arg(myproc()->regs, n);
}

int argint(int n)
{
	return (int)argraw(n);
}

u64 argaddr(int n)
{
	return argraw(n);
}

int argstr(int n, char *buf, int max)
{
	return strncpy_from_user(buf, argaddr(n), (u64)max);
}

void syscall(struct pt_regs *regs)
{
	struct proc *p = myproc();
	u64 nr = regs_syscall_nr(regs);
	s64 ret;

	if (nr < NR_SYSCALLS && syscalls[nr]) {
		ret = (s64)syscalls[nr]();
		/* xv6's convention: every failure is -1 in user space; the
		 * error itself is kept for geterrno() */
		if (ret < 0) {
			p->last_errno = (int)-ret;
			ret = -1;
		}
	} else {
		printk("pid %d (%s): unknown system call %llu\n", p->pid, p->name, nr);
		ret = -1;
	}
	regs_set_return(regs, (u64)ret);
}
