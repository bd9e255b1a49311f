# Pagoda - a teaching kernel for RISC-V and ARM.
#
#   make qemu            build everything and boot to the shell (Ctrl-A X quits)
#   make test            host tests, in-kernel tests and usertests; "N passed, N failed"
#   make qemu-gdb        boot, stopped at the first instruction, waiting for GDB
#   make gdb             attach gdb-multiarch to a `make qemu-gdb` in another terminal
#   make bench           boot time, vmalloc, page allocator and slab benchmarks
#   make fuzz            fuzz the buddy allocator for FUZZ_SECONDS (600)
#   make fuzz-slab       fuzz the slab allocator for FUZZ_SECONDS (600)
#   make stress          boot the ktest and usertests configurations RUNS times per
#                        architecture (300), JOBS QEMUs at once (2 x cores); lists
#                        every run that did not end clean; one 200,000-call sysfuzz
#                        run per architecture (not part of make test)
#   make fresh-check     (root) make qemu and make test on a fresh Debian 12 root
#   make clean
#
# Variables: ARCH=riscv (default), CPUS=3, MEM=128M, BOOTARGS="...",
#            VIRTIO=legacy|modern, O=build directory (default build/$(ARCH)).

comma := ,
ARCH ?= riscv
CPUS ?= 3
MEM ?= 128M
BOOTARGS ?=
O ?= build/$(ARCH)
HOSTO ?= build/host
# Absolute, so the dependency files (.d) name each object the same way
# whether make was given O=build/riscv or O=/path/to/build/riscv: a header
# change then rebuilds what depends on it either way.
override O := $(abspath $(O))
override HOSTO := $(abspath $(HOSTO))

ifeq ($(wildcard arch/$(ARCH)/arch.mk),)
$(error ARCH=$(ARCH) is not supported: choose one of $(notdir $(wildcard arch/*)))
endif
include arch/$(ARCH)/arch.mk

CC := $(CROSS)gcc
LD := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy
NM := $(CROSS)nm
PYTHON ?= python3
HOSTCC ?= gcc

# V=1 shows full commands
ifeq ($(V),1)
Q :=
else
Q := @
endif

WARN := -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Werror
COMMON_CFLAGS := -ffreestanding -fno-builtin -nostdlib -fno-stack-protector -fno-pie \
	-fno-common -O2 -g -MMD -MP $(WARN)
KCFLAGS := $(COMMON_CFLAGS) $(ARCH_CFLAGS) $(ARCH_KCFLAGS) -fno-omit-frame-pointer \
	-Iinclude -Iarch/$(ARCH)/include
UCFLAGS := $(COMMON_CFLAGS) $(ARCH_CFLAGS) $(ARCH_UCFLAGS) -Iinclude -Iuser/compat -I.

KSRCS := $(wildcard kernel/*.c kernel/drivers/*.c mm/*.c fs/*.c) \
	$(wildcard arch/$(ARCH)/*.c arch/$(ARCH)/*.S)
KOBJS := $(patsubst %,$(O)/k/%.o,$(basename $(KSRCS)))
LIBGCC_K = $(shell $(CC) $(ARCH_CFLAGS) $(ARCH_KCFLAGS) -print-libgcc-file-name)
LIBGCC_U = $(shell $(CC) $(ARCH_CFLAGS) $(ARCH_UCFLAGS) -print-libgcc-file-name)

KERNEL := $(O)/kernel.elf
FSIMG := $(O)/fs.img
MKFS := $(HOSTO)/mkfs
DEPS_OK := $(O)/.deps-ok

FORCE:
.PHONY: FORCE all kernel qemu qemu-gdb gdb test check-format bench fuzz fuzz-slab stress clean user fs deps \
	qemu-cmd ucc-cmd xv6cc-cmd fresh-check
all: $(KERNEL) $(FSIMG)
kernel: $(KERNEL)
fs: $(FSIMG)

# ---- tools: install what is missing (once per build directory) -------------
$(DEPS_OK): tools/install-deps.sh
	@mkdir -p $(O)
	@ARCH=$(ARCH) tools/install-deps.sh $(ARCH_PACKAGES)
	@touch $@
deps: $(DEPS_OK)

# Objects depend on the compiler flags too: a change of flags (or of a
# variable such as ARCH_UCFLAGS) rebuilds everything compiled with them.
$(O)/.kflags: FORCE
	@mkdir -p $(O)
	@echo '$(CC) $(KCFLAGS)' | cmp -s - $@ || echo '$(CC) $(KCFLAGS)' > $@
$(O)/.uflags: FORCE
	@mkdir -p $(O)
	@echo '$(CC) $(UCFLAGS) $(ARCH_LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(UCFLAGS) $(ARCH_LDFLAGS)' > $@

# ---- kernel ------------------------------------------------------------------
$(O)/k/%.o: %.c $(DEPS_OK) $(O)/.kflags
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@
$(O)/k/%.o: %.S $(DEPS_OK) $(O)/.kflags
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(KCFLAGS) -D__ASSEMBLY__ -c $< -o $@

# Two link passes: the first, with an empty symbol table, tells the function
# addresses; the second links them in (.ksyms comes after all code, so no
# function moves). The build checks that claim.
$(O)/ksyms0.S: tools/gen-ksyms.py
	@mkdir -p $(O)
	$(PYTHON) tools/gen-ksyms.py < /dev/null > $@
$(O)/kernel.pass1.elf: $(KOBJS) $(O)/k/ksyms0.o arch/$(ARCH)/kernel.ld
	$(LD) $(ARCH_LDFLAGS) -T arch/$(ARCH)/kernel.ld -o $@ $(KOBJS) $(O)/k/ksyms0.o $(LIBGCC_K)
$(O)/ksyms.S: $(O)/kernel.pass1.elf tools/gen-ksyms.py
	$(NM) -n $< | $(PYTHON) tools/gen-ksyms.py > $@
$(O)/k/ksyms0.o: $(O)/ksyms0.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@
$(O)/k/ksyms.o: $(O)/ksyms.S
	@echo "  KSYMS   $@"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@
$(KERNEL): $(O)/kernel.pass1.elf $(O)/k/ksyms.o
	$(LD) $(ARCH_LDFLAGS) -T arch/$(ARCH)/kernel.ld -o $@ $(KOBJS) $(O)/k/ksyms.o $(LIBGCC_K)
	@$(NM) -n $(O)/kernel.pass1.elf | grep -i ' t ' > $(O)/syms1.txt
	@$(NM) -n $@ | grep -i ' t ' > $(O)/syms2.txt
	@cmp -s $(O)/syms1.txt $(O)/syms2.txt || { echo "ksyms: functions moved between link passes"; exit 1; }
	$(Q)$(CROSS)objdump -S $@ > $(O)/kernel.asm
	$(Q)$(NM) -n $@ > $(O)/kernel.sym

# ---- user programs -----------------------------------------------------------
ULIB_SRCS := $(wildcard user/lib/*.c user/lib/*.S)
ULIB_OBJS := $(patsubst %,$(O)/u/%.o,$(basename $(ULIB_SRCS))) $(O)/u/usys.o
UPROGS_SINGLE := $(basename $(notdir $(wildcard user/*.c)))
UPROGS_DIR := $(notdir $(patsubst %/,%,$(dir $(wildcard user/*/main.c))))
UPROGS := $(UPROGS_SINGLE) $(UPROGS_DIR)
UBINS := $(addprefix $(O)/user/_,$(UPROGS))

