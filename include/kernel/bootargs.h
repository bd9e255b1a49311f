/*
 * include/kernel/bootargs.h - the kernel command line, parsed the way Linux
 * parses it.
 *
 * The command line (/chosen/bootargs, QEMU's -append) is a list of words
 * separated by blanks. A word is either a flag ("quiet") or "name=value".
 * Double quotes group blanks into one word and are removed from values:
 * name="a b" has the value `a b`. A standalone "--" ends the kernel's part:
 * the words after it are passed to init and are ignored by bootarg_present()
 * and bootarg_get().
 *
 *   mem=64M cma=16M test="mm vm" -- -s single
 *   \_______ kernel params ____/    \_ init _/
 *
 * See: Linux Documentation/admin-guide/kernel-parameters.rst
 */
#ifndef _KERNEL_BOOTARGS_H
#define _KERNEL_BOOTARGS_H

#include <kernel/types.h>

/* bootarg_get() errors. */
#define BOOTARG_ENOENT (-1) /* no "name=value" word */
#define BOOTARG_E2BIG (-2)  /* the value does not fit in the buffer */

bool bootarg_present(const char *cmdline, const char *name);
int bootarg_get(const char *cmdline, const char *name, char *buf, int bufsz);
int parse_u64(const char *s, u64 *out);
int parse_size(const char *s, u64 *out);
const char *bootargs_init_args(const char *cmdline);
int bootargs_split(const char *s, char *buf, int bufsz, char **argv, int maxargs);

#endif /* _KERNEL_BOOTARGS_H */
