/* tools/testing/mm/stubs/asm/pgtable.h - page-table types the mm headers name. */
#ifndef _ASM_PGTABLE_H
#define _ASM_PGTABLE_H

#include <kernel/types.h>

typedef struct {
	u64 pte;
} pte_t;
typedef struct {
	u64 prot;
} pgprot_t;

#endif /* _ASM_PGTABLE_H */
