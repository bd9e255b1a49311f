# tools/testing/fdt/sources.mk - tests for kernel/fdt.c and kernel/bootargs.c.
#
# Data built before the tests run, under $(O)/fdt/:
#   dtc/NAME.dtb   compiled by dtc from dts/NAME.dts (dtc is required:
#                  apt-get install device-tree-compiler)
#   qemu/NAME.dtb  dumped from QEMU's virt machines by dump-qemu-dtb.sh; when
#                  that QEMU is not installed it writes NAME.dtb.skip instead
#                  and the tests that need the blob are skipped
KERNEL_SRCS := kernel/fdt.c kernel/bootargs.c

FDT_SRCDIR := $(SUBSYS_DIR)
FDT_DTBS := $(patsubst $(SUBSYS_DIR)/dts/%.dts,$(SUBSYS_OUT)/dtc/%.dtb,$(wildcard $(SUBSYS_DIR)/dts/*.dts))

# Arguments for each QEMU dump: program, machine, then QEMU options. The
# tests check the values given here (sizes, CPU counts, command lines).
FDT_DUMPS := riscv-64m-1 riscv-2g-4 riscv-2g-8 aarch64-128m-4
FDT_DUMP_riscv-64m-1 := qemu-system-riscv64 virt -bios none -m 64M -smp 1 \
	-append 'console=ttyS0 test=fdt'
FDT_DUMP_riscv-2g-4 := qemu-system-riscv64 virt -bios none -m 2G -smp 4 \
	-append 'console=ttyS0 mem=1G test="mm vm" -- init -s'
FDT_DUMP_riscv-2g-8 := qemu-system-riscv64 virt -bios none -m 2G -smp 8
FDT_DUMP_aarch64-128m-4 := qemu-system-aarch64 virt -cpu cortex-a72 -m 128M -smp 4 \
	-append 'console=ttyAMA0 cma=16M'
FDT_QEMU_DTBS := $(patsubst %,$(SUBSYS_OUT)/qemu/%.dtb,$(FDT_DUMPS))

TEST_DATA := $(FDT_DTBS) $(FDT_QEMU_DTBS)

$(SUBSYS_OUT)/dtc/%.dtb: $(SUBSYS_DIR)/dts/%.dts
	@command -v dtc >/dev/null || { echo "dtc not found: apt-get install device-tree-compiler" >&2; exit 1; }
	@mkdir -p $(@D)
	dtc -q -I dts -O dtb -o $@ $<

$(SUBSYS_OUT)/qemu/%.dtb: $(SUBSYS_DIR)/sources.mk $(SUBSYS_DIR)/dump-qemu-dtb.sh
	@bash $(FDT_SRCDIR)/dump-qemu-dtb.sh $@ $(FDT_DUMP_$*)
