/*
 * kernel/arch.h - the architecture contract.
 *
 * mm/, kernel/ and fs/ never touch CSRs, system registers, PTE bits, trap
 * frames or device addresses. Each architecture must provide, in
 * arch/<arch>/include/asm/ and the C files of arch/<arch>/, every item declared below;
 * both arch/riscv and arch/arm64 implement all of it. The static inline
 * accessors are declared here and defined by <asm/...> headers: an
 * architecture that forgets one gets "used but never defined" (an error
 * under -Werror), and one that forgets an out-of-line function gets a link
 * error -- never a silent default.
 *
 * Adding a third architecture means writing arch/<new>/ to this list and
 * nothing else.
 *
 * See: FreeBSD's vm/pmap.h for the idea; Documentation/mm/ in Linux for the
 * names; labs/pgtbl/README.md for how the page-table part is used.
 */
#ifndef _KERNEL_ARCH_H
#define _KERNEL_ARCH_H

#include <kernel/types.h>

/*
 * 1. Memory layout (asm/memory.h): constants
 *    PAGE_SHIFT, PAGE_SIZE        - base page (4 KiB on both)
 *    PAGE_OFFSET                  - start of the direct map: va = pa + PAGE_OFFSET
 *    TASK_SIZE                    - user addresses are [0, TASK_SIZE)
 *    USER_STACK_TOP               - initial user stack pointer (<= TASK_SIZE)
 *    VMALLOC_START/_END           - the vmalloc area (vmalloc, ioremap, kernel stacks)
 *    KSTACK_SIZE, KSTACK_SLOT     - bytes of one kernel stack; its aligned slot
 *                                   (stack in the upper half, guard below)
 *    ELF_ARCH_MACHINE             - e_machine of this architecture's programs
 */
#include <asm/memory.h>

#define __va(pa) ((void *)((u64)(pa) + PAGE_OFFSET))
#define __pa(va) ((u64)(va)-PAGE_OFFSET)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x) ALIGN_UP((u64)(x), PAGE_SIZE)

/*
 * 2. Page tables (asm/pgtable.h): opaque pte_t (struct { u64 }) and pgprot_t,
 *    and the geometry of a radix tree walked by mm/pgtable.c:
 *      PT_LEVELS        number of levels (3 for Sv39 and ARMv8 39-bit VA)
 *      PTRS_PER_TABLE   entries per table page (512)
 *    Levels count down: level PT_LEVELS-1 is the root, level 0 holds 4 KiB
 *    leaves.
 *    Protections (pgprot_t values): PAGE_KERNEL (RW, no-exec), PAGE_KERNEL_RO,
 *    PAGE_KERNEL_EXEC (RX), PAGE_KERNEL_DEVICE (RW, device memory).
 */
#include <asm/pgtable.h>

/*
 *    copy_from_kernel_nofault (kernel/uaccess.h): a copy whose faults return
 *    -EFAULT instead of oopsing; the arch's trap code recognises its load.
 */

/* index of va's entry in a table at @level */
static inline unsigned pt_index(int level, u64 va);
/* bytes mapped by one leaf entry at @level (4K, 2M, 1G) */
static inline u64 pt_level_size(int level);
/* may a leaf (block/huge page) be placed at @level? */
static inline bool pt_level_leaf_ok(int level);
static inline bool pte_none(pte_t pte);
static inline bool pte_present(pte_t pte);
/* is this present entry a leaf at @level (as opposed to a table pointer)? */
static inline bool pte_leaf(pte_t pte, int level);
static inline pte_t pte_mktable(u64 table_pa);
static inline u64 pte_table_pa(pte_t pte);
static inline pte_t pfn_pte(u64 pfn, pgprot_t prot, int level);
static inline u64 pte_pfn(pte_t pte);
static inline bool pte_user(pte_t pte);
static inline bool pte_read(pte_t pte);
static inline bool pte_write(pte_t pte);
static inline bool pte_exec(pte_t pte);
static inline pte_t pte_mkwrite(pte_t pte);
static inline pte_t pte_wrprotect(pte_t pte);
static inline bool pte_young(pte_t pte);
static inline pte_t pte_mkold(pte_t pte);
static inline pte_t pte_mkyoung(pte_t pte);
static inline bool pte_dirty(pte_t pte);
static inline pgprot_t pte_pgprot(pte_t pte);
static inline void set_pte(pte_t *ptep, pte_t pte);
static inline pte_t ptep_get(pte_t *ptep);
static inline pte_t ptep_get_and_clear(pte_t *ptep);

/* vm_flags -> protection for a user mapping (VM_* from kernel/mm_types.h) */
pgprot_t vm_get_page_prot(unsigned long vm_flags);
/* prepare a fresh root table: share the kernel half where the MMU needs it */
void arch_pgd_init(pte_t *pgd);
/* kernel's own root table (all kernel mappings live under it) */
extern pte_t *swapper_pg_dir;

