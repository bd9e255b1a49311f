/*
 * tools/testing/fdt/test_fdt.c - kernel/fdt.c on blobs that dtc compiled from
 * the dts/ files and on small blobs built by hand: lookups, iteration, "reg"
 * decoding with 1 and 2 cells, fdt_parse_boot_info() including every
 * overflow, and rejection of each kind of malformed structure.
 */
/* Kernel headers first: <kernel/types.h> must precede the host's <stddef.h>. */
#include <kernel/fdt.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktest-host.h"
#include "fdt-test.h"

/* Load dtc/<name>.dtb or fail the test. */
#define LOAD(var, name)                                          \
	size_t var##_len = 0;                                    \
	u8 *var = fdt_test_load("dtc/" name ".dtb", &var##_len); \
	ASSERT_NOT_NULL(var)

static const char *name_of(const void *blob, int node)
{
	return fdt_get_name(blob, node, NULL);
}

/* ---- header and fdt_check() ---- */

TEST(check_accepts_every_dtc_blob)
{
	static const char *const names[] = {
	    "badcells", "badreg",   "badtimebase", "bigmem",  "cells1",	 "cells2", "fit",
	    "longargs", "manycpus", "manyrsv",	   "minimal", "nocells", "wrap"};
	char rel[64];
	size_t len, i;
	u8 *blob;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(rel, sizeof(rel), "dtc/%s.dtb", names[i]);
		blob = fdt_test_load(rel, &len);
		EXPECT_NOT_NULL(blob);
		if (!blob)
			continue;
		EXPECT_EQ(fdt_check(blob, len), len);
		free(blob);
	}
}

TEST(check_rejects_bad_bounds_and_args)
{
	LOAD(blob, "cells1");

	EXPECT_EQ(fdt_check(blob, blob_len - 1), -1); /* totalsize > max_size */
	EXPECT_EQ(fdt_check(blob, 39), -1);
	EXPECT_EQ(fdt_check(blob, 0), -1);
	EXPECT_EQ(fdt_check(NULL, 4096), -1);
	EXPECT_EQ(fdt_check(blob, ~0ULL), blob_len); /* a huge bound is fine */
	blob[0] ^= 1;
	EXPECT_EQ(fdt_check(blob, blob_len), -1); /* magic */
	EXPECT_EQ(fdt_path_offset(blob, "/"), -FDT_ERR_BADBLOB);
	free(blob);
}

TEST(check_blob_at_odd_address)
{
	LOAD(blob, "cells1");
	u8 *odd = malloc(blob_len + 3);
	struct boot_info bi;

	ASSERT_NOT_NULL(odd);
	memcpy(odd + 3, blob, blob_len);
	EXPECT_EQ(fdt_check(odd + 3, blob_len), blob_len);
	EXPECT_EQ(fdt_parse_boot_info(odd + 3, &bi), 0);
	EXPECT_EQ(bi.nmem, 3);
	EXPECT_EQ(bi.mem[0].base, 0x80000000);
	free(odd);
	free(blob);
}

TEST(strerror_names_every_error)
{
	EXPECT_STREQ(fdt_strerror(-FDT_ERR_BADBLOB), "FDT_ERR_BADBLOB");
	EXPECT_STREQ(fdt_strerror(-FDT_ERR_NOTFOUND), "FDT_ERR_NOTFOUND");
	EXPECT_STREQ(fdt_strerror(-FDT_ERR_BADVALUE), "FDT_ERR_BADVALUE");
	EXPECT_STREQ(fdt_strerror(-FDT_ERR_BADARG), "FDT_ERR_BADARG");
	EXPECT_STREQ(fdt_strerror(0), "no error");
	EXPECT_STREQ(fdt_strerror(-99), "unknown fdt error");
}

/* ---- paths and names ---- */

TEST(path_lookup)
{
	LOAD(blob, "cells1");
	int root, cpus, node;

	root = fdt_path_offset(blob, "/");
	ASSERT_GE(root, 0);
	EXPECT_STREQ(name_of(blob, root), "");
	cpus = fdt_path_offset(blob, "/cpus");
	ASSERT_GE(cpus, 0);
	EXPECT_STREQ(name_of(blob, cpus), "cpus");
	EXPECT_EQ(fdt_path_offset(blob, "//cpus//"), cpus);
	EXPECT_EQ(fdt_path_offset(blob, "/cpus/"), cpus);

	node = fdt_path_offset(blob, "/cpus/cpu@3");
	EXPECT_STREQ(name_of(blob, node), "cpu@3");
	node = fdt_path_offset(blob, "/cpus/cpu@0/interrupt-controller");
	EXPECT_STREQ(name_of(blob, node), "interrupt-controller");
	node = fdt_path_offset(blob, "/soc/uart@10000000");
	EXPECT_STREQ(name_of(blob, node), "uart@10000000");

	EXPECT_EQ(fdt_path_offset(blob, "/nope"), -FDT_ERR_NOTFOUND);
	EXPECT_EQ(fdt_path_offset(blob, "/cpus/cpu@0/nope"), -FDT_ERR_NOTFOUND);
	EXPECT_EQ(fdt_path_offset(blob, "/nope/cpu@0"), -FDT_ERR_NOTFOUND);
	EXPECT_EQ(fdt_path_offset(blob, "cpus"), -FDT_ERR_NOTFOUND); /* no aliases */
	EXPECT_EQ(fdt_path_offset(blob, ""), -FDT_ERR_NOTFOUND);
	EXPECT_EQ(fdt_path_offset(blob, NULL), -FDT_ERR_BADARG);
	EXPECT_EQ(fdt_path_offset(NULL, "/"), -FDT_ERR_BADARG);
	free(blob);
}

