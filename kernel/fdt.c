/*
 * kernel/fdt.c - a small, defensive reader for the flattened device tree.
 *
 * At boot the firmware (OpenSBI on RISC-V, QEMU itself on ARM) passes the
 * physical address of a device tree blob: a description of the machine (RAM,
 * CPUs, devices, command line) serialised into one flat, pointer-free byte
 * array. This file reads it in place, without allocating, and
 * fdt_parse_boot_info() copies what early boot needs into struct boot_info.
 *
 * Layout of a blob (every integer big-endian, every block 4-byte aligned):
 *
 *   blob + 0          +------------------------------+
 *                     | header, 40 bytes             |  magic 0xd00dfeed, totalsize,
 *                     |                              |  offset and size of each block
 *   off_mem_rsvmap    +------------------------------+
 *                     | memory reservation block     |  {u64 address, u64 size} ...
 *                     |                              |  {0, 0} ends the list
 *   off_dt_struct     +------------------------------+
 *                     | structure block: u32 tokens  |  BEGIN_NODE "name\0" pad
 *                     |                              |  PROP len nameoff value pad
 *                     |                              |  NOP | END_NODE | ... | END
 *   off_dt_strings    +------------------------------+
 *                     | strings block                |  "reg\0compatible\0..."
 *   totalsize         +------------------------------+
 *
 * The structure block is the tree written out depth first. For example
 *
 *   BEGIN_NODE ""                        the root, "/"
 *     PROP "#address-cells" <2>          nameoff points into the strings block
 *     BEGIN_NODE "memory@80000000"       "/memory@80000000"
 *       PROP "device_type" "memory\0"
 *       PROP "reg" <0 0x80000000 0 0x4000000>
 *     END_NODE
 *   END_NODE
 *   END
 *
 * A node's properties come before its children. A node or property is named
 * by the offset of its token from the start of the blob.
 *
 * Trust: the blob comes from firmware and may be truncated or corrupt (a bad
 * load address is enough). fdt_check() validates the header against the
 * caller's buffer size, walks the whole structure block and checks nesting,
 * so a blob that passes it cannot make the other functions fail with
 * -FDT_ERR_BADBLOB. Independently, every function re-checks the header and
 * bounds-checks every token it reads against totalsize, so even on a blob
 * that failed fdt_check() (but whose totalsize bytes are readable) nothing
 * reads outside the blob; wrong answers and errors are possible, crashes not.
 *
 * No locks: the blob is read-only. Callable before the MMU, allocator or
 * console are up.
 *
 * See: Devicetree Specification v0.4, chapter 5 "Flattened Devicetree (DTB)
 *      Format" (5.2 header, 5.3 memory reservation block, 5.4 structure
 *      block, 5.5 strings block); 2.3.4 status, 2.3.5 #address-cells and
 *      #size-cells, 2.3.6 reg; 3.4 /memory, 3.5 /reserved-memory, 3.6
 *      /chosen, 3.7 /cpus, 3.8 /cpus/cpu*.
 */
#include <uapi/pagoda/types.h>
#include <kernel/string.h>
#include <kernel/fdt.h>

/* Offsets are handed out as ints, so a blob may not exceed 2 GiB. */
#define FDT_MAX_TOTALSIZE 0x7fffffffU

/* Header field offsets (spec 5.2). */
#define HDR_MAGIC 0
#define HDR_TOTALSIZE 4
#define HDR_OFF_STRUCT 8
#define HDR_OFF_STRINGS 12
#define HDR_OFF_RSVMAP 16
#define HDR_VERSION 20
#define HDR_LAST_COMP 24
#define HDR_SIZE_STRINGS 32
#define HDR_SIZE_STRUCT 36

#define FDT_VERSION 17 /* the only version with size_dt_struct, written by dtc and QEMU */

/* The bounds of one blob, read from its header once per call. */
struct fdt_view {
	const u8 *base;
	u32 size;	 /* totalsize */
	u32 struct_off;	 /* first token */
	u32 struct_end;	 /* one past the last token; a multiple of 4 */
	u32 strings_off; /* strings block */
	u32 strings_size;
	u32 rsv_off; /* memory reservation block, 8-byte aligned */
};

static u32 align4(u32 x)
{
	return (x + 3) & ~3U;
}

/* Length of the string at @p, or @max when there is no NUL in the first @max bytes. */
static u32 bounded_strlen(const u8 *p, u32 max)
{
	u32 n = 0;

	while (n < max && p[n] != 0)
		n++;
	return n;
}

/*
 * Read and sanity-check the header. Afterwards every block lies inside
 * [0, totalsize) and totalsize <= max_size.
 */
