/*
 * tools/testing/fs/stubs/kernel/printk.h - host stand-in for
 * <kernel/printk.h>. printk prints to stdout as a KTAP comment; panic
 * returns to the test through fs_host_expect_panic() when one is armed, and
 * otherwise aborts the test with the message.
 */
#ifndef _KERNEL_PRINTK_H
#define _KERNEL_PRINTK_H

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
