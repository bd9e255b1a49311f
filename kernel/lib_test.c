/*
 * kernel/lib_test.c - KTAP suite "lib": the kernel's string functions,
 * vsnprintf (its flags too; tools/testing/vsprintf compares it with the
 * host C library's at length) and the symbol table used by backtraces.
 */
#include <kernel/ktest.h>
#include <kernel/string.h>
#include <kernel/ksyms.h>
#include <kernel/setup.h>

static void test_mem_functions(struct ktest *t)
{
	char buf[32];

	memset(buf, 'x', sizeof(buf));
	memset(buf + 3, 0, 5);
	KTEST_EXPECT_EQ(t, buf[2], 'x');
	KTEST_EXPECT_EQ(t, buf[3], 0);
	KTEST_EXPECT_EQ(t, buf[7], 0);
	KTEST_EXPECT_EQ(t, buf[8], 'x');
	memcpy(buf, "abcdefghij", 11);
	memmove(buf + 2, buf, 5); /* overlapping, forwards */
	KTEST_EXPECT_STREQ(t, buf, "ababcdehij");
	memmove(buf, buf + 2, 5); /* overlapping, backwards */
	KTEST_EXPECT_EQ(t, memcmp(buf, "abcdedehij", 10), 0);
	KTEST_EXPECT_TRUE(t, memcmp("abc", "abd", 3) < 0);
}

static void test_str_functions(struct ktest *t)
{
	char small[4];

	KTEST_EXPECT_EQ(t, strlen("pagoda"), 6);
	KTEST_EXPECT_EQ(t, strnlen("pagoda", 3), 3);
	KTEST_EXPECT_TRUE(t, strcmp("a", "b") < 0);
	KTEST_EXPECT_EQ(t, strncmp("abcX", "abcY", 3), 0);
	KTEST_EXPECT_EQ(t, strlcpy(small, "truncated", sizeof(small)), 9);
	KTEST_EXPECT_STREQ(t, small, "tru");
	KTEST_EXPECT_TRUE(t, strchr("hello", 'l') != NULL);
	KTEST_EXPECT_TRUE(t, strchr("hello", 'z') == NULL);
}

static void test_snprintf(struct ktest *t)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%d %u %x %lld", -42, 42u, 0xbeef, -9000000000LL);
	KTEST_EXPECT_STREQ(t, buf, "-42 42 beef -9000000000");
	snprintf(buf, sizeof(buf), "[%5d|%-5d|%05d]", 42, 42, -42);
	KTEST_EXPECT_STREQ(t, buf, "[   42|42   |-0042]");
	snprintf(buf, sizeof(buf), "%s|%6s|%-6s|%.2s", "ab", "ab", "ab", "abcdef");
	KTEST_EXPECT_STREQ(t, buf, "ab|    ab|ab    |ab");
	snprintf(buf, sizeof(buf), "%p", (void *)0x1234);
	KTEST_EXPECT_STREQ(t, buf, "0x0000000000001234");
	snprintf(buf, sizeof(buf), "%016llx %c%%", 0xffffffc080200000ULL, 'Z');
	KTEST_EXPECT_STREQ(t, buf, "ffffffc080200000 Z%");
	/* truncation: always terminated, returns the full length */
	KTEST_EXPECT_EQ(t, snprintf(buf, 5, "%s", "0123456789"), 10);
	KTEST_EXPECT_STREQ(t, buf, "0123");
	const char *volatile nothing = NULL;

	snprintf(buf, sizeof(buf), "%s", nothing);
	KTEST_EXPECT_STREQ(t, buf, "(null)");
}

/* The flags printk's callers use: '+', ' ', '#', '0', '-', '*' and precisions. */
static void test_snprintf_flags(struct ktest *t)
{
	char buf[96];

	snprintf(buf, sizeof(buf), "%+d %+d % d % d %+ld..%+ld", 5, -5, 5, -5, 48L, -1L);
	KTEST_EXPECT_STREQ(t, buf, "+5 -5  5 -5 +48..-1");
	snprintf(buf, sizeof(buf), "%#x %#X %#x %#o %#llx", 0xbeefu, 0xbeefu, 0u, 8u, 0x10ULL);
	KTEST_EXPECT_STREQ(t, buf, "0xbeef 0XBEEF 0 010 0x10");
	snprintf(buf, sizeof(buf), "[%#010x|%+06d|%-+6d|%-6x]", 0xabu, 42, 42, 0xabu);
	KTEST_EXPECT_STREQ(t, buf, "[0x000000ab|+00042|+42   |ab    ]");
	snprintf(buf, sizeof(buf), "[%.3d|%.3d|%8.3x|%.0d|%.*s]", 7, -7, 0xfu, 0, 2, "abc");
	KTEST_EXPECT_STREQ(t, buf, "[007|-007|     00f||ab]");
	snprintf(buf, sizeof(buf), "[%*d|%-*d|%*s|%.*d]", 5, 1, 5, 2, -4, "z", -1, 3);
	KTEST_EXPECT_STREQ(t, buf, "[    1|2    |z   |3]");
	snprintf(buf, sizeof(buf), "%hhu %hd %zu %5c|", 257u, 65535, (size_t)9, 'q');
	KTEST_EXPECT_STREQ(t, buf, "1 -1 9     q|");
}

static void test_ksyms(struct ktest *t)
{
	u64 off, size;
	const char *name = ksym_lookup((u64)start_kernel, &off, &size);

	KTEST_ASSERT_TRUE(t, name != NULL);
	KTEST_EXPECT_STREQ(t, name, "start_kernel");
	KTEST_EXPECT_EQ(t, off, 0);
	KTEST_EXPECT_TRUE(t, size > 4);
	name = ksym_lookup((u64)ksym_lookup + 4, &off, NULL);
	KTEST_ASSERT_TRUE(t, name != NULL);
	KTEST_EXPECT_STREQ(t, name, "ksym_lookup");
	KTEST_EXPECT_EQ(t, off, 4);
	KTEST_EXPECT_EQ(t, ksym_address("ksym_lookup"), (u64)ksym_lookup);
	KTEST_EXPECT_TRUE(t, ksym_lookup(0x1000, NULL, NULL) == NULL);
}

static struct ktest_case lib_cases[] = {
    KTEST_CASE(test_mem_functions),  KTEST_CASE(test_str_functions), KTEST_CASE(test_snprintf),
    KTEST_CASE(test_snprintf_flags), KTEST_CASE(test_ksyms),	     {},
};
KTEST_SUITE(lib, lib_cases);