static int view_init(struct fdt_view *v, const void *blob, u64 max_size)
{
	const u8 *h = blob;
	u32 size, soff, ssize, stroff, strsize, rsv;

	if (!blob)
		return -FDT_ERR_BADARG;
	if (max_size < FDT_HEADER_SIZE || fdt_be32(h + HDR_MAGIC) != FDT_MAGIC)
		return -FDT_ERR_BADBLOB;

	size = fdt_be32(h + HDR_TOTALSIZE);
	if (size < FDT_HEADER_SIZE || size > max_size || size > FDT_MAX_TOTALSIZE)
		return -FDT_ERR_BADBLOB;
	if (fdt_be32(h + HDR_VERSION) < FDT_VERSION || fdt_be32(h + HDR_LAST_COMP) > FDT_VERSION)
		return -FDT_ERR_BADBLOB;

	soff = fdt_be32(h + HDR_OFF_STRUCT);
	ssize = fdt_be32(h + HDR_SIZE_STRUCT);
	stroff = fdt_be32(h + HDR_OFF_STRINGS);
	strsize = fdt_be32(h + HDR_SIZE_STRINGS);
	rsv = fdt_be32(h + HDR_OFF_RSVMAP);

	/* u64 sums: a corrupt offset near 4 GiB must not wrap around. */
	if (soff < FDT_HEADER_SIZE || soff % 4 || ssize % 4 || (u64)soff + ssize > size)
		return -FDT_ERR_BADBLOB;
	if (stroff < FDT_HEADER_SIZE || (u64)stroff + strsize > size)
		return -FDT_ERR_BADBLOB;
	if (rsv < FDT_HEADER_SIZE || rsv % 8 || (u64)rsv + 16 > size)
		return -FDT_ERR_BADBLOB;

	v->base = h;
	v->size = size;
	v->struct_off = soff;
	v->struct_end = soff + ssize;
	v->strings_off = stroff;
	v->strings_size = strsize;
	v->rsv_off = rsv;
	return 0;
}

/*
 * Decode the token at @off: return its tag and set *@next to the token after
 * it, or return -FDT_ERR_BADBLOB. A token this accepts lies wholly inside the
 * structure block; a BEGIN_NODE's name is NUL-terminated there, and a PROP's
 * value fits and its name is a NUL-terminated string of the strings block.
 * *@next > @off always, so loops over tokens terminate.
 */
static int next_tag(const struct fdt_view *v, u32 off, u32 *next)
{
	u32 tag, len, nameoff, room;

	if (off < v->struct_off || off % 4 || off > v->struct_end || v->struct_end - off < 4)
		return -FDT_ERR_BADBLOB;
	room = v->struct_end - off - 4; /* bytes after the tag */
	tag = fdt_be32(v->base + off);

	switch (tag) {
	case FDT_BEGIN_NODE:
		len = bounded_strlen(v->base + off + 4, room);
		if (len == room)
			return -FDT_ERR_BADBLOB;
		/* struct_end is a multiple of 4, so the padded end stays inside. */
		*next = align4(off + 4 + len + 1);
		return tag;
	case FDT_PROP:
		if (room < 8)
			return -FDT_ERR_BADBLOB;
		len = fdt_be32(v->base + off + 4);
		nameoff = fdt_be32(v->base + off + 8);
		if (len > room - 8 || nameoff >= v->strings_size)
			return -FDT_ERR_BADBLOB;
		if (bounded_strlen(v->base + v->strings_off + nameoff, v->strings_size - nameoff) ==
		    v->strings_size - nameoff)
			return -FDT_ERR_BADBLOB;
		*next = align4(off + 12 + len);
		return tag;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		*next = off + 4;
		return tag;
	default:
		return -FDT_ERR_BADBLOB;
	}
}

/* Could @off name a token at all? (Aligned and inside the structure block.) */
static int token_offset_ok(const struct fdt_view *v, int off)
{
	return off >= 0 && (u32)off >= v->struct_off && (u32)off < v->struct_end && off % 4 == 0;
}

/* Check that @node is a BEGIN_NODE token; set *@body to the token after its name. */
static int node_body(const struct fdt_view *v, int node, u32 *body)
{
	int tag;

	if (!token_offset_ok(v, node))
		return -FDT_ERR_BADARG;
	tag = next_tag(v, (u32)node, body);
	if (tag < 0)
		return tag;
	return tag == FDT_BEGIN_NODE ? 0 : -FDT_ERR_BADARG;
}

/* The memory reservation block must end with {0, 0} before totalsize. */
static int check_rsvmap(const struct fdt_view *v)
{
	u32 off;

	for (off = v->rsv_off; off <= v->size && v->size - off >= 16; off += 16) {
		if (fdt_be64(v->base + off) == 0 && fdt_be64(v->base + off + 8) == 0)
			return 0;
	}
	return -FDT_ERR_BADBLOB;
}

/*
 * Walk every token once: one root node, balanced BEGIN/END_NODE no deeper
 * than FDT_MAX_DEPTH, properties only inside a node and before its first
 * child, END only after the root has closed.
 */
static int check_structure(const struct fdt_view *v)
{
	u32 off = v->struct_off, next;
	int depth = 0, seen_root = 0, props_allowed = 0;
	int tag;

	for (;;) {
		tag = next_tag(v, off, &next);
		if (tag < 0)
			return tag;
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (depth == 0 && seen_root)
				return -FDT_ERR_BADBLOB;
			seen_root = 1;
			if (++depth > FDT_MAX_DEPTH)
				return -FDT_ERR_BADBLOB;
			props_allowed = 1;
			break;
		case FDT_END_NODE:
			if (depth == 0)
				return -FDT_ERR_BADBLOB;
			depth--;
			props_allowed = 0; /* the parent has now had a child */
			break;
		case FDT_PROP:
			if (depth == 0 || !props_allowed)
				return -FDT_ERR_BADBLOB;
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return (depth == 0 && seen_root) ? 0 : -FDT_ERR_BADBLOB;
		}
		off = next;
	}
}

/**
 * fdt_check - validate a device tree blob before using it
 * @blob:     start of the blob
 * @max_size: bytes that may be read at @blob (the buffer or RAM that holds it)
 *
 * Checks the header (magic, version 17, every block inside totalsize and
 * totalsize <= @max_size), that the memory reservation block is terminated,
 * and walks the whole structure block: tokens valid and in bounds, names
 * terminated, nodes properly nested (at most FDT_MAX_DEPTH deep) under one
 * root, properties before child nodes, FDT_END last. Reads only the first
 * totalsize bytes, and none at all past @max_size.
 *
 * Context: any; reads the blob only.
 * Return: totalsize (the blob's length in bytes) or -FDT_ERR_BADBLOB (-1).
 */
