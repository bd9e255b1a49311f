/*
 * arch/riscv/entry.S - trap entry and exit, and the context switch.
 *
 * Every trap (exception or interrupt, from user or kernel mode) enters
 * handle_exception through stvec. sscratch tells where we came from:
 *
 *   in user mode   : sscratch = this CPU's struct cpu, tp = user's tp
 *   in kernel mode : sscratch = 0,                    tp = struct cpu
 *
 * so swapping tp and sscratch first gives tp != 0 exactly for user traps.
 *
 * From user mode the registers go into the pt_regs at the top of the
 * process's kernel stack (cpu->kernel_sp), and do_trap_user() never returns
 * here: it leaves through ret_to_user. From kernel mode they are pushed on
 * the current stack and do_trap_kernel() returns.
 *
 * Kernel stack overflow: process kernel stacks are the upper half of a
 * 32 KiB-aligned slot whose lower half is an unmapped guard. If pushing the
 * frame would put sp in a guard (bit 14 clear inside the kstack area) we
 * switch to this CPU's overflow stack and report, instead of faulting again
 * and again on the guard.
 */
#include <asm/memory.h>

#define REG_S sd
#define REG_L ld
#define PT_SIZE 304
#define PT(n) ((n) * 8)
/* pt_regs offsets: x1..x31 at (x-1)*8 */
#define PT_RA PT(0)
#define PT_SP PT(1)
#define PT_GP PT(2)
#define PT_TP PT(3)
#define PT_EPC PT(31)
#define PT_STATUS PT(32)
#define PT_CAUSE PT(33)
#define PT_TVAL PT(34)
/* struct cpu offsets */
#define CPU_KERNEL_SP 0
#define CPU_SCRATCH0 8
#define CPU_SCRATCH1 16
#define CPU_OVERFLOW_SP 32

.macro SAVE_GPRS_EXCEPT_SP_TP
	REG_S	x1, PT(0)(sp)
	REG_S	x3, PT(2)(sp)
	REG_S	x5, PT(4)(sp)
	REG_S	x6, PT(5)(sp)
	REG_S	x7, PT(6)(sp)
	REG_S	x8, PT(7)(sp)
	REG_S	x9, PT(8)(sp)
	REG_S	x10, PT(9)(sp)
	REG_S	x11, PT(10)(sp)
	REG_S	x12, PT(11)(sp)
	REG_S	x13, PT(12)(sp)
	REG_S	x14, PT(13)(sp)
	REG_S	x15, PT(14)(sp)
	REG_S	x16, PT(15)(sp)
	REG_S	x17, PT(16)(sp)
	REG_S	x18, PT(17)(sp)
	REG_S	x19, PT(18)(sp)
	REG_S	x20, PT(19)(sp)
	REG_S	x21, PT(20)(sp)
	REG_S	x22, PT(21)(sp)
	REG_S	x23, PT(22)(sp)
	REG_S	x24, PT(23)(sp)
	REG_S	x25, PT(24)(sp)
	REG_S	x26, PT(25)(sp)
	REG_S	x27, PT(26)(sp)
	REG_S	x28, PT(27)(sp)
	REG_S	x29, PT(28)(sp)
	REG_S	x30, PT(29)(sp)
	REG_S	x31, PT(30)(sp)
.endm

.macro RESTORE_GPRS_EXCEPT_SP_TP
	REG_L	x1, PT(0)(sp)
	REG_L	x3, PT(2)(sp)
	REG_L	x5, PT(4)(sp)
	REG_L	x6, PT(5)(sp)
	REG_L	x7, PT(6)(sp)
	REG_L	x8, PT(7)(sp)
	REG_L	x9, PT(8)(sp)
	REG_L	x10, PT(9)(sp)
	REG_L	x11, PT(10)(sp)
	REG_L	x12, PT(11)(sp)
	REG_L	x13, PT(12)(sp)
	REG_L	x14, PT(13)(sp)
	REG_L	x15, PT(14)(sp)
	REG_L	x16, PT(15)(sp)
	REG_L	x17, PT(16)(sp)
	REG_L	x18, PT(17)(sp)
	REG_L	x19, PT(18)(sp)
	REG_L	x20, PT(19)(sp)
	REG_L	x21, PT(20)(sp)
	REG_L	x22, PT(21)(sp)
	REG_L	x23, PT(22)(sp)
	REG_L	x24, PT(23)(sp)
	REG_L	x25, PT(24)(sp)
	REG_L	x26, PT(25)(sp)
	REG_L	x27, PT(26)(sp)
	REG_L	x28, PT(27)(sp)
	REG_L	x29, PT(28)(sp)
	REG_L	x30, PT(29)(sp)
	REG_L	x31, PT(30)(sp)
.endm

.macro SAVE_CSRS
	csrr	t0, sepc
	REG_S	t0, PT_EPC(sp)
	csrr	t0, sstatus
	REG_S	t0, PT_STATUS(sp)
	csrr	t0, scause
	REG_S	t0, PT_CAUSE(sp)
	csrr	t0, stval
	REG_S	t0, PT_TVAL(sp)
.endm

	.text
	.balign 4
	.globl handle_exception