$(O)/usys.S: tools/gen-usys.py include/uapi/pagoda/syscall.h
	@mkdir -p $(O)
	$(PYTHON) tools/gen-usys.py $(ARCH) > $@
$(O)/u/usys.o: $(O)/usys.S $(O)/.uflags
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@
$(O)/u/%.o: %.c $(DEPS_OK) $(O)/.uflags
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@
$(O)/u/%.o: %.S $(DEPS_OK) $(O)/.uflags
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@
$(O)/user/_%: $(O)/u/user/%.o $(ULIB_OBJS) user/user.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(LD) $(ARCH_LDFLAGS) -T user/user.ld -o $@ $< $(ULIB_OBJS) $(LIBGCC_U)
# multi-file programs: user/NAME/*.c
define UPROG_DIR_RULE
$(O)/user/_$(1): $(patsubst %,$(O)/u/%.o,$(basename $(wildcard user/$(1)/*.c))) $(ULIB_OBJS) user/user.ld
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	$(Q)$(LD) $(ARCH_LDFLAGS) -T user/user.ld -o $$@ $(patsubst %,$(O)/u/%.o,$(basename $(wildcard user/$(1)/*.c))) $(ULIB_OBJS) $$(LIBGCC_U)
endef
$(foreach p,$(UPROGS_DIR),$(eval $(call UPROG_DIR_RULE,$(p))))

# Programs brought from xv6 courses (README.md, "Bringing xv6 programs"):
# user/xv6/NAME.c becomes /NAME on fs.img, built with xv6's warning level
# and optimisation (-Wall -Werror -O: no -Wextra), so that code xv6 builds
# builds here too. The headers they include are user/user.h and
# user/compat/kernel/*.h, as for every user program.
XV6_WARN := -O -Wall -Werror
XV6_UCFLAGS := $(filter-out $(WARN) -O2,$(UCFLAGS)) $(XV6_WARN)
XV6_PROGS := $(basename $(notdir $(wildcard user/xv6/*.c)))
XV6_CLASH := $(filter $(UPROGS) $(basename $(notdir $(wildcard labs/*/user/*.c))),$(XV6_PROGS))
ifneq ($(XV6_CLASH),)
$(error user/xv6/: $(XV6_CLASH) would replace Pagoda's own program(s) of that name: rename the file(s))
endif
XV6_UBINS := $(addprefix $(O)/user/_,$(XV6_PROGS))
$(O)/.xv6flags: FORCE
	@mkdir -p $(O)
	@echo '$(CC) $(XV6_UCFLAGS)' | cmp -s - $@ || echo '$(CC) $(XV6_UCFLAGS)' > $@
$(O)/u/user/xv6/%.o: user/xv6/%.c $(DEPS_OK) $(O)/.xv6flags
	@mkdir -p $(dir $@)
	@echo "  CC xv6  $<"
	$(Q)$(CC) $(XV6_UCFLAGS) -c $< -o $@
$(XV6_UBINS): $(O)/user/_%: $(O)/u/user/xv6/%.o $(ULIB_OBJS) user/user.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(LD) $(ARCH_LDFLAGS) -T user/user.ld -o $@ $< $(ULIB_OBJS) $(LIBGCC_U)
UBINS += $(XV6_UBINS)
user: $(UBINS)

# ---- file system image -------------------------------------------------------
$(MKFS): tools/mkfs/mkfs.c include/uapi/pagoda/fs.h include/uapi/pagoda/stat.h
	@mkdir -p $(dir $@)
	$(HOSTCC) -O2 -Wall -Wextra -Werror -Iinclude -o $@ tools/mkfs/mkfs.c
$(FSIMG): $(MKFS) $(UBINS) README.md
	$(MKFS) $@ README.md $(UBINS)

# ---- running -----------------------------------------------------------------
GDBPORT ?= $(shell expr `id -u` % 5000 + 25000)
# Only the devices Pagoda uses: both virt boards would otherwise add a network
# card whose boot ROM (efi-virtio.rom on arm64) comes from an optional package.
QEMU_BASE = $(QEMU_MACHINE) -kernel $(KERNEL) -m $(MEM) -smp $(CPUS) -nographic -nic none \
	-drive file=$(FSIMG),if=none,format=raw,id=x0 $(QEMU_DISK_BUS)
QEMUOPTS = $(QEMU_BASE) -append "$(BOOTARGS)"

qemu: $(KERNEL) $(FSIMG)
	@echo "*** Pagoda on $(ARCH), $(CPUS) CPUs, $(MEM): type Ctrl-A X to quit QEMU, Ctrl-P lists processes"
	$(QEMU) $(QEMUOPTS)

# regenerated every time: the port may differ between runs
$(O)/gdbinit: tools/gdb/gdbinit.in FORCE
	@mkdir -p $(O)
	sed -e 's|@ARCH@|$(GDB_ARCH)|' -e 's|@KERNEL@|$(KERNEL)|' -e 's|@PORT@|$(GDBPORT)|' \
		-e 's|@TOOLS@|$(CURDIR)/tools/gdb|' -e 's|@ENTRY@|$(KERNEL_ENTRY_PA)|' $< > $@
qemu-gdb: $(KERNEL) $(FSIMG) $(O)/gdbinit
	@echo "*** QEMU is stopped at the first instruction; run 'make gdb ARCH=$(ARCH)' in another terminal (port $(GDBPORT))"
	$(QEMU) $(QEMUOPTS) -S -gdb tcp::$(GDBPORT)
gdb: $(O)/gdbinit
	gdb-multiarch -q -x $(O)/gdbinit

# ---- tests and benchmarks -------------------------------------------------------
test: $(DEPS_OK)
	$(PYTHON) tools/test.py $(if $(filter command line,$(origin ARCH)),--arch $(ARCH))

check-format:
	tools/check-format.sh

# a newcomer's machine: the README's commands in a fresh Debian 12 root (root only)
fresh-check:
	$(PYTHON) tools/fresh-check.py

# both architectures side by side unless ARCH= is given
BENCH_ARCHES = $(if $(filter command line,$(origin ARCH)),$(ARCH),riscv arm64)
bench:
	$(foreach a,$(BENCH_ARCHES),$(MAKE) --no-print-directory ARCH=$(a) all &&) true
	$(PYTHON) tools/bench-boot.py $(foreach a,$(BENCH_ARCHES),--arch $(a)) --runs 5 --cpus $(CPUS)
	$(PYTHON) tools/bench-vmalloc.py
	$(PYTHON) tools/bench-kernel.py $(BENCH_ARCHES)
	$(PYTHON) tools/bench-buddy.py
	$(PYTHON) tools/bench-slab.py

# the buddy allocator's fuzzer, longer than make test's few seconds (corpus kept in build/)
FUZZ_SECONDS ?= 600
fuzz: $(DEPS_OK)
	$(MAKE) -C tools/testing O=$(abspath $(HOSTO))/testing T=mm all
	@mkdir -p $(HOSTO)/fuzz-corpus
	$(HOSTO)/testing/mm/buddy-fuzz -max_len=2048 -max_total_time=$(FUZZ_SECONDS) \
		-print_final_stats=1 $(HOSTO)/fuzz-corpus

# the slab allocator's fuzzer (corpus kept in build/)
fuzz-slab: $(DEPS_OK)
	$(MAKE) -C tools/testing O=$(abspath $(HOSTO))/testing T=slab all
	@mkdir -p $(HOSTO)/fuzz-slab-corpus
	$(HOSTO)/testing/slab/slab-fuzz -max_len=2048 -max_total_time=$(FUZZ_SECONDS) \
		-print_final_stats=1 $(HOSTO)/fuzz-slab-corpus

# many boots under parallel load, for races that need a busy host (tools/stress.py)
RUNS ?= 300
JOBS ?= $(shell echo $$((2 * $$(nproc))))
stress: $(DEPS_OK)
	$(PYTHON) tools/stress.py $(foreach a,$(BENCH_ARCHES),--arch $(a)) --runs $(RUNS) --jobs $(JOBS)

clean:
	rm -rf build tools/testing/out

-include $(shell find $(O) -name '*.d' 2>/dev/null)

# The exact QEMU command line for a configuration, for tools/test.py and the
# graders (one source of truth for QEMU flags). FSIMG_RUN overrides the disk.
FSIMG_RUN ?= $(FSIMG)
qemu-cmd:
	@echo $(QEMU) $(subst $(FSIMG),$(FSIMG_RUN),$(QEMU_BASE)) -no-reboot

# The compiler commands for Pagoda's own user programs and for those in
# user/xv6/, for tools/test.py (which checks that the two differ where xv6
# programs need them to).
ucc-cmd:
	@echo $(CC) $(UCFLAGS)
xv6cc-cmd:
	@echo $(CC) $(XV6_UCFLAGS)

# ---- labs: lab-specific tests, student trees, grading (labs/README.md) ------------
#   make lab LAB=pgtbl DEST=dir     write the pgtbl lab's starting tree to dir
#   make grade LAB=pgtbl            grade this tree's pgtbl lab on $(ARCH), with points
#   make grade                      every lab (in a student tree: its lab)
#   make handin                     zip what a student hands in (build/handin-LAB.zip)
# Each lab's in-kernel suites (labs/*/ktest/*.c) and user programs
# (labs/*/user/*.c) are part of every build; labs/*/hidden/ holds tests only
# the course's grader has (never in a student tree).
LAB ?=
LAB_KSRCS := $(wildcard labs/*/ktest/*.c labs/*/hidden/ktest/*.c)
LAB_KOBJS := $(patsubst %,$(O)/k/%.o,$(basename $(LAB_KSRCS)))
KOBJS += $(LAB_KOBJS)
$(O)/kernel.pass1.elf: $(LAB_KOBJS)
LAB_USRCS := $(wildcard labs/*/user/*.c labs/*/hidden/user/*.c)
LAB_UBINS := $(addprefix $(O)/user/_,$(basename $(notdir $(LAB_USRCS))))
define LAB_UPROG_RULE
$(O)/user/_$(basename $(notdir $(1))): $(O)/u/$(basename $(1)).o $(ULIB_OBJS) user/user.ld
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	$(Q)$(LD) $(ARCH_LDFLAGS) -T user/user.ld -o $$@ $$< $(ULIB_OBJS) $$(LIBGCC_U)
endef
$(foreach s,$(LAB_USRCS),$(eval $(call LAB_UPROG_RULE,$(s))))
UBINS += $(LAB_UBINS)
$(FSIMG): $(LAB_UBINS)
user: $(LAB_UBINS)

.PHONY: lab grade handin
lab:
	@test -n "$(LAB)" || { echo "usage: make lab LAB=name DEST=dir  (labs: $(notdir $(patsubst %/grade.py,%,$(wildcard labs/*/grade.py))))"; exit 2; }
	$(PYTHON) tools/lab/labtool.py student $(LAB) $(or $(DEST),build/lab-$(LAB))
grade:
	$(PYTHON) tools/lab/grade-all.py $(if $(LAB),--lab $(LAB)) --arch $(ARCH) \
		$(if $(RESULTS),--results $(RESULTS))
handin:
	$(PYTHON) tools/lab/labtool.py handin $(LAB)
