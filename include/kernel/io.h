/*
 * kernel/io.h - device register access. ioremap() maps a device's physical
 * registers into the kernel's I/O area with device (uncached) attributes and
 * returns the virtual address; the read/write helpers are volatile accesses
 * with the ordering a driver expects (a barrier before a write that may
 * start DMA, after a read that observed completion).
 */
#ifndef _KERNEL_IO_H
#define _KERNEL_IO_H

#include <kernel/types.h>
#include <kernel/arch.h>

void *ioremap(u64 pa, u64 size);
void iounmap(void *va);

static inline u32 readl(const volatile void *addr)
{
	u32 v = *(const volatile u32 *)addr;
	smp_mb();
	return v;
}

static inline void writel(u32 v, volatile void *addr)
{
	smp_mb();
	*(volatile u32 *)addr = v;
}

static inline u8 readb(const volatile void *addr)
{
	u8 v = *(const volatile u8 *)addr;
	smp_mb();
	return v;
}

static inline void writeb(u8 v, volatile void *addr)
{
	smp_mb();
	*(volatile u8 *)addr = v;
}

#endif /* _KERNEL_IO_H */