TEST(path_unit_address_matching)
{
	LOAD(blob, "cells1");
	int node;

	/* No '@' in the component: match the name before '@', first in blob order. */
	node = fdt_path_offset(blob, "/memory");
	EXPECT_STREQ(name_of(blob, node), "memory@80000000");
	node = fdt_path_offset(blob, "/soc/uart");
	EXPECT_STREQ(name_of(blob, node), "uart@10000000");
	node = fdt_path_offset(blob, "/cpus/cpu");
	EXPECT_STREQ(name_of(blob, node), "cpu@0");
	node = fdt_path_offset(blob, "/memory@90000000");
	EXPECT_STREQ(name_of(blob, node), "memory@90000000");
	node = fdt_path_offset(blob, "/memory-controller");
	EXPECT_STREQ(name_of(blob, node), "memory-controller@c0000000");

	/* Near misses. */
	EXPECT_EQ(fdt_path_offset(blob, "/mem"), -FDT_ERR_NOTFOUND);
	EXPECT_EQ(fdt_path_offset(blob, "/memory@8000000"), -FDT_ERR_NOTFOUND);
	EXPECT_EQ(fdt_path_offset(blob, "/memory@800000000"), -FDT_ERR_NOTFOUND);
	EXPECT_EQ(fdt_path_offset(blob, "/memory@"), -FDT_ERR_NOTFOUND);
	EXPECT_EQ(fdt_path_offset(blob, "/cpus@0"), -FDT_ERR_NOTFOUND);
	EXPECT_EQ(fdt_path_offset(blob, "/soc/uart@1"), -FDT_ERR_NOTFOUND);
	free(blob);
}

TEST(get_name_lengths_and_errors)
{
	LOAD(blob, "cells1");
	int node = fdt_path_offset(blob, "/soc/virtio_mmio@10001000"), len = -7;

	EXPECT_STREQ(fdt_get_name(blob, node, &len), "virtio_mmio@10001000");
	EXPECT_EQ(len, strlen("virtio_mmio@10001000"));
	EXPECT_NULL(fdt_get_name(blob, -1, &len));
	EXPECT_EQ(len, -FDT_ERR_BADARG);
	EXPECT_NULL(fdt_get_name(blob, node + 4, &len)); /* inside the name: not a node */
	EXPECT_LT(len, 0);
	EXPECT_NULL(fdt_get_name(blob, 1 << 20, &len)); /* past the blob */
	EXPECT_LT(len, 0);
	free(blob);
}

/* ---- iteration ---- */

TEST(subnode_iteration_order)
{
	static const char *const want[] = {"chosen",
					   "aliases",
					   "memory@80000000",
					   "memory@90000000",
					   "memory@b0000000",
					   "memory-controller@c0000000",
					   "reserved-memory",
					   "cpus",
					   "soc"};
	LOAD(blob, "cells1");
	int root = fdt_path_offset(blob, "/"), node, n = 0, last = -1;

	fdt_for_each_subnode(node, blob, root)
	{
		ASSERT_LT(n, 9);
		EXPECT_STREQ(name_of(blob, node), want[n]);
		EXPECT_GT(node, last);
		last = node;
		n++;
	}
	EXPECT_EQ(node, -FDT_ERR_NOTFOUND);
	EXPECT_EQ(n, 9);

	/* cpus: cpu-map, then cpu@0..3; cpu@0's own child is not a sibling. */
	n = 0;
	fdt_for_each_subnode(node, blob, fdt_path_offset(blob, "/cpus")) n++;
	EXPECT_EQ(n, 5);
	/* A leaf has no children; the root has no siblings. */
	EXPECT_EQ(fdt_first_subnode(blob, fdt_path_offset(blob, "/soc/uart")), -FDT_ERR_NOTFOUND);
	EXPECT_EQ(fdt_next_subnode(blob, root), -FDT_ERR_NOTFOUND);
	EXPECT_EQ(fdt_first_subnode(blob, -5), -FDT_ERR_BADARG);
	EXPECT_EQ(fdt_next_subnode(blob, -5), -FDT_ERR_BADARG);
	free(blob);
}

TEST(parent_offset)
{
	LOAD(blob, "cells1");
	int root = fdt_path_offset(blob, "/"), cpus = fdt_path_offset(blob, "/cpus");
	int cpu0 = fdt_path_offset(blob, "/cpus/cpu@0");
	int intc = fdt_path_offset(blob, "/cpus/cpu@0/interrupt-controller");

	EXPECT_EQ(fdt_parent_offset(blob, intc), cpu0);
	EXPECT_EQ(fdt_parent_offset(blob, cpu0), cpus);
	EXPECT_EQ(fdt_parent_offset(blob, fdt_path_offset(blob, "/cpus/cpu@3")), cpus);
	EXPECT_EQ(fdt_parent_offset(blob, cpus), root);
	EXPECT_EQ(fdt_parent_offset(blob, root), -FDT_ERR_NOTFOUND);
	EXPECT_EQ(fdt_parent_offset(blob, cpus + 4), -FDT_ERR_BADARG);
	EXPECT_EQ(fdt_parent_offset(blob, -1), -FDT_ERR_BADARG);
	free(blob);
}

TEST(property_iteration_and_lookup)
{
	LOAD(blob, "cells1");
	int uart = fdt_path_offset(blob, "/soc/uart"), prop, len, n = 0;
	const char *name;
	const u8 *val;
	static const char compat[] = "vendor,uart\0ns16550a";

	fdt_for_each_property(prop, blob, uart)
	{
		val = fdt_property_value(blob, prop, &name, &len);
		ASSERT_NOT_NULL(val);
		if (n == 0) {
			EXPECT_STREQ(name, "compatible");
			EXPECT_EQ(len, sizeof(compat));
			EXPECT_MEMEQ(val, compat, sizeof(compat));
		}
		n++;
	}
	EXPECT_EQ(prop, -FDT_ERR_NOTFOUND);
	EXPECT_EQ(n, 3); /* compatible, reg, interrupts */

	val = fdt_getprop(blob, uart, "interrupts", &len);
	ASSERT_NOT_NULL(val);
	EXPECT_EQ(len, 4);
	EXPECT_EQ(fdt_be32(val), 10);

	/* A property without a value: present, length 0. */
	val = fdt_getprop(blob, fdt_path_offset(blob, "/soc"), "ranges", &len);
	EXPECT_NOT_NULL(val);
	EXPECT_EQ(len, 0);

	EXPECT_NULL(fdt_getprop(blob, uart, "status", &len));
	EXPECT_EQ(len, -FDT_ERR_NOTFOUND);
	EXPECT_NULL(fdt_getprop(blob, uart, "compat", &len)); /* prefixes do not match */
	EXPECT_NULL(fdt_getprop(blob, uart, NULL, &len));
	EXPECT_EQ(len, -FDT_ERR_BADARG);
	EXPECT_NOT_NULL(fdt_getprop(blob, uart, "reg", NULL)); /* lenp may be NULL */
	/* A node whose only "property" is children has none. */
	EXPECT_EQ(fdt_first_property(blob, fdt_path_offset(blob, "/cpus/cpu-map")),
		  -FDT_ERR_NOTFOUND);
	EXPECT_EQ(fdt_next_property(blob, uart), -FDT_ERR_BADARG); /* a node, not a property */
	EXPECT_NULL(fdt_property_value(blob, uart, NULL, &len));
	free(blob);
}

