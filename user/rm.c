/*
 * user/rm.c - remove directory entries.
 *
 * Usage: rm NAME...
 * Each NAME is unlink()ed: a file loses one of its names (its data goes
 * when the last name and the last open descriptor are gone); an empty
 * directory is removed; a non-empty one, "." and ".." are refused by the
 * kernel.
 */
#include "kernel/types.h"
#include "user/user.h"

int main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2) {
		fprintf(2, "usage: rm NAME...\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		if (unlink(argv[i]) < 0) {
			fprintf(2, "rm: cannot remove %s\n", argv[i]);
			status = 1;
		}
	}
	return status;
}
