/*
 * user/lib/ulib.c - small helpers from xv6's ulib that need system calls or
 * parse text: stat, gets, atoi; and remove_tree, which test programs share.
 */
#include "user/user.h"
#include "uapi/pagoda/stat.h"
#include "uapi/pagoda/fcntl.h"
#include "uapi/pagoda/fs.h"
#include "uapi/pagoda/param.h"

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

/* Unlink @path (a MAXPATH buffer) and what is under it; @path is restored. */
static void remove_tree_at(char *path, int depth)
{
	struct dirent de;
	struct stat st;
	uint len = strlen(path);
	int fd;

	if (stat(path, &st) < 0)
		return;
	if (st.type == T_DIR && depth < 8 && len + DIRSIZ + 2 < MAXPATH) {
		fd = open(path, O_RDONLY);
		while (fd >= 0 && read(fd, &de, sizeof(de)) == sizeof(de)) {
			if (de.inum == 0 || strncmp(de.name, ".", DIRSIZ) == 0 ||
			    strncmp(de.name, "..", DIRSIZ) == 0)
				continue;
			path[len] = '/';
			memmove(path + len + 1, de.name, DIRSIZ);
			path[len + 1 + DIRSIZ] = 0;
			remove_tree_at(path, depth + 1);
			path[len] = 0;
		}
		if (fd >= 0)
			close(fd);
	}
	unlink(path);
}

/*
 * remove_tree - unlink @path and, if it is a directory, everything under it
 * (at most 8 levels deep). A path that does not exist is ignored.
 */
void remove_tree(const char *path)
{
	char buf[MAXPATH];

	if (strlen(path) >= sizeof(buf))
		return;
	strcpy(buf, path);
	remove_tree_at(buf, 0);
}