TEST(getprop_u32)
{
	LOAD(blob, "cells1");
	int cpus = fdt_path_offset(blob, "/cpus");
	u32 v = 0;

	EXPECT_EQ(fdt_getprop_u32(blob, cpus, "timebase-frequency", &v), 0);
	EXPECT_EQ(v, 10000000);
	EXPECT_EQ(fdt_getprop_u32(blob, cpus, "#size-cells", &v), 0);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(fdt_getprop_u32(blob, fdt_path_offset(blob, "/memory@90000000"), "reg", &v),
		  -FDT_ERR_BADVALUE);
	EXPECT_EQ(fdt_getprop_u32(blob, cpus, "nope", &v), -FDT_ERR_NOTFOUND);
	free(blob);
}

/* ---- cells, reg, compatible, status ---- */

TEST(address_and_size_cells)
{
	LOAD(c1, "cells1");
	LOAD(c2, "cells2");
	LOAD(nc, "nocells");

	EXPECT_EQ(fdt_address_cells(c1, fdt_path_offset(c1, "/")), 1);
	EXPECT_EQ(fdt_size_cells(c1, fdt_path_offset(c1, "/")), 1);
	EXPECT_EQ(fdt_address_cells(c1, fdt_path_offset(c1, "/cpus")), 1);
	EXPECT_EQ(fdt_size_cells(c1, fdt_path_offset(c1, "/cpus")), 0);
	EXPECT_EQ(fdt_address_cells(c2, fdt_path_offset(c2, "/")), 2);
	EXPECT_EQ(fdt_size_cells(c2, fdt_path_offset(c2, "/")), 2);
	EXPECT_EQ(fdt_address_cells(c2, fdt_path_offset(c2, "/bus")), 1);
	/* Absent: the spec's defaults, 2 and 1. */
	EXPECT_EQ(fdt_address_cells(nc, fdt_path_offset(nc, "/")), 2);
	EXPECT_EQ(fdt_size_cells(nc, fdt_path_offset(nc, "/")), 1);
	EXPECT_EQ(fdt_address_cells(nc, -1), -FDT_ERR_BADARG);
	free(c1);
	free(c2);
	free(nc);
}

TEST(read_reg_one_cell)
{
	LOAD(blob, "cells1");
	int mem = fdt_path_offset(blob, "/memory@90000000");
	u64 base = 1, size = 1;

	EXPECT_EQ(fdt_read_reg(blob, mem, 0, &base, &size), 0);
	EXPECT_EQ(base, 0x90000000);
	EXPECT_EQ(size, 0x1000000);
	EXPECT_EQ(fdt_read_reg(blob, mem, 1, &base, &size), 0);
	EXPECT_EQ(base, 0xa0000000);
	EXPECT_EQ(size, 0x2000000);
	EXPECT_EQ(fdt_read_reg(blob, mem, 2, &base, &size), -FDT_ERR_NOTFOUND);
	EXPECT_EQ(fdt_read_reg(blob, mem, -1, &base, &size), -FDT_ERR_NOTFOUND);
	EXPECT_EQ(fdt_read_reg(blob, mem, 0, NULL, NULL), 0);

	/* /cpus has #size-cells = 0: a CPU's reg is its id, size 0. */
	EXPECT_EQ(fdt_read_reg(blob, fdt_path_offset(blob, "/cpus/cpu@3"), 0, &base, &size), 0);
	EXPECT_EQ(base, 3);
	EXPECT_EQ(size, 0);

	EXPECT_EQ(fdt_read_reg(blob, fdt_path_offset(blob, "/soc"), 0, &base, &size),
		  -FDT_ERR_NOTFOUND); /* no reg */
	EXPECT_EQ(fdt_read_reg(blob, fdt_path_offset(blob, "/"), 0, &base, &size),
		  -FDT_ERR_NOTFOUND); /* the root has no parent */
	free(blob);
}

TEST(read_reg_two_cells_and_mixed_buses)
{
	LOAD(blob, "cells2");
	u64 base, size;

	EXPECT_EQ(fdt_read_reg(blob, fdt_path_offset(blob, "/memory"), 1, &base, &size), 0);
	EXPECT_EQ(base, 0x880000000ULL);
	EXPECT_EQ(size, 0x100000000ULL);
	EXPECT_EQ(fdt_read_reg(blob, fdt_path_offset(blob, "/pl011"), 0, &base, &size), 0);
	EXPECT_EQ(base, 0x9000000);
	EXPECT_EQ(size, 0x1000);
	/* A child of a 1-cell bus inside a 2-cell root. */
	EXPECT_EQ(fdt_read_reg(blob, fdt_path_offset(blob, "/bus/virtio_mmio"), 0, &base, &size),
		  0);
	EXPECT_EQ(base, 0x200);
	EXPECT_EQ(size, 0x200);
	EXPECT_EQ(
	    fdt_read_reg(blob, fdt_path_offset(blob, "/cpus/cpu@10000000000"), 0, &base, NULL), 0);
	EXPECT_EQ(base, 0x10000000000ULL);
	free(blob);
}

TEST(read_reg_malformed)
{
	LOAD(badreg, "badreg");
	LOAD(badcells, "badcells");
	LOAD(wrap, "wrap");
	LOAD(nocells, "nocells");
	u64 base, size;

	EXPECT_EQ(fdt_read_reg(badreg, fdt_path_offset(badreg, "/memory"), 0, &base, &size),
		  -FDT_ERR_BADVALUE);
	EXPECT_EQ(fdt_read_reg(badcells, fdt_path_offset(badcells, "/memory"), 0, &base, &size),
		  -FDT_ERR_BADVALUE);
	EXPECT_EQ(fdt_read_reg(wrap, fdt_path_offset(wrap, "/memory"), 0, &base, &size),
		  -FDT_ERR_BADVALUE);
	EXPECT_EQ(fdt_read_reg(nocells, fdt_path_offset(nocells, "/memory"), 0, &base, &size), 0);
	EXPECT_EQ(base, 0x80000000);
	EXPECT_EQ(size, 0x1000000);
	free(badreg);
	free(badcells);
	free(wrap);
	free(nocells);
}

