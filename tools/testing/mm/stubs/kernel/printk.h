/*
 * tools/testing/mm/stubs/kernel/printk.h - host stand-in for
 * <kernel/printk.h>. printk goes to a capture buffer (mm_host_log) and, with
 * MM_HOST_VERBOSE=1 in the environment, to stdout as KTAP comments; panic
 * returns to the test through mm_host_expect_panic() when one is armed,
 * and otherwise fails the test with the message.
 */
#ifndef _KERNEL_PRINTK_H
#define _KERNEL_PRINTK_H

#include <stdio.h>
#include <kernel/types.h>

int printk(const char *fmt, ...) __printf(1, 2);
void panic(const char *fmt, ...) __printf(1, 2) __noreturn;

#define pr_info(...) printk(__VA_ARGS__)
#define pr_warn(...) printk("WARNING: " __VA_ARGS__)
#define pr_err(...) printk("ERROR: " __VA_ARGS__)

#define BUG_ON(cond)                                                          \
	do {                                                                  \
		if (unlikely(cond))                                           \
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); \
	} while (0)
#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#define WARN_ON(cond)                                                              \
	({                                                                         \
		int __w = !!(cond);                                                \
		if (unlikely(__w))                                                 \
			printk("WARNING: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		__w;                                                               \
	})

#endif /* _KERNEL_PRINTK_H */
