/*
 * user/lib/ulib.c - small helpers from xv6's ulib that need system calls or
 * parse text: stat, gets, atoi.
 */
#include "user/user.h"
#include "uapi/pagoda/stat.h"
#include "uapi/pagoda/fcntl.h"

/*
 * stat - fstat() the file named @path without keeping it open.
 * Return: 0, or -1 if it cannot be opened.
 */
int stat(const char *path, struct stat *st)
{
	int fd, r;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	r = fstat(fd, st);
	close(fd);
	return r;
}

/*
 * gets - read one line from standard input into @buf.
 * Reads a byte at a time, so that nothing past the newline is consumed (the
 * rest of the input may belong to a program the caller runs next). Stops
 * after a '\n' or '\r' (which is kept), at end of input, or when @max - 1
 * bytes are stored.
 * Return: @buf, NUL-terminated; an empty string means end of input.
 */
char *gets(char *buf, int max)
{
	int i = 0;
	char c;

	while (i + 1 < max) {
		if (read(0, &c, 1) < 1)
			break;
		buf[i++] = c;
		if (c == '\n' || c == '\r')
			break;
	}
	if (max > 0)
		buf[i] = 0;
	return buf;
}

/*
 * atoi - the decimal number at the start of @s, after optional spaces and
 * one optional sign; parsing stops at the first non-digit.
 */
int atoi(const char *s)
{
	int n = 0, neg = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	while (*s >= '0' && *s <= '9')
		n = n * 10 + (*s++ - '0');
	return neg ? -n : n;
}
