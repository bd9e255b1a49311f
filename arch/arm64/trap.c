/*
 * arch/arm64/trap.c - what happens after entry.S has saved the registers:
 * decode ESR_EL1 and hand the exception to the generic kernel (system call,
 * timer tick, device interrupt, user fault, kernel bug).
 *
 * ESR_EL1.EC (bits 31:26) says what happened: 0x15 SVC from AArch64,
 * 0x20/0x21 instruction abort from EL0/EL1, 0x24/0x25 data abort from
 * EL0/EL1 (bit 6, WnR, tells a store), 0x00 undefined instruction, 0x07
 * FP/SIMD access (trapped: FP is off). For aborts, the fault status code
 * (bits 5:0) tells translation (not mapped), access-flag or permission
 * faults, and FAR_EL1 holds the address.
 *
 * Fault names match RISC-V's ("load page fault", ...) so the kill message
 * reads the same on both; show_regs() adds the ARM details.
 *
 * See: Arm ARM D17.2.37 "ESR_EL1, Exception Syndrome Register (EL1)".
 */
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/syscall.h>
#include <kernel/irq.h>
#include <kernel/trap.h>
#include <kernel/mm.h>
#include <asm/sysreg.h>
#include "arm64.h"

extern char nofault_load[], nofault_fixup[];

/* entry.S hard-codes these layouts */
BUILD_BUG_ON(sizeof(struct pt_regs) != PT_SIZE);
BUILD_BUG_ON(offsetof(struct pt_regs, sp) != 248);
BUILD_BUG_ON(offsetof(struct pt_regs, ttbr0) != 288);
BUILD_BUG_ON(offsetof(struct cpu, overflow_sp) != 32);
BUILD_BUG_ON(offsetof(struct context, sp) != 96);

static u32 esr_ec(u64 esr)
{
	return (u32)(esr >> ESR_EC_SHIFT) & 0x3f;
}

const char *trap_cause_name(struct pt_regs *regs)
{
	switch (esr_ec(regs->esr)) {
	case ESR_EC_DABT_LOW:
	case ESR_EC_DABT_CUR:
		return (regs->esr & ESR_WNR) ? "store page fault" : "load page fault";
	case ESR_EC_IABT_LOW:
	case ESR_EC_IABT_CUR:
		return "instruction page fault";
	case ESR_EC_UNKNOWN:
		return "illegal instruction";
	case ESR_EC_FP_ASIMD:
		return "floating-point/SIMD instruction (FP is off)";
	case ESR_EC_SVC64:
		return "system call";
	case ESR_EC_PC_ALIGN:
		return "instruction address misaligned";
	case ESR_EC_SP_ALIGN:
		return "stack pointer misaligned";
	case ESR_EC_ILLEGAL:
		return "illegal execution state";
	case ESR_EC_BRK64:
		return "breakpoint";
	case ESR_EC_SERROR:
		return "SError (asynchronous external abort)";
	}
	return "unknown exception";
}

/* the fault status code of an abort, in words */
static const char *fault_status(u64 esr)
{
	u32 fsc = (u32)esr & 0x3f;

	switch (fsc & 0x3c) {
	case 0x04:
		return "translation fault";
	case 0x08:
		return "access flag fault";
	case 0x0c:
		return "permission fault";
	}
	if (fsc == 0x21)
		return "alignment fault";
	return "other fault";
}

/* translation, access-flag or permission fault: what demand paging handles */
static bool is_page_fault(u64 esr)
{
	u32 fsc = (u32)esr & 0x3c;

	return fsc == 0x04 || fsc == 0x08 || fsc == 0x0c;
}

u64 regs_fault_addr(struct pt_regs *regs)
{
	return regs->far;
}

/* Acknowledge and dispatch every pending interrupt. Return true on a tick. */
static bool handle_interrupts(struct pt_regs *regs)
{
	bool tick = false;

	irq_enter();
	for (;;) {
		u32 iar = gic_ack();
		u32 irq = iar & 0x3ff;

		if (irq >= 1020)
			break;
		if (irq == TIMER_PPI) {
			arch_timer_set_next();
			timer_tick(regs);
			tick = true;
			gic_eoi(iar);
		} else if (irq < 16) {
			gic_eoi(iar);
			ipi_handler(regs);
		} else {
			if (!handle_irq((int)irq))
				printk("arm64: spurious interrupt %u\n", irq);
			gic_eoi(iar);
		}
	}
	irq_exit();
	return tick;
}

