/*
 * arch/riscv/head.S - the first instructions: from OpenSBI to start_kernel().
 *
 * OpenSBI enters _start in S-mode with the MMU off, a0 = hart id and
 * a1 = physical address of the device tree. Only the boot hart comes here;
 * the others wait in OpenSBI until start_kernel() asks for them through the
 * SBI HSM extension, and they enter at secondary_entry with a1 = their
 * logical CPU number.
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
	mv	s1, a1			/* logical cpu */
	call	enable_early_mmu
	lla	t0, .Lsec_high_addr
	ld	t0, 0(t0)
	jr	t0
.Lsec_high:
	la	sp, boot_stacks
	li	t0, BOOT_STACK_SIZE
	addi	t1, s1, 1
	mul	t0, t0, t1
	add	sp, sp, t0
	mv	a0, s1
	call	riscv_secondary_start
5:	wfi
	j	5b

	.balign 8
.Lsec_high_addr:
	.dword	.Lsec_high

	.section .bss
	.balign 4096
	.globl early_pgd
early_pgd:
	.space	4096
	.globl boot_stacks
	.balign 16
boot_stacks:
	.space	BOOT_STACK_SIZE * NCPU