TEST(find_compatible)
{
	LOAD(blob, "cells1");
	int node, n = 0;
	u64 base, size;

	node = fdt_find_compatible(blob, "virtio,mmio", -1);
	EXPECT_STREQ(name_of(blob, node), "virtio_mmio@10001000");
	EXPECT_EQ(fdt_read_reg(blob, node, 0, &base, &size), 0);
	EXPECT_EQ(base, 0x10001000);
	EXPECT_EQ(size, 0x1000);
	for (node = fdt_find_compatible(blob, "virtio,mmio", -1); node >= 0;
	     node = fdt_find_compatible(blob, "virtio,mmio", node))
		n++;
	EXPECT_EQ(node, -FDT_ERR_NOTFOUND);
	EXPECT_EQ(n, 2); /* the disabled one too; "virtio,mmio-ng" and "virtio" are not it */

	/* The second string of a list matches; a prefix of one does not. */
	node = fdt_find_compatible(blob, "ns16550a", -1);
	EXPECT_STREQ(name_of(blob, node), "uart@10000000");
	EXPECT_EQ(fdt_find_compatible(blob, "ns16550", -1), -FDT_ERR_NOTFOUND);
	EXPECT_EQ(fdt_find_compatible(blob, "vendor", -1), -FDT_ERR_NOTFOUND);
	node = fdt_find_compatible(blob, "riscv,cpu-intc", -1);
	EXPECT_STREQ(name_of(blob, node), "interrupt-controller");
	/* The root's own compatible is found, and a search can start after it. */
	EXPECT_EQ(fdt_find_compatible(blob, "pagoda,test-cells1", -1), fdt_path_offset(blob, "/"));
	EXPECT_EQ(fdt_find_compatible(blob, "pagoda,test-cells1", fdt_path_offset(blob, "/")),
		  -FDT_ERR_NOTFOUND);
	EXPECT_EQ(fdt_find_compatible(blob, "", -1), -FDT_ERR_NOTFOUND);
	EXPECT_EQ(fdt_find_compatible(blob, NULL, -1), -FDT_ERR_BADARG);
	EXPECT_EQ(fdt_find_compatible(blob, "riscv", 3), -FDT_ERR_BADARG);
	EXPECT_TRUE(fdt_node_is_compatible(blob, fdt_path_offset(blob, "/soc"), "simple-bus"));
	EXPECT_FALSE(fdt_node_is_compatible(blob, fdt_path_offset(blob, "/soc"), "simple"));
	EXPECT_FALSE(fdt_node_is_compatible(blob, fdt_path_offset(blob, "/soc"), NULL));
	free(blob);
}

TEST(node_status)
{
	LOAD(blob, "cells1");

	EXPECT_TRUE(fdt_node_is_available(blob, fdt_path_offset(blob, "/cpus/cpu@0"))); /* okay */
	EXPECT_FALSE(fdt_node_is_available(blob, fdt_path_offset(blob, "/cpus/cpu@1")));
	EXPECT_FALSE(fdt_node_is_available(blob, fdt_path_offset(blob, "/cpus/cpu@2"))); /* fail */
	EXPECT_TRUE(fdt_node_is_available(blob, fdt_path_offset(blob, "/cpus/cpu@3")));	 /* none */
	EXPECT_FALSE(fdt_node_is_available(blob, -1));
	free(blob);
}

/* ---- fdt_parse_boot_info() ---- */

TEST(boot_info_one_cell_board)
{
	LOAD(blob, "cells1");
	struct boot_info bi;

	memset(&bi, 0x5a, sizeof(bi)); /* must be cleared */
	ASSERT_EQ(fdt_parse_boot_info(blob, &bi), 0);
	EXPECT_EQ(bi.dtb_size, blob_len);
	EXPECT_EQ(bi.truncated, 0);

	ASSERT_EQ(bi.nmem, 3); /* memory@b0000000 is disabled, memory-controller is not memory */
	EXPECT_EQ(bi.mem[0].base, 0x80000000);
	EXPECT_EQ(bi.mem[0].size, 0x4000000);
	EXPECT_STREQ(bi.mem[0].name, "memory@80000000");
	EXPECT_EQ(bi.mem[1].base, 0x90000000);
	EXPECT_EQ(bi.mem[1].size, 0x1000000);
	EXPECT_EQ(bi.mem[2].base, 0xa0000000);
	EXPECT_EQ(bi.mem[2].size, 0x2000000);
	EXPECT_STREQ(bi.mem[2].name, "memory@90000000");

	/* /memreserve/ first, then reserved-memory with reg (not size-only, not disabled). */
	ASSERT_EQ(bi.nrsv, 2);
	EXPECT_EQ(bi.rsv[0].base, 0x80000000);
	EXPECT_EQ(bi.rsv[0].size, 0x10000);
	EXPECT_STREQ(bi.rsv[0].name, "memreserve");
	EXPECT_EQ(bi.rsv[1].base, 0x80000000);
	EXPECT_EQ(bi.rsv[1].size, 0x80000);
	EXPECT_STREQ(bi.rsv[1].name, "opensbi@80000000");

	EXPECT_STREQ(bi.bootargs, "console=ttyS0 mem=64M test=\"mm vm\" -- -s");
	EXPECT_STREQ(bi.stdout_path, "serial0:115200n8");

	ASSERT_EQ(bi.ncpus, 2); /* cpu@1 disabled, cpu@2 failed */
	EXPECT_EQ(bi.cpu_ids[0], 0);
	EXPECT_EQ(bi.cpu_ids[1], 3);
	EXPECT_EQ(bi.timebase_frequency, 10000000);
	free(blob);
}

