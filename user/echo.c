/*
 * user/echo.c - print the arguments, separated by spaces, then a newline.
 *
 * Usage: echo [ARG...]
 * The whole line goes out in one write() when it fits in 512 bytes, so
 * echoes from concurrent processes do not interleave.
 */
#include "kernel/types.h"
#include "user/user.h"

int main(int argc, char *argv[])
{
	char buf[512];
	int n = 0;

	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		uint len = strlen(s);
		if (n + len + 1 > sizeof(buf)) {
			/* Too long for one write: flush what we have. */
			if (write(1, buf, n) != n)
				goto fail;
			n = 0;
			if (len + 1 > sizeof(buf)) {
				if (write(1, s, len) != (int)len)
					goto fail;
				len = 0;
			}
		}
		memmove(buf + n, s, len);
		n += len;
		buf[n++] = i + 1 < argc ? ' ' : '\n';
	}
	if (argc == 1)
		buf[n++] = '\n';
	if (write(1, buf, n) != n)
		goto fail;
	return 0;
fail:
	fprintf(2, "echo: write error\n");
	return 1;
}
