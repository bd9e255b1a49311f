/*
 * tools/testing/fs/mkfs-wrap.c - tools/mkfs/mkfs.c compiled into the test
 * program (its main renamed), and mkfs_run() to call it in a child process:
 * mkfs exits on error, and its globals must start fresh on every run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

#define main mkfs_main
#include "../../mkfs/mkfs.c"
#undef main

int mkfs_run(const char *img, const char *const *files, int nfiles);

static char *child_argv[64];

/* Run mkfs; its messages go to @img.log. Return: mkfs's exit status. */
int mkfs_run(const char *img, const char *const *files, int nfiles)
{
	char log[4096];
	pid_t pid;
	int i, status;

	snprintf(log, sizeof(log), "%s.log", img);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (!freopen(log, "w", stdout) || dup2(fileno(stdout), 2) < 0)
			_exit(100);
		if (nfiles + 3 > (int)(sizeof(child_argv) / sizeof(child_argv[0])))
			_exit(101);
		child_argv[0] = "mkfs";
		child_argv[1] = (char *)img;
		for (i = 0; i < nfiles; i++)
			child_argv[2 + i] = (char *)files[i];
		exit(mkfs_main(nfiles + 2, child_argv));
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}
