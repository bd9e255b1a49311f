/*
 * user/user.h - the system calls and library functions every user program
 * can use.
 *
 * The first two groups are source-compatible with xv6-riscv's user/user.h:
 * same names, signatures and meanings, so xv6 course programs build
 * unchanged. Pagoda's additions follow in their own group. A failing system
 * call returns -1 (sbrk returns (char *)-1).
 *
 * The system call stubs are generated from uapi/pagoda/syscall.h by
 * tools/gen-usys.py; the library lives in user/lib/.
 */
#ifndef _USER_USER_H
#define _USER_USER_H

#include "uapi/pagoda/types.h"

struct stat;

/* From newer xv6 releases' user.h: the types its mmap lab's declarations
 * use, and what a failed sbrk() returns. */
typedef unsigned long size_t;
typedef long off_t;
#define SBRK_ERROR ((char *)-1)

/*
 * printf-style format checking is opt-in (-DPAGODA_CHECK_FORMAT): xv6's
 * header has none, and turning it on could break an older course program
 * built with -Werror.
 */
#ifdef PAGODA_CHECK_FORMAT
#define __user_printf(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define __user_printf(fmt, args)
#endif

/* System calls (xv6). */
int fork(void);
int exit(int status) __attribute__((noreturn));
int wait(int *status);
int pipe(int *fds);
int write(int fd, const void *buf, int n);
int read(int fd, void *buf, int n);
int close(int fd);
int kill(int pid);
int exec(const char *path, char **argv);
int open(const char *path, int omode);
int mknod(const char *path, short major, short minor);
int unlink(const char *path);
int fstat(int fd, struct stat *st);
int link(const char *oldpath, const char *newpath);
int mkdir(const char *path);
int chdir(const char *path);
int dup(int fd);
int getpid(void);
char *sbrk(int n);
int sleep(int ticks);
int uptime(void);

/* Library (xv6's ulib, printf and umalloc), in user/lib/. */
int stat(const char *path, struct stat *st);
char *strcpy(char *dst, const char *src);
void *memmove(void *dst, const void *src, int n);
char *strchr(const char *s, char c);
int strcmp(const char *p, const char *q);
int fprintf(int fd, const char *fmt, ...) __user_printf(2, 3);
int printf(const char *fmt, ...) __user_printf(1, 2);
char *gets(char *buf, int max);
uint strlen(const char *s);
void *memset(void *dst, int c, uint n);
void *malloc(uint nbytes);
void free(void *ptr);
int atoi(const char *s);
int memcmp(const void *s1, const void *s2, uint n);
void *memcpy(void *dst, const void *src, uint n);

/* Pagoda extensions. */

/*
 * poweroff - stop the machine; QEMU exits with @status.
 * Only init (pid 1) may call it; anyone else gets -1.
 */
int poweroff(int status);
int strncmp(const char *p, const char *q, uint n);
/* Format into @buf (at most @size bytes, always NUL-terminated when @size > 0).
 * Return: the length the whole output would have had. */
int snprintf(char *buf, uint size, const char *fmt, ...) __user_printf(3, 4);

/*
 * Memory mappings, with POSIX signatures (flags in kernel/mman.h, the same
 * values as Linux). A failure returns MAP_FAILED (mmap) or -1; geterrno()
 * then tells why (EINVAL 22, ENOMEM 12, EACCES 13, EBADF 9).
 */
void *mmap(void *addr, unsigned long len, int prot, int flags, int fd, long offset);
int munmap(void *addr, unsigned long len);
int mprotect(void *addr, unsigned long len, int prot);
int msync(void *addr, unsigned long len, int flags);
/* geterrno - the error number of this process's last failed system call */
int geterrno(void);
/* remove_tree - unlink @path and, if it is a directory, everything under it
 * (at most 8 levels deep); missing paths are ignored */
void remove_tree(const char *path);

#endif /* _USER_USER_H */
