/*
 * user/lib/start.c - where every user program begins.
 *
 * The kernel's exec() enters _start with
 *   argc in the first argument register (a0 / x0),
 *   argv in the second (a1 / x1): argc pointers, then a NULL,
 *   sp at the top of the user stack, 16-byte aligned,
 * which is exactly how a C function is called, so _start can be C: it runs
 * main() and turns main's return value into the exit status, so that
 * `return 1;` from main means the same as `exit(1);`.
 */
#include "user/user.h"

int main(int argc, char **argv);

void _start(int argc, char **argv)
{
	exit(main(argc, argv));
}
