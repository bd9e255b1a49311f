/*
 * user/ktap.h - KTAP result lines for the labs' user test programs
 * (pgtbltest, vmatest, vmalloctest), signed for the lab grader.
 *
 * A program started as "PROG -k ..." calls ktap_read_key() first: it
 * prints "PROG: key?" and reads the key the grader types (unechoed) on the
 * console; from then on every ktap_result() line ends in its MAC under that
 * key (include/uapi/pagoda/ktap_mac.h), which the kernel never sees on the
 * command line or in the program's arguments. Without -k lines are plain.
 *
 * See: user/lib/ktap.c, labs/README.md ("What the grader trusts").
 */
#ifndef _USER_KTAP_H
#define _USER_KTAP_H

#include "uapi/pagoda/types.h"

/*
 * ktap_read_key - if @argv[1] is "-k", ask for the key and read it from
 * stdin. Return: how many arguments it took (0 or 1), or -1 if the key
 * could not be read.
 */
int ktap_read_key(const char *prog, int argc, char **argv);

/*
 * ktap_result - print "ok N NAME" (or "not ok"), with " # DIRECTIVE" when
 * @directive is not NULL, signed when a key was read.
 */
void ktap_result(int ok, int n, const char *name, const char *directive);

/*
 * ktap_random - a random number the kernel cannot predict: drawn from the
 * grader's key (a fixed sequence without one). For addresses a test must be
 * killed at, say, which the grader then looks for in the kernel's kill line.
 */
u64 ktap_random(void);

/*
 * ktap_expect_kill - run @fn in a child that the kernel must kill when it
 * touches @addr (for the reason @why, "no mapping" or "permission", when
 * not NULL). The child first proves it is running (a byte through a pipe),
 * then calls @fn. Appends "pid P at 0xADDR" (and " (WHY)") to @evidence, a
 * string of @size bytes, for the result line's directive; the grader looks
 * for the kernel's "pid P (PROG): killed: ... at address 0xADDR (WHY)" line.
 * Return: 1 if the child ran and was killed, else 0 (with a "# " line why).
 */
int ktap_expect_kill(void (*fn)(void), u64 addr, const char *why, char *evidence, int size);

#endif /* _USER_KTAP_H */
