/*
 * user/ls.c - list files and directories.
 *
 * Usage: ls [PATH...]   (default ".")
 * Prints one line per file: name, type (1 directory, 2 file, 3 device),
 * inode number and size in bytes, as xv6's ls does. A directory is listed
 * by reading it as a file of struct dirent records (uapi/pagoda/fs.h).
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fs.h"
#include "kernel/fcntl.h"
#include "kernel/param.h"
#include "user/user.h"

static void show(const char *name, struct stat *st)
{
	printf("%-14s %d %d %llu\n", name, st->type, st->ino, st->size);
}

/* List the entries of the directory open as @fd, named @path. */
static int list_dir(int fd, const char *path)
{
	char full[MAXPATH + DIRSIZ + 2];
	char name[DIRSIZ + 1];
	struct dirent de;
	struct stat st;
	uint plen = strlen(path);
	int status = 0;

	if (plen + 1 + DIRSIZ + 1 > sizeof(full)) {
		fprintf(2, "ls: path too long: %s\n", path);
		return 1;
	}
	while (read(fd, &de, sizeof(de)) == sizeof(de)) {
		if (de.inum == 0)
			continue;
		memmove(name, de.name, DIRSIZ);
		name[DIRSIZ] = 0;
		/* full = path "/" name, without doubling a trailing slash */
		strcpy(full, path);
		if (plen == 0 || full[plen - 1] != '/')
			strcpy(full + plen, "/");
		strcpy(full + strlen(full), name);
		if (stat(full, &st) < 0) {
			fprintf(2, "ls: cannot stat %s\n", full);
			status = 1;
			continue;
		}
		show(name, &st);
	}
	return status;
}

static int ls(const char *path)
{
	struct stat st;
	int fd, status = 0;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(2, "ls: cannot open %s\n", path);
		return 1;
	}
	if (fstat(fd, &st) < 0) {
		fprintf(2, "ls: cannot stat %s\n", path);
		close(fd);
		return 1;
	}
	if (st.type == T_DIR)
		status = list_dir(fd, path);
	else
		show(path, &st);
	close(fd);
	return status;
}

int main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2)
		return ls(".");
	for (int i = 1; i < argc; i++)
		status |= ls(argv[i]);
	return status;
}