TEST(boot_info_two_cell_board)
{
	LOAD(blob, "cells2");
	struct boot_info bi;

	ASSERT_EQ(fdt_parse_boot_info(blob, &bi), 0);
	EXPECT_EQ(bi.truncated, 0);
	ASSERT_EQ(bi.nmem, 2);
	EXPECT_EQ(bi.mem[0].base, 0x40000000);
	EXPECT_EQ(bi.mem[0].size, 0x80000000);
	EXPECT_EQ(bi.mem[1].base, 0x880000000ULL);
	EXPECT_EQ(bi.mem[1].size, 0x100000000ULL);

	ASSERT_EQ(bi.nrsv, 3); /* the zero-sized /memreserve/ is skipped */
	EXPECT_EQ(bi.rsv[0].base, 0x40000000);
	EXPECT_EQ(bi.rsv[0].size, 0x1000);
	EXPECT_EQ(bi.rsv[1].base, 0x100000000ULL);
	EXPECT_EQ(bi.rsv[1].size, 0x200000);
	EXPECT_EQ(bi.rsv[2].base, 0x100000000ULL);
	EXPECT_EQ(bi.rsv[2].size, 0x1000000);
	EXPECT_STREQ(bi.rsv[2].name, "tee@100000000");

	EXPECT_STREQ(bi.bootargs, "");
	EXPECT_STREQ(bi.stdout_path, "");
	ASSERT_EQ(bi.ncpus, 3);
	EXPECT_EQ(bi.cpu_ids[0], 0);
	EXPECT_EQ(bi.cpu_ids[1], 0x100);
	EXPECT_EQ(bi.cpu_ids[2], 0x10000000000ULL);
	EXPECT_EQ(bi.timebase_frequency, 5000000000ULL); /* 2 cells, from cpu@0 */
	free(blob);
}

TEST(boot_info_minimal_and_default_cells)
{
	LOAD(minimal, "minimal");
	LOAD(nocells, "nocells");
	struct boot_info bi;

	ASSERT_EQ(fdt_parse_boot_info(minimal, &bi), 0);
	EXPECT_EQ(bi.nmem + bi.nrsv + bi.ncpus + bi.truncated, 0);
	EXPECT_EQ(bi.timebase_frequency, 0);
	EXPECT_STREQ(bi.bootargs, "");
	EXPECT_EQ(bi.dtb_size, minimal_len);

	ASSERT_EQ(fdt_parse_boot_info(nocells, &bi), 0);
	ASSERT_EQ(bi.nmem, 1);
	EXPECT_EQ(bi.mem[0].base, 0x80000000);
	EXPECT_EQ(bi.mem[0].size, 0x1000000);
	EXPECT_EQ(fdt_parse_boot_info(nocells, NULL), -FDT_ERR_BADARG);
	EXPECT_EQ(fdt_parse_boot_info(NULL, &bi), -FDT_ERR_BADARG);
	free(minimal);
	free(nocells);
}

TEST(boot_info_tables_exactly_full)
{
	LOAD(blob, "fit");
	struct boot_info bi;
	int i;

	ASSERT_EQ(fdt_parse_boot_info(blob, &bi), 0);
	EXPECT_EQ(bi.truncated, 0);
	EXPECT_EQ(bi.nmem, BOOT_MAX_MEM);
	EXPECT_EQ(bi.nrsv, BOOT_MAX_RSV);
	EXPECT_EQ(bi.ncpus, BOOT_MAX_CPUS);
	EXPECT_EQ(strlen(bi.bootargs), sizeof(bi.bootargs) - 1);
	EXPECT_EQ(strlen(bi.stdout_path), sizeof(bi.stdout_path) - 1);
	for (i = 0; i < BOOT_MAX_CPUS; i++)
		EXPECT_EQ(bi.cpu_ids[i], i);
	EXPECT_EQ(bi.rsv[9].base, 0xd0090000);	/* last /memreserve/ */
	EXPECT_EQ(bi.rsv[15].base, 0xc0050000); /* last reserved-memory child */
	EXPECT_EQ(bi.mem[7].base, 0x87000000);
	free(blob);
}

TEST(boot_info_too_many_cpus)
{
	LOAD(blob, "manycpus");
	static const u64 want[] = {0, 1, 3, 4, 6, 7, 8, 9}; /* 2 and 5 are disabled */
	struct boot_info bi;
	int i;

	ASSERT_EQ(fdt_parse_boot_info(blob, &bi), 0);
	EXPECT_EQ(bi.truncated, 1);
	ASSERT_EQ(bi.ncpus, BOOT_MAX_CPUS);
	for (i = 0; i < BOOT_MAX_CPUS; i++)
		EXPECT_EQ(bi.cpu_ids[i], want[i]);
	EXPECT_EQ(bi.nmem, 1); /* the rest is intact */
	EXPECT_EQ(bi.timebase_frequency, 10000000);
	free(blob);
}

TEST(boot_info_too_many_memory_ranges)
{
	LOAD(blob, "bigmem");
	struct boot_info bi;

	ASSERT_EQ(fdt_parse_boot_info(blob, &bi), 0);
	EXPECT_EQ(bi.truncated, 1);
	EXPECT_EQ(bi.nmem, BOOT_MAX_MEM);
	EXPECT_EQ(bi.mem[7].base, 0x87000000);
	EXPECT_STREQ(bi.mem[7].name, "memory@87000000");
	free(blob);
}

TEST(boot_info_too_many_reserved_ranges)
{
	LOAD(blob, "manyrsv");
	struct boot_info bi;

	ASSERT_EQ(fdt_parse_boot_info(blob, &bi), 0);
	EXPECT_EQ(bi.truncated, 1);
	EXPECT_EQ(bi.nrsv, BOOT_MAX_RSV);
	EXPECT_STREQ(bi.rsv[9].name, "memreserve");
	EXPECT_STREQ(bi.rsv[15].name, "r5@c0050000");
	free(blob);
}

TEST(boot_info_long_strings)
{
	LOAD(blob, "longargs");
	struct boot_info bi;

	ASSERT_EQ(fdt_parse_boot_info(blob, &bi), 0);
	EXPECT_EQ(bi.truncated, 1);
	EXPECT_EQ(strlen(bi.bootargs), sizeof(bi.bootargs) - 1);
	EXPECT_EQ(strncmp(bi.bootargs, "w0 w1 w2 ", 9), 0);
	EXPECT_EQ(strlen(bi.stdout_path), sizeof(bi.stdout_path) - 1);
	free(blob);
}

