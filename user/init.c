/*
 * user/init.c - the first user process (pid 1).
 *
 * The kernel starts /init with the words after " -- " on its command line
 * as argv[1..]. init first makes sure that fds 0, 1 and 2 are the console
 * (creating the device file "console", major 1, if it is missing) and that
 * the /proc directory holds its device files (uapi/pagoda/procfs.h). Then:
 *
 *   - with arguments (how the test harness runs one program): run them as
 *     a command, wait for it, print
 *         init: <command line> exited with status N
 *     and poweroff(N), so that QEMU exits with the program's status;
 *   - without: run the shell, and start a new one whenever it exits.
 *
 * Either way init also reaps orphans: the kernel makes init the parent of
 * every process whose parent exits, and init's wait() collects them.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/param.h"
#include "user/user.h"
#include "uapi/pagoda/procfs.h"

#define CONSOLE_MAJOR 1

static void open_console(void)
{
	int fd = open("console", O_RDWR);

	if (fd < 0) {
		mknod("console", CONSOLE_MAJOR, 0);
		fd = open("console", O_RDWR);
	}
	if (fd < 0)
		exit(1); /* nowhere to even print the reason */
	if (fd != 0) {
		close(0);
		dup(fd);
		close(fd);
	}
	dup(0); /* stdout */
	dup(0); /* stderr */
}

/* /proc: directories and device files (major PROC_MAJOR), made when missing */
static void make_proc(void)
{
	static const char *dirs[] = PROC_DIRS;
	static const struct {
		const char *path;
		int minor;
	} files[] = PROC_FILES;
	struct stat st;

	for (unsigned i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (stat(dirs[i], &st) < 0 && mkdir(dirs[i]) < 0)
			fprintf(2, "init: cannot create %s\n", dirs[i]);
	for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (stat(files[i].path, &st) < 0 &&
		    mknod(files[i].path, PROC_MAJOR, files[i].minor) < 0)
			fprintf(2, "init: cannot create %s\n", files[i].path);
}

/* exec @argv[0], also as "/name" if it has no slash; returns only on failure */
static void exec_command(char **argv)
{
	char path[MAXPATH];

	exec(argv[0], argv);
	if (strchr(argv[0], '/') == 0 && strlen(argv[0]) + 2 <= sizeof(path)) {
		path[0] = '/';
		strcpy(path + 1, argv[0]);
		exec(path, argv);
	}
}

/* Start @argv in a child. Return: its pid, or -1. */
static int spawn(char **argv)
{
	int pid = fork();

	if (pid < 0) {
		fprintf(2, "init: fork failed\n");
		return -1;
	}
	if (pid == 0) {
		exec_command(argv);
		fprintf(2, "init: exec %s failed\n", argv[0]);
		exit(127);
	}
	return pid;
}

/* Wait for @pid, reaping any orphans that finish first. Return: its status. */
static int wait_for(int pid)
{
	int status, w;

	for (;;) {
		w = wait(&status);
		if (w == pid)
			return status;
		if (w < 0)
			return -1; /* no children at all: cannot happen */
	}
}

/* The harness mode: run one command and power off with its exit status. */
static void run_and_poweroff(int argc, char **argv)
{
	char line[256];
	int pid, status, n = 0;

	line[0] = 0;
	for (int i = 1; i < argc && n < (int)sizeof(line); i++)
		n += snprintf(line + n, sizeof(line) - n, "%s%s", i > 1 ? " " : "", argv[i]);
	pid = spawn(argv + 1);
	status = pid < 0 ? 127 : wait_for(pid);
	printf("init: %s exited with status %d\n", line, status);
	poweroff(status);
	fprintf(2, "init: poweroff failed\n");
}

int main(int argc, char *argv[])
{
	char *sh_argv[] = {"sh", 0};

	open_console();
	make_proc();
	if (argc > 1)
		run_and_poweroff(argc, argv);

	for (;;) {
		int pid, status;

		printf("init: starting sh\n");
		pid = spawn(sh_argv);
		if (pid < 0) {
			sleep(100);
			continue;
		}
		status = wait_for(pid);
		if (status != 0) {
			/* Don't spin if sh cannot even start. */
			printf("init: sh exited with status %d\n", status);
			sleep(10);
		}
	}
}
