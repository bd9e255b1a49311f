/*
 * kernel/printk.h - kernel log output, panic and the WARN/BUG family.
 *
 * printk() writes to the console under a lock so lines from different CPUs
 * do not interleave; each line gets a Linux-style "[    1.234567] " time
 * stamp. panic() stops every CPU after printing the reason and a symbolized
 * backtrace.
 */
#ifndef _KERNEL_PRINTK_H
#define _KERNEL_PRINTK_H

#include <kernel/types.h>
#include <kernel/stdarg.h>

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/*
 * Tests that check what a function prints: between printk_capture_begin()
 * and printk_capture_end() everything printk() prints (without the time
 * stamps) is also copied into @buf, NUL-terminated and truncated to @size.
 * One capture at a time. Return of _end: the length the whole text had.
 */
void printk_capture_begin(char *buf, size_t size);
size_t printk_capture_end(void);

/**
 * printk_crashtest - fail while this CPU holds printk's lock, as a console
 * driver that logs (or faults) in the middle of a line would.
 * @fault: fault (load from address 0) instead of calling printk() again,
 *         which spin_lock's recursion check turns into a panic
 *
 * The panic report must come out all the same (crashtest=printk_lock,
 * crashtest=printk_fault).
 *
 * Context: process context. Return: never.
 */
void __noreturn printk_crashtest(bool fault);

void panic(const char *fmt, ...) __printf(1, 2) __noreturn;
void dump_stack(void);

/* Set once panic() has started; other CPUs stop when they notice. */
extern volatile int panicking;

#define pr_info(...) printk(__VA_ARGS__)
#define pr_warn(...) printk("WARNING: " __VA_ARGS__)
#define pr_err(...) printk("ERROR: " __VA_ARGS__)

/* Broken invariant: the kernel cannot go on. */
#define BUG_ON(cond)                                                          \
	do {                                                                  \
		if (unlikely(cond))                                           \
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); \
	} while (0)
#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)

/* Something is wrong but execution can go on: warn with a backtrace. */
#define WARN_ON(cond)                                                              \
	({                                                                         \
		int __w = !!(cond);                                                \
		if (unlikely(__w)) {                                               \
			printk("WARNING: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			dump_stack();                                              \
		}                                                                  \
		__w;                                                               \
	})

#endif /* _KERNEL_PRINTK_H */