TEST(boot_info_malformed_values)
{
	static const char *const bad[] = {"dtc/badreg.dtb", "dtc/badcells.dtb",
					  "dtc/badtimebase.dtb", "dtc/wrap.dtb"};
	struct boot_info bi;
	size_t len, i;
	u8 *blob;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		blob = fdt_test_load(bad[i], &len);
		ASSERT_NOT_NULL(blob);
		EXPECT_EQ(fdt_check(blob, len), len); /* the structure is fine */
		EXPECT_EQ(fdt_parse_boot_info(blob, &bi), -FDT_ERR_BADVALUE);
		free(blob);
	}
}

/* ---- hand-built blobs: structures dtc will not write ---- */

/* A valid little tree; @variant breaks it in one way (0 = intact). */
static size_t build(u8 *out, size_t outsz, int variant)
{
	struct fdtb *b = malloc(sizeof(*b));
	size_t n;

	fdtb_init(b);
	fdtb_memreserve(b, 0x1000, 0x2000);
	fdtb_begin(b, "");
	fdtb_prop_u32(b, "#address-cells", 1);
	fdtb_prop_u32(b, "#size-cells", 1);
	if (variant == 1)
		fdtb_end_node(b); /* closes the root early: END_NODE count unbalanced */
	fdtb_token(b, FDT_NOP);
	fdtb_begin(b, "memory@1000");
	fdtb_token(b, FDT_NOP);
	fdtb_prop_str(b, "device_type", "memory");
	fdtb_prop_cells2(b, "reg", 0x1000, 0x10000);
	fdtb_end_node(b);
	if (variant == 2)
		fdtb_prop_u32(b, "late", 1); /* property after a child node */
	if (variant == 3)
		fdtb_token(b, 7); /* unknown token */
	if (variant == 4)
		fdtb_token(b, FDT_END); /* END inside the root */
	fdtb_end_node(b);
	if (variant == 5)
		fdtb_begin(b, "second-root");
	if (variant == 5)
		fdtb_end_node(b);
	if (variant == 6)
		fdtb_prop_u32(b, "outside", 1); /* property outside every node */
	if (variant != 7)
		fdtb_token(b, FDT_END); /* 7: no END at all */
	n = fdtb_finish(b, out, outsz);
	free(b);
	return n;
}

TEST(hand_built_blob_parses)
{
	u8 buf[1024];
	size_t len = build(buf, sizeof(buf), 0);
	struct boot_info bi;
	int mem;

	ASSERT_EQ(fdt_check(buf, len), len);
	ASSERT_EQ(fdt_parse_boot_info(buf, &bi), 0);
	ASSERT_EQ(bi.nmem, 1);
	EXPECT_EQ(bi.mem[0].base, 0x1000);
	ASSERT_EQ(bi.nrsv, 1);
	EXPECT_EQ(bi.rsv[0].size, 0x2000);
	mem = fdt_path_offset(buf, "/memory"); /* NOPs are skipped everywhere */
	EXPECT_STREQ(name_of(buf, mem), "memory@1000");
	EXPECT_NOT_NULL(fdt_getprop(buf, mem, "reg", NULL));
}

TEST(misnested_structure_rejected)
{
	static const char *const what[] = {"",
					   "extra END_NODE",
					   "property after child",
					   "unknown token",
					   "END inside a node",
					   "two roots",
					   "property outside nodes",
					   "missing END"};
	u8 buf[1024];
	struct boot_info bi;
	size_t len;
	int v;

	for (v = 1; v <= 7; v++) {
		len = build(buf, sizeof(buf), v);
		if (fdt_check(buf, len) != -1)
			ktest_fail(__FILE__, __LINE__, "fdt_check accepted: %s", what[v]);
		if (fdt_parse_boot_info(buf, &bi) != -FDT_ERR_BADBLOB)
			ktest_fail(__FILE__, __LINE__, "parse_boot_info accepted: %s", what[v]);
		EXPECT_EQ(fdt_exercise(buf, len), 0);
	}
}

/* Patch header field @off of a valid blob to @val; return fdt_check()'s verdict. */
static int check_with_header(u32 off, u32 val)
{
	u8 buf[1024];
	size_t len = build(buf, sizeof(buf), 0);

	put_be32(buf + off, val);
	return fdt_check(buf, len);
}

TEST(bad_header_fields_rejected)
{
	u8 buf[1024];
	size_t len = build(buf, sizeof(buf), 0);
	u32 st = fdt_be32(buf + 8), sz = fdt_be32(buf + 36);

	EXPECT_EQ(check_with_header(4, 39), -1);		 /* totalsize < header */
	EXPECT_EQ(check_with_header(4, 0xffffffff), -1);	 /* totalsize > buffer */
	EXPECT_EQ(check_with_header(8, st + 2), -1);		 /* struct misaligned */
	EXPECT_EQ(check_with_header(8, 0xfffffffc), -1);	 /* struct offset wraps */
	EXPECT_EQ(check_with_header(36, (u32)len - st + 4), -1); /* struct past the end */
	EXPECT_EQ(check_with_header(36, sz + 4), (int)len); /* into strings: bounds are fine, */
	EXPECT_EQ(check_with_header(36, sz - 4), -1);	    /* but END must be inside */
	EXPECT_EQ(check_with_header(36, sz - 2), -1);	    /* struct size not x4 */
	EXPECT_EQ(check_with_header(36, 0xfffffff0), -1);   /* struct size wraps */
	EXPECT_EQ(check_with_header(12, (u32)len), -1);	    /* strings past the end */
	EXPECT_EQ(check_with_header(32, 0xffffffff), -1);   /* strings size wraps */
	EXPECT_EQ(check_with_header(16, 44), -1);	    /* rsvmap misaligned */
	EXPECT_EQ(check_with_header(16, (u32)len - 8), -1); /* rsvmap past the end */
	EXPECT_EQ(check_with_header(20, 16), -1);	    /* version 16 */
	EXPECT_EQ(check_with_header(24, 18), -1);	    /* needs a newer reader */
	EXPECT_EQ(check_with_header(12, fdt_be32(buf + 12) + 1), -1); /* strings 1 past end */
	EXPECT_EQ(check_with_header(28, 5), (int)len);		      /* boot_cpuid: ignored */
}

