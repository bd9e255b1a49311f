/*
 * user/lib/string.c - strings and raw memory (part of xv6's ulib).
 *
 * The compiler itself emits calls to memset, memcpy, memmove and memcmp (for
 * struct copies and zeroing, even with -ffreestanding), so these four must
 * have their standard meaning. They work a word at a time when the pointers
 * allow it: user programs under an emulator spend real time in them.
 *
 * GCC can recognise a byte loop as "a memset" and replace it with a call to
 * memset, which inside memset itself would recurse forever;
 * NO_LIBCALL_LOOPS turns that transformation off for these functions.
 */
#include "user/user.h"

#if defined(__GNUC__) && !defined(__clang__)
#define NO_LIBCALL_LOOPS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define NO_LIBCALL_LOOPS
#endif

#define WORD sizeof(uint64)

static int aligned(const void *p)
{
	return ((uint64)p & (WORD - 1)) == 0;
}

/*
 * memset - fill @n bytes at @dst with the byte @c.
 * Return: @dst.
 */
NO_LIBCALL_LOOPS void *memset(void *dst, int c, uint n)
{
	uchar *d = dst;
	uint64 pattern = (uchar)c * 0x0101010101010101ULL;

	while (n > 0 && !aligned(d)) {
		*d++ = (uchar)c;
		n--;
	}
	for (; n >= WORD; n -= WORD, d += WORD)
		*(uint64 *)d = pattern;
	while (n-- > 0)
		*d++ = (uchar)c;
	return dst;
}

/*
 * memmove - copy @n bytes from @src to @dst; the areas may overlap.
 * A negative @n (xv6 takes an int) copies nothing.
 * Return: @dst.
 */
NO_LIBCALL_LOOPS void *memmove(void *dst, const void *src, int n)
{
	uchar *d = dst;
	const uchar *s = src;
	int words = aligned(d) && aligned(s);

	if (n <= 0 || d == s)
		return dst;
	if (d < s || d >= s + n) {
		/* Forward copy: safe when dst is below src or past its end. */
		if (words) {
			for (; n >= (int)WORD; n -= WORD, d += WORD, s += WORD)
				*(uint64 *)d = *(const uint64 *)s;
		}
		while (n-- > 0)
			*d++ = *s++;
	} else {
		/* dst overlaps the tail of src: copy from the end backwards. */
		d += n;
		s += n;
		if (words) {
			for (; n >= (int)WORD; n -= WORD) {
				d -= WORD;
				s -= WORD;
				*(uint64 *)d = *(const uint64 *)s;
			}
		}
		while (n-- > 0)
			*--d = *--s;
	}
	return dst;
}

/*
 * memcpy - copy @n bytes from @src to @dst (the areas must not overlap,
 * though overlapping copies are handled as memmove does).
 * Return: @dst.
 */
NO_LIBCALL_LOOPS void *memcpy(void *dst, const void *src, uint n)
{
	uchar *d = dst;
	const uchar *s = src;

	/* Split huge counts: memmove takes an int. */
	while (n > 0x40000000) {
		memmove(d, s, 0x40000000);
		d += 0x40000000;
		s += 0x40000000;
		n -= 0x40000000;
	}
	memmove(d, s, (int)n);
	return dst;
}

/*
 * memcmp - compare @n bytes as unsigned chars.
 * Return: <0, 0 or >0 as @s1 sorts before, equal to or after @s2.
 */
NO_LIBCALL_LOOPS int memcmp(const void *s1, const void *s2, uint n)
{
	const uchar *a = s1, *b = s2;

	if (aligned(a) && aligned(b)) {
		while (n >= WORD && *(const uint64 *)a == *(const uint64 *)b) {
			a += WORD;
			b += WORD;
			n -= WORD;
		}
	}
	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return *a - *b;
	}
	return 0;
}

/* strlen - Return: the number of bytes before the terminating NUL of @s. */
uint strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

/* strcpy - copy @src with its NUL to @dst. Return: @dst. */
char *strcpy(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++) != 0)
		;
	return dst;
}

/* strcmp - compare as unsigned chars. Return: <0, 0 or >0. */
int strcmp(const char *p, const char *q)
{
	while (*p && *p == *q) {
		p++;
		q++;
	}
	return (uchar)*p - (uchar)*q;
}

/* strncmp - like strcmp but looks at no more than @n bytes. */
int strncmp(const char *p, const char *q, uint n)
{
	for (; n > 0; n--, p++, q++) {
		if (*p != *q || *p == 0)
			return (uchar)*p - (uchar)*q;
	}
	return 0;
}

/*
 * strchr - find the first @c in @s; searching for 0 finds the terminator.
 * Return: a pointer to it, or NULL.
 */
char *strchr(const char *s, char c)
{
	for (;; s++) {
		if (*s == c)
			return (char *)s;
		if (*s == 0)
			return 0;
	}
}