void do_el0_sync(struct pt_regs *regs)
{
	struct proc *p = myproc();
	u32 ec = esr_ec(regs->esr);

	arm64_enter_from_user();
	arch_local_irq_enable();
	if (ec == ESR_EC_SVC64) {
		syscall(regs);
	} else if ((ec == ESR_EC_DABT_LOW || ec == ESR_EC_IABT_LOW) && is_page_fault(regs->esr)) {
		unsigned int flags = ec == ESR_EC_IABT_LOW   ? FAULT_FLAG_INSTRUCTION
				     : (regs->esr & ESR_WNR) ? FAULT_FLAG_WRITE
							     : 0;
		user_page_fault(regs, trap_cause_name(regs), regs->far, flags);
	} else if (ec == ESR_EC_DABT_LOW || ec == ESR_EC_IABT_LOW) {
		user_fault(regs, trap_cause_name(regs), regs->far);
	} else {
		user_fault(regs, trap_cause_name(regs), regs->pc);
	}
	if (killed(p))
		exit(-1);
	user_return();
}

void do_el0_irq(struct pt_regs *regs)
{
	struct proc *p = myproc();

	arm64_enter_from_user();
	if (handle_interrupts(regs))
		yield();
	if (killed(p))
		exit(-1);
	user_return();
}

void do_el1_sync(struct pt_regs *regs)
{
	u32 ec = esr_ec(regs->esr);
	bool abort = ec == ESR_EC_DABT_CUR || ec == ESR_EC_IABT_CUR;

	if (abort && regs->pc == (u64)nofault_load) {
		regs->pc = (u64)nofault_fixup; /* copy_from_kernel_nofault: -EFAULT */
		return;
	}
	kernel_fault(regs, trap_cause_name(regs), abort ? regs->far : regs->pc);
}

void do_el1_irq(struct pt_regs *regs)
{
	if (handle_interrupts(regs)) {
		struct proc *p = myproc();
		if (p && p->state == RUNNING)
			yield();
	}
}

void do_bad_exception(struct pt_regs *regs, int kind)
{
	static const char *const what[] = {"unexpected exception vector at EL1", "SError at EL1",
					   "AArch32 or FIQ from EL0", "SError from EL0"};
	kernel_fault(regs, what[kind & 3], regs->far);
}

void handle_kernel_stack_overflow(struct pt_regs *regs)
{
	kernel_stack_overflow(regs);
}

void show_regs(struct pt_regs *regs)
{
	u32 ec = esr_ec(regs->esr);

	printk(" pc: %016llx  pstate: %016llx  sp: %016llx\n", regs->pc, regs->pstate, regs->sp);
	printk(" esr: %016llx (EC 0x%02x: %s", regs->esr, ec, trap_cause_name(regs));
	if (ec == ESR_EC_DABT_LOW || ec == ESR_EC_DABT_CUR || ec == ESR_EC_IABT_LOW ||
	    ec == ESR_EC_IABT_CUR)
		printk(", %s, level %llu", fault_status(regs->esr), regs->esr & 3);
	printk(")  far: %016llx\n", regs->far);
	for (int i = 0; i < 31; i += 3) {
		char line[96];
		int n = 0;
		for (int j = i; j < i + 3 && j < 31; j++)
			n += snprintf(line + n, sizeof(line) - n, "  x%-2d: %016llx", j,
				      regs->regs[j]);
		printk("%s\n", line);
	}
}

void regs_init_user(struct pt_regs *regs, u64 pc, u64 sp, u64 argc, u64 argv)
{
	for (int i = 0; i < 31; i++)
		regs->regs[i] = 0;
	regs->pc = pc;
	regs->sp = sp;
	regs->regs[0] = argc;
	regs->regs[1] = argv;
	regs->pstate = PSR_MODE_EL0t; /* EL0, interrupts unmasked */
}

void context_init(struct context *ctx, void (*fn)(void), u64 sp)
{
	*ctx = (struct context){0};
	ctx->lr = (u64)fn;
	ctx->sp = sp;
}

static bool kernel_text(u64 pc)
{
	extern char _start[], _etext[];

	return pc >= (u64)_start && pc < (u64)_etext;
}

/*
 * Frame-record walk. With -fno-omit-frame-pointer every function stores a
 * frame record {caller's x29, x30} and points x29 at it:
 *
 *   x29 -> +-----------------+
 *          | caller's x29    |  [x29]
 *          | return address  |  [x29 + 8]
 *          +-----------------+
 *
 * Entry from EL0 and context_init() zero x29, which ends the chain; records
 * must move to higher addresses within 32 KiB of the start.
 */
void arch_stack_walk(struct pt_regs *regs, bool (*fn)(u64 pc, void *arg), void *arg)
{
	u64 fp, sp;

	if (regs) {
		if (!fn(regs->pc, arg))
			return;
		fp = regs->regs[29];
		sp = regs->sp;
	} else {
		fp = (u64)__builtin_frame_address(0);
		__asm__ __volatile__("mov %0, sp" : "=r"(sp));
	}
	for (int depth = 0; depth < 32; depth++) {
		if (fp < PAGE_OFFSET || (fp & 7) || fp < sp || fp - sp > 32768)
			break;
		u64 next = *(u64 *)fp, pc = *(u64 *)(fp + 8);
		if (next == 0 || !kernel_text(pc) || !fn(pc, arg))
			break;
		sp = fp;
		fp = next;
	}
}
