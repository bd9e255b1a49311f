/*
 * asm/ptrace.h - registers saved on an exception (struct pt_regs) and by a
 * context switch (struct context) on AArch64, with the layout entry.S uses.
 */
#ifndef _ASM_ARM64_PTRACE_H
#define _ASM_ARM64_PTRACE_H

#include <kernel/types.h>

struct pt_regs {
	u64 regs[31]; /* x0..x30 (x29 = frame pointer, x30 = link register) */
	u64 sp;	      /* SP_EL0 for an exception from user mode */
	u64 pc;	      /* ELR_EL1: where the exception happened */
	u64 pstate;   /* SPSR_EL1 */
	u64 esr;      /* ESR_EL1: exception syndrome (class, fault status) */
	u64 far;      /* FAR_EL1: faulting address */
	u64 ttbr0;    /* TTBR0_EL1 at an exception from EL1 (restored on return) */
	u64 pad;
};

/* callee-saved registers, saved and restored by swtch() */
struct context {
	u64 x19, x20, x21, x22, x23, x24, x25, x26, x27, x28;
	u64 fp, lr, sp;
};

#define PT_SIZE 304 /* sizeof(struct pt_regs), a multiple of 16 */

static inline u64 regs_syscall_nr(struct pt_regs *regs)
{
	return regs->regs[8];
}

static inline u64 regs_syscall_arg(struct pt_regs *regs, int n)
{
	return n >= 0 && n < 6 ? regs->regs[n] : 0;
}

static inline void regs_set_return(struct pt_regs *regs, u64 val)
{
	regs->regs[0] = val;
}

static inline u64 regs_pc(struct pt_regs *regs)
{
	return regs->pc;
}

static inline u64 regs_sp(struct pt_regs *regs)
{
	return regs->sp;
}

/* Did the exception come from user mode? SPSR_EL1.M[3:0] is the mode it left: 0 = EL0t. */
static inline bool user_mode(struct pt_regs *regs)
{
	return (regs->pstate & 0xf) == 0;
}

#endif /* _ASM_ARM64_PTRACE_H */
