/*
 * tools/testing/fdt/fdt-test.c - helpers for the fdt tests; see fdt-test.h.
 */
/* Kernel headers first: <kernel/types.h> must precede the host's <stddef.h>. */
#include <kernel/fdt.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktest-host.h"
#include "fdt-test.h"

u8 *fdt_test_load(const char *rel, size_t *lenp)
{
	return ktest_read_file(ktest_data_path(rel), lenp);
}

int fdt_test_load_qemu(const char *name, u8 **blobp, size_t *lenp, const char **reason)
{
	static char why[256];
	char rel[128], *skip;
	size_t n = 0;

	snprintf(rel, sizeof(rel), "qemu/%s.dtb", name);
	*blobp = fdt_test_load(rel, lenp);
	if (*blobp)
		return 1;
	snprintf(rel, sizeof(rel), "qemu/%s.dtb.skip", name);
	skip = (char *)fdt_test_load(rel, &n);
	if (!skip)
		return -1;
	snprintf(why, sizeof(why), "%.*s", (int)(n && skip[n - 1] == '\n' ? n - 1 : n), skip);
	free(skip);
	*reason = why;
	return 0;
}

void put_be32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void put_be64(u8 *p, u64 v)
{
	put_be32(p, v >> 32);
	put_be32(p + 4, (u32)v);
}

void fdtb_init(struct fdtb *b)
{
	memset(b, 0, sizeof(*b));
}

void fdtb_memreserve(struct fdtb *b, u64 base, u64 size)
{
	put_be64(b->rsv + b->rsv_len, base);
	put_be64(b->rsv + b->rsv_len + 8, size);
	b->rsv_len += 16;
}

void fdtb_token(struct fdtb *b, u32 token)
{
	put_be32(b->dt + b->dt_len, token);
	b->dt_len += 4;
}

void fdtb_begin(struct fdtb *b, const char *name)
{
	size_t n = strlen(name) + 1;

	fdtb_token(b, FDT_BEGIN_NODE);
	memcpy(b->dt + b->dt_len, name, n);
	b->dt_len += (n + 3) & ~3u;
}

void fdtb_end_node(struct fdtb *b)
{
	fdtb_token(b, FDT_END_NODE);
}

static u32 string_offset(struct fdtb *b, const char *name)
{
	u32 off;

	for (off = 0; off < b->strings_len; off += strlen(b->strings + off) + 1) {
		if (strcmp(b->strings + off, name) == 0)
			return off;
	}
	strcpy(b->strings + off, name);
	b->strings_len += strlen(name) + 1;
	return off;
}

void fdtb_prop(struct fdtb *b, const char *name, const void *val, u32 len)
{
	fdtb_token(b, FDT_PROP);
	put_be32(b->dt + b->dt_len, len);
	put_be32(b->dt + b->dt_len + 4, string_offset(b, name));
	b->dt_len += 8;
	if (len)
		memcpy(b->dt + b->dt_len, val, len);
	b->dt_len += (len + 3) & ~3u;
}

void fdtb_prop_u32(struct fdtb *b, const char *name, u32 v)
{
	u8 cell[4];

	put_be32(cell, v);
	fdtb_prop(b, name, cell, 4);
}

void fdtb_prop_str(struct fdtb *b, const char *name, const char *s)
{
	fdtb_prop(b, name, s, strlen(s) + 1);
}

void fdtb_prop_cells2(struct fdtb *b, const char *name, u32 a, u32 c)
{
	u8 cells[8];

	put_be32(cells, a);
	put_be32(cells + 4, c);
	fdtb_prop(b, name, cells, 8);
}

static size_t finish(struct fdtb *b, u8 *out, size_t outsz, int struct_last)
{
	u32 rsv = 40, st = rsv + b->rsv_len + 16, str = st + b->dt_len;
	u32 total = str + b->strings_len;

	if (struct_last) {
		str = rsv + b->rsv_len + 16;
		st = (str + b->strings_len + 3) & ~3u;
		total = st + b->dt_len;
	}

	if (total > outsz)
		abort();
	memset(out, 0, total);
	put_be32(out + 0, FDT_MAGIC);
	put_be32(out + 4, total);
	put_be32(out + 8, st);
	put_be32(out + 12, str);
	put_be32(out + 16, rsv);
	put_be32(out + 20, 17);
	put_be32(out + 24, 16);
	put_be32(out + 28, 0);
	put_be32(out + 32, b->strings_len);
	put_be32(out + 36, b->dt_len);
	memcpy(out + rsv, b->rsv, b->rsv_len); /* the {0, 0} terminator is already zero */
	memcpy(out + st, b->dt, b->dt_len);
	memcpy(out + str, b->strings, b->strings_len);
	return total;
}

size_t fdtb_finish(struct fdtb *b, u8 *out, size_t outsz)
{
	return finish(b, out, outsz, 0);
}

size_t fdtb_finish_struct_last(struct fdtb *b, u8 *out, size_t outsz)
{
	return finish(b, out, outsz, 1);
}

/* ---- exercising a possibly corrupt blob ---- */