TEST(bad_tokens_rejected)
{
	u8 buf[1024];
	size_t len = build(buf, sizeof(buf), 0);
	u32 st = fdt_be32(buf + 8), strings = fdt_be32(buf + 12);
	u32 first_prop = st + 4 + 4; /* root: BEGIN_NODE, "" padded to 4 */
	u8 copy[1024];

	/* Property length past the structure block. */
	memcpy(copy, buf, len);
	put_be32(copy + first_prop + 4, 0x7ffffff0);
	EXPECT_EQ(fdt_check(copy, len), -1);
	EXPECT_EQ(fdt_exercise(copy, len), 0);
	/* Name offset past the strings block. */
	memcpy(copy, buf, len);
	put_be32(copy + first_prop + 8, 0x10000);
	EXPECT_EQ(fdt_check(copy, len), -1);
	EXPECT_EQ(fdt_exercise(copy, len), 0);
	/* Strings block without a final NUL. */
	memcpy(copy, buf, len);
	copy[len - 1] = 'x';
	EXPECT_EQ(fdt_check(copy, len), -1);
	EXPECT_EQ(fdt_exercise(copy, len), 0);
	/* Reservation block without its {0, 0} terminator before the end. */
	memcpy(copy, buf, len);
	memset(copy + 40, 0xff, len - 40);
	EXPECT_EQ(fdt_check(copy, len), -1);
	EXPECT_EQ(fdt_exercise(copy, len), 0);
	/* A node name running to the end of the structure block. */
	memcpy(copy, buf, len);
	memset(copy + st + 4, 'n', strings - st - 4);
	EXPECT_EQ(fdt_check(copy, len), -1);
	EXPECT_EQ(fdt_exercise(copy, len), 0);
}

TEST(nesting_depth_limit)
{
	static u8 buf[8192];
	struct fdtb *b = malloc(sizeof(*b));
	char path[2 * FDT_MAX_DEPTH + 1] = "";
	int depth, i, node;
	size_t len;

	ASSERT_NOT_NULL(b);
	for (depth = FDT_MAX_DEPTH; depth <= FDT_MAX_DEPTH + 2; depth++) {
		fdtb_init(b);
		fdtb_begin(b, "");
		for (i = 1; i < depth; i++)
			fdtb_begin(b, "n");
		for (i = 0; i < depth; i++)
			fdtb_end_node(b);
		fdtb_token(b, FDT_END);
		len = fdtb_finish(b, buf, sizeof(buf));
		if (depth == FDT_MAX_DEPTH) {
			EXPECT_EQ(fdt_check(buf, len), len);
			/* The deepest node's parent is found with a full stack. */
			for (i = 1; i < depth; i++)
				strcat(path, "/n");
			node = fdt_path_offset(buf, path);
			ASSERT_GE(node, 0);
			EXPECT_EQ(fdt_first_subnode(buf, node), -FDT_ERR_NOTFOUND);
			EXPECT_GE(fdt_parent_offset(buf, node), 0);
		} else {
			EXPECT_EQ(fdt_check(buf, len), -1);
			EXPECT_EQ(fdt_exercise(buf, len), 0);
			/* Without fdt_check(): the ancestor stack must not overflow. */
			for (node = fdt_path_offset(buf, "/"), i = 1; i < depth; i++)
				node = fdt_first_subnode(buf, node);
			ASSERT_GE(node, 0);
			if (depth == FDT_MAX_DEPTH + 1)
				EXPECT_GE(fdt_parent_offset(buf, node), 0);
			else
				EXPECT_EQ(fdt_parent_offset(buf, node), -FDT_ERR_BADBLOB);
		}
	}
	free(b);
}

/* ---- the structure block as the last thing in the blob ---- */

TEST(struct_last_layout_parses)
{
	struct fdtb *b = malloc(sizeof(*b));
	static u8 out[1024];
	struct boot_info bi;
	size_t len;
	u8 *blob;

	ASSERT_NOT_NULL(b);
	fdtb_init(b);
	fdtb_begin(b, "");
	fdtb_prop_u32(b, "#address-cells", 1);
	fdtb_prop_u32(b, "#size-cells", 1);
	fdtb_begin(b, "memory@0");
	fdtb_prop_str(b, "device_type", "memory");
	fdtb_prop_cells2(b, "reg", 0, 0x1000);
	fdtb_end_node(b);
	fdtb_end_node(b);
	fdtb_token(b, FDT_END);
	len = fdtb_finish_struct_last(b, out, sizeof(out));
	blob = malloc(len);
	ASSERT_NOT_NULL(blob);
	memcpy(blob, out, len);
	EXPECT_GT(fdt_be32(blob + 8), fdt_be32(blob + 12)); /* struct after strings */
	EXPECT_EQ(fdt_check(blob, len), len);
	EXPECT_EQ(fdt_parse_boot_info(blob, &bi), 0);
	EXPECT_EQ(bi.nmem, 1);
	EXPECT_EQ(bi.mem[0].size, 0x1000);
	free(blob);
	free(b);
}

/* The last property's length claims @extra bytes more than the block holds. */
TEST(property_running_past_blob_end)
{
	struct fdtb *b = malloc(sizeof(*b));
	static u8 out[1024];
	u32 prop_off, k, st;
	size_t len;
	u8 *blob;

	ASSERT_NOT_NULL(b);
	for (k = 1; k <= 12; k++) {
		fdtb_init(b);
		fdtb_begin(b, "");
		fdtb_prop(b, "x", "\1\2\3\4", 4);
		fdtb_end_node(b);
		fdtb_token(b, FDT_END);
		len = fdtb_finish_struct_last(b, out, sizeof(out));
		st = fdt_be32(out + 8);
		prop_off = st + 8;
		/* Room after the property header runs to the end of the blob. */
		put_be32(out + prop_off + 4, (u32)(len - (prop_off + 12)) + k);
		blob = malloc(len);
		ASSERT_NOT_NULL(blob);
		memcpy(blob, out, len);
		EXPECT_EQ(fdt_check(blob, len), -1);
		EXPECT_EQ(fdt_exercise(blob, len), 0);
		EXPECT_NULL(fdt_getprop(blob, fdt_path_offset(blob, "/"), "x", NULL));
		free(blob);
	}
	free(b);
}

