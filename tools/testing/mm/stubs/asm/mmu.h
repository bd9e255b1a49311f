/* tools/testing/mm/stubs/asm/mmu.h - the architecture's part of an mm_struct. */
#ifndef _ASM_MMU_H
#define _ASM_MMU_H

typedef struct {
	unsigned long asid;
} mm_context_t;

#endif /* _ASM_MMU_H */
