/*
 * asm/ptrace.h - registers saved on a trap (struct pt_regs) and by a context
 * switch (struct context) on RISC-V, with the offsets the assembly uses.
 *
 * pt_regs lives at the top of the kernel stack for a trap from user mode;
 * for a trap from kernel mode it is pushed on the current kernel stack.
 */
#ifndef _ASM_RISCV_PTRACE_H
#define _ASM_RISCV_PTRACE_H

#include <kernel/types.h>

/* x1..x31 in order, then the trap CSRs */
struct pt_regs {
	u64 ra, sp, gp, tp;
	u64 t0, t1, t2;
	u64 s0, s1;
	u64 a0, a1, a2, a3, a4, a5, a6, a7;
	u64 s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
	u64 t3, t4, t5, t6;
	u64 epc;    /* sepc: where the trap happened */
	u64 status; /* sstatus at the trap */
	u64 cause;  /* scause */
	u64 tval;   /* stval: faulting address or instruction */
	u64 orig_a0, pad[2];
};

/* callee-saved registers, saved and restored by swtch() */
struct context {
	u64 ra, sp;
	u64 s[12];
};

#define PT_SIZE 304 /* sizeof(struct pt_regs), a multiple of 16 */

static inline u64 regs_syscall_nr(struct pt_regs *regs)
{
	return regs->a7;
}

static inline u64 regs_syscall_arg(struct pt_regs *regs, int n)
{
	u64 *a = &regs->a0;
	return n >= 0 && n < 6 ? a[n] : 0;
}

static inline void regs_set_return(struct pt_regs *regs, u64 val)
{
	regs->a0 = val;
}

static inline u64 regs_pc(struct pt_regs *regs)
{
	return regs->epc;
}

static inline u64 regs_sp(struct pt_regs *regs)
{
	return regs->sp;
}

/* Did the trap come from user mode? sstatus.SPP (bit 8) is the mode it left: 0 = user. */
static inline bool user_mode(struct pt_regs *regs)
{
	return !(regs->status & (1UL << 8));
}

#endif /* _ASM_RISCV_PTRACE_H */
