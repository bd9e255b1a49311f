/*
 * arch/arm64/entry.S - the exception vector table, exception entry and
 * exit, and the context switch.
 *
 * VBAR_EL1 points at `vectors`: 16 entries of 128 bytes, four groups of
 * four (synchronous, IRQ, FIQ, SError):
 *
 *   +0x000  current EL, SP_EL0   (never used: the kernel runs on SP_EL1)
 *   +0x200  current EL, SP_EL1   exceptions in the kernel
 *   +0x400  lower EL, AArch64    exceptions from user programs
 *   +0x600  lower EL, AArch32    (not supported)
 *
 * On an exception from EL0 the CPU switches to SP_EL1, which ret_to_user
 * left at the top of the process's kernel stack, so the pt_regs land at the
 * top of the kernel stack as on RISC-V. On an exception from EL1 they are
 * pushed on the current kernel stack.
 *
 * Kernel stack overflow: valid kernel stacks have bit 14 set (see
 * asm/memory.h). Before touching memory, entry from EL1 checks the new sp
 * without needing a free register (the sum trick: sp+x0 and back), and on
 * failure switches to this CPU's overflow stack to report.
 */
#include <asm/memory.h>

#define PT_SIZE 304
#define S_SP 248
#define S_PC 256
#define S_PSTATE 264
#define S_ESR 272
#define S_FAR 280
#define S_TTBR0 288
#define CPU_OVERFLOW_SP 32

	.macro kernel_entry, el
	sub	sp, sp, #PT_SIZE
	.if \el == 1
	/* is the new sp still on a valid stack (bit 14 set)? */
	add	sp, sp, x0		/* sp = sp' + x0 */
	sub	x0, sp, x0		/* x0 = sp' */
	tbnz	x0, #14, 1f
	b	kernel_stack_overflow_entry
