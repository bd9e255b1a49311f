/*
 * tools/testing/loadavg/stubs/kernel/printk.h - host stand-in for
 * <kernel/printk.h>: kernel/seq_buf.c formats with the C library's
 * vsnprintf.
 */
#ifndef _KERNEL_PRINTK_H
#define _KERNEL_PRINTK_H

#include <stdio.h>
#include <kernel/types.h>

#endif /* _KERNEL_PRINTK_H */
