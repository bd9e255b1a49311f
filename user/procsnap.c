/*
 * user/procsnap.c - print a snapshot of /proc as one text archive, so that
 * Pagoda's /proc can be copied off the machine through the console and
 * read on a Linux host by Linux's own tools (ps, top, vmstat, pmap, ...).
 *
 * Usage: procsnap
 *
 * Every file under /proc is printed: the top-level files, /proc/sys, and
 * the files of every process's directory, PIDs taken from /proc's listing
 * (procsnap itself is one of them: "self"). Output:
 *
 *   procsnap: begin self=7
 *   procsnap: file /proc/meminfo 1130
 *   MemTotal:         126396 kB
 *   ...
 *   procsnap: end /proc/meminfo
 *   ...
 *   procsnap: done 96 files
 *
 * The number after the path is the file's length in bytes. The contents
 * are printed as they are except for bytes that a terminal would eat:
 * control characters other than newline and tab (cmdline's NULs), and the
 * backslash itself, are written as \xHH. Decoded, each file must have its
 * stated length; tools/lib/procsnap.py decodes and checks a console log
 * and lays the files out as a directory that can stand in for /proc.
 *
 * See: tools/lib/procsnap.py, tools/test.py (stage procps).
 */
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"
#include "kernel/fs.h"
#include "kernel/stat.h"
#include "kernel/param.h"

#define SNAP_MAXFILE 32768 /* /proc files are generated into 16 KiB */
#define MAXDEPTH 4

static char *content; /* SNAP_MAXFILE bytes */
static int nfiles;

static void put_escaped(const char *buf, int n)
{
	static const char hex[] = "0123456789abcdef";
	char out[256];
	int o = 0;

	for (int i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (o > (int)sizeof(out) - 5) {
			write(1, out, o);
			o = 0;
		}
		if ((c < 0x20 && c != '\n' && c != '\t') || c == '\\' || c >= 0x7f) {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	if (o)
		write(1, out, o);
}

static void dump_file(const char *path)
{
	int fd = open(path, O_RDONLY), len = 0;

	if (fd < 0)
		return;
	while (len < SNAP_MAXFILE) {
		int r = read(fd, content + len, SNAP_MAXFILE - len);
		if (r <= 0)
			break;
		len += r;
	}
	close(fd);
	printf("procsnap: file %s %d\n", path, len);
	put_escaped(content, len);
	/* the end marker on a line of its own, whether or not the file ended with a newline */
	printf("%sprocsnap: end %s\n", len > 0 && content[len - 1] != '\n' ? "\n" : "", path);
	nfiles++;
}

static void dump_dir(const char *path, int depth)
{
	char child[MAXPATH];
	struct dirent de;
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return;
	while (read(fd, &de, sizeof(de)) == sizeof(de)) {
		char name[DIRSIZ + 1];

		if (de.inum == 0)
			continue;
		memmove(name, de.name, DIRSIZ);
		name[DIRSIZ] = 0;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strcmp(name, "self") == 0)
			continue; /* self: the unpacker makes it a link to our PID */
		snprintf(child, sizeof(child), "%s/%s", path, name);
		if (stat(child, &st) < 0)
			continue; /* a process that exited meanwhile */
		if (st.type == T_DIR) {
			if (depth < MAXDEPTH)
				dump_dir(child, depth + 1);
		} else {
			dump_file(child);
		}
	}
	close(fd);
}

int main(int argc, char *argv[])
{
	if (argc > 1) {
		fprintf(2, "usage: procsnap   (prints all of /proc as a text archive)\n");
		exit(2);
	}
	content = malloc(SNAP_MAXFILE);
	if (!content) {
		fprintf(2, "procsnap: out of memory\n");
		exit(1);
	}
	printf("procsnap: begin self=%d\n", getpid());
	dump_dir("/proc", 0);
	printf("procsnap: done %d files\n", nfiles);
	exit(0);
}