static const char *const paths[] = {"/",
				    "/chosen",
				    "/cpus",
				    "/cpus/cpu@0",
				    "/memory",
				    "/soc/uart",
				    "/reserved-memory",
				    "/soc/uart@10000000",
				    "//cpus//",
				    "relative",
				    ""};

static const char *const compats[] = {"virtio,mmio", "ns16550a", "arm,pl011", "riscv", ""};

static int broken;

#define PROMISE(cond, ...)                      \
	do {                                    \
		if (!(cond)) {                  \
			ktest_log(__VA_ARGS__); \
			broken++;               \
		}                               \
	} while (0)

/* After fdt_check() passed, only these errors are allowed. */
static int benign(int err, int checked)
{
	return !checked || err >= 0 || err != -FDT_ERR_BADBLOB;
}

/* Touch every byte a caller could be handed, so ASan sees any out-of-bounds pointer. */
static unsigned touch(const void *p, int len)
{
	const u8 *b = p;
	unsigned sum = 0;
	int i;

	for (i = 0; p && i < len; i++)
		sum += b[i];
	return sum;
}

static void walk(const void *blob, int node, int depth, int checked, unsigned *sum)
{
	const char *name, *pname;
	const void *val;
	int child, prop, len, parent;
	u64 base, size;

	name = fdt_get_name(blob, node, &len);
	PROMISE(name || benign(len, checked), "get_name(%d) = %d", node, len);
	if (name)
		*sum += touch(name, len + 1);
	fdt_for_each_property(prop, blob, node)
	{
		val = fdt_property_value(blob, prop, &pname, &len);
		PROMISE(val, "property_value(%d) failed: %d", prop, len);
		if (val) {
			*sum += touch(val, len) + touch(pname, (int)strlen(pname) + 1);
			PROMISE(fdt_getprop(blob, node, pname, &len) != NULL,
				"getprop(%s) failed: %d", pname, len);
		}
	}
	PROMISE(benign(prop, checked), "property walk of %d ended with %d", node, prop);
	fdt_getprop(blob, node, "reg", &len);
	(void)fdt_read_reg(blob, node, 0, &base, &size);
	(void)fdt_read_reg(blob, node, 1, &base, &size);
	(void)fdt_address_cells(blob, node);
	(void)fdt_size_cells(blob, node);
	(void)fdt_node_is_available(blob, node);
	(void)fdt_node_is_compatible(blob, node, "virtio,mmio");
	parent = fdt_parent_offset(blob, node);
	PROMISE(benign(parent, checked), "parent_offset(%d) = %d", node, parent);
	if (depth > 2 * FDT_MAX_DEPTH)
		return; /* only reachable without fdt_check(); enough is enough */
	fdt_for_each_subnode(child, blob, node)
	{
		PROMISE(child > node, "subnode %d not after %d", child, node);
		if (child <= node)
			return;
		walk(blob, child, depth + 1, checked, sum);
	}
	PROMISE(benign(child, checked), "subnode walk of %d ended with %d", node, child);
}

int fdt_exercise(const u8 *buf, size_t len)
{
	struct boot_info *bi = malloc(sizeof(*bi));
	int checked, i, node, root, err, n;
	unsigned sum = 0;

	broken = 0;
	checked = fdt_check(buf, len) >= 0;
	/*
	 * Without fdt_check(), the other calls may only be made when totalsize
	 * bytes are readable: that is their documented contract.
	 */
	if (len < 8 || ((u32)buf[4] << 24 | (u32)buf[5] << 16 | (u32)buf[6] << 8 | buf[7]) > len)
		goto out;

	err = fdt_parse_boot_info(buf, bi);
	PROMISE(benign(err, checked), "parse_boot_info = %d after fdt_check passed", err);
	if (err == 0) {
		PROMISE(bi->nmem <= BOOT_MAX_MEM && bi->nrsv <= BOOT_MAX_RSV &&
			    bi->ncpus <= BOOT_MAX_CPUS,
			"boot_info counts out of range");
		PROMISE(memchr(bi->bootargs, 0, sizeof(bi->bootargs)) &&
			    memchr(bi->stdout_path, 0, sizeof(bi->stdout_path)),
			"boot_info strings not terminated");
	}
	for (i = 0; i < (int)(sizeof(paths) / sizeof(paths[0])); i++) {
		node = fdt_path_offset(buf, paths[i]);
		PROMISE(benign(node, checked), "path_offset(%s) = %d", paths[i], node);
	}
	for (i = 0; i < (int)(sizeof(compats) / sizeof(compats[0])); i++) {
		n = 0;
		for (node = fdt_find_compatible(buf, compats[i], -1); node >= 0 && n < 100000;
		     node = fdt_find_compatible(buf, compats[i], node))
			n++;
		PROMISE(benign(node, checked), "find_compatible(%s) ended with %d", compats[i],
			node);
	}
	root = fdt_path_offset(buf, "/");
	if (root >= 0)
		walk(buf, root, 0, checked, &sum);
	PROMISE(!checked || root >= 0, "no root after fdt_check passed: %d", root);
out:
	free(bi);
	(void)sum;
	return broken;
}
