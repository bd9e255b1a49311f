/*
 * uapi/pagoda/ktap_mac.h - signed KTAP result lines, shared by the kernel's
 * test runner (kernel/ktest.c), the labs' user test programs (user/lib/ktap.c)
 * and, in Python, the lab grader (tools/lab/grader.py).
 *
 * A grader must not believe a result line just because it is on the console:
 * the code under test runs in the same kernel and could print it. So the
 * grader types a fresh random key on the console when the test runner asks
 * for it ("ktest: key?" or "PROGRAM: key?"), after the code under test has
 * booted; it is never on the command line, in the device tree or in the
 * log. The console does not echo a line typed after ^B (kernel/console.c).
 * Every result line then ends in its SipHash-2-4 under that key:
 *
 *   ok 3 test_split # kmac:1f0e2d3c4b5a6978
 *   ok 4 test_skip # SKIP no disk kmac:0a1b2c3d4e5f6071
 *
 * The MAC covers the line as it would read unsigned, without its leading
 * blanks ("ok 3 test_split", "ok 4 test_skip # SKIP no disk"). The key is 32
 * hexadecimal digits: the first 16 are k0, the last 16 k1.
 *
 * See: Aumasson and Bernstein, "SipHash: a fast short-input PRF" (2012),
 *      which defines SipHash-2-4 and its test vectors.
 */
#ifndef _UAPI_PAGODA_KTAP_MAC_H
#define _UAPI_PAGODA_KTAP_MAC_H

#include "uapi/pagoda/types.h"

#define KTAP_KEY_HEX 32

static inline u64 ktap_rotl(u64 x, int b)
{
	return (x << b) | (x >> (64 - b));
}

/* Two SipRounds on the state v[4] (SipHash-2-4 does 2 per word and 4 at the end). */
static inline void ktap_sipround(u64 *v)
{
	v[0] += v[1];
	v[1] = ktap_rotl(v[1], 13);
	v[1] ^= v[0];
	v[0] = ktap_rotl(v[0], 32);
	v[2] += v[3];
	v[3] = ktap_rotl(v[3], 16);
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = ktap_rotl(v[3], 21);
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = ktap_rotl(v[1], 17);
	v[1] ^= v[2];
	v[2] = ktap_rotl(v[2], 32);
}

/* ktap_siphash - SipHash-2-4 of @len bytes at @msg under (@k0, @k1). */
static inline u64 ktap_siphash(u64 k0, u64 k1, const void *msg, unsigned long len)
{
	const u8 *p = msg;
	u64 v[4] = {k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL,
		    k0 ^ 0x6c7967656e657261ULL, k1 ^ 0x7465646279746573ULL};
	u64 m;
	unsigned long i, j;

	for (i = 0; i + 8 <= len; i += 8) {
		m = 0;
		for (j = 0; j < 8; j++)
			m |= (u64)p[i + j] << (8 * j);
		v[3] ^= m;
		ktap_sipround(v);
		ktap_sipround(v);
		v[0] ^= m;
	}
	m = (u64)len << 56;
	for (j = 0; i + j < len; j++)
		m |= (u64)p[i + j] << (8 * j);
	v[3] ^= m;
	ktap_sipround(v);
	ktap_sipround(v);
	v[0] ^= m;
	v[2] ^= 0xff;
	for (j = 0; j < 4; j++)
		ktap_sipround(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

/*
 * ktap_parse_key - read the key from the first KTAP_KEY_HEX characters of
 * @s into @k. Return: 0, or -1 if they are not all hexadecimal digits.
 */
static inline int ktap_parse_key(const char *s, u64 k[2])
{
	k[0] = k[1] = 0;
	for (int i = 0; i < KTAP_KEY_HEX; i++) {
		char c = s[i];
		u64 d;

		if (c >= '0' && c <= '9')
			d = (u64)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (u64)(c - 'a' + 10);
		else
			return -1;
		k[i / 16] = k[i / 16] << 4 | d;
	}
	return 0;
}

#endif /* _UAPI_PAGODA_KTAP_MAC_H */
