/*
 * user/kill.c - kill processes by pid.
 *
 * Usage: kill PID...
 * A killed process exits (with status -1) the next time it leaves the
 * kernel; one sleeping in the kernel is woken up first. init (pid 1) and
 * kernel threads cannot be killed (the kernel answers EPERM).
 */
#include "kernel/types.h"
#include "kernel/errno.h"
#include "user/user.h"

static int is_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == 0)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
	}
	return 1;
}

int main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2) {
		fprintf(2, "usage: kill PID...\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		if (!is_number(argv[i])) {
			fprintf(2, "kill: %s is not a pid\n", argv[i]);
			status = 1;
		} else if (kill(atoi(argv[i])) < 0) {
			if (geterrno() == EPERM)
				fprintf(2, "kill: %s: operation not permitted\n", argv[i]);
			else
				fprintf(2, "kill: no process %s\n", argv[i]);
			status = 1;
		}
	}
	return status;
}
