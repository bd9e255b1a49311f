/*
 * labs/pgtbl/host/host-asm.h - forced first into every compile of the pgtbl
 * host tests (gcc -include).
 *
 * An architecture's asm/pgtable.h may order its stores with barrier
 * instructions (ARM64's set_pte ends in "dsb ishst; isb"). The host runs one
 * thread on ordinary memory and cannot assemble them, so after the C
 * library's headers are in, an asm statement becomes an empty one.
 */
#ifndef _HOST_ASM_H
#define _HOST_ASM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <unistd.h>

#define __asm__
#define __volatile__(...)

#endif /* _HOST_ASM_H */
