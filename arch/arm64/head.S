/*
 * arch/arm64/head.S - from QEMU's ELF loader to start_kernel().
 *
 * QEMU enters _start at 0x40200000 with the MMU off, interrupts masked and
 * x0 = 0 (an ELF kernel; the device tree then sits at the start of RAM,
 * 0x40000000). With `-machine virt,virtualization=on` we start at EL2 and
 * drop to EL1 first. Secondary CPUs arrive at secondary_entry through PSCI
 * CPU_ON with x0 = their logical CPU number.
 *
 * As on RISC-V (see arch/riscv/head.S for the firmware race that makes it
 * necessary there), _start does not assume it is the first CPU to arrive:
 * it draws a lottery on boot_entries, in .data, and only the first CPU
 * zeroes .bss and boots. A later one goes on as a secondary CPU would, and
 * both entries take their logical CPU number from the slot of
 * cpu_start_hwid[] holding their MPIDR affinity, claimed by an atomic swap
 * (kernel/smpboot.c); a CPU with no slot goes to cpu_entry_stray(), which
 * panics for a CPU that jumped back into an entry and otherwise lets it
 * park. QEMU's PSCI cannot race, so here this is a guard against kernel
 * bugs (and it keeps the two architectures alike).
 *
 * Unlike RISC-V, the lottery runs with the MMU on: exclusive loads and
 * stores (ARMv8.0 has no single-instruction atomics) are only defined on
 * normal memory, and with the MMU off every access is to Device memory. So
 * every CPU at _start first builds early_pgd (in .data; writing the same
 * entries again is harmless) and turns the MMU on, and only then draws.
 *
 * The kernel is linked at PAGE_OFFSET + 0x40200000. Before the MMU is on
 * only pc-relative addressing (adrp/add) is right. early_pgd maps the first
 * 4 GiB of physical memory with 1 GiB blocks, and serves as the root of
 * both halves at once:
 *
 *   TTBR0_EL1 -> early_pgd : va = pa               (identity: the instruction
 *                                                   after "enable MMU" runs here)
 *   TTBR1_EL1 -> early_pgd : va = pa + PAGE_OFFSET (where we then jump)
 *
 * That works because PAGE_OFFSET's level-1 index is 0. Block 0 (devices:
 * GIC, UART, virtio) is Device-nGnRE; blocks 1..3 are normal memory.
 * mm/ later replaces TTBR1's root by swapper_pg_dir and TTBR0's by an empty
 * table or a process's table.
 */
#include <asm/memory.h>

#define BOOT_SLOT 32768 /* per-CPU boot stack slot: the stack is its upper half */
#define NCPU 8

/* MAIR_EL1: attr0 normal WB RA WA, attr1 Device-nGnRE, attr2 normal non-cacheable */
#define MAIR_VALUE 0x4404ff
/* TCR_EL1: T0SZ=T1SZ=25 (39-bit), 4 KiB granules, WB WA inner-shareable walks */
#define TCR_T0SZ 25
#define TCR_BASE (TCR_T0SZ | (1 << 8) | (1 << 10) | (3 << 12) | (TCR_T0SZ << 16) | \
		  (1 << 24) | (1 << 26) | (3 << 28) | (2 << 30))
/* level-1 block descriptors */
#define BLOCK_NORMAL 0x701       /* valid, AttrIndx 0, inner shareable, AF */
#define BLOCK_DEVICE_LO 0x405    /* valid, AttrIndx 1, AF */

	.macro adr_l, reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
	.endm

	.section .text.boot, "ax"
	.globl _start
_start:
	mov	x19, x0			/* dtb pa from a raw-image boot, or 0 */
	bl	drop_to_el1
	msr	daifset, #0xf

	/* early_pgd: block 0 device, blocks 1..3 normal memory */
	adr_l	x0, early_pgd
	mov	x1, #BLOCK_DEVICE_LO
	movk	x1, #(3 << 5), lsl #48	/* PXN | UXN (bits 53, 54) */
	str	x1, [x0]
	mov	x2, #1