int fdt_check(const void *blob, u64 max_size)
{
	struct fdt_view v;

	if (view_init(&v, blob, max_size) < 0 || check_rsvmap(&v) < 0 || check_structure(&v) < 0)
		return -FDT_ERR_BADBLOB;
	return (int)v.size;
}

/**
 * fdt_strerror - name an error returned by this file
 * @err: a return value, negative or not
 *
 * Context: any.
 * Return: a constant string such as "FDT_ERR_NOTFOUND".
 */
const char *fdt_strerror(int err)
{
	switch (-err) {
	case 0:
		return "no error";
	case FDT_ERR_BADBLOB:
		return "FDT_ERR_BADBLOB";
	case FDT_ERR_NOTFOUND:
		return "FDT_ERR_NOTFOUND";
	case FDT_ERR_BADVALUE:
		return "FDT_ERR_BADVALUE";
	case FDT_ERR_BADARG:
		return "FDT_ERR_BADARG";
	default:
		return err > 0 ? "no error" : "unknown fdt error";
	}
}

/* ---- nodes ---- */

static int root_node(const struct fdt_view *v)
{
	u32 off = v->struct_off, next;
	int tag;

	while ((tag = next_tag(v, off, &next)) == FDT_NOP)
		off = next;
	if (tag < 0)
		return tag;
	return tag == FDT_BEGIN_NODE ? (int)off : -FDT_ERR_BADBLOB;
}

static int first_child(const struct fdt_view *v, int node)
{
	u32 off, next;
	int tag, err;

	err = node_body(v, node, &off);
	if (err < 0)
		return err;
	for (;; off = next) {
		tag = next_tag(v, off, &next);
		if (tag == FDT_PROP || tag == FDT_NOP)
			continue;
		if (tag == FDT_BEGIN_NODE)
			return (int)off;
		if (tag == FDT_END_NODE)
			return -FDT_ERR_NOTFOUND;
		return tag < 0 ? tag : -FDT_ERR_BADBLOB;
	}
}

static int next_sibling(const struct fdt_view *v, int node)
{
	u32 off, next;
	int tag, depth = 0;

	if (!token_offset_ok(v, node))
		return -FDT_ERR_BADARG;
	/* Skip @node's whole subtree: find the END_NODE that balances it. */
	for (off = (u32)node;; off = next) {
		tag = next_tag(v, off, &next);
		if (tag < 0)
			return tag;
		if (off == (u32)node && tag != FDT_BEGIN_NODE)
			return -FDT_ERR_BADARG;
		if (tag == FDT_BEGIN_NODE)
			depth++;
		else if (tag == FDT_END_NODE && --depth == 0)
			break;
		else if (tag == FDT_END)
			return -FDT_ERR_BADBLOB;
	}
	for (off = next;; off = next) {
		tag = next_tag(v, off, &next);
		if (tag == FDT_NOP)
			continue;
		if (tag == FDT_BEGIN_NODE)
			return (int)off;
		if (tag == FDT_END_NODE || tag == FDT_END) /* END: @node was the root */
			return -FDT_ERR_NOTFOUND;
		return tag < 0 ? tag : -FDT_ERR_BADBLOB;
	}
}

static const char *node_name(const struct fdt_view *v, int node)
{
	u32 body;

	if (node_body(v, node, &body) < 0)
		return NULL;
	return (const char *)v->base + node + 4; /* terminated: checked by next_tag() */
}

/*
 * Does node name @name match path component @comp (@len bytes, no '/')?
 * "uart@10000000" matches itself, and "uart" matches it too because the
 * component has no unit address.
 */
static int name_matches(const char *name, const char *comp, int len)
{
	int nlen = (int)strlen(name), i;

	if (nlen == len && memcmp(name, comp, len) == 0)
		return 1;
	for (i = 0; i < len; i++) {
		if (comp[i] == '@')
			return 0;
	}
	return nlen > len && name[len] == '@' && memcmp(name, comp, len) == 0;
}

static int find_child(const struct fdt_view *v, int parent, const char *comp, int len)
{
	int child;

	for (child = first_child(v, parent); child >= 0; child = next_sibling(v, child)) {
		if (name_matches(node_name(v, child), comp, len))
			return child;
	}
	return child;
}

static int lookup_path(const struct fdt_view *v, const char *path)
{
	const char *p = path;
	int node, len;

	if (!path)
		return -FDT_ERR_BADARG;
	if (*p != '/')
		return -FDT_ERR_NOTFOUND; /* aliases are not supported */
	node = root_node(v);
	while (node >= 0) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		for (len = 0; p[len] && p[len] != '/'; len++)
			;
		node = find_child(v, node, p, len);
		p += len;
	}
	return node;
}

/**
 * fdt_path_offset - find a node by its full path
 * @blob: a device tree that passed fdt_check()
 * @path: absolute path such as "/", "/cpus/cpu@0" or "/soc/serial@10000000"
 *
 * A path component without '@' also matches a node name with a unit address:
 * "/memory" finds "memory@80000000" (the first such node in blob order).
 * Repeated and trailing slashes are ignored. Aliases (paths not starting
 * with '/') are not supported.
 *
 * Context: any; reads the blob only.
 * Return: the node's offset, -FDT_ERR_NOTFOUND, or another negative error.
 */
