# arch/riscv/arch.mk - how to build and boot the RISC-V kernel.
# Included by the top-level Makefile with ARCH=riscv.

CROSS ?= riscv64-unknown-elf-
ARCH_CFLAGS := -mcmodel=medany -mno-relax
# The kernel never touches floating point; user programs may.
ARCH_KCFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64
# User programs are built without hardware floating point too: the kernel
# does not save FP registers yet (float still works, in software).
ARCH_UCFLAGS := -march=rv64imac_zicsr -mabi=lp64
ARCH_LDFLAGS := -melf64lriscv
ARCH_PACKAGES := gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf qemu-system-misc opensbi

QEMU := qemu-system-riscv64
# CPU_TYPE: QEMU CPU model; e.g. CPU_TYPE=rv64,sstc=off forces the SBI timer
CPU_TYPE ?= rv64
QEMU_MACHINE := -machine virt -bios default -cpu $(CPU_TYPE)
QEMU_DISK_BUS := -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0
# VIRTIO=modern uses virtio-mmio version 2 instead of the legacy interface
ifeq ($(VIRTIO),modern)
QEMU_MACHINE += -global virtio-mmio.force-legacy=false
endif
GDB_ARCH := riscv:rv64
KERNEL_ENTRY_PA := 0x80200000