3:	lsl	x1, x2, #30
	mov	x3, #BLOCK_NORMAL
	orr	x1, x1, x3
	str	x1, [x0, x2, lsl #3]
	add	x2, x2, #1
	cmp	x2, #4
	b.lo	3b
	dsb	sy

	bl	enable_mmu
	ldr	x1, =.Lhigh
	br	x1
.Lhigh:
	/* the lottery: only the first CPU here finds 0 */
	adr_l	x1, boot_entries
1:	ldaxr	w2, [x1]
	add	w3, w2, #1
	stlxr	w4, w3, [x1]
	cbnz	w4, 1b
	cbnz	w2, boot_entry_again

	/* zero .bss */
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	/* later arrivals may use .bss from now on */
	adr_l	x1, boot_early_done
	mov	w2, #1
	stlr	w2, [x1]

	adr_l	x1, boot_stacks
	mov	x2, #BOOT_SLOT
	add	sp, x1, x2		/* CPU 0: top of slot 0 */
	adr_l	x1, cpus
	msr	tpidr_el1, x1
	mov	x29, #0
	mov	x30, #0
	mrs	x0, mpidr_el1
	and	x0, x0, #0xffffff	/* Aff2.Aff1.Aff0 */
	mov	x1, x19
	cbnz	x1, 4f
	mov	x1, #0x40000000		/* ELF boot: QEMU put the DTB at RAM start */
4:	bl	start_kernel
5:	wfi
	b	5b
	.ltorg

/*
 * A CPU that lost the lottery. The winner runs only straight-line code
 * between its draw and boot_early_done = 1, so it cannot be this CPU.
 */
boot_entry_again:
	adr_l	x1, boot_early_done
1:	ldar	w2, [x1]		/* acquire: then .bss is zeroed */
	cbz	w2, 1b
	mov	x21, #1			/* came in at the boot entry */
	b	cpu_join

/*
 * If we run at EL2 (virtualization=on), configure EL1 as AArch64 with access
 * to the counters and timers, then eret into EL1 and return to the caller.
 */
drop_to_el1:
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	1f
	mov	x1, #(1 << 31)		/* HCR_EL2.RW: EL1 is AArch64 */
	msr	hcr_el2, x1
	mov	x1, #3			/* CNTHCTL_EL2: EL1 may use the physical timer */
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	mov	x1, #0x3c5		/* EL1h, D A I F masked */
	msr	spsr_el2, x1
	adr	x1, 1f
	msr	elr_el2, x1
	eret
1:	ret

/*
 * MAIR, TCR (IPS from the CPU's physical address range), both TTBRs at
 * early_pgd, then SCTLR_EL1.M/C/I. PAN is turned on where the CPU has it.
 */
enable_mmu:
	ldr	x1, =MAIR_VALUE
	msr	mair_el1, x1
	ldr	x1, =TCR_BASE
	mrs	x2, id_aa64mmfr0_el1
	and	x2, x2, #7		/* PARange */
	orr	x1, x1, x2, lsl #32	/* IPS */
	msr	tcr_el1, x1
	adr_l	x1, early_pgd
	msr	ttbr0_el1, x1
	msr	ttbr1_el1, x1
	msr	cpacr_el1, xzr		/* FP/SIMD trapped (FPEN = 0): kept off */
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ldr	x1, =0x30d0180d		/* RES1 bits | I | SA | C | M */
	mrs	x2, id_aa64mmfr1_el1
	ubfx	x2, x2, #20, #4		/* PAN field */
	cbz	x2, 1f
	bic	x1, x1, #(1 << 23)	/* SPAN = 0: PAN is set on every exception entry */
1:	msr	sctlr_el1, x1
	isb
	cbz	x2, 2f
	.inst	0xd500419f		/* msr pan, #1 */
2:	ret

	.globl secondary_entry
secondary_entry:
	/* x0 (our logical number) is not trusted: the slot says it */
	bl	drop_to_el1
	msr	daifset, #0xf
	bl	enable_mmu
	ldr	x1, =.Lsec_high
	br	x1
.Lsec_high:
	mov	x21, #0			/* came in at the secondary entry */

/* x21 = 1 if we came in at the boot entry; MMU on, running high */
cpu_join:
	mrs	x20, mpidr_el1
	and	x20, x20, #0xffffff	/* our hardware id */
	/* claim slot x19 with cpu_start_hwid[x19] == x20 */
	adr_l	x1, cpu_start_hwid
	mov	x19, #0
	mov	x3, #-1			/* CPU_START_NONE */
1:	ldaxr	x2, [x1]
	cmp	x2, x20
	b.ne	2f
	stlxr	w4, x3, [x1]
	cbnz	w4, 1b
	b	3f			/* ours */
2:	clrex
	add	x1, x1, #8
	add	x19, x19, #1
	cmp	x19, #NCPU
	b.lo	1b
	b	stray

3:	adr_l	x1, boot_stacks
	mov	x2, #BOOT_SLOT
	madd	x1, x19, x2, x1
	add	sp, x1, x2		/* top of slot x19 */
	mov	x29, #0
	mov	x30, #0
	mov	x0, x19
	mov	x1, x21
	bl	arm64_secondary_start
6:	wfi
	b	6b
	.ltorg

/*
 * No slot for us. One stray at a time borrows the spare stack (boot stack
 * slot NCPU) for cpu_entry_stray(); if it returns we park here forever,
 * interrupts masked and without touching the stack, so the next stray may
 * have it.
 */
stray:
	adr_l	x1, stray_lock
	mov	w3, #1
1:	ldaxr	w2, [x1]
	cbnz	w2, 1b
	stxr	w4, w3, [x1]
	cbnz	w4, 1b
	adr_l	x1, boot_stacks
	ldr	x2, =(BOOT_SLOT * (NCPU + 1))
	add	sp, x1, x2		/* top of the spare slot */
	mov	x29, #0
	mov	x30, #0
	mov	x0, x20
	mov	x1, x21
	bl	cpu_entry_stray
	adr_l	x1, stray_lock
	stlr	wzr, [x1]
	msr	daifset, #0xf
2:	wfi
	b	2b
	.ltorg

	.section .data
	.balign 4
	/* _start's lottery ticket counter and "boot has zeroed .bss" flag:
	 * in .data, so the boot CPU's zeroing of .bss cannot reset them */
boot_entries:
	.word	0
boot_early_done:
	.word	0
	/* in .data too: every CPU at _start rewrites it before the lottery */
	.balign 4096
	.globl early_pgd
early_pgd:
	.space	4096

	.section .bss
	/* 32 KiB-aligned slots so that, as for process kernel stacks, bit 14 of
	 * every valid boot-stack address is set (entry.S checks it); one per CPU
	 * and the spare one strays borrow */
	.balign 32768
	.globl boot_stacks
boot_stacks:
	.space	BOOT_SLOT * (NCPU + 1)
stray_lock:
	.word	0