TEST(node_name_running_past_blob_end)
{
	struct fdtb *b = malloc(sizeof(*b));
	static u8 out[1024];
	size_t len;
	u8 *blob;

	ASSERT_NOT_NULL(b);
	fdtb_init(b);
	fdtb_token(b, FDT_BEGIN_NODE);
	memcpy(b->dt + b->dt_len, "abcdefgh", 8); /* no NUL before the end */
	b->dt_len += 8;
	len = fdtb_finish_struct_last(b, out, sizeof(out));
	blob = malloc(len);
	ASSERT_NOT_NULL(blob);
	memcpy(blob, out, len);
	EXPECT_EQ(fdt_check(blob, len), -1);
	EXPECT_EQ(fdt_exercise(blob, len), 0);
	EXPECT_NULL(fdt_get_name(blob, fdt_be32(blob + 8), NULL));
	free(blob);
	free(b);
}

TEST(rsvmap_running_past_blob_end)
{
	u32 tail;
	u8 *blob;

	/* Header, one entry, then 0..15 bytes of a second, unterminated entry. */
	for (tail = 0; tail < 16; tail++) {
		blob = malloc(56 + tail);
		ASSERT_NOT_NULL(blob);
		memset(blob, 0x11, 56 + tail);
		put_be32(blob + 0, FDT_MAGIC);
		put_be32(blob + 4, 56 + tail);
		put_be32(blob + 8, 40);	 /* empty structure block */
		put_be32(blob + 12, 40); /* empty strings block */
		put_be32(blob + 16, 40);
		put_be32(blob + 20, 17);
		put_be32(blob + 24, 16);
		put_be32(blob + 32, 0);
		put_be32(blob + 36, 0);
		EXPECT_EQ(fdt_check(blob, 56 + tail), -1);
		EXPECT_EQ(fdt_exercise(blob, 56 + tail), 0);
		free(blob);
	}
}

/* Strings one byte too long for boot_info: cut to fit, and flagged. */
TEST(boot_info_strings_one_too_long)
{
	struct fdtb *b = malloc(sizeof(*b));
	struct boot_info *bi = malloc(sizeof(*bi));
	static u8 out[4096];
	char args[513], path[65];

	ASSERT_NOT_NULL(b);
	ASSERT_NOT_NULL(bi);
	memset(args, 'a', 512);
	args[512] = '\0';
	memset(path, 'p', 64);
	path[64] = '\0';
	fdtb_init(b);
	fdtb_begin(b, "");
	fdtb_begin(b, "chosen");
	fdtb_prop_str(b, "bootargs", args);
	fdtb_prop_str(b, "stdout-path", path);
	fdtb_end_node(b);
	fdtb_end_node(b);
	fdtb_token(b, FDT_END);
	fdtb_finish(b, out, sizeof(out));
	ASSERT_EQ(fdt_parse_boot_info(out, bi), 0);
	EXPECT_EQ(bi->truncated, 1);
	EXPECT_EQ(strlen(bi->bootargs), 511);
	EXPECT_EQ(strlen(bi->stdout_path), 63);

	/* An unterminated bootargs value is cut at the property's end. */
	fdtb_init(b);
	fdtb_begin(b, "");
	fdtb_begin(b, "chosen");
	fdtb_prop(b, "bootargs", "quiet", 5);
	fdtb_end_node(b);
	fdtb_end_node(b);
	fdtb_token(b, FDT_END);
	fdtb_finish(b, out, sizeof(out));
	ASSERT_EQ(fdt_parse_boot_info(out, bi), 0);
	EXPECT_STREQ(bi->bootargs, "quiet");
	EXPECT_EQ(bi->truncated, 0);
	free(bi);
	free(b);
}

/* String values must carry their NUL: "okay" without one is not "okay". */
TEST(string_values_need_their_nul)
{
	struct fdtb *b = malloc(sizeof(*b));
	static u8 out[1024];
	struct boot_info bi;
	int a, c, d;

	ASSERT_NOT_NULL(b);
	fdtb_init(b);
	fdtb_begin(b, "");
	fdtb_prop_u32(b, "#address-cells", 1);
	fdtb_prop_u32(b, "#size-cells", 1);
	fdtb_begin(b, "a");
	fdtb_prop(b, "compatible", "virtio,mmio", 11); /* unterminated */
	fdtb_prop(b, "status", "okay", 4);
	fdtb_end_node(b);
	fdtb_begin(b, "c");
	fdtb_prop(b, "compatible", "x\0virtio,mmio", 13); /* last one unterminated */
	fdtb_prop(b, "status", "okayokay", 9);
	fdtb_end_node(b);
	fdtb_begin(b, "d");
	fdtb_prop(b, "compatible", "x\0virtio,mmio\0", 15);
	fdtb_prop(b, "status", "ok", 3);
	fdtb_end_node(b);
	fdtb_begin(b, "memory@0");
	fdtb_prop(b, "device_type", "memory", 6); /* unterminated: not memory */
	fdtb_prop_cells2(b, "reg", 0, 0x1000);
	fdtb_end_node(b);
	fdtb_end_node(b);
	fdtb_token(b, FDT_END);
	fdtb_finish(b, out, sizeof(out));

	a = fdt_path_offset(out, "/a");
	c = fdt_path_offset(out, "/c");
	d = fdt_path_offset(out, "/d");
	EXPECT_FALSE(fdt_node_is_compatible(out, a, "virtio,mmio"));
	EXPECT_FALSE(fdt_node_is_compatible(out, c, "virtio,mmio"));
	EXPECT_TRUE(fdt_node_is_compatible(out, c, "x"));
	EXPECT_TRUE(fdt_node_is_compatible(out, d, "virtio,mmio"));
	EXPECT_EQ(fdt_find_compatible(out, "virtio,mmio", -1), d);
	EXPECT_FALSE(fdt_node_is_available(out, a));
	EXPECT_FALSE(fdt_node_is_available(out, c));
	EXPECT_TRUE(fdt_node_is_available(out, d)); /* "ok" is the old spelling */
	ASSERT_EQ(fdt_parse_boot_info(out, &bi), 0);
	EXPECT_EQ(bi.nmem, 0);
	free(b);
}
