/*
 * user/wc.c - count lines, words and bytes.
 *
 * Usage: wc [FILE...]
 * Prints "lines words bytes name" per file (no name for standard input)
 * and a total line when given more than one file. A word is a maximal run
 * of characters that are not space, tab, newline, carriage return, vertical
 * tab or form feed.
 */
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

struct counts {
	uint64 lines, words, bytes;
};

static char buf[4096];

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Count @fd into @c. Return: 0, or -1 on a read error. */
static int count(int fd, struct counts *c)
{
	int n, in_word = 0;

	c->lines = c->words = c->bytes = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		c->bytes += n;
		for (int i = 0; i < n; i++) {
			if (buf[i] == '\n')
				c->lines++;
			if (is_space(buf[i])) {
				in_word = 0;
			} else if (!in_word) {
				in_word = 1;
				c->words++;
			}
		}
	}
	return n < 0 ? -1 : 0;
}

static void show(struct counts *c, const char *name)
{
	printf("%llu %llu %llu%s%s\n", c->lines, c->words, c->bytes, name ? " " : "",
	       name ? name : "");
}

int main(int argc, char *argv[])
{
	struct counts c, total = {0, 0, 0};
	int status = 0;

	if (argc < 2) {
		if (count(0, &c) < 0) {
			fprintf(2, "wc: read error\n");
			return 1;
		}
		show(&c, 0);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(2, "wc: cannot open %s\n", argv[i]);
			status = 1;
			continue;
		}
		if (count(fd, &c) < 0) {
			fprintf(2, "wc: %s: read error\n", argv[i]);
			status = 1;
		}
		close(fd);
		show(&c, argv[i]);
		total.lines += c.lines;
		total.words += c.words;
		total.bytes += c.bytes;
	}
	if (argc > 2)
		show(&total, "total");
	return status;
}