int fdt_path_offset(const void *blob, const char *path)
{
	struct fdt_view v;
	int err = view_init(&v, blob, FDT_MAX_TOTALSIZE);

	return err < 0 ? err : lookup_path(&v, path);
}

/**
 * fdt_first_subnode - first child of a node
 * @blob: a device tree that passed fdt_check()
 * @node: offset of the parent node
 *
 * Context: any; reads the blob only.
 * Return: the child's offset, -FDT_ERR_NOTFOUND if @node has no children, or
 * another negative error.
 */
int fdt_first_subnode(const void *blob, int node)
{
	struct fdt_view v;
	int err = view_init(&v, blob, FDT_MAX_TOTALSIZE);

	return err < 0 ? err : first_child(&v, node);
}

/**
 * fdt_next_subnode - next sibling of a node
 * @blob: a device tree that passed fdt_check()
 * @node: offset of a node (not the root)
 *
 * Skips @node's whole subtree. Use with fdt_first_subnode(), or the
 * fdt_for_each_subnode() loop.
 *
 * Context: any; reads the blob only.
 * Return: the sibling's offset, -FDT_ERR_NOTFOUND after the last child, or
 * another negative error.
 */
int fdt_next_subnode(const void *blob, int node)
{
	struct fdt_view v;
	int err = view_init(&v, blob, FDT_MAX_TOTALSIZE);

	return err < 0 ? err : next_sibling(&v, node);
}

static int parent_of(const struct fdt_view *v, int node)
{
	int stack[FDT_MAX_DEPTH];
	int depth = 0, tag;
	u32 off, next;

	if (node < 0)
		return -FDT_ERR_BADARG;
	/* The blob has no parent links: walk from the start, remembering ancestors. */
	for (off = v->struct_off; off <= (u32)node; off = next) {
		tag = next_tag(v, off, &next);
		if (tag < 0)
			return tag;
		if (tag == FDT_BEGIN_NODE) {
			if (off == (u32)node)
				return depth > 0 ? stack[depth - 1] : -FDT_ERR_NOTFOUND;
			if (depth == FDT_MAX_DEPTH)
				return -FDT_ERR_BADBLOB;
			stack[depth++] = (int)off;
		} else if (tag == FDT_END_NODE) {
			if (depth == 0)
				return -FDT_ERR_BADBLOB;
			depth--;
		} else if (tag == FDT_END) {
			break;
		}
	}
	return -FDT_ERR_BADARG; /* @node is not the start of a node */
}

/**
 * fdt_parent_offset - parent of a node
 * @blob: a device tree that passed fdt_check()
 * @node: offset of a node
 *
 * The blob stores no parent links, so this walks from the start of the
 * structure block: O(size of the blob).
 *
 * Context: any; reads the blob only; uses FDT_MAX_DEPTH ints of stack.
 * Return: the parent's offset, -FDT_ERR_NOTFOUND for the root, or another
 * negative error (-FDT_ERR_BADARG if @node is not a node).
 */
int fdt_parent_offset(const void *blob, int node)
{
	struct fdt_view v;
	int err = view_init(&v, blob, FDT_MAX_TOTALSIZE);

	return err < 0 ? err : parent_of(&v, node);
}

/**
 * fdt_get_name - a node's name
 * @blob: a device tree that passed fdt_check()
 * @node: offset of a node
 * @lenp: if not NULL, set to the name's length, or to a negative error
 *
 * The name includes any unit address ("serial@10000000"); the root's is "".
 *
 * Context: any; reads the blob only.
 * Return: a NUL-terminated string inside the blob, or NULL on error.
 */
const char *fdt_get_name(const void *blob, int node, int *lenp)
{
	struct fdt_view v;
	const char *name = NULL;
	int err = view_init(&v, blob, FDT_MAX_TOTALSIZE);

	if (err == 0) {
		name = node_name(&v, node);
		err = name ? (int)strlen(name) : -FDT_ERR_BADARG;
	}
	if (lenp)
		*lenp = err;
	return name;
}

/* ---- properties ---- */

/* From the token at @off, skip NOPs to a PROP; anything else ends the list. */
static int prop_from(const struct fdt_view *v, u32 off)
{
	u32 next;
	int tag;

	while ((tag = next_tag(v, off, &next)) == FDT_NOP)
		off = next;
	if (tag == FDT_PROP)
		return (int)off;
	if (tag == FDT_BEGIN_NODE || tag == FDT_END_NODE)
		return -FDT_ERR_NOTFOUND;
	return tag < 0 ? tag : -FDT_ERR_BADBLOB;
}

static int first_prop(const struct fdt_view *v, int node)
{
	u32 body;
	int err = node_body(v, node, &body);

	return err < 0 ? err : prop_from(v, body);
}

static int next_prop(const struct fdt_view *v, int prop)
{
	u32 next;

	if (prop < 0 || next_tag(v, (u32)prop, &next) != FDT_PROP)
		return -FDT_ERR_BADARG;
	return prop_from(v, next);
}

/* Value of the property token at @prop; next_tag() has bounds-checked it. */
static const u8 *prop_value(const struct fdt_view *v, int prop, const char **namep, int *lenp)
{
	u32 next;

	if (prop < 0 || next_tag(v, (u32)prop, &next) != FDT_PROP) {
		*lenp = -FDT_ERR_BADARG;
		return NULL;
	}
	if (namep)
		*namep = (const char *)v->base + v->strings_off + fdt_be32(v->base + prop + 8);
	*lenp = (int)fdt_be32(v->base + prop + 4);
	return v->base + prop + 12;
}

