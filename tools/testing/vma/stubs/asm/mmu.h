/* host stub of asm/mmu.h for tools/testing/vma */
#ifndef _STUB_ASM_MMU_H
#define _STUB_ASM_MMU_H
#include <kernel/types.h>
typedef struct {
	u64 asid;
} mm_context_t;
#endif
