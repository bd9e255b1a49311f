/*
 * arch/riscv/trap.c - what happens after entry.S has saved the registers:
 * decode scause and hand the trap to the generic kernel (system call,
 * timer tick, device interrupt, user fault, kernel bug).
 *
 * scause: bit 63 set = interrupt (1 software/IPI, 5 timer, 9 external);
 * clear = exception (8 ecall from U, 12/13/15 instruction/load/store page
 * fault, 2 illegal instruction, ...). stval holds the faulting address.
 *
 * See: RISC-V Privileged ISA, "Supervisor Cause Register (scause)".
 */
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/syscall.h>
#include <kernel/irq.h>
#include <kernel/trap.h>
#include <kernel/mm.h>
#include <asm/csr.h>
#include "riscv.h"

extern char nofault_load[], nofault_fixup[];

/* entry.S hard-codes these layouts */
BUILD_BUG_ON(sizeof(struct pt_regs) != PT_SIZE);
BUILD_BUG_ON(offsetof(struct pt_regs, epc) != 31 * 8);
BUILD_BUG_ON(offsetof(struct pt_regs, tval) != 34 * 8);
BUILD_BUG_ON(offsetof(struct cpu, kernel_sp) != 0);
BUILD_BUG_ON(offsetof(struct cpu, scratch) != 8);
BUILD_BUG_ON(offsetof(struct cpu, overflow_sp) != 32);
BUILD_BUG_ON(sizeof(struct context) != 14 * 8);

static const char *const exc_names[] = {
    [EXC_INST_MISALIGNED] = "instruction address misaligned",
    [EXC_INST_ACCESS] = "instruction access fault",
    [EXC_ILLEGAL_INST] = "illegal instruction",
    [EXC_BREAKPOINT] = "breakpoint",
    [EXC_LOAD_MISALIGNED] = "load address misaligned",
    [EXC_LOAD_ACCESS] = "load access fault",
    [EXC_STORE_MISALIGNED] = "store address misaligned",
    [EXC_STORE_ACCESS] = "store access fault",
    [EXC_ECALL_U] = "environment call from U-mode",
    [EXC_ECALL_S] = "environment call from S-mode",
    [EXC_INST_PAGE_FAULT] = "instruction page fault",
    [EXC_LOAD_PAGE_FAULT] = "load page fault",
    [EXC_STORE_PAGE_FAULT] = "store page fault",
};

const char *trap_cause_name(struct pt_regs *regs)
{
	u64 c = regs->cause;

	if (c & CAUSE_IRQ_FLAG) {
		switch (c & ~CAUSE_IRQ_FLAG) {
		case IRQ_S_SOFT:
			return "software interrupt";
		case IRQ_S_TIMER:
			return "timer interrupt";
		case IRQ_S_EXT:
			return "external interrupt";
		}
		return "unknown interrupt";
	}
	if (c < ARRAY_SIZE(exc_names) && exc_names[c])
		return exc_names[c];
	return "unknown exception";
}

u64 regs_fault_addr(struct pt_regs *regs)
{
	return regs->tval;
}

static bool __handle_interrupt(struct pt_regs *regs)
{
	switch (regs->cause & ~CAUSE_IRQ_FLAG) {
	case IRQ_S_TIMER:
		arch_timer_set_next();
		timer_tick(regs);
		return true;
	case IRQ_S_EXT: {
		int irq = plic_claim();
		if (irq) {
			if (!handle_irq(irq))
				printk("riscv: spurious external interrupt %d\n", irq);
			plic_complete(irq);
		}
		return false;
	}
	case IRQ_S_SOFT:
		csr_clear(sip, IE_SSIE);
		ipi_handler(regs);
		return false;
	}
	printk("riscv: unexpected interrupt, scause 0x%llx\n", regs->cause);
	return false;
}

/* Return true if it was a timer tick (the caller may then yield). */
static bool handle_interrupt(struct pt_regs *regs)
{
	bool tick;

	irq_enter();
	tick = __handle_interrupt(regs);
	irq_exit();
	return tick;
}

void do_trap_user(struct pt_regs *regs)
{
	struct proc *p = myproc();

	if (regs->cause & CAUSE_IRQ_FLAG) {
		if (handle_interrupt(regs))
			yield();
	} else if (regs->cause == EXC_ECALL_U) {
		regs->epc += 4; /* return past the ecall */
		arch_local_irq_enable();
		syscall(regs);
	} else if (regs->cause == EXC_LOAD_PAGE_FAULT || regs->cause == EXC_STORE_PAGE_FAULT ||
		   regs->cause == EXC_INST_PAGE_FAULT) {
		unsigned int flags = regs->cause == EXC_STORE_PAGE_FAULT  ? FAULT_FLAG_WRITE
				     : regs->cause == EXC_INST_PAGE_FAULT ? FAULT_FLAG_INSTRUCTION
									  : 0;
		arch_local_irq_enable(); /* faults may sleep (reading a file) */
		user_page_fault(regs, trap_cause_name(regs), regs->tval, flags);
	} else {
		arch_local_irq_enable();
		user_fault(regs, trap_cause_name(regs), regs->tval);
	}
	if (killed(p))
		exit(-1);
	user_return();
}

