/*
 * include/kernel/fdt.h - reading the flattened device tree (DTB) that the
 * firmware hands the kernel at boot.
 *
 * Two layers:
 *   - low level: check a blob, walk nodes and properties, look nodes up by
 *     path or "compatible" string, decode "reg" entries. A node or property is
 *     named by an int: the byte offset of its token inside the blob. Negative
 *     ints are errors (-FDT_ERR_*).
 *   - high level: fdt_parse_boot_info() copies everything early boot needs
 *     (RAM ranges, reserved ranges, command line, CPU ids, timer frequency)
 *     into a fixed-size struct boot_info, so the blob may be freed afterwards.
 *
 * Nothing here allocates memory or sleeps; every function only reads the blob.
 *
 * See: kernel/fdt.c for the blob layout and the rules the parser enforces.
 */
#ifndef _KERNEL_FDT_H
#define _KERNEL_FDT_H

#include <uapi/pagoda/types.h>

/* Header magic and structure-block tokens (Devicetree Specification 5.2, 5.4.1). */
#define FDT_MAGIC 0xd00dfeedU
#define FDT_BEGIN_NODE 0x1U
#define FDT_END_NODE 0x2U
#define FDT_PROP 0x3U
#define FDT_NOP 0x4U
#define FDT_END 0x9U

#define FDT_HEADER_SIZE 40 /* version 17 header: ten big-endian u32 fields */
#define FDT_MAX_DEPTH 32   /* deeper nesting is rejected as corrupt */

/* Errors, returned negated (-FDT_ERR_NOTFOUND). */
#define FDT_ERR_BADBLOB 1  /* bad header, offset out of range, misnested or truncated */
#define FDT_ERR_NOTFOUND 2 /* no such node, property or reg entry */
#define FDT_ERR_BADVALUE 3 /* property has the wrong length or an unsupported cell count */
#define FDT_ERR_BADARG 4   /* NULL pointer or an offset that is not a node/property */

/* Limits of struct boot_info; an overflow sets boot_info.truncated. */
#define BOOT_MAX_MEM 8
#define BOOT_MAX_RSV 16
#define BOOT_MAX_CPUS 8 /* the kernel's NCPU */

/**
 * struct mem_range - one physical address range taken from the device tree
 * @base: first byte
 * @size: length in bytes
 * @name: node name ("memory@80000000"), or "memreserve" for an entry of the
 *        memory reservation block; truncated to 31 characters
 */
struct mem_range {
	u64 base, size;
	char name[32];
};

/**
 * struct boot_info - what early boot needs from the device tree
 * @mem:                "reg" entries of every available root child with
 *                      device_type = "memory"; @nmem of them are valid
 * @rsv:                the memory reservation block, then the "reg" entries of
 *                      available /reserved-memory children; @nrsv are valid
 * @bootargs:           /chosen "bootargs" ("" if absent)
 * @stdout_path:        /chosen "stdout-path" ("" if absent), options such as
 *                      ":115200n8" included
 * @ncpus:              number of valid entries in @cpu_ids
 * @cpu_ids:            "reg" of each available /cpus child with device_type
 *                      "cpu": the RISC-V hart id or the ARM MPIDR affinity
 * @timebase_frequency: /cpus "timebase-frequency" (RISC-V timer, Hz), else the
 *                      first cpu node's; 0 if absent (ARM has none)
 * @dtb_size:           the blob's totalsize, to keep it reserved
 * @truncated:          1 when any table or string above was too small
 */
struct boot_info {
	struct mem_range mem[BOOT_MAX_MEM];
	int nmem;
	struct mem_range rsv[BOOT_MAX_RSV];
	int nrsv;
	char bootargs[512];
	char stdout_path[64];
	int ncpus;
	u64 cpu_ids[BOOT_MAX_CPUS];
	u64 timebase_frequency;
	u64 dtb_size;
	int truncated;
};

/*
 * The blob is big-endian and may sit at any address: load it byte by byte
 * (an unaligned word load traps on some cores).
 */
static inline u32 fdt_be32(const void *p)
{
	const u8 *b = p;

	return ((u32)b[0] << 24) | ((u32)b[1] << 16) | ((u32)b[2] << 8) | (u32)b[3];
}

static inline u64 fdt_be64(const void *p)
{
	const u8 *b = p;

	return ((u64)fdt_be32(b) << 32) | fdt_be32(b + 4);
}

int fdt_check(const void *blob, u64 max_size);
const char *fdt_strerror(int err);

int fdt_path_offset(const void *blob, const char *path);
int fdt_first_subnode(const void *blob, int node);
int fdt_next_subnode(const void *blob, int node);
int fdt_parent_offset(const void *blob, int node);
const char *fdt_get_name(const void *blob, int node, int *lenp);

int fdt_first_property(const void *blob, int node);
int fdt_next_property(const void *blob, int prop);
const void *fdt_property_value(const void *blob, int prop, const char **namep, int *lenp);
const void *fdt_getprop(const void *blob, int node, const char *name, int *lenp);
int fdt_getprop_u32(const void *blob, int node, const char *name, u32 *out);

int fdt_address_cells(const void *blob, int node);
int fdt_size_cells(const void *blob, int node);
int fdt_node_is_available(const void *blob, int node);
int fdt_node_is_compatible(const void *blob, int node, const char *compat);
int fdt_find_compatible(const void *blob, const char *compat, int start);
int fdt_read_reg(const void *blob, int node, int index, u64 *base, u64 *size);

int fdt_parse_boot_info(const void *blob, struct boot_info *bi);

/* Visit each child of @parent; @node is an int lvalue. */
#define fdt_for_each_subnode(node, blob, parent)                        \
	for ((node) = fdt_first_subnode((blob), (parent)); (node) >= 0; \
	     (node) = fdt_next_subnode((blob), (node)))

/* Visit each property of @node; @prop is an int lvalue. */
#define fdt_for_each_property(prop, blob, node)                        \
	for ((prop) = fdt_first_property((blob), (node)); (prop) >= 0; \
	     (prop) = fdt_next_property((blob), (prop)))

#endif /* _KERNEL_FDT_H */
