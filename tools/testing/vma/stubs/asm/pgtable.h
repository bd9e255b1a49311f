/* host stub of asm/pgtable.h for tools/testing/vma: only the types mm/vma.c uses */
#ifndef _STUB_ASM_PGTABLE_H
#define _STUB_ASM_PGTABLE_H
#include <kernel/types.h>
typedef struct {
	u64 val;
} pte_t;
typedef struct {
	u64 val;
} pgprot_t;
#endif