/* Find property @name of @node. On failure *lenp holds the error. */
static const u8 *get_prop(const struct fdt_view *v, int node, const char *name, int *lenp)
{
	const char *pname;
	const u8 *val;
	int prop;

	for (prop = first_prop(v, node); prop >= 0; prop = next_prop(v, prop)) {
		val = prop_value(v, prop, &pname, lenp);
		if (val && strcmp(pname, name) == 0)
			return val;
	}
	*lenp = prop;
	return NULL;
}

/**
 * fdt_first_property - first property of a node
 * @blob: a device tree that passed fdt_check()
 * @node: offset of a node
 *
 * Context: any; reads the blob only.
 * Return: the property's offset (for fdt_property_value()), -FDT_ERR_NOTFOUND
 * if @node has none, or another negative error.
 */
int fdt_first_property(const void *blob, int node)
{
	struct fdt_view v;
	int err = view_init(&v, blob, FDT_MAX_TOTALSIZE);

	return err < 0 ? err : first_prop(&v, node);
}

/**
 * fdt_next_property - next property of the same node
 * @blob: a device tree that passed fdt_check()
 * @prop: offset of a property
 *
 * Context: any; reads the blob only.
 * Return: the next property's offset, -FDT_ERR_NOTFOUND after the last one,
 * or another negative error.
 */
int fdt_next_property(const void *blob, int prop)
{
	struct fdt_view v;
	int err = view_init(&v, blob, FDT_MAX_TOTALSIZE);

	return err < 0 ? err : next_prop(&v, prop);
}

/**
 * fdt_property_value - name and value of a property found by offset
 * @blob:  a device tree that passed fdt_check()
 * @prop:  offset of a property (from fdt_first_property/fdt_next_property)
 * @namep: if not NULL, set to the property's NUL-terminated name
 * @lenp:  if not NULL, set to the value's length in bytes, or a negative error
 *
 * Context: any; reads the blob only.
 * Return: the value (inside the blob, any alignment; may have length 0), or
 * NULL on error.
 */
const void *fdt_property_value(const void *blob, int prop, const char **namep, int *lenp)
{
	struct fdt_view v;
	const void *val = NULL;
	int len = view_init(&v, blob, FDT_MAX_TOTALSIZE);

	if (len == 0)
		val = prop_value(&v, prop, namep, &len);
	if (lenp)
		*lenp = len;
	return val;
}

/**
 * fdt_getprop - look up a property of a node by name
 * @blob: a device tree that passed fdt_check()
 * @node: offset of a node
 * @name: property name, such as "reg" or "compatible"
 * @lenp: if not NULL, set to the value's length in bytes, or a negative error
 *
 * Context: any; reads the blob only.
 * Return: the value (inside the blob, any alignment; read it with fdt_be32()
 * and fdt_be64()), or NULL if there is no such property (*@lenp =
 * -FDT_ERR_NOTFOUND) or on another error.
 */
const void *fdt_getprop(const void *blob, int node, const char *name, int *lenp)
{
	struct fdt_view v;
	const void *val = NULL;
	int len = view_init(&v, blob, FDT_MAX_TOTALSIZE);

	if (len == 0 && !name)
		len = -FDT_ERR_BADARG;
	if (len == 0)
		val = get_prop(&v, node, name, &len);
	if (lenp)
		*lenp = len;
	return val;
}

/**
 * fdt_getprop_u32 - read a property that holds one 32-bit cell
 * @blob: a device tree that passed fdt_check()
 * @node: offset of a node
 * @name: property name, such as "#address-cells" or "interrupts"
 * @out:  set to the value on success
 *
 * Context: any; reads the blob only.
 * Return: 0, -FDT_ERR_NOTFOUND, -FDT_ERR_BADVALUE if the value is not exactly
 * 4 bytes, or another negative error.
 */
int fdt_getprop_u32(const void *blob, int node, const char *name, u32 *out)
{
	const void *val;
	int len;

	val = fdt_getprop(blob, node, name, &len);
	if (!val)
		return len;
	if (len != 4)
		return -FDT_ERR_BADVALUE;
	if (out)
		*out = fdt_be32(val);
	return 0;
}

/* ---- values ---- */

/* Is the property value @val (@len bytes) exactly the string @s with its NUL? */
static int prop_streq(const u8 *val, int len, const char *s)
{
	int slen = (int)strlen(s);

	return val && len == slen + 1 && memcmp(val, s, slen + 1) == 0;
}

/* Does the string list @val (@len bytes, "a\0b\0") hold @s? Unterminated tails never match. */
static int stringlist_contains(const u8 *val, int len, const char *s)
{
	int slen = (int)strlen(s), n;

	while (val && len > 0) {
		n = (int)bounded_strlen(val, (u32)len);
		if (n == len)
			return 0;
		if (n == slen && memcmp(val, s, slen) == 0)
			return 1;
		val += n + 1;
		len -= n + 1;
	}
	return 0;
}

/* #address-cells / #size-cells of @node: what its children's "reg" uses. */
static int cells_of(const struct fdt_view *v, int node, const char *name, int dflt)
{
	const u8 *val;
	int len;
	u32 cells;

	val = get_prop(v, node, name, &len);
	if (!val)
		return len == -FDT_ERR_NOTFOUND ? dflt : len;
	if (len != 4)
		return -FDT_ERR_BADVALUE;
	cells = fdt_be32(val);
	return cells <= 4 ? (int)cells : -FDT_ERR_BADVALUE;
}

