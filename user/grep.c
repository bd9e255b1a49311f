/*
 * user/grep.c - print lines that match a pattern.
 *
 * Usage: grep [-v] [-c] PATTERN [FILE...]
 *   -v  print the lines that do NOT match
 *   -c  print only how many lines were selected
 * With several files, each printed line is prefixed with "FILE:".
 * Exit status: 0 if some line was selected, 1 if none, 2 on an error.
 *
 * Patterns are a small subset of regular expressions:
 *   c    a character matches itself
 *   .    matches any one character
 *   x*   zero or more of the preceding item (x is a character or .)
 *   ^    at the start of the pattern: match only at the start of a line
 *   $    at the end of the pattern: match only at the end of a line
 *   \c   the character c itself, even if it is one of . * ^ $ \
 * A '*' with nothing before it, '^' not at the start and '$' not at the end
 * are ordinary characters.
 *
 * The pattern is compiled into a list of items; matching tries each start
 * position and, for a starred item, first the longest run and then shorter
 * ones (backtracking), so "a.*b" finds the longest match it can.
 */
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define MAXITEMS 256

struct item {
	char any;  /* matches every character */
	char ch;   /* otherwise, the character to match */
	char star; /* zero or more repetitions */
};

struct regex {
	int bol; /* anchored at the start of the line (^) */
	int eol; /* anchored at the end of the line ($) */
	int n;
	struct item items[MAXITEMS];
};

/* Compile @pat into @re. Return: 0, or -1 if the pattern is too long. */
static int compile(const char *pat, struct regex *re)
{
	re->bol = re->eol = re->n = 0;
	if (*pat == '^') {
		re->bol = 1;
		pat++;
	}
	while (*pat) {
		struct item *it;

		if (pat[0] == '$' && pat[1] == 0) {
			re->eol = 1;
			break;
		}
		if (*pat == '*' && re->n > 0 && !re->items[re->n - 1].star) {
			re->items[re->n - 1].star = 1;
			pat++;
			continue;
		}
		if (re->n == MAXITEMS)
			return -1;
		it = &re->items[re->n++];
		it->star = 0;
		it->any = *pat == '.';
		if (*pat == '\\' && pat[1] != 0)
			pat++;
		it->ch = *pat++;
	}
	return 0;
}

static int item_matches(const struct item *it, char c)
{
	return it->any || it->ch == c;
}

/* Do items @i.. of @re match the text at @s (a NUL-terminated line)? */
static int match_from(const struct regex *re, int i, const char *s)
{
	for (; i < re->n; i++) {
		const struct item *it = &re->items[i];

		if (it->star) {
			const char *t = s;
			while (*t && item_matches(it, *t))
				t++;
			/* Longest run first, then give characters back. */
			for (; t >= s; t--) {
				if (match_from(re, i + 1, t))
					return 1;
			}
			return 0;
		}
		if (*s == 0 || !item_matches(it, *s))
			return 0;
		s++;
	}
	return !re->eol || *s == 0;
}

/* Does @line contain a match for @re anywhere? */
static int match_line(const struct regex *re, const char *line)
{
	if (re->bol)
		return match_from(re, 0, line);
	do {
		if (match_from(re, 0, line))
			return 1;
	} while (*line++);
	return 0;
}

struct options {
	int invert;
	int count;
	int show_name;
};

static char buf[4096];

/*
 * Handle one line of @len bytes at @line (room for one more byte after it).
 * Return: 1 if the line was selected.
 */
static int one_line(const struct regex *re, const struct options *o, const char *name, char *line,
		    int len)
{
	int hit;

	line[len] = 0;
	hit = match_line(re, line) != o->invert;
	if (hit && !o->count) {
		if (o->show_name) {
			printf("%s:%s\n", name, line);
		} else {
			line[len] = '\n';
			write(1, line, len + 1);
		}
	}
	return hit;
}

/* grep the open file @fd. Return: lines selected, or -1 on a read error. */
static int grep_fd(const struct regex *re, const struct options *o, int fd, const char *name)
{
	int have = 0, n, hits = 0;

	/* buf holds have bytes: the unfinished tail of what was read so far. */
	while ((n = read(fd, buf + have, sizeof(buf) - 1 - have)) > 0) {
		int start = 0;
		have += n;
		for (int i = 0; i < have; i++) {
			if (buf[i] == '\n') {
				hits += one_line(re, o, name, buf + start, i - start);
				start = i + 1;
			}
		}
		if (start == 0 && have == sizeof(buf) - 1) {
			/* A line longer than the buffer: treat the piece as a line. */
			hits += one_line(re, o, name, buf, have);
			have = 0;
			continue;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
	}
	if (have > 0)
		hits += one_line(re, o, name, buf, have);
	if (n < 0) {
		fprintf(2, "grep: %s: read error\n", name);
		return -1;
	}
	if (o->count) {
		if (o->show_name)
			printf("%s:%d\n", name, hits);
		else
			printf("%d\n", hits);
	}
	return hits;
}

int main(int argc, char *argv[])
{
	static struct regex re;
	struct options o = {0, 0, 0};
	int i, selected = 0, error = 0;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != 0; i++) {
		for (char *f = argv[i] + 1; *f; f++) {
			if (*f == 'v') {
				o.invert = 1;
			} else if (*f == 'c') {
				o.count = 1;
			} else {
				fprintf(2, "grep: unknown option -%c\n", *f);
				return 2;
			}
		}
	}
	if (i >= argc) {
		fprintf(2, "usage: grep [-v] [-c] PATTERN [FILE...]\n");
		return 2;
	}
	if (compile(argv[i++], &re) < 0) {
		fprintf(2, "grep: pattern too long\n");
		return 2;
	}
	if (i == argc) {
		int r = grep_fd(&re, &o, 0, "stdin");
		return r < 0 ? 2 : r == 0;
	}
	o.show_name = argc - i > 1;
	for (; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		int r;
		if (fd < 0) {
			fprintf(2, "grep: cannot open %s\n", argv[i]);
			error = 1;
			continue;
		}
		r = grep_fd(&re, &o, fd, argv[i]);
		close(fd);
		if (r < 0)
			error = 1;
		else if (r > 0)
			selected = 1;
	}
	return error ? 2 : !selected;
}
