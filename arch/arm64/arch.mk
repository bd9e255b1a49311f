# arch/arm64/arch.mk - how to build and boot the AArch64 kernel.
# Included by the top-level Makefile with ARCH=arm64.
#
#   GIC=2|3         interrupt controller version (default 2)
#   CPU_TYPE=...    QEMU CPU model: cortex-a72 (default, ARMv8.0, no PAN)
#                   or max (ARMv8.x with PAN)
#   EL2=1           start at EL2 (virtualization=on); the kernel drops to EL1

CROSS ?= aarch64-linux-gnu-
GIC ?= 2
CPU_TYPE ?= cortex-a72
ARCH_CFLAGS := -mgeneral-regs-only -mno-outline-atomics -mcpu=cortex-a72
# the kernel never uses FP/SIMD (CPACR_EL1.FPEN = 0 traps it), and user
# programs don't either: FP registers are not saved yet
ARCH_KCFLAGS := -mno-omit-leaf-frame-pointer
ARCH_UCFLAGS :=
ARCH_LDFLAGS := -z max-page-size=4096
ARCH_PACKAGES := gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-system-arm

QEMU := qemu-system-aarch64
QEMU_MACHINE := -machine virt,gic-version=$(GIC)$(if $(filter 1,$(EL2)),$(comma)virtualization=on) \
	-cpu $(CPU_TYPE) -semihosting-config enable=on,target=native
QEMU_DISK_BUS := -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0
ifeq ($(VIRTIO),modern)
QEMU_MACHINE += -global virtio-mmio.force-legacy=false
endif
GDB_ARCH := aarch64
KERNEL_ENTRY_PA := 0x40200000