/**
 * fdt_address_cells - #address-cells of a node
 * @blob: a device tree that passed fdt_check()
 * @node: offset of a node (a bus, /cpus, the root ...)
 *
 * The number of 32-bit cells in an address in the "reg" of @node's children.
 *
 * Context: any; reads the blob only.
 * Return: the value (0..4), 2 if the property is absent (spec 2.3.5),
 * -FDT_ERR_BADVALUE if it is malformed, or another negative error.
 */
int fdt_address_cells(const void *blob, int node)
{
	struct fdt_view v;
	int err = view_init(&v, blob, FDT_MAX_TOTALSIZE);

	return err < 0 ? err : cells_of(&v, node, "#address-cells", 2);
}

/**
 * fdt_size_cells - #size-cells of a node
 * @blob: a device tree that passed fdt_check()
 * @node: offset of a node
 *
 * The number of 32-bit cells in a size in the "reg" of @node's children
 * (0 under /cpus: a CPU's reg is just its id).
 *
 * Context: any; reads the blob only.
 * Return: the value (0..4), 1 if the property is absent (spec 2.3.5),
 * -FDT_ERR_BADVALUE if it is malformed, or another negative error.
 */
int fdt_size_cells(const void *blob, int node)
{
	struct fdt_view v;
	int err = view_init(&v, blob, FDT_MAX_TOTALSIZE);

	return err < 0 ? err : cells_of(&v, node, "#size-cells", 1);
}

static int is_available(const struct fdt_view *v, int node)
{
	const u8 *val;
	int len;

	val = get_prop(v, node, "status", &len);
	if (!val)
		return len == -FDT_ERR_NOTFOUND;
	return prop_streq(val, len, "okay") || prop_streq(val, len, "ok");
}

/**
 * fdt_node_is_available - is a node's device usable?
 * @blob: a device tree that passed fdt_check()
 * @node: offset of a node
 *
 * A node is available when it has no "status" property or its status is
 * "okay" (or the older "ok"); "disabled", "reserved", "fail" and "fail-sss"
 * are not (spec 2.3.4).
 *
 * Context: any; reads the blob only.
 * Return: 1 if available, 0 if not or on any error.
 */
int fdt_node_is_available(const void *blob, int node)
{
	struct fdt_view v;

	return view_init(&v, blob, FDT_MAX_TOTALSIZE) == 0 && is_available(&v, node);
}

static int is_compatible(const struct fdt_view *v, int node, const char *compat)
{
	const u8 *val;
	int len;

	val = get_prop(v, node, "compatible", &len);
	return stringlist_contains(val, len, compat);
}

/**
 * fdt_node_is_compatible - does a node's "compatible" list name a driver?
 * @blob:   a device tree that passed fdt_check()
 * @node:   offset of a node
 * @compat: a compatible string, such as "ns16550a"
 *
 * Context: any; reads the blob only.
 * Return: 1 if @compat is one of the strings of @node's "compatible"
 * property, 0 if not or on any error.
 */
int fdt_node_is_compatible(const void *blob, int node, const char *compat)
{
	struct fdt_view v;

	if (!compat || view_init(&v, blob, FDT_MAX_TOTALSIZE) < 0)
		return 0;
	return is_compatible(&v, node, compat);
}

/**
 * fdt_find_compatible - find the next node compatible with a driver
 * @blob:   a device tree that passed fdt_check()
 * @compat: a compatible string, such as "virtio,mmio", "arm,pl011" or "ns16550a"
 * @start:  -1 to search from the start, or a node offset to search after it
 *
 * Visits nodes in blob order (depth first), so
 *   for (n = fdt_find_compatible(b, "virtio,mmio", -1); n >= 0;
 *        n = fdt_find_compatible(b, "virtio,mmio", n))
 * visits each virtio-mmio slot once. The status is not checked: see
 * fdt_node_is_available().
 *
 * Context: any; reads the blob only.
 * Return: the node's offset, -FDT_ERR_NOTFOUND when there are no more, or
 * another negative error.
 */
int fdt_find_compatible(const void *blob, const char *compat, int start)
{
	struct fdt_view v;
	u32 off, next;
	int err, tag;

	err = view_init(&v, blob, FDT_MAX_TOTALSIZE);
	if (err < 0)
		return err;
	if (!compat)
		return -FDT_ERR_BADARG;
	if (start < 0) {
		off = v.struct_off;
	} else {
		err = node_body(&v, start, &off);
		if (err < 0)
			return err;
	}
	for (;; off = next) {
		tag = next_tag(&v, off, &next);
		if (tag < 0)
			return tag;
		if (tag == FDT_END)
			return -FDT_ERR_NOTFOUND;
		if (tag == FDT_BEGIN_NODE && is_compatible(&v, (int)off, compat))
			return (int)off;
	}
}

/* Load a 1- or 2-cell big-endian number. */
static u64 read_cells(const u8 *p, int cells)
{
	return cells == 2 ? fdt_be64(p) : fdt_be32(p);
}

/*
 * Entry @index of @node's "reg", given the parent's cell counts. Only 1 or 2
 * address cells and 0..2 size cells are supported: enough for RAM, CPUs and
 * MMIO devices; PCI's 3-cell addresses are refused with -FDT_ERR_BADVALUE.
 */
