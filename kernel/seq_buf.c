/*
 * kernel/seq_buf.c - appending formatted text to a fixed buffer (see
 * kernel/seq_buf.h). No locking: a seq_buf belongs to its caller.
 */
#include <kernel/seq_buf.h>
#include <kernel/printk.h>
#include <kernel/stdarg.h>
#include <kernel/string.h>

void seq_buf_init(struct seq_buf *s, char *buf, size_t size)
{
	s->buffer = buf;
	s->size = size;
	s->len = 0;
	s->overflow = size == 0;
	if (size)
		buf[0] = '\0';
}

int seq_buf_printf(struct seq_buf *s, const char *fmt, ...)
{
	size_t room = s->size - s->len;
	va_list ap;
	int n;

	if (s->overflow)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(s->buffer + s->len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		/* keep what fit; the text stays NUL-terminated */
		s->len = s->size - 1;
		s->overflow = true;
		return -1;
	}
	s->len += n;
	return 0;
}

int seq_buf_puts(struct seq_buf *s, const char *str)
{
	return seq_buf_printf(s, "%s", str);
}
