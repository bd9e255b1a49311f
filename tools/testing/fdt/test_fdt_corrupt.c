/*
 * tools/testing/fdt/test_fdt_corrupt.c - kernel/fdt.c on damaged blobs.
 *
 * Every damaged copy sits in a malloc'd buffer of exactly its length, so
 * AddressSanitizer reports a read even one byte past it. For each copy,
 * fdt_exercise() calls every entry point and checks that the parser either
 * accepts the blob (and then never calls it corrupt later) or rejects it
 * with an error. The random damage uses a fixed seed: a failure reproduces.
 */
/* Kernel headers first: <kernel/types.h> must precede the host's <stddef.h>. */
#include <kernel/fdt.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktest-host.h"
#include "fdt-test.h"

#define SEED 0x5eed0f00dULL

/* Copy @len bytes of @src into a buffer of exactly that size. */
static u8 *exact_copy(const u8 *src, size_t len)
{
	u8 *p = malloc(len ? len : 1);

	if (p && len)
		memcpy(p, src, len);
	return p;
}

static u8 *load_dtc(const char *name, size_t *len)
{
	char rel[64];
	u8 *blob;

	snprintf(rel, sizeof(rel), "dtc/%s.dtb", name);
	blob = fdt_test_load(rel, len);
	if (blob)
		*len = fdt_be32(blob + 4); /* totalsize: ignore any padding */
	return blob;
}

/*
 * Rebuild a dtc blob with the strings block before the structure block, so
 * that the structure block ends the blob and overreading it is overreading
 * the buffer. Returns a malloc'd blob of exactly *@lenp bytes.
 */
static u8 *struct_last(const u8 *blob, size_t *lenp)
{
	u32 rsv = fdt_be32(blob + 16), st = fdt_be32(blob + 8), ssize = fdt_be32(blob + 36);
	u32 str = fdt_be32(blob + 12), strsize = fdt_be32(blob + 32);
	u32 rsvlen = 16, nst, total;
	u8 *out;

	while (fdt_be64(blob + rsv + rsvlen - 16) || fdt_be64(blob + rsv + rsvlen - 8))
		rsvlen += 16;
	nst = (40 + rsvlen + strsize + 3) & ~3u;
	total = nst + ssize;
	out = calloc(1, total);
	if (!out)
		return NULL;
	memcpy(out, blob, 40);
	memcpy(out + 40, blob + rsv, rsvlen);
	memcpy(out + 40 + rsvlen, blob + str, strsize);
	memcpy(out + nst, blob + st, ssize);
	put_be32(out + 4, total);
	put_be32(out + 8, nst);
	put_be32(out + 12, 40 + rsvlen);
	put_be32(out + 16, 40);
	*lenp = total;
	return out;
}

/* cells1.dtb with the structure block last. */
static u8 *load_struct_last(size_t *lenp)
{
	size_t len;
	u8 *blob = load_dtc("cells1", &len), *out = NULL;

	if (blob)
		out = struct_last(blob, lenp);
	free(blob);
	return out;
}

TEST(struct_last_copy_is_valid)
{
	size_t len;
	u8 *blob = load_struct_last(&len);
	struct boot_info bi;

	ASSERT_NOT_NULL(blob);
	EXPECT_EQ(fdt_check(blob, len), len);
	EXPECT_EQ(fdt_parse_boot_info(blob, &bi), 0);
	EXPECT_EQ(bi.nmem, 3);
	EXPECT_EQ(bi.ncpus, 2);
	EXPECT_EQ(fdt_exercise(blob, len), 0);
	free(blob);
}

/* Cut the blob at every length; the header still claims the full size. */
static void truncate_everywhere(const u8 *blob, size_t total)
{
	size_t len;
	u8 *cut;

	for (len = 0; len <= total; len++) {
		cut = exact_copy(blob, len);
		if (len < total)
			EXPECT_EQ(fdt_check(cut, len), -1);
		else
			EXPECT_EQ(fdt_check(cut, len), total);
		EXPECT_EQ(fdt_exercise(cut, len), 0);
		free(cut);
		if (ktest_failed()) {
			KTEST_LOG("first failure at length %zu", len);
			return;
		}
	}
}