static int reg_entry(const struct fdt_view *v, int node, int ac, int sc, int index, u64 *base,
		     u64 *size)
{
	const u8 *reg;
	int len, stride;
	u64 b, s;

	if (ac < 0)
		return ac;
	if (sc < 0)
		return sc;
	if (ac < 1 || ac > 2 || sc > 2)
		return -FDT_ERR_BADVALUE;
	reg = get_prop(v, node, "reg", &len);
	if (!reg)
		return len;
	stride = 4 * (ac + sc);
	if (len % stride != 0)
		return -FDT_ERR_BADVALUE;
	if (index < 0 || index >= len / stride)
		return -FDT_ERR_NOTFOUND;
	reg += index * stride;
	b = read_cells(reg, ac);
	s = sc ? read_cells(reg + 4 * ac, sc) : 0;
	if (s != 0 && b + (s - 1) < b)
		return -FDT_ERR_BADVALUE; /* the range would wrap past 2^64 */
	if (base)
		*base = b;
	if (size)
		*size = s;
	return 0;
}

/**
 * fdt_read_reg - decode one (address, size) pair of a node's "reg"
 * @blob:  a device tree that passed fdt_check()
 * @node:  offset of a device node
 * @index: which entry, from 0
 * @base:  if not NULL, set to the address
 * @size:  if not NULL, set to the size (0 when the parent's #size-cells is 0)
 *
 * The cell counts come from the parent's #address-cells (1 or 2) and
 * #size-cells (0 to 2). Finding the parent walks the blob from its start.
 *
 * Context: any; reads the blob only.
 * Return: 0; -FDT_ERR_NOTFOUND if there is no "reg" or no entry @index;
 * -FDT_ERR_BADVALUE if the length is not a whole number of entries, a cell
 * count is unsupported or base + size wraps; or another negative error.
 */
int fdt_read_reg(const void *blob, int node, int index, u64 *base, u64 *size)
{
	struct fdt_view v;
	int parent, err;

	err = view_init(&v, blob, FDT_MAX_TOTALSIZE);
	if (err < 0)
		return err;
	parent = parent_of(&v, node);
	if (parent < 0)
		return parent;
	return reg_entry(&v, node, cells_of(&v, parent, "#address-cells", 2),
			 cells_of(&v, parent, "#size-cells", 1), index, base, size);
}

/* ---- boot info ---- */

/* Copy the string property @val into @dst; return 1 if it did not fit. */
static int copy_string(char *dst, int dstsz, const u8 *val, int len)
{
	int n = (int)bounded_strlen(val, (u32)len);
	int cut = 0;

	if (n > dstsz - 1) {
		n = dstsz - 1;
		cut = 1;
	}
	memcpy(dst, val, n);
	dst[n] = '\0';
	return cut;
}

static void add_range(struct mem_range *tab, int *count, int max, u64 base, u64 size,
		      const char *name, struct boot_info *bi)
{
	struct mem_range *r;

	if (*count >= max) {
		bi->truncated = 1;
		return;
	}
	r = &tab[(*count)++];
	r->base = base;
	r->size = size;
	/* A long name is cut quietly: it only labels the range. */
	copy_string(r->name, sizeof(r->name), (const u8 *)name, (int)strlen(name));
}

/* Memory reservation block: {address, size} pairs up to {0, 0}. */
static int scan_rsvmap(const struct fdt_view *v, struct boot_info *bi)
{
	u32 off;
	u64 base, size;

	for (off = v->rsv_off; off <= v->size && v->size - off >= 16; off += 16) {
		base = fdt_be64(v->base + off);
		size = fdt_be64(v->base + off + 8);
		if (base == 0 && size == 0)
			return 0;
		if (size == 0)
			continue;
		if (base + (size - 1) < base)
			return -FDT_ERR_BADVALUE;
		add_range(bi->rsv, &bi->nrsv, BOOT_MAX_RSV, base, size, "memreserve", bi);
	}
	return -FDT_ERR_BADBLOB;
}

/* Add every "reg" entry of @node, whose parent has @ac/@sc cells, to a table. */
static int add_reg_ranges(const struct fdt_view *v, int node, int ac, int sc, struct mem_range *tab,
			  int *count, int max, struct boot_info *bi)
{
	u64 base, size;
	int i, err;

	for (i = 0;; i++) {
		err = reg_entry(v, node, ac, sc, i, &base, &size);
		if (err == -FDT_ERR_NOTFOUND)
			return 0;
		if (err < 0)
			return err;
		if (size != 0)
			add_range(tab, count, max, base, size, node_name(v, node), bi);
	}
}

/* Root children with device_type = "memory" (spec 3.4). */
static int scan_memory(const struct fdt_view *v, int root, struct boot_info *bi)
{
	int ac = cells_of(v, root, "#address-cells", 2);
	int sc = cells_of(v, root, "#size-cells", 1);
	const u8 *type;
	int node, len, err;

	for (node = first_child(v, root); node >= 0; node = next_sibling(v, node)) {
		type = get_prop(v, node, "device_type", &len);
		if (!prop_streq(type, len, "memory") || !is_available(v, node))
			continue;
		err = add_reg_ranges(v, node, ac, sc, bi->mem, &bi->nmem, BOOT_MAX_MEM, bi);
		if (err < 0)
			return err;
	}
	return node == -FDT_ERR_NOTFOUND ? 0 : node;
}

/*
 * /reserved-memory children with a "reg" (spec 3.5). Children with only
 * "size" ask the OS to pick a place; that is the allocator's business.
 */
