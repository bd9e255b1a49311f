/*
 * kernel/printk.c - the kernel log: formatted lines to the console.
 *
 * Each line starts with the time since boot, "[    1.234567] ", like Linux.
 * A lock keeps lines from different CPUs apart. During a panic the lock is
 * ignored (the CPU that held it may be dead, or be the panicking CPU itself:
 * a printk() from inside printk() trips spin_lock's recursion check, a fault
 * in console output traps with the lock held), so the last words always
 * come out. crashtest=printk_lock and crashtest=printk_fault check that.
 */
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/arch.h>
#include <kernel/console.h>

static struct spinlock printk_lock = SPINLOCK_INIT("printk");
static bool at_line_start = true;
static u64 boot_counter;
volatile int panicking;
/* printk_capture_begin(): a copy of the text goes here too (printk_lock) */
static char *capture_buf;
static size_t capture_size, capture_len;

void printk_init_time(void)
{
	boot_counter = arch_counter_read();
}

static void emit_timestamp(void)
{
	char ts[32];
	u64 freq = arch_timer_freq ? arch_timer_freq : 1;
	u64 t = arch_counter_read() - boot_counter;
	u64 sec = t / freq, usec = (t % freq) * 1000000 / freq;
	int n = snprintf(ts, sizeof(ts), "[%5llu.%06llu] ", sec, usec);

	for (int i = 0; i < n; i++)
		console_putc(ts[i]);
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	bool locked = !panicking;

	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	if (locked)
		spin_lock(&printk_lock);
	for (int i = 0; i < n; i++) {
		if (at_line_start)
			emit_timestamp();
		console_putc(buf[i]);
		at_line_start = buf[i] == '\n';
		if (capture_buf && capture_len + 1 < capture_size)
			capture_buf[capture_len] = buf[i];
		capture_len += capture_buf != NULL;
	}
	if (capture_buf)
		capture_buf[MIN(capture_len, capture_size - 1)] = '\0';
	if (locked)
		spin_unlock(&printk_lock);
	return n;
}

void printk_capture_begin(char *buf, size_t size)
{
	spin_lock(&printk_lock);
	capture_buf = size ? buf : NULL;
	capture_size = size;
	capture_len = 0;
	if (size)
		buf[0] = '\0';
	spin_unlock(&printk_lock);
}

size_t printk_capture_end(void)
{
	size_t len;

	spin_lock(&printk_lock);
	len = capture_len;
	capture_buf = NULL;
	spin_unlock(&printk_lock);
	return len;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

static volatile u64 crash_address; /* 0: printk_crashtest's bad pointer */

void __noreturn printk_crashtest(bool fault)
{
	spin_lock(&printk_lock);
	if (fault)
		(void)*(volatile int *)crash_address;
	else
		printk("crashtest: printk() from inside printk()\n");
	spin_unlock(&printk_lock);
	panic("printk_crashtest: the %s did not stop the kernel",
	      fault ? "fault" : "recursive printk");
}
