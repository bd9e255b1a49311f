/*
 * kernel/trap.h - the generic halves of trap handling, called by the
 * architecture's trap code (arch/<arch>/trap.c).
 */
#ifndef _KERNEL_TRAP_H
#define _KERNEL_TRAP_H

#include <kernel/types.h>

struct pt_regs;

/* one timer interrupt on this CPU, which interrupted @regs */
void timer_tick(struct pt_regs *regs);
/* an inter-processor interrupt arrived (used to stop CPUs on panic) */
void ipi_handler(struct pt_regs *regs);
/* a user program faulted: print one line and kill it (returns; caller exits) */
void user_fault(struct pt_regs *regs, const char *cause, u64 addr);
/* the kernel faulted: report and panic */
void __noreturn kernel_fault(struct pt_regs *regs, const char *cause, u64 addr);
void __noreturn kernel_stack_overflow(struct pt_regs *regs);
/* a user page fault (FAULT_FLAG_* from kernel/mm.h): fault the page in, or
 * kill the process with one line saying why */
void user_page_fault(struct pt_regs *regs, const char *cause, u64 addr, unsigned int flags);
/* leave the kernel to the current process's user registers */
void __noreturn user_return(void);

#endif /* _KERNEL_TRAP_H */
