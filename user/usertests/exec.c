/*
 * user/usertests/exec.c - exec(): argument passing, and files it must
 * refuse to run.
 *
 * The argument test execs this very program as
 *     usertests --check-args N ARG...
 * and the new image checks that it got exactly N arguments, each one as
 * ut_arg_for() builds it, and a NULL after the last.
 */
#include "usertests.h"

void ut_arg_for(int i, char *buf, int size)
{
	/* Lengths from 0 up to 900 bytes; every fifth argument is empty. */
	int len = i % 5 == 0 ? 0 : (i * 131) % 900 + 1;

	if (len >= size)
		len = size - 1;
	for (int j = 0; j < len; j++)
		buf[j] = 'a' + (i + j) % 26;
	buf[len] = 0;
}

int ut_check_args(int argc, char **argv)
{
	static char want[1024];

	if (argc < 3 || argv[argc] != 0 || atoi(argv[2]) != argc) {
		printf("# check-args: argc %d, expected %s; argv[argc] %p\n", argc,
		       argc > 2 ? argv[2] : "?", argv[argc]);
		return 1;
	}
	for (int i = 3; i < argc; i++) {
		ut_arg_for(i, want, sizeof(want));
		if (strcmp(argv[i], want) != 0) {
			printf("# check-args: argv[%d] is wrong (length %d, expected %d)\n", i,
			       strlen(argv[i]), strlen(want));
			return 1;
		}
	}
	if (((uint64)argv & 7) != 0) {
		printf("# check-args: argv %p is not 8-byte aligned\n", argv);
		return 1;
	}
	return 0;
}

/* exec @argv in a child. Return: the child's status (90: exec returned -1). */
static int try_exec(const char *path, char **argv)
{
	int pid = ut_fork();

	if (pid == 0) {
		int r = exec(path, argv);
		exit(r == -1 ? 90 : 91);
	}
	return ut_wait(pid);
}

void test_exec_args(void)
{
	static char args[MAXARG + 2][1024];
	char *argv[MAXARG + 2];
	char count[16];
	int argc = MAXARG - 1, status;

	argv[0] = ut_self;
	argv[1] = "--check-args";
	snprintf(count, sizeof(count), "%d", argc);
	argv[2] = count;
	for (int i = 3; i < MAXARG + 1; i++) {
		ut_arg_for(i, args[i], sizeof(args[i]));
		argv[i] = args[i];
	}
	argv[argc] = 0;
	status = try_exec(ut_self, argv);
	CHECK(status == 0, "exec with %d arguments: status %d", argc, status);

	/* MAXARG + 1 arguments cannot fit the kernel's argv[MAXARG]. */
	argv[argc] = args[argc];
	argc = MAXARG + 1;
	snprintf(count, sizeof(count), "%d", argc);
	argv[argc] = 0;
	status = try_exec(ut_self, argv);
	CHECK(status == 90, "exec with %d arguments did not fail (status %d)", argc, status);

	/* And the smallest case. */
	argv[2] = "3";
	argv[3] = 0;
	status = try_exec(ut_self, argv);
	CHECK(status == 0, "exec with 3 arguments: status %d", status);
}

/* Write the first @n bytes of this program to @path (@n < 0: all of it). */
static int copy_self(const char *path, int n)
{
	static char buf[1024];
	int in = ut_open(ut_self, O_RDONLY);
	int out = ut_open(path, O_CREATE | O_WRONLY | O_TRUNC);
	int total = 0, m;

	while (n < 0 || total < n) {
		int want = n < 0 || n - total > (int)sizeof(buf) ? (int)sizeof(buf) : n - total;
		m = read(in, buf, want);
		if (m <= 0)
			break;
		CHECK(write(out, buf, m) == m, "write to %s failed", path);
		total += m;
	}
	close(in);
	close(out);
	return total;
}

void test_exec_notelf(void)
{
	char *argv[] = {"x", 0};
	char hdr[64];
	int fd, status;

	close(ut_open("empty", O_CREATE | O_RDWR));
	status = try_exec("empty", argv);
	CHECK(status == 90, "exec of an empty file: status %d", status);

	fd = ut_open("script", O_CREATE | O_WRONLY);
	write(fd, "#!/sh\necho hello\n", 17);
	close(fd);
	status = try_exec("script", argv);
	CHECK(status == 90, "exec of a text file: status %d", status);

	/* A real ELF header, but the program headers it points to are missing. */
	copy_self("header.elf", 64);
	status = try_exec("header.elf", argv);
	CHECK(status == 90, "exec of a bare ELF header: status %d", status);

	/* Headers intact, segment contents cut off. */
	copy_self("cut.elf", PGSIZE + 100);
	status = try_exec("cut.elf", argv);
	CHECK(status == 90, "exec of a truncated ELF file: status %d", status);

	/* A wrong magic number in an otherwise good program. */
	copy_self("magic.elf", -1);
	fd = ut_open("magic.elf", O_RDWR);
	CHECK(read(fd, hdr, sizeof(hdr)) == sizeof(hdr), "read of magic.elf failed");
	close(fd);
	hdr[1] = 'X';
	fd = ut_open("magic.elf", O_WRONLY);
	CHECK(write(fd, hdr, sizeof(hdr)) == sizeof(hdr), "write of magic.elf failed");
	close(fd);
	status = try_exec("magic.elf", argv);
	CHECK(status == 90, "exec of an ELF file with a bad magic number: status %d", status);
}

void test_exec_missing(void)
{
	char *argv[] = {"x", 0};
	int status;

	status = try_exec("no-such-file", argv);
	CHECK(status == 90, "exec of a missing file: status %d", status);
	status = try_exec("no/such/dir/file", argv);
	CHECK(status == 90, "exec of a missing path: status %d", status);
	status = try_exec("", argv);
	CHECK(status == 90, "exec of \"\": status %d", status);
	status = try_exec("/", argv);
	CHECK(status == 90, "exec of the root directory: status %d", status);
	CHECK(mkdir("adir") == 0, "mkdir failed");
	status = try_exec("adir", argv);
	CHECK(status == 90, "exec of a directory: status %d", status);
}