void do_trap_kernel(struct pt_regs *regs)
{
	if (regs->status & SR_SIE)
		panic("do_trap_kernel: interrupts were enabled in the trap frame");
	if (regs->cause & CAUSE_IRQ_FLAG) {
		if (handle_interrupt(regs)) {
			struct proc *p = myproc();
			if (p && p->state == RUNNING)
				yield();
		}
		return;
	}
	if (regs->epc == (u64)nofault_load) {
		regs->epc = (u64)nofault_fixup; /* copy_from_kernel_nofault: -EFAULT */
		return;
	}
	kernel_fault(regs, trap_cause_name(regs), regs->tval);
}

void handle_kernel_stack_overflow(struct pt_regs *regs)
{
	kernel_stack_overflow(regs);
}

static const char *const reg_names[] = {
    "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0", "a1",
    "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5", "s6",
    "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

void show_regs(struct pt_regs *regs)
{
	const u64 *r = &regs->ra;

	printk(" epc: %016llx  status: %016llx  cause: %016llx\n", regs->epc, regs->status,
	       regs->cause);
	printk(" tval: %016llx (%s)\n", regs->tval, trap_cause_name(regs));
	for (int i = 0; i < 31; i += 3) {
		char line[96];
		int n = 0;
		for (int j = i; j < i + 3 && j < 31; j++)
			n += snprintf(line + n, sizeof(line) - n, " %4s: %016llx", reg_names[j],
				      r[j]);
		printk("%s\n", line);
	}
}

void regs_init_user(struct pt_regs *regs, u64 pc, u64 sp, u64 argc, u64 argv)
{
	for (u64 *r = &regs->ra; r <= &regs->t6; r++)
		*r = 0;
	regs->epc = pc;
	regs->sp = sp;
	regs->a0 = argc;
	regs->a1 = argv;
	/* user mode on sret, interrupts enabled there, no FPU, no SUM */
	regs->status = (csr_read(sstatus) & ~(SR_SPP | SR_SUM | SR_SIE | SR_FS)) | SR_SPIE;
}

void context_init(struct context *ctx, void (*fn)(void), u64 sp)
{
	for (int i = 0; i < 12; i++)
		ctx->s[i] = 0;
	ctx->ra = (u64)fn;
	ctx->sp = sp;
}

/*
 * Frame-pointer walk. With -fno-omit-frame-pointer every function saves
 * ra and the caller's s0 just below its frame pointer:
 *
 *   higher addresses
 *   +-------------------+ <- s0 (frame pointer) of this function
 *   | return address    |   s0 - 8
 *   | caller's s0       |   s0 - 16
 *   | locals ...        |
 *   +-------------------+ <- sp
 *
 * The trap entry from user mode and context_init() zero s0, which ends the
 * chain. Frames must move towards higher addresses and stay within 32 KiB of the
 * starting stack pointer, so a corrupt chain ends the walk, not the kernel.
 */
static bool kernel_text(u64 pc)
{
	extern char _start[], _etext[];

	return pc >= (u64)_start && pc < (u64)_etext;
}

void arch_stack_walk(struct pt_regs *regs, bool (*fn)(u64 pc, void *arg), void *arg)
{
	u64 fp, sp, pc;

	if (regs) {
		if (!fn(regs->epc, arg))
			return;
		fp = regs->s0;
		sp = regs->sp;
		/* a leaf function keeps its return address in ra and saves only
		 * the caller's s0, at s0 - 8 */
		if (kernel_text(regs->ra) && fp > sp && fp - sp <= 32768 && !(fp & 7) &&
		    !kernel_text(*(u64 *)(fp - 8))) {
			if (!fn(regs->ra, arg))
				return;
			fp = *(u64 *)(fp - 8);
		}
	} else {
		fp = (u64)__builtin_frame_address(0);
		__asm__ __volatile__("mv %0, sp" : "=r"(sp));
	}
	for (int depth = 0; depth < 32; depth++) {
		if (fp < PAGE_OFFSET || (fp & 7) || fp <= sp || fp - sp > 32768)
			break;
		pc = *(u64 *)(fp - 8);
		u64 next = *(u64 *)(fp - 16);
		/* the outermost frame (saved s0 == 0: a new process's first
		 * function, or the trap entry) has no real caller */
		if (next == 0 || !kernel_text(pc) || !fn(pc, arg))
			break;
		sp = fp;
		fp = next;
	}
}