TEST(truncate_at_every_length)
{
	static const char *const names[] = {"cells1", "cells2", "fit"};
	size_t len, i;
	u8 *blob;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		blob = load_dtc(names[i], &len);
		ASSERT_NOT_NULL(blob);
		truncate_everywhere(blob, len);
		free(blob);
	}
}

/*
 * Cut the blob and rewrite its header to match, as a loader that trusted a
 * short read would: the blocks themselves are now truncated, and only the
 * structure walk can notice.
 */
/* Shrink a block that no longer fits in @len bytes; an offset past the end moves to it. */
static void clamp_block(u8 *blob, size_t len, int off_field, int size_field, u32 align)
{
	u32 off = fdt_be32(blob + off_field), size = fdt_be32(blob + size_field);

	if ((u64)off + size <= len)
		return;
	if (off > len)
		off = (u32)len & ~(align - 1);
	put_be32(blob + off_field, off);
	put_be32(blob + size_field, ((u32)len - off) & ~(align - 1));
}

static void truncate_consistently(const u8 *blob, size_t total)
{
	size_t len;
	int accepted = 0;
	u8 *cut;

	for (len = FDT_HEADER_SIZE; len <= total; len++) {
		cut = exact_copy(blob, len);
		put_be32(cut + 4, (u32)len);
		clamp_block(cut, len, 8, 36, 4);  /* structure */
		clamp_block(cut, len, 12, 32, 1); /* strings */
		accepted += fdt_check(cut, len) >= 0;
		EXPECT_EQ(fdt_exercise(cut, len), 0);
		free(cut);
		if (ktest_failed()) {
			KTEST_LOG("first failure at length %zu", len);
			break;
		}
	}
	/* Every cut loses END or a name the structure uses: only the whole blob passes. */
	EXPECT_EQ(accepted, 1);
}

TEST(truncate_with_consistent_header)
{
	size_t total;
	u8 *blob;

	blob = load_dtc("cells1", &total);
	ASSERT_NOT_NULL(blob);
	truncate_consistently(blob, total);
	free(blob);
	blob = load_struct_last(&total);
	ASSERT_NOT_NULL(blob);
	truncate_consistently(blob, total);
	free(blob);
}

/* Damage @n random bytes of a copy of @blob; return how many copies passed fdt_check(). */
static int random_damage(const u8 *blob, size_t len, int iterations, int header_too)
{
	int it, k, n, accepted = 0;
	size_t pos;
	u8 *copy;

	for (it = 0; it < iterations && !ktest_failed(); it++) {
		copy = exact_copy(blob, len);
		n = 1 + (int)(ktest_rand() % 4);
		for (k = 0; k < n; k++) {
			/* One time in four aim at the header, which guards everything else. */
			if (header_too && ktest_rand() % 4 == 0)
				pos = ktest_rand() % FDT_HEADER_SIZE;
			else
				pos = ktest_rand() % len;
			if (ktest_rand() % 2)
				copy[pos] ^= (u8)(1u << (ktest_rand() % 8));
			else
				copy[pos] = (u8)ktest_rand();
		}
		accepted += fdt_check(copy, len) >= 0;
		if (fdt_exercise(copy, len) != 0) {
			ktest_fail(__FILE__, __LINE__, "iteration %d broke a promise", it);
		}
		free(copy);
	}
	return accepted;
}

TEST(random_byte_damage)
{
	size_t len;
	u8 *blob = load_dtc("cells1", &len);
	int accepted;

	ASSERT_NOT_NULL(blob);
	ktest_srand(SEED);
	accepted = random_damage(blob, len, 4000, 1);
	KTEST_LOG("%d of 4000 damaged copies still passed fdt_check", accepted);
	/* Both outcomes must have been exercised: damage in values is harmless. */
	EXPECT_GT(accepted, 100);
	EXPECT_LT(accepted, 3900);
	free(blob);
}

