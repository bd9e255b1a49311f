/*
 * uapi/pagoda/syscall.h - system call numbers.
 *
 * Numbers 1..21 are xv6's, so that traces and course material match. New
 * calls are appended; a number is never reused.
 *
 * Calling convention (see arch/<arch>/include/asm/ptrace.h, regs_syscall_nr()):
 *   riscv: number in a7, arguments in a0..a5, `ecall`, result in a0.
 *   arm64: number in x8, arguments in x0..x5, `svc #0`, result in x0.
 * A failing call returns -1.
 */
#ifndef _UAPI_PAGODA_SYSCALL_H
#define _UAPI_PAGODA_SYSCALL_H

#define SYS_fork 1
#define SYS_exit 2
#define SYS_wait 3
#define SYS_pipe 4
#define SYS_read 5
#define SYS_kill 6
#define SYS_exec 7
#define SYS_fstat 8
#define SYS_chdir 9
#define SYS_dup 10
#define SYS_getpid 11
#define SYS_sbrk 12
#define SYS_sleep 13
#define SYS_uptime 14
#define SYS_open 15
#define SYS_write 16
#define SYS_mknod 17
#define SYS_unlink 18
#define SYS_link 19
#define SYS_mkdir 20
#define SYS_close 21
/* Pagoda extensions */
#define SYS_poweroff 22 /* poweroff(status): only init (pid 1) may call it */
#define SYS_getprocs 23 /* reserved for ps */
#define SYS_mmap 24 /* void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off) */
#define SYS_munmap 25	/* int munmap(void *addr, size_t len) */
#define SYS_mprotect 26 /* int mprotect(void *addr, size_t len, int prot) */
#define SYS_msync 27	/* int msync(void *addr, size_t len, int flags) */
#define SYS_geterrno 28 /* int geterrno(void): the error of this process's last failed call */

#define NR_SYSCALLS 29

#endif /* _UAPI_PAGODA_SYSCALL_H */
