/*
 * tools/testing/stubs/kernel/string.h - host stand-in for the kernel's
 * <kernel/string.h>: the host C library has the same functions with the
 * same signatures. The test Makefile puts tools/testing/stubs before the
 * kernel's include/, so this file wins when kernel sources are built for the
 * host.
 */
#ifndef _KERNEL_STRING_H
#define _KERNEL_STRING_H

#include <string.h>

#endif /* _KERNEL_STRING_H */
