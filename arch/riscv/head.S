/*
 * arch/riscv/head.S - the first instructions: from OpenSBI to start_kernel(),
 * and a started hart's way to secondary_start_kernel().
 *
 * OpenSBI enters _start in S-mode with the MMU off, a0 = hart id and
 * a1 = physical address of the device tree. Only the boot hart should come
 * here; the others wait in OpenSBI until smp_init() asks for them through
 * the SBI HSM extension (hart_start), and they should enter at
 * secondary_entry with a1 = their logical CPU number.
 *
 * "Should": OpenSBI 1.1 (the firmware QEMU 7.2 bundles) has a start race.
 * Its hart_start marks the target hart START_PENDING first and stores the
 * address and argument to jump to afterwards, without ordering the two. A
 * hart waiting in OpenSBI (it polls that state between wfi wake-ups) that
 * sees START_PENDING before the stores land jumps to the address still
 * there: the cold-boot one, this _start, with a1 = the device tree. The
 * window is a few instructions, so it takes a heavily loaded host (the
 * starting hart's QEMU thread descheduled inside it) to hit. Later OpenSBI
 * releases store the address first and change the state after.
 *
 * So _start does not assume it is the first: before it writes any memory it
 * draws a lottery, an atomic add on boot_entries (in .data, so it is never
 * zeroed). The hart that draws 0 boots. Any later hart must not zero .bss
 * under the running kernel: it waits until the winner has zeroed .bss and
 * built early_pgd, then goes on exactly like a hart at secondary_entry.
 *
 * Both entries then find their logical CPU number the same way: not from
 * a1, but by claiming the slot of cpu_start_hwid[] (kernel/smpboot.c) that
 * holds their hart id (atomic swap to CPU_START_NONE). A hart with no slot
 * (never started, given up on, or a running CPU that jumped back into an
 * entry) calls cpu_entry_stray() on the spare stack, which panics for a
 * re-entry and otherwise returns so we park the hart.
 *
 * The kernel is linked at PAGE_OFFSET + 0x80200000 but loaded at 0x80200000.
 * Until the MMU is on we may only use pc-relative addressing (lla), which
 * is right at either address. early_pgd maps the first 4 GiB of physical
 * memory twice with 1 GiB pages:
 *
 *   root[0..3]     : va = pa        (identity: the instruction after
 *                                    "csrw satp" is fetched from here)
 *   root[256..259] : va = pa + PAGE_OFFSET  (where we then jump)
 *
 * mm/ later replaces it with swapper_pg_dir (fine-grained permissions).
 *
 * See: RISC-V SBI specification, "Hart State Management Extension";
 * kernel/smpboot.c for the start protocol.
 */
#include <asm/memory.h>

#define BOOT_STACK_SIZE 16384
#define NCPU 8
#define SATP_SV39 (8 << 60)
/* V|R|W|X|A|D */
#define EARLY_LEAF 0xcf

	.section .text.boot, "ax"
	.globl _start
_start:
	csrw	sie, zero
	csrw	sscratch, zero
	mv	s0, a0			/* hart id */
	mv	s1, a1			/* dtb pa */

	/* the lottery: only the first hart here finds 0 */
	lla	t0, boot_entries
	li	t1, 1
	amoadd.w.aqrl t1, t1, (t0)
	bnez	t1, boot_entry_again

	/* zero .bss (physical addresses) */
	lla	t0, __bss_start
	lla	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:
	/* build early_pgd: 4 x 1 GiB, identity and high */
	lla	t0, early_pgd
	li	t1, 0			/* i */
	li	t2, 4
3:	slli	t3, t1, 28		/* (i GiB >> 12) << 10 == i << 28 */
	ori	t3, t3, EARLY_LEAF
	slli	t4, t1, 3
	add	t4, t4, t0
	sd	t3, 0(t4)		/* root[i] */
	li	t5, 256 * 8
	add	t4, t4, t5
	sd	t3, 0(t4)		/* root[256 + i] */
	addi	t1, t1, 1
	blt	t1, t2, 3b

	/* later arrivals may use .bss and early_pgd from now on */
	fence	rw, w
	lla	t0, boot_early_done
	li	t1, 1
	sw	t1, 0(t0)

	call	enable_early_mmu

	/* now running at the physical address but with the MMU on: jump high */
	lla	t0, .Lhigh_addr
	ld	t0, 0(t0)
	jr	t0
