/*
 * kernel/seq_buf.h - text built up in a fixed buffer, for /proc files and
 * reports (Linux's seq_buf).
 *
 * seq_buf_printf appends; output that does not fit is cut off and marks the
 * buffer overflowed, and the text stays NUL-terminated.
 *
 *   char page[4096];
 *   struct seq_buf s;
 *   seq_buf_init(&s, page, sizeof(page));
 *   seq_buf_printf(&s, "Node %d, zone %8s", 0, "DMA");
 *
 * See: kernel/seq_buf.c, Linux include/linux/seq_buf.h.
 */
#ifndef _KERNEL_SEQ_BUF_H
#define _KERNEL_SEQ_BUF_H

#include <kernel/types.h>

struct seq_buf {
	char *buffer;
	size_t size; /* bytes of buffer, including the final NUL */
	size_t len;  /* text so far (<= size - 1) */
	bool overflow;
};

void seq_buf_init(struct seq_buf *s, char *buf, size_t size);
/* Append formatted text. Return: 0, or -1 if it did not all fit. */
int seq_buf_printf(struct seq_buf *s, const char *fmt, ...) __printf(2, 3);
/* Append a string. Return: 0, or -1 if it did not all fit. */
int seq_buf_puts(struct seq_buf *s, const char *str);

static inline bool seq_buf_has_overflowed(const struct seq_buf *s)
{
	return s->overflow;
}

#endif /* _KERNEL_SEQ_BUF_H */
