/*
 * tools/testing/fdt/fdt-test.h - helpers shared by the fdt and bootargs
 * tests: loading the generated blobs, building small blobs by hand (to
 * make corruptions dtc refuses to write), and exercising every parser entry
 * point on a possibly corrupt blob.
 */
#ifndef _FDT_TEST_H
#define _FDT_TEST_H

#include <stddef.h>
#include <uapi/pagoda/types.h>

/* Load $(O)/fdt/<rel> into an exactly-sized malloc'd buffer; NULL if missing. */
u8 *fdt_test_load(const char *rel, size_t *lenp);

/*
 * Load a QEMU dump "qemu/<name>.dtb". Return 1 with *blobp set, or 0 with
 * *reason set when the dump was skipped (QEMU not installed), or -1 when the
 * file is missing although it should have been built.
 */
int fdt_test_load_qemu(const char *name, u8 **blobp, size_t *lenp, const char **reason);

/* A blob under construction: structure and strings kept apart until finish. */
struct fdtb {
	u8 rsv[16 * 64];
	u32 rsv_len;
	u8 dt[16384];
	u32 dt_len;
	char strings[2048];
	u32 strings_len;
};

void fdtb_init(struct fdtb *b);
void fdtb_memreserve(struct fdtb *b, u64 base, u64 size);
void fdtb_token(struct fdtb *b, u32 token);
void fdtb_begin(struct fdtb *b, const char *name);
void fdtb_end_node(struct fdtb *b);
void fdtb_prop(struct fdtb *b, const char *name, const void *val, u32 len);
void fdtb_prop_u32(struct fdtb *b, const char *name, u32 v);
void fdtb_prop_str(struct fdtb *b, const char *name, const char *s);
void fdtb_prop_cells2(struct fdtb *b, const char *name, u32 a, u32 c);
/* Lay out header, reservation block (terminated), structure, strings. */
size_t fdtb_finish(struct fdtb *b, u8 *out, size_t outsz);
/*
 * The same with the strings block before the structure block (allowed: the
 * spec's order is a "should"). With the structure block last, reading one
 * byte past it is reading past the blob, which ASan sees.
 */
size_t fdtb_finish_struct_last(struct fdtb *b, u8 *out, size_t outsz);

void put_be32(u8 *p, u32 v);

/*
 * Call every entry point of fdt.c on @buf (@len readable bytes) and check the
 * promises that hold whatever the content: nothing reads out of bounds (ASan
 * checks that), and if fdt_check() passes, no later call reports a corrupt
 * blob. Returns the number of broken promises (0 = fine), logging each.
 */
int fdt_exercise(const u8 *buf, size_t len);

#endif /* _FDT_TEST_H */