.Lhigh:
	la	sp, boot_stacks
	li	t0, BOOT_STACK_SIZE
	add	sp, sp, t0		/* boot CPU uses boot_stacks[0] */
	la	tp, cpus		/* cpus[0] */
	mv	a0, s0
	mv	a1, s1
	call	start_kernel
4:	wfi
	j	4b

	.balign 8
.Lhigh_addr:
	.dword	.Lhigh

/*
 * A hart that lost the lottery. The winner runs only straight-line code
 * between its draw and boot_early_done = 1, so it cannot be this hart.
 */
boot_entry_again:
	lla	t0, boot_early_done
1:	lw	t1, 0(t0)
	bnez	t1, 2f
	nop
	j	1b
2:	fence	r, rw			/* see .bss zeroed and early_pgd built */
	li	s2, 1			/* came in at the boot entry */
	j	cpu_join

/* satp = Sv39 | early_pgd; position independent */
enable_early_mmu:
	lla	t0, early_pgd
	srli	t0, t0, 12
	li	t1, SATP_SV39
	or	t0, t0, t1
	sfence.vma
	csrw	satp, t0
	sfence.vma
	ret

	.globl secondary_entry
secondary_entry:
	csrw	sie, zero
	csrw	sscratch, zero
	mv	s0, a0			/* hart id */
	li	s2, 0			/* came in at the secondary entry */
	/* a1 (our logical number) is not trusted: the slot says it */

/* s0 = hart id, s2 = 1 if we came in at the boot entry */
cpu_join:
	call	enable_early_mmu
	lla	t0, .Lsec_high_addr
	ld	t0, 0(t0)
	jr	t0
.Lsec_high:
	/* claim slot i with cpu_start_hwid[i] == our hart id */
	la	t0, cpu_start_hwid
	li	s1, 0			/* i */
1:	ld	t1, 0(t0)
	bne	t1, s0, 2f
	li	t1, -1			/* CPU_START_NONE */
	amoswap.d.aqrl t1, t1, (t0)
	beq	t1, s0, 3f		/* ours */
2:	addi	t0, t0, 8
	addi	s1, s1, 1
	li	t1, NCPU
	blt	s1, t1, 1b
	j	stray

3:	la	sp, boot_stacks
	li	t0, BOOT_STACK_SIZE
	addi	t1, s1, 1
	mul	t0, t0, t1
	add	sp, sp, t0		/* top of boot_stacks[s1] */
	mv	a0, s1
	mv	a1, s2
	call	riscv_secondary_start
5:	wfi
	j	5b

	.balign 8
.Lsec_high_addr:
	.dword	.Lsec_high

/*
 * No slot for us. One stray at a time borrows the spare stack (boot stack
 * slot NCPU) for cpu_entry_stray(); if it returns we park here forever,
 * with interrupts off and without touching the stack, so the next stray
 * may have it.
 */
stray:
	la	t0, stray_lock
	li	t1, 1
1:	amoswap.w.aq t2, t1, (t0)
	bnez	t2, 1b
	la	sp, boot_stacks
	li	t0, BOOT_STACK_SIZE * (NCPU + 1)
	add	sp, sp, t0
	mv	a0, s0
	mv	a1, s2
	call	cpu_entry_stray
	la	t0, stray_lock
	amoswap.w.rl zero, zero, (t0)
	csrw	sie, zero
2:	wfi
	j	2b

	.section .data
	.balign 8
	/* _start's lottery ticket counter and "boot has zeroed .bss" flag:
	 * in .data, so the boot hart's zeroing of .bss cannot reset them */
boot_entries:
	.word	0
boot_early_done:
	.word	0

	.section .bss
	.balign 4096
	.globl early_pgd
early_pgd:
	.space	4096
	.globl boot_stacks
	.balign 16
boot_stacks:
	/* one per CPU, and the spare one strays borrow */
	.space	BOOT_STACK_SIZE * (NCPU + 1)
stray_lock:
	.word	0