handle_exception:
	csrrw	tp, sscratch, tp
	bnez	tp, .Lfrom_user

	/* ---- from kernel mode ---- */
	csrrw	tp, sscratch, zero	/* tp = struct cpu, sscratch = 0 */
	REG_S	t0, CPU_SCRATCH0(tp)
	REG_S	t1, CPU_SCRATCH1(tp)
	addi	t0, sp, -PT_SIZE
	li	t1, VMALLOC_START
	bltu	t0, t1, 1f		/* not a process kernel stack */
	li	t1, VMALLOC_END
	bgeu	t0, t1, 1f
	srli	t1, t0, 14
	andi	t1, t1, 1
	beqz	t1, .Lstack_overflow
1:	REG_L	t1, CPU_SCRATCH1(tp)
	REG_L	t0, CPU_SCRATCH0(tp)
	addi	sp, sp, -PT_SIZE
	SAVE_GPRS_EXCEPT_SP_TP
	addi	t0, sp, PT_SIZE
	REG_S	t0, PT_SP(sp)
	REG_S	tp, PT_TP(sp)
	SAVE_CSRS
	mv	a0, sp
	call	do_trap_kernel
	/* back to the interrupted kernel code; keep tp: we may have been
	 * rescheduled onto another CPU */
	REG_L	t0, PT_EPC(sp)
	csrw	sepc, t0
	REG_L	t0, PT_STATUS(sp)
	csrw	sstatus, t0
	RESTORE_GPRS_EXCEPT_SP_TP
	REG_L	sp, PT_SP(sp)
	sret

.Lstack_overflow:
	/* t0/t1 hold garbage for the report; the faulting sp is still in sp */
	mv	t0, sp
	REG_L	sp, CPU_OVERFLOW_SP(tp)
	addi	sp, sp, -PT_SIZE
	REG_S	t0, PT_SP(sp)
	REG_S	tp, PT_TP(sp)
	REG_S	x1, PT(0)(sp)
	REG_S	x8, PT(7)(sp)
	SAVE_CSRS
	mv	a0, sp
	call	handle_kernel_stack_overflow
2:	wfi
	j	2b

	/* ---- from user mode ---- */
.Lfrom_user:
	REG_S	sp, CPU_SCRATCH0(tp)
	REG_L	sp, CPU_KERNEL_SP(tp)
	addi	sp, sp, -PT_SIZE
	SAVE_GPRS_EXCEPT_SP_TP
	REG_L	t0, CPU_SCRATCH0(tp)
	REG_S	t0, PT_SP(sp)
	csrrw	t0, sscratch, zero	/* user tp; sscratch = 0 while in kernel */
	REG_S	t0, PT_TP(sp)
	SAVE_CSRS
	mv	s0, zero		/* terminate backtraces here */
	mv	a0, sp
	call	do_trap_user
3:	wfi
	j	3b

/*
 * ret_to_user(regs) - leave to user mode with @regs. Interrupts are off and
 * regs->status has SPP = 0 (user), SPIE = 1, SUM = 0.
 */
	.globl ret_to_user
ret_to_user:
	mv	sp, a0
	REG_L	t0, PT_EPC(sp)
	csrw	sepc, t0
	REG_L	t0, PT_STATUS(sp)
	csrw	sstatus, t0
	csrw	sscratch, tp		/* struct cpu, for the next trap */
	RESTORE_GPRS_EXCEPT_SP_TP
	REG_L	tp, PT_TP(sp)
	REG_L	sp, PT_SP(sp)
	sret

/*
 * swtch(old, new) - save the callee-saved registers in *old and load them
 * from *new; "returns" to new->ra on new->sp.
 */
	.globl swtch
swtch:
	sd	ra, 0(a0)
	sd	sp, 8(a0)
	sd	s0, 16(a0)
	sd	s1, 24(a0)
	sd	s2, 32(a0)
	sd	s3, 40(a0)
	sd	s4, 48(a0)
	sd	s5, 56(a0)
	sd	s6, 64(a0)
	sd	s7, 72(a0)
	sd	s8, 80(a0)
	sd	s9, 88(a0)
	sd	s10, 96(a0)
	sd	s11, 104(a0)
	ld	ra, 0(a1)
	ld	sp, 8(a1)
	ld	s0, 16(a1)
	ld	s1, 24(a1)
	ld	s2, 32(a1)
	ld	s3, 40(a1)
	ld	s4, 48(a1)
	ld	s5, 56(a1)
	ld	s6, 64(a1)
	ld	s7, 72(a1)
	ld	s8, 80(a1)
	ld	s9, 88(a1)
	ld	s10, 96(a1)
	ld	s11, 104(a1)
	ret

/*
 * copy_from_kernel_nofault(dst, src, n) - copy n bytes; a fault on a load
 * from src makes it return -EFAULT (do_trap_kernel sees the faulting pc is
 * nofault_load and resumes at nofault_fixup) instead of oopsing. Used to
 * probe addresses that may be unmapped (tests, debugging aids).
 */
	.globl copy_from_kernel_nofault
copy_from_kernel_nofault:
	beqz	a2, 2f
	.globl nofault_load
nofault_load:
	lb	t0, 0(a1)
	sb	t0, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	bnez	a2, nofault_load
2:	li	a0, 0
	ret
	.globl nofault_fixup
nofault_fixup:
	li	a0, -14			/* -EFAULT */
	ret
