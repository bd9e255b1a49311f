/*
 * tools/testing/stubs/kernel/string.h - host stand-in for the kernel's
 * <kernel/string.h>, found first because the test Makefile puts
 * tools/testing/stubs before the kernel's include/.
 *
 * It declares the same functions with the same standard signatures, and
 * nothing else: including the host's <string.h> here would also declare
 * glibc extras (bzero, index, ...) that kernel code may use as names of its
 * own. The host C library provides the definitions; lib/ktest-host.c adds
 * strlcpy for C libraries without it. Types come from the real
 * <kernel/types.h>.
 */
#ifndef _KERNEL_STRING_H
#define _KERNEL_STRING_H

#include <kernel/types.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strncpy(char *dst, const char *src, size_t n);
size_t strlcpy(char *dst, const char *src, size_t size);
char *strchr(const char *s, int c);

#endif /* _KERNEL_STRING_H */
