/*
 * kernel/ksyms.h - the kernel's own symbol table, for backtraces.
 *
 * The build links the kernel twice: the first link has an empty table; its
 * function symbols (nm -n) are turned into ksyms.S by tools/gen-ksyms.py and
 * linked into the .ksyms section, which comes after all code, so no function
 * moves between the two links.
 */
#ifndef _KERNEL_KSYMS_H
#define _KERNEL_KSYMS_H

#include <kernel/types.h>

/* Name of the function containing @addr and @addr's offset in it; NULL if unknown. */
const char *ksym_lookup(u64 addr, u64 *offset, u64 *size);
/* Address of function @name, or 0. */
u64 ksym_address(const char *name);

#endif /* _KERNEL_KSYMS_H */