1:	sub	x0, sp, x0		/* x0 = x0 */
	sub	sp, sp, x0		/* sp = sp' */
	.endif
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	.if \el == 0
	mrs	x21, sp_el0
	.else
	add	x21, sp, #PT_SIZE
	.endif
	stp	x30, x21, [sp, #8 * 30]
	mrs	x22, elr_el1
	mrs	x23, spsr_el1
	stp	x22, x23, [sp, #S_PC]
	mrs	x24, esr_el1
	mrs	x25, far_el1
	stp	x24, x25, [sp, #S_ESR]
	mrs	x26, ttbr0_el1
	str	x26, [sp, #S_TTBR0]
	.if \el == 0
	mov	x29, #0			/* backtraces end here */
	.endif
	mov	x0, sp
	.endm

/* x0..x30 from the pt_regs at sp (both exits: to EL1 and to EL0) */
	.macro restore_gprs
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #8 * 30]
	.endm

	.macro ventry, label
	.balign 128
	b	\label
	.endm

	.text
	.balign 2048
	.globl vectors
vectors:
	ventry	el1_invalid		/* EL1t sync */
	ventry	el1_invalid		/* EL1t irq */
	ventry	el1_invalid		/* EL1t fiq */
	ventry	el1_invalid		/* EL1t serror */
	ventry	el1_sync		/* EL1h */
	ventry	el1_irq
	ventry	el1_invalid
	ventry	el1_serror
	ventry	el0_sync		/* EL0 AArch64 */
	ventry	el0_irq
	ventry	el0_invalid
	ventry	el0_serror
	ventry	el0_invalid		/* EL0 AArch32 */
	ventry	el0_invalid
	ventry	el0_invalid
	ventry	el0_invalid

el1_sync:
	kernel_entry 1
	bl	do_el1_sync
	b	ret_to_kernel
el1_irq:
	kernel_entry 1
	bl	do_el1_irq
	b	ret_to_kernel
el1_serror:
	kernel_entry 1
	mov	x1, #1
	bl	do_bad_exception
el1_invalid:
	kernel_entry 1
	mov	x1, #0
	bl	do_bad_exception
el0_sync:
	kernel_entry 0
	bl	do_el0_sync		/* leaves through ret_to_user */
el0_irq:
	kernel_entry 0
	bl	do_el0_irq
el0_serror:
	kernel_entry 0
	mov	x1, #3
	bl	do_bad_exception
el0_invalid:
	kernel_entry 0
	mov	x1, #2
	bl	do_bad_exception

/* back to interrupted kernel code: everything, including TTBR0 (the
 * user-access window may have been open when the exception came) */
ret_to_kernel:
	ldr	x0, [sp, #S_TTBR0]
	msr	ttbr0_el1, x0
	isb
	ldp	x22, x23, [sp, #S_PC]
	msr	elr_el1, x22
	msr	spsr_el1, x23
	restore_gprs
	add	sp, sp, #PT_SIZE
	eret

/*
 * ret_to_user(regs) - leave to EL0 with @regs (at the top of the kernel
 * stack). Interrupts are masked. arm64_prepare_user_return() loads the
 * process's TTBR0 when PAN is emulated.
 */
	.globl ret_to_user
ret_to_user:
	mov	sp, x0
	bl	arm64_prepare_user_return
	ldp	x22, x23, [sp, #S_PC]
	msr	elr_el1, x22
	msr	spsr_el1, x23
	ldr	x21, [sp, #S_SP]
	msr	sp_el0, x21
	restore_gprs
	add	sp, sp, #PT_SIZE	/* SP_EL1 = top of the kernel stack for the next entry */
	eret

/*
 * The kernel stack ran into its guard. x0 = the would-be frame address,
 * sp is garbage. Report from this CPU's overflow stack; never returns.
 */
kernel_stack_overflow_entry:
	msr	tpidrro_el0, x0		/* spare register: keep the bad sp */
	mrs	x0, tpidr_el1
	ldr	x0, [x0, #CPU_OVERFLOW_SP]
	mov	sp, x0
	sub	sp, sp, #PT_SIZE
	mrs	x0, tpidrro_el0
	add	x0, x0, #PT_SIZE
	str	x0, [sp, #S_SP]
	stp	x28, x29, [sp, #16 * 14]
	str	x30, [sp, #8 * 30]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x0, x1, [sp, #S_PC]
	mrs	x0, esr_el1
	mrs	x1, far_el1
	stp	x0, x1, [sp, #S_ESR]
	mov	x0, sp
	bl	handle_kernel_stack_overflow
1:	wfi
	b	1b

/*
 * swtch(old, new) - save the callee-saved registers in *old, load *new,
 * return to new->lr on new->sp.
 */
	.globl swtch
swtch:
	stp	x19, x20, [x0, #16 * 0]
	stp	x21, x22, [x0, #16 * 1]
	stp	x23, x24, [x0, #16 * 2]
	stp	x25, x26, [x0, #16 * 3]
	stp	x27, x28, [x0, #16 * 4]
	stp	x29, x30, [x0, #16 * 5]
	mov	x9, sp
	str	x9, [x0, #16 * 6]
	ldp	x19, x20, [x1, #16 * 0]
	ldp	x21, x22, [x1, #16 * 1]
	ldp	x23, x24, [x1, #16 * 2]
	ldp	x25, x26, [x1, #16 * 3]
	ldp	x27, x28, [x1, #16 * 4]
	ldp	x29, x30, [x1, #16 * 5]
	ldr	x9, [x1, #16 * 6]
	mov	sp, x9
	ret

/*
 * copy_from_kernel_nofault(dst, src, n) - copy n bytes; a fault on a load
 * from src makes it return -EFAULT (do_el1_sync sees the faulting pc is
 * nofault_load and resumes at nofault_fixup) instead of oopsing.
 */
	.globl copy_from_kernel_nofault
copy_from_kernel_nofault:
	cbz	x2, 2f
	.globl nofault_load
nofault_load:
	ldrb	w3, [x1], #1
	strb	w3, [x0], #1
	subs	x2, x2, #1
	b.ne	nofault_load
2:	mov	x0, #0
	ret
	.globl nofault_fixup
nofault_fixup:
	mov	x0, #-14		/* -EFAULT */
	ret