/*
 * 3. TLB and address-space switch (arch/<arch>/mmu.c).
 *    local_flush_tlb_all: this CPU; flush_tlb_all: every CPU.
 *    flush_tlb_kernel_range: kernel mapping changed on every CPU.
 *    flush_tlb_mm: user mappings of one address space changed.
 *    switch_mm: make @mm's user half current on this CPU (NULL: none, only
 *    the kernel's mappings).
 *    init_new_context / destroy_context: set up and tear down the arch part
 *    of an mm (mm->context: the ASID on arm64); destroy flushes its TLB entries.
 */
void local_flush_tlb_all(void);
void local_flush_tlb_page(u64 va);
void flush_tlb_all(void);
void flush_tlb_kernel_range(u64 start, u64 end);
struct mm_struct;
/* user mappings of @mm changed: no CPU may keep stale entries for them */
void flush_tlb_mm(struct mm_struct *mm);
struct mm_struct;
void switch_mm(struct mm_struct *mm);
int init_new_context(struct mm_struct *mm);
void destroy_context(struct mm_struct *mm);

/*
 * 4. CPU: identity, interrupts, idle, user access windows.
 */
#include <asm/cpu.h>

struct cpu;
static inline struct cpu *this_cpu(void); /* per-CPU data of the running CPU */
static inline void arch_local_irq_enable(void);
static inline void arch_local_irq_disable(void);
static inline bool arch_irqs_enabled(void);
static inline void arch_wait_for_interrupt(void);
static inline void cpu_relax(void);
/* open/close the window in which the kernel may touch user addresses (SUM/PAN) */
static inline void user_access_begin(void);
static inline void user_access_end(void);
/* full memory barrier */
static inline void smp_mb(void);
/* time: free-running counter and its frequency */
static inline u64 arch_counter_read(void);
extern u64 arch_timer_freq;

/*
 * 5. Traps and processes (asm/ptrace.h): struct pt_regs (the registers saved
 *    on trap entry, at the top of the kernel stack) and struct context
 *    (callee-saved registers for swtch).
 */
#include <asm/ptrace.h>

static inline u64 regs_syscall_nr(struct pt_regs *regs);
static inline u64 regs_syscall_arg(struct pt_regs *regs, int n);
static inline void regs_set_return(struct pt_regs *regs, u64 val);
static inline u64 regs_pc(struct pt_regs *regs);
static inline u64 regs_sp(struct pt_regs *regs);
/* did the trap that saved @regs interrupt user mode? (CPU time accounting) */
static inline bool user_mode(struct pt_regs *regs);
/* set up @regs to enter user mode at @pc with stack @sp and main(argc, argv) */
void regs_init_user(struct pt_regs *regs, u64 pc, u64 sp, u64 argc, u64 argv);
/* print every register of @regs, one CPU's worth, for panic and fault logs */
void show_regs(struct pt_regs *regs);
/* one-line description of a trap's cause: "store page fault", ... */
const char *trap_cause_name(struct pt_regs *regs);
/* the faulting address of @regs' trap (stval / FAR_EL1) */
u64 regs_fault_addr(struct pt_regs *regs);

/* save callee-saved registers in @old, load @new, return into @new's ra/lr */
void swtch(struct context *old, struct context *new);
/* make @ctx start at @fn on the stack whose top is @sp when first switched to */
void context_init(struct context *ctx, void (*fn)(void), u64 sp);
/* leave the kernel to user mode with @regs (does not return) */
void __noreturn ret_to_user(struct pt_regs *regs);

/*
 * 6. Stack walking for backtraces: call @fn for each return address, starting
 *    with the caller of arch_stack_walk (regs == NULL) or the frame in @regs;
 *    stop when @fn returns false.
 */
void arch_stack_walk(struct pt_regs *regs, bool (*fn)(u64 pc, void *arg), void *arg);

/*
 * 7. Platform: boot CPU bring-up, secondary CPUs, interrupt controller,
 *    timer, console, power.
 */
void arch_setup(u64 dtb_pa);  /* early: console, trap vectors */
void arch_devices_init(void); /* after paging_init: map UART, irq controller, power */
void arch_cpu_init(void);     /* per CPU: vectors, timer, irq enable at controller */
/* start a secondary CPU at its entry (at_boot_entry: at the kernel's boot
 * entry instead, as a racy firmware might; crashtest=boot_entry); 0 or -errno */
int arch_start_cpu(int cpu, u64 hwid, bool at_boot_entry);
/* crashtest=reenter: this CPU jumps back into the kernel's boot entry */
void __noreturn arch_reenter_boot_entry(void);
void arch_send_ipi(int cpu);		    /* interrupt another CPU (panic stop) */
void arch_timer_set_next(void);		    /* arm the next tick (1/HZ s) */
void arch_irq_enable(int irq);		    /* route device irq to this CPU */
int arch_dt_irq(const void *dtb, int node); /* a device node's irq number, or -1 */
void arch_console_putc(int c);		    /* synchronous output, any context */
void __noreturn arch_poweroff(int status);  /* exit QEMU with @status */
void __noreturn arch_halt(void);	    /* stop this CPU forever */
extern const char arch_name[];		    /* "riscv" or "arm64" */
struct seq_buf;
/* /proc/cpuinfo's block for logical CPU @cpu, in Linux's format for this architecture */
void arch_show_cpuinfo(struct seq_buf *m, int cpu);

#endif /* _KERNEL_ARCH_H */
