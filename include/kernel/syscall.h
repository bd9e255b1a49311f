/*
 * kernel/syscall.h - system call dispatch and argument fetching.
 *
 * Handlers take no parameters and fetch their arguments from the current
 * process's saved registers; they return a 64-bit value that becomes the
 * user's return value. Any negative value becomes -1 in user space (xv6's
 * convention), so handlers may return -errno for clarity.
 */
#ifndef _KERNEL_SYSCALL_H
#define _KERNEL_SYSCALL_H

#include <kernel/types.h>
#include <uapi/pagoda/syscall.h>

struct pt_regs;
void syscall(struct pt_regs *regs);

u64 argraw(int n);
int argint(int n);
u64 argaddr(int n);
/* fetch argument @n as a user string into @buf; return length or -errno */
int argstr(int n, char *buf, int max);

/* kernel/sys_proc.c */
u64 sys_fork(void);
u64 sys_exit(void);
u64 sys_wait(void);
u64 sys_kill(void);
u64 sys_getpid(void);
u64 sys_sbrk(void);
u64 sys_sleep(void);
u64 sys_uptime(void);
u64 sys_poweroff(void);
/* kernel/exec.c */
u64 sys_exec(void);
/* mm/mmap.c */
u64 sys_mmap(void);
u64 sys_munmap(void);
u64 sys_mprotect(void);
u64 sys_msync(void);
u64 sys_geterrno(void);
/* fs/sysfile.c */
u64 sys_pipe(void);
u64 sys_read(void);
u64 sys_write(void);
u64 sys_close(void);
u64 sys_fstat(void);
u64 sys_chdir(void);
u64 sys_dup(void);
u64 sys_open(void);
u64 sys_mknod(void);
u64 sys_unlink(void);
u64 sys_link(void);
u64 sys_mkdir(void);

#endif /* _KERNEL_SYSCALL_H */
