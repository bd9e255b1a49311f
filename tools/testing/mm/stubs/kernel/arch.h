/*
 * tools/testing/mm/stubs/kernel/arch.h - host stand-in for the architecture
 * contract: 4 KiB pages and a direct map whose offset points "physical"
 * addresses into the test's malloc'd arena (mm-host.c sets it), so that
 * __va(0x80000000) is the arena's first byte; interrupts are a counter.
 */
#ifndef _KERNEL_ARCH_H
#define _KERNEL_ARCH_H

#include <kernel/types.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x) ALIGN_UP((u64)(x), PAGE_SIZE)

extern u64 mm_host_page_offset;
#define PAGE_OFFSET mm_host_page_offset
#define __va(pa) ((void *)((u64)(pa) + PAGE_OFFSET))
#define __pa(va) ((u64)(va)-PAGE_OFFSET)

/* interrupts are "off" while push_off() calls are nested, or after
 * arch_local_irq_disable() (mm-host.c) */
extern int mm_host_noff, mm_host_irqs_disabled;
/*
 * A simulated interrupt: a test sets mm_host_pending_irq, and the handler
 * runs once, on the current CPU, the next time interrupts come on (in
 * arch_local_irq_enable() or the outermost pop_off()), as a device's
 * pending interrupt would the moment the kernel allows it.
 */
extern void (*mm_host_pending_irq)(void);
void mm_host_deliver_irq(void);
static inline bool arch_irqs_enabled(void)
{
	return mm_host_noff == 0 && !mm_host_irqs_disabled;
}
static inline void arch_local_irq_disable(void)
{
	mm_host_irqs_disabled = 1;
}
static inline void arch_local_irq_enable(void)
{
	mm_host_irqs_disabled = 0;
	if (mm_host_pending_irq && mm_host_noff == 0)
		mm_host_deliver_irq();
}

#include <asm/pgtable.h>

#endif /* _KERNEL_ARCH_H */
