/*
 * user/lib/printf.c - formatted output: printf, fprintf, snprintf.
 *
 * One formatter (format()) writes characters into a struct sink. A sink
 * either collects them in a caller's string (snprintf) or in a small buffer
 * that is handed to write() when it fills up and at the end (fprintf), so a
 * line of ordinary length leaves in a single write() and lines printed by
 * concurrent processes do not interleave character by character.
 *
 * Conversions: %d %i %u %x %X %p %s %c %%, with the flags '-' (left-justify)
 * and '0' (pad with zeros), a field width (digits or '*'), a precision for
 * %s ('.N' or '.*': at most N bytes), and the length modifiers l, ll, z
 * (all 64-bit) and h, hh (accepted, ignored). %p prints 0x and 16 hex digits.
 * An unknown conversion is printed as written.
 */
#include <stdarg.h>
#include "user/user.h"

#define OUTBUF 512

struct sink {
	char *buf; /* where characters go */
	uint size; /* capacity of buf */
	uint len;  /* characters now in buf */
	int fd;	   /* flush target, or -1 for a string sink */
	int total; /* characters produced so far (snprintf's return value) */
};

static void sink_flush(struct sink *s)
{
	if (s->fd >= 0 && s->len > 0)
		write(s->fd, s->buf, s->len);
	s->len = 0;
}

static void sink_putc(struct sink *s, char c)
{
	s->total++;
	if (s->fd >= 0) {
		if (s->len == s->size)
			sink_flush(s);
		s->buf[s->len++] = c;
	} else if (s->len + 1 < s->size) {
		/* Keep room for the NUL that snprintf appends. */
		s->buf[s->len++] = c;
	}
}

static void sink_pad(struct sink *s, char c, int n)
{
	while (n-- > 0)
		sink_putc(s, c);
}

/* Emit @str (@len bytes) in a field of @width, padded on the left or right. */
static void put_field(struct sink *s, const char *str, int len, int width, int left, char padc)
{
	if (!left)
		sink_pad(s, padc, width - len);
	for (int i = 0; i < len; i++)
		sink_putc(s, str[i]);
	if (left)
		sink_pad(s, ' ', width - len);
}

/* Emit an integer with an optional sign; zero padding goes after the sign. */
static void put_number(struct sink *s, uint64 v, int base, int neg, int upper, int width, int left,
		       int zero)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v != 0);
	if (neg) {
		if (zero && !left) {
			sink_putc(s, '-');
			width--;
		} else {
			tmp[n++] = '-';
		}
	}
	/* tmp holds the digits backwards; reverse into a field. */
	for (int i = 0; i < n / 2; i++) {
		char t = tmp[i];
		tmp[i] = tmp[n - 1 - i];
		tmp[n - 1 - i] = t;
	}
	if (left) {
		put_field(s, tmp, n, width, 1, ' ');
		return;
	}
	put_field(s, tmp, n, width, 0, zero ? '0' : ' ');
}

static void format(struct sink *s, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		const char *start = fmt;
		int left = 0, zero = 0, width = 0, prec = -1, lng = 0;

		if (*fmt != '%') {
			sink_putc(s, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				left = 1;
			else if (*fmt == '0')
				zero = 1;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = 1;
				width = -width;
			}
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			}
			while (*fmt >= '0' && *fmt <= '9')
				prec = prec * 10 + (*fmt++ - '0');
		}
		for (;; fmt++) {
			if (*fmt == 'l' || *fmt == 'z')
				lng = 1;
			else if (*fmt != 'h')
				break;
		}

		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v = lng ? va_arg(ap, long long) : va_arg(ap, int);
			uint64 mag = v < 0 ? -(uint64)v : (uint64)v;
			put_number(s, mag, 10, v < 0, 0, width, left, zero);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64 v = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
			put_number(s, v, *fmt == 'u' ? 10 : 16, 0, *fmt == 'X', width, left, zero);
			break;
		}
		case 'p': {
			uint64 v = (uint64)va_arg(ap, void *);
			sink_putc(s, '0');
			sink_putc(s, 'x');
			put_number(s, v, 16, 0, 0, 16, 0, 1);
			break;
		}
		case 's': {
			const char *str = va_arg(ap, const char *);
			int len = 0;
			if (str == 0)
				str = "(null)";
			while (str[len] && (prec < 0 || len < prec))
				len++;
			put_field(s, str, len, width, left, ' ');
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			put_field(s, &c, 1, width, left, ' ');
			break;
		}
		case '%':
			sink_putc(s, '%');
			break;
		default:
			/* Unknown (or the string ended): print what was written. */
			while (start < fmt)
				sink_putc(s, *start++);
			if (*fmt == 0)
				return;
			sink_putc(s, *fmt);
			break;
		}
	}
}

static int vfdprintf(int fd, const char *fmt, va_list ap)
{
	char buf[OUTBUF];
	struct sink s = {buf, sizeof(buf), 0, fd, 0};

	format(&s, fmt, ap);
	sink_flush(&s);
	return s.total;
}

/*
 * fprintf - format and write to @fd.
 * Output of up to 512 bytes is written with a single write().
 * Return: the number of characters produced.
 */
int fprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

/* printf - fprintf to standard output (fd 1). */
int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfdprintf(1, fmt, ap);
	va_end(ap);
	return n;
}

/*
 * snprintf - format into @buf, storing at most @size bytes including the
 * terminating NUL (nothing at all when @size is 0).
 * Return: the length the complete output would have, as in C99.
 */
int snprintf(char *buf, uint size, const char *fmt, ...)
{
	struct sink s = {buf, size, 0, -1, 0};
	va_list ap;

	va_start(ap, fmt);
	format(&s, fmt, ap);
	va_end(ap);
	if (size > 0)
		buf[s.len] = 0;
	return s.total;
}