TEST(random_byte_damage_struct_last)
{
	size_t len;
	u8 *blob = load_struct_last(&len);

	ASSERT_NOT_NULL(blob);
	ktest_srand(SEED + 4);
	random_damage(blob, len, 3000, 1);
	free(blob);
}

TEST(random_byte_damage_two_cells)
{
	size_t len;
	u8 *blob = load_dtc("cells2", &len);

	ASSERT_NOT_NULL(blob);
	ktest_srand(SEED + 1);
	random_damage(blob, len, 2000, 1);
	free(blob);
}

TEST(random_byte_damage_qemu_tree)
{
	const char *why = NULL;
	size_t len;
	u8 *blob;
	int got = fdt_test_load_qemu("riscv-2g-4", &blob, &len, &why);

	if (got == 0)
		SKIP("%s", why);
	ASSERT_EQ(got, 1);
	len = fdt_be32(blob + 4);
	ktest_srand(SEED + 2);
	random_damage(blob, len, 500, 1);
	free(blob);
}

/*
 * Overwrite aligned words of the structure block with tokens and lengths:
 * byte noise rarely makes a well-formed but wrong token stream; this does
 * (a property swallowing its neighbours, an END_NODE too many, a NOP
 * where a length was).
 */
TEST(random_token_damage)
{
	static const u32 words[] = {
	    FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP,   FDT_NOP,	 FDT_END, 0, 4, 8, 12,
	    0x40,	    0x7ffffffc,	  0xfffffffc, 0x80000000};
	size_t len;
	u8 *blob = load_dtc("cells1", &len), *copy;
	u32 st, ssize, pos;
	int it, k, accepted = 0;

	ASSERT_NOT_NULL(blob);
	ktest_srand(SEED + 3);
	for (it = 0; it < 6000 && !ktest_failed(); it++) {
		if (it == 3000) { /* second half: the structure block ends the blob */
			free(blob);
			blob = load_struct_last(&len);
			ASSERT_NOT_NULL(blob);
		}
		st = fdt_be32(blob + 8);
		ssize = fdt_be32(blob + 36);
		copy = exact_copy(blob, len);
		for (k = 0; k < 1 + (int)(ktest_rand() % 2); k++) {
			pos = st + 4 * (u32)(ktest_rand() % (ssize / 4));
			put_be32(copy + pos,
				 words[ktest_rand() % (sizeof(words) / sizeof(words[0]))]);
		}
		accepted += fdt_check(copy, len) >= 0;
		if (fdt_exercise(copy, len) != 0)
			ktest_fail(__FILE__, __LINE__, "iteration %d broke a promise", it);
		free(copy);
	}
	KTEST_LOG("%d of 6000 token-damaged copies still passed fdt_check", accepted);
	free(blob);
}

/* Every header field set to each awkward value. */
TEST(header_field_sweep)
{
	static const u32 values[] = {
	    0, 1, 3, 4, 39, 40, 41, 0x7fffffff, 0x80000000, 0xfffffff8, 0xfffffffc, 0xffffffff};
	size_t len, f, i;
	u8 *blob = load_dtc("cells1", &len), *copy;

	ASSERT_NOT_NULL(blob);
	for (f = 0; f < FDT_HEADER_SIZE; f += 4) {
		for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
			copy = exact_copy(blob, len);
			put_be32(copy + f, values[i]);
			EXPECT_EQ(fdt_exercise(copy, len), 0);
			put_be32(copy + f, (u32)len - values[i] % 64); /* near totalsize */
			EXPECT_EQ(fdt_exercise(copy, len), 0);
			free(copy);
		}
	}
	free(blob);
}