static int scan_reserved(const struct fdt_view *v, int root, struct boot_info *bi)
{
	int parent, ac, sc, node, err;

	parent = find_child(v, root, "reserved-memory", 15);
	if (parent == -FDT_ERR_NOTFOUND)
		return 0;
	if (parent < 0)
		return parent;
	ac = cells_of(v, parent, "#address-cells", 2);
	sc = cells_of(v, parent, "#size-cells", 1);
	for (node = first_child(v, parent); node >= 0; node = next_sibling(v, node)) {
		if (!is_available(v, node))
			continue;
		err = add_reg_ranges(v, node, ac, sc, bi->rsv, &bi->nrsv, BOOT_MAX_RSV, bi);
		if (err < 0)
			return err;
	}
	return node == -FDT_ERR_NOTFOUND ? 0 : node;
}

/* /chosen: the command line and the console (spec 3.6). */
static int scan_chosen(const struct fdt_view *v, int root, struct boot_info *bi)
{
	const u8 *val;
	int chosen, len;

	chosen = find_child(v, root, "chosen", 6);
	if (chosen == -FDT_ERR_NOTFOUND)
		return 0;
	if (chosen < 0)
		return chosen;
	val = get_prop(v, chosen, "bootargs", &len);
	if (val && copy_string(bi->bootargs, sizeof(bi->bootargs), val, len))
		bi->truncated = 1;
	val = get_prop(v, chosen, "stdout-path", &len);
	if (!val)
		val = get_prop(v, chosen, "linux,stdout-path", &len);
	if (val && copy_string(bi->stdout_path, sizeof(bi->stdout_path), val, len))
		bi->truncated = 1;
	return 0;
}

/* A frequency is one cell, or two for rates above 4 GHz. */
static int read_frequency(const struct fdt_view *v, int node, u64 *hz)
{
	const u8 *val;
	int len;

	val = get_prop(v, node, "timebase-frequency", &len);
	if (!val)
		return len == -FDT_ERR_NOTFOUND ? 0 : len;
	if (len != 4 && len != 8)
		return -FDT_ERR_BADVALUE;
	*hz = read_cells(val, len / 4);
	return 0;
}

/* /cpus and its cpu@N children (spec 3.7, 3.8). */
static int scan_cpus(const struct fdt_view *v, int root, struct boot_info *bi)
{
	const u8 *type;
	int cpus, ac, sc, node, len, err;
	u64 id;

	cpus = find_child(v, root, "cpus", 4);
	if (cpus == -FDT_ERR_NOTFOUND)
		return 0;
	if (cpus < 0)
		return cpus;
	err = read_frequency(v, cpus, &bi->timebase_frequency);
	if (err < 0)
		return err;
	ac = cells_of(v, cpus, "#address-cells", 2);
	sc = cells_of(v, cpus, "#size-cells", 1);
	/* Children also include "cpu-map" (topology), which has no device_type. */
	for (node = first_child(v, cpus); node >= 0; node = next_sibling(v, node)) {
		type = get_prop(v, node, "device_type", &len);
		if (!prop_streq(type, len, "cpu") || !is_available(v, node))
			continue;
		err = reg_entry(v, node, ac, sc, 0, &id, NULL);
		if (err < 0)
			return err;
		if (bi->ncpus < BOOT_MAX_CPUS)
			bi->cpu_ids[bi->ncpus++] = id;
		else
			bi->truncated = 1;
		if (bi->timebase_frequency == 0) {
			err = read_frequency(v, node, &bi->timebase_frequency);
			if (err < 0)
				return err;
		}
	}
	return node == -FDT_ERR_NOTFOUND ? 0 : node;
}

/**
 * fdt_parse_boot_info - copy what early boot needs out of the device tree
 * @blob: the blob from firmware; it is fully validated again here, trusting
 *        only that its header's totalsize bytes are readable (call
 *        fdt_check() with the real bound first)
 * @bi:   filled in; zeroed first
 *
 * Collects RAM (every root child with device_type "memory"), reserved ranges
 * (the memory reservation block, named "memreserve", then /reserved-memory
 * children), /chosen bootargs and stdout-path, the ids of available CPUs and
 * the RISC-V timebase frequency. "reg" entries are decoded with the parent's
 * #address-cells / #size-cells; zero-sized ranges are skipped. When a table
 * or string is too small the rest is dropped and @bi->truncated is set; the
 * call still succeeds.
 *
 * Context: early boot, any context; reads the blob only; no allocation.
 * Return: 0, or a negative error (-FDT_ERR_BADBLOB for a corrupt blob,
 * -FDT_ERR_BADVALUE for a malformed reg, #*-cells or timebase-frequency),
 * in which case @bi is partly filled and must not be trusted.
 */
int fdt_parse_boot_info(const void *blob, struct boot_info *bi)
{
	struct fdt_view v;
	int root, err;

	if (!bi)
		return -FDT_ERR_BADARG;
	memset(bi, 0, sizeof(*bi));
	err = view_init(&v, blob, FDT_MAX_TOTALSIZE);
	if (err < 0)
		return err;
	if (check_rsvmap(&v) < 0 || check_structure(&v) < 0)
		return -FDT_ERR_BADBLOB;
	bi->dtb_size = v.size;

	root = root_node(&v);
	if (root < 0)
		return root;
	err = scan_rsvmap(&v, bi);
	if (err == 0)
		err = scan_memory(&v, root, bi);
	if (err == 0)
		err = scan_reserved(&v, root, bi);
	if (err == 0)
		err = scan_chosen(&v, root, bi);
	if (err == 0)
		err = scan_cpus(&v, root, bi);
	return err;
}
