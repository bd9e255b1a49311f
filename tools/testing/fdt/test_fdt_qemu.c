/*
 * tools/testing/fdt/test_fdt_qemu.c - kernel/fdt.c and kernel/bootargs.c on
 * the real device trees of QEMU's virt machines, dumped at build time with
 * the options listed in sources.mk (skipped when that QEMU is missing).
 * The expected values are the boards' facts that Documentation/qemu-virt.md
 * records: RAM at 0x80000000 (riscv) / 0x40000000 (arm64), timebase 10 MHz
 * on riscv, the 16550 UART and the virtio-mmio slots (8 / 32).
 */
/* Kernel headers first: <kernel/types.h> must precede the host's <stddef.h>. */
#include <kernel/bootargs.h>
#include <kernel/fdt.h>

#include <stdlib.h>
#include <string.h>

#include "ktest-host.h"
#include "fdt-test.h"

/* Load qemu/<name>.dtb, skip the test if it was skipped, fail if missing. */
#define LOAD_QEMU(var, name)                                                                \
	u8 *var = NULL;                                                                     \
	size_t var##_len = 0;                                                               \
	do {                                                                                \
		const char *why_ = NULL;                                                    \
		int got_ = fdt_test_load_qemu(name, &var, &var##_len, &why_);               \
		if (got_ == 0)                                                              \
			SKIP("%s", why_);                                                   \
		if (got_ < 0) {                                                             \
			ktest_fail(__FILE__, __LINE__,                                      \
				   "qemu/%s.dtb missing: run make -C tools/testing", name); \
			return;                                                             \
		}                                                                           \
		ASSERT_GT(fdt_check(var, var##_len), 0);                                    \
	} while (0)

static int count_compatible(const void *blob, const char *compat)
{
	int node, n = 0;

	for (node = fdt_find_compatible(blob, compat, -1); node >= 0;
	     node = fdt_find_compatible(blob, compat, node))
		n++;
	return node == -FDT_ERR_NOTFOUND ? n : node;
}

/* What every riscv virt tree has, whatever -m/-smp/-append. */
static void check_riscv_devices(const void *blob)
{
	u64 base = 0, size = 0;
	int node;

	node = fdt_find_compatible(blob, "ns16550a", -1);
	EXPECT_GE(node, 0);
	EXPECT_EQ(fdt_read_reg(blob, node, 0, &base, &size), 0);
	EXPECT_EQ(base, 0x10000000);
	EXPECT_EQ(size, 0x100);
	EXPECT_EQ(fdt_path_offset(blob, "/soc/serial"), node);

	/* Eight slots, 0x10001000..0x10008000, listed highest first. */
	EXPECT_EQ(count_compatible(blob, "virtio,mmio"), 8);
	node = fdt_find_compatible(blob, "virtio,mmio", -1);
	EXPECT_EQ(fdt_read_reg(blob, node, 0, &base, &size), 0);
	EXPECT_EQ(base, 0x10008000);
	EXPECT_EQ(size, 0x1000);
	EXPECT_TRUE(fdt_node_is_available(blob, node));
}

static void check_riscv(const void *blob, size_t len, u64 mem_size, int ncpus, const char *bootargs)
{
	struct boot_info bi;
	int i;

	ASSERT_EQ(fdt_parse_boot_info(blob, &bi), 0);
	EXPECT_EQ(bi.truncated, 0);
	EXPECT_LE(bi.dtb_size, len); /* the dump file is padded past totalsize */
	ASSERT_EQ(bi.nmem, 1);
	EXPECT_EQ(bi.mem[0].base, 0x80000000);
	EXPECT_EQ(bi.mem[0].size, mem_size);
	EXPECT_STREQ(bi.mem[0].name, "memory@80000000");
	ASSERT_EQ(bi.ncpus, ncpus);
	for (i = 0; i < ncpus; i++)
		EXPECT_EQ(bi.cpu_ids[i], i);
	EXPECT_EQ(bi.timebase_frequency, 10000000);
	EXPECT_STREQ(bi.bootargs, bootargs);
	EXPECT_STREQ(bi.stdout_path, "/soc/serial@10000000");
	EXPECT_GE(fdt_path_offset(blob, bi.stdout_path), 0);
	check_riscv_devices(blob);
}

TEST(qemu_riscv_64m_1cpu)
{
	LOAD_QEMU(blob, "riscv-64m-1");
	check_riscv(blob, blob_len, 64ULL << 20, 1, "console=ttyS0 test=fdt");
	free(blob);
}

TEST(qemu_riscv_2g_4cpus_bootargs)
{
	LOAD_QEMU(blob, "riscv-2g-4");
	struct boot_info bi;
	char val[32], buf[64], *argv[4];
	u64 size;

	check_riscv(blob, blob_len, 2ULL << 30, 4,
		    "console=ttyS0 mem=1G test=\"mm vm\" -- init -s");

	/* The command line as the kernel will read it. */
	ASSERT_EQ(fdt_parse_boot_info(blob, &bi), 0);
	EXPECT_EQ(bootarg_get(bi.bootargs, "mem", val, sizeof(val)), 2);
	EXPECT_EQ(parse_size(val, &size), 0);
	EXPECT_EQ(size, 1ULL << 30);
	EXPECT_EQ(bootarg_get(bi.bootargs, "test", val, sizeof(val)), 5);
	EXPECT_STREQ(val, "mm vm");
	EXPECT_FALSE(bootarg_present(bi.bootargs, "init"));
	EXPECT_EQ(bootargs_split(bootargs_init_args(bi.bootargs), buf, sizeof(buf), argv, 4), 2);
	EXPECT_STREQ(argv[0], "init");
	EXPECT_STREQ(argv[1], "-s");
	free(blob);
}

TEST(qemu_riscv_2g_8cpus_no_append)
{
	LOAD_QEMU(blob, "riscv-2g-8");
	check_riscv(blob, blob_len, 2ULL << 30, 8, "");
	free(blob);
}

TEST(qemu_aarch64_128m_4cpus)
{
	LOAD_QEMU(blob, "aarch64-128m-4");
	struct boot_info bi;
	u64 base = 0, size = 0;
	int node, i;

	ASSERT_EQ(fdt_parse_boot_info(blob, &bi), 0);
	EXPECT_EQ(bi.truncated, 0);
	ASSERT_EQ(bi.nmem, 1);
	EXPECT_EQ(bi.mem[0].base, 0x40000000);
	EXPECT_EQ(bi.mem[0].size, 128ULL << 20);
	ASSERT_EQ(bi.ncpus, 4);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(bi.cpu_ids[i], i); /* MPIDR affinity 0..3 */
	EXPECT_EQ(bi.timebase_frequency, 0); /* ARM reads CNTFRQ_EL0 instead */
	EXPECT_STREQ(bi.bootargs, "console=ttyAMA0 cma=16M");
	EXPECT_STREQ(bi.stdout_path, "/pl011@9000000");
	EXPECT_TRUE(bootarg_present(bi.bootargs, "cma"));

	node = fdt_find_compatible(blob, "arm,pl011", -1);
	EXPECT_EQ(fdt_path_offset(blob, bi.stdout_path), node);
	EXPECT_EQ(fdt_read_reg(blob, node, 0, &base, &size), 0);
	EXPECT_EQ(base, 0x9000000);
	EXPECT_EQ(size, 0x1000);

	/* 32 slots at 0x0a000000 + 0x200 * i, lowest first. */
	EXPECT_EQ(count_compatible(blob, "virtio,mmio"), 32);
	node = fdt_find_compatible(blob, "virtio,mmio", -1);
	EXPECT_EQ(fdt_read_reg(blob, node, 0, &base, &size), 0);
	EXPECT_EQ(base, 0xa000000);
	EXPECT_EQ(size, 0x200);
	node = fdt_find_compatible(blob, "virtio,mmio", node);
	EXPECT_EQ(fdt_read_reg(blob, node, 0, &base, &size), 0);
	EXPECT_EQ(base, 0xa000200);

	/* PSCI is how ARM starts secondary CPUs; QEMU's method is "hvc". */
	node = fdt_path_offset(blob, "/psci");
	EXPECT_STREQ((const char *)fdt_getprop(blob, node, "method", NULL), "hvc");
	EXPECT_TRUE(fdt_node_is_compatible(blob, node, "arm,psci-0.2"));
	free(blob);
}

TEST(qemu_trees_walk_cleanly)
{
	static const char *const names[] = {"riscv-64m-1", "riscv-2g-4", "riscv-2g-8",
					    "aarch64-128m-4"};
	const char *why = NULL;
	size_t len, i;
	int got, seen = 0;
	u8 *blob;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		got = fdt_test_load_qemu(names[i], &blob, &len, &why);
		EXPECT_GE(got, 0);
		if (got <= 0)
			continue;
		seen++;
		EXPECT_EQ(fdt_exercise(blob, len), 0);
		free(blob);
	}
	if (!seen)
		SKIP("%s", why ? why : "no QEMU device trees");
}
