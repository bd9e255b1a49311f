/*
 * tools/testing/fdt/test_bootargs.c - kernel/bootargs.c: flags and values,
 * whole-word matching, quotes, "--", number and size parsing with overflow,
 * and the argv splitter's limits.
 */
/* Kernel headers first: <kernel/types.h> must precede the host's <stddef.h>. */
#include <kernel/bootargs.h>

#include <stdlib.h>
#include <string.h>

#include "ktest-host.h"

#define LINE "console=ttyS0 quiet mem=64M memtest=4 cma= test=\"mm vm\" -- mem=1G -s"

/* ---- bootarg_present ---- */

TEST(present_flags_and_values)
{
	EXPECT_TRUE(bootarg_present(LINE, "quiet"));
	EXPECT_TRUE(bootarg_present(LINE, "console"));
	EXPECT_TRUE(bootarg_present(LINE, "mem"));
	EXPECT_TRUE(bootarg_present(LINE, "cma")); /* empty value */
	EXPECT_TRUE(bootarg_present(LINE, "test"));
	EXPECT_TRUE(bootarg_present("quiet", "quiet"));
	EXPECT_TRUE(bootarg_present("  \tquiet\n", "quiet"));
}

TEST(present_whole_words_only)
{
	EXPECT_FALSE(bootarg_present(LINE, "me"));     /* prefix of "mem" */
	EXPECT_FALSE(bootarg_present(LINE, "memtes")); /* prefix of "memtest" */
	EXPECT_FALSE(bootarg_present(LINE, "qu"));
	EXPECT_FALSE(bootarg_present(LINE, "uiet"));	 /* suffix */
	EXPECT_FALSE(bootarg_present(LINE, "ttyS0"));	 /* a value, not a name */
	EXPECT_FALSE(bootarg_present(LINE, "console=")); /* '=' is not part of names */
	EXPECT_FALSE(bootarg_present("memtest=4", "mem"));
	EXPECT_FALSE(bootarg_present("xquiet", "quiet"));
	EXPECT_FALSE(bootarg_present("quietx", "quiet"));
	EXPECT_FALSE(bootarg_present("a=\"quiet\"", "quiet"));
	EXPECT_FALSE(bootarg_present("test=\"x quiet\"", "quiet")); /* inside quotes */
}

TEST(present_stops_at_dashdash)
{
	EXPECT_FALSE(bootarg_present(LINE, "-s"));
	EXPECT_FALSE(bootarg_present("a -- quiet", "quiet"));
	EXPECT_FALSE(bootarg_present("-- quiet", "quiet"));
	EXPECT_TRUE(bootarg_present("a --quiet", "--quiet")); /* not a standalone -- */
	EXPECT_TRUE(bootarg_present("quiet--", "quiet--"));
	EXPECT_TRUE(bootarg_present("\"--\" quiet", "quiet")); /* a quoted -- is a word */
}

TEST(present_empty_and_null)
{
	EXPECT_FALSE(bootarg_present("", "quiet"));
	EXPECT_FALSE(bootarg_present("   ", "quiet"));
	EXPECT_FALSE(bootarg_present(NULL, "quiet"));
	EXPECT_FALSE(bootarg_present("quiet", NULL));
	EXPECT_FALSE(bootarg_present("quiet", ""));
	EXPECT_FALSE(bootarg_present("=x", ""));
}

/* ---- bootarg_get ---- */

TEST(get_values)
{
	char buf[32];

	EXPECT_EQ(bootarg_get(LINE, "console", buf, sizeof(buf)), 5);
	EXPECT_STREQ(buf, "ttyS0");
	EXPECT_EQ(bootarg_get(LINE, "mem", buf, sizeof(buf)), 3); /* not memtest, not after -- */
	EXPECT_STREQ(buf, "64M");
	EXPECT_EQ(bootarg_get(LINE, "memtest", buf, sizeof(buf)), 1);
	EXPECT_STREQ(buf, "4");
	EXPECT_EQ(bootarg_get("a=b=c", "a", buf, sizeof(buf)), 3); /* first '=' splits */
	EXPECT_STREQ(buf, "b=c");
	EXPECT_EQ(bootarg_get("\tkey=v\n", "key", buf, sizeof(buf)), 1);
	EXPECT_STREQ(buf, "v");
}

TEST(get_empty_and_missing_values)
{
	char buf[8];

	EXPECT_EQ(bootarg_get(LINE, "cma", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "");
	strcpy(buf, "junk");
	EXPECT_EQ(bootarg_get(LINE, "quiet", buf, sizeof(buf)), BOOTARG_ENOENT); /* a flag */
	EXPECT_STREQ(buf, "");
	EXPECT_EQ(bootarg_get(LINE, "nope", buf, sizeof(buf)), BOOTARG_ENOENT);
	EXPECT_EQ(bootarg_get(LINE, "s", buf, sizeof(buf)), BOOTARG_ENOENT);
	EXPECT_EQ(bootarg_get(LINE, "me", buf, sizeof(buf)), BOOTARG_ENOENT);
	EXPECT_EQ(bootarg_get("", "mem", buf, sizeof(buf)), BOOTARG_ENOENT);
	EXPECT_EQ(bootarg_get(NULL, "mem", buf, sizeof(buf)), BOOTARG_ENOENT);
	EXPECT_EQ(bootarg_get(LINE, NULL, buf, sizeof(buf)), BOOTARG_ENOENT);
	EXPECT_EQ(bootarg_get(LINE, "", buf, sizeof(buf)), BOOTARG_ENOENT);
}

TEST(get_quoted_values)
{
	char buf[32];

	EXPECT_EQ(bootarg_get(LINE, "test", buf, sizeof(buf)), 5);
	EXPECT_STREQ(buf, "mm vm");
	EXPECT_EQ(bootarg_get("x=\"\" y=1", "x", buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "");
	EXPECT_EQ(bootarg_get("x=a\"b c\"d y=1", "x", buf, sizeof(buf)), 5); /* quotes mid-word */
	EXPECT_STREQ(buf, "ab cd");
	EXPECT_EQ(bootarg_get("x=\"a -- b\" y=1", "y", buf, sizeof(buf)), 1); /* quoted -- */
	EXPECT_STREQ(buf, "1");
	EXPECT_EQ(bootarg_get("x=\"open to the end", "x", buf, sizeof(buf)), 15);
	EXPECT_STREQ(buf, "open to the end");
	EXPECT_EQ(bootarg_get("x=\"open to the end", "the", buf, sizeof(buf)), BOOTARG_ENOENT);
}

TEST(get_last_value_wins)
{
	char buf[16];

	EXPECT_EQ(bootarg_get("mem=1G mem=2G", "mem", buf, sizeof(buf)), 2);
	EXPECT_STREQ(buf, "2G");
	EXPECT_EQ(bootarg_get("mem=1G mem", "mem", buf, sizeof(buf)), 2); /* a flag has no value */
	EXPECT_STREQ(buf, "1G");
	EXPECT_EQ(bootarg_get("mem=1G -- mem=2G", "mem", buf, sizeof(buf)), 2);
	EXPECT_STREQ(buf, "1G");
}

TEST(get_buffer_limits)
{
	char buf[6];

	memset(buf, 'z', sizeof(buf));
	EXPECT_EQ(bootarg_get("k=12345", "k", buf, 6), 5); /* exactly fits with its NUL */
	EXPECT_STREQ(buf, "12345");
	memset(buf, 'z', sizeof(buf));
	EXPECT_EQ(bootarg_get("k=123456", "k", buf, 6), BOOTARG_E2BIG);
	EXPECT_STREQ(buf, "");
	EXPECT_EQ(bootarg_get("k=\"1 2 3\"", "k", buf, 6), 5); /* quotes take no room */
	EXPECT_STREQ(buf, "1 2 3");
	EXPECT_EQ(bootarg_get("k=", "k", buf, 1), 0);
	EXPECT_STREQ(buf, "");
	EXPECT_EQ(bootarg_get("k=1", "k", buf, 1), BOOTARG_E2BIG);
	EXPECT_EQ(bootarg_get("k=1", "k", buf, 0), BOOTARG_E2BIG);
	EXPECT_EQ(bootarg_get("k=1", "k", NULL, 8), BOOTARG_E2BIG);
	EXPECT_EQ(buf[0], '\0');
}

/* ---- parse_u64 / parse_size ---- */

TEST(parse_u64_accepts)
{
	u64 v = 0;

	EXPECT_EQ(parse_u64("0", &v), 0);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(parse_u64("4096", &v), 0);
	EXPECT_EQ(v, 4096);
	EXPECT_EQ(parse_u64("007", &v), 0); /* decimal, not octal */
	EXPECT_EQ(v, 7);
	EXPECT_EQ(parse_u64("0x1000", &v), 0);
	EXPECT_EQ(v, 0x1000);
	EXPECT_EQ(parse_u64("0XdeadBEEF", &v), 0);
	EXPECT_EQ(v, 0xdeadbeef);
	EXPECT_EQ(parse_u64("18446744073709551615", &v), 0);
	EXPECT_EQ(v, ~0ULL);
	EXPECT_EQ(parse_u64("0xffffffffffffffff", &v), 0);
	EXPECT_EQ(v, ~0ULL);
	EXPECT_EQ(parse_u64("0x0000000000000000000001", &v), 0); /* leading zeros are free */
	EXPECT_EQ(v, 1);
}

TEST(parse_u64_rejects)
{
	static const char *const bad[] = {"",
					  "x",
					  "0x",
					  "0x ",
					  "12a",
					  " 1",
					  "1 ",
					  "+1",
					  "-1",
					  "1.0",
					  "0b1",
					  "1K",
					  "0xg",
					  "18446744073709551616",
					  "0x10000000000000000",
					  "99999999999999999999"};
	u64 v = 1234;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_u64(bad[i], &v) != -1)
			ktest_fail(__FILE__, __LINE__, "parse_u64(\"%s\") accepted", bad[i]);
	}
	EXPECT_EQ(v, 1234); /* untouched on failure */
	EXPECT_EQ(parse_u64(NULL, &v), -1);
	EXPECT_EQ(parse_u64("1", NULL), -1);
}

TEST(parse_size_suffixes)
{
	u64 v = 0;

	EXPECT_EQ(parse_size("4096", &v), 0);
	EXPECT_EQ(v, 4096);
	EXPECT_EQ(parse_size("512K", &v), 0);
	EXPECT_EQ(v, 512ULL << 10);
	EXPECT_EQ(parse_size("512k", &v), 0);
	EXPECT_EQ(v, 512ULL << 10);
	EXPECT_EQ(parse_size("64M", &v), 0);
	EXPECT_EQ(v, 64ULL << 20);
	EXPECT_EQ(parse_size("64m", &v), 0);
	EXPECT_EQ(v, 64ULL << 20);
	EXPECT_EQ(parse_size("2G", &v), 0);
	EXPECT_EQ(v, 2ULL << 30);
	EXPECT_EQ(parse_size("2g", &v), 0);
	EXPECT_EQ(v, 2ULL << 30);
	EXPECT_EQ(parse_size("1T", &v), 0);
	EXPECT_EQ(v, 1ULL << 40);
	EXPECT_EQ(parse_size("0x1000", &v), 0);
	EXPECT_EQ(v, 0x1000);
	EXPECT_EQ(parse_size("0x10M", &v), 0);
	EXPECT_EQ(v, 16ULL << 20);
	EXPECT_EQ(parse_size("0K", &v), 0);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(parse_size("17179869183G", &v), 0); /* (2^34 - 1) << 30 fits */
	EXPECT_EQ(v, 17179869183ULL << 30);
}

TEST(parse_size_rejects)
{
	static const char *const bad[] = {"",
					  "M",
					  "64MB",
					  "64 M",
					  " 64M",
					  "64M ",
					  "64MM",
					  "64Mi",
					  "-64M",
					  "64P",
					  "0xM",
					  "1.5G",
					  "17179869184G", /* 2^64 */
					  "16777216T",
					  "18446744073709551615K",
					  "18446744073709551616"};
	u64 v = 99;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_size(bad[i], &v) != -1)
			ktest_fail(__FILE__, __LINE__, "parse_size(\"%s\") accepted", bad[i]);
	}
	EXPECT_EQ(v, 99);
	EXPECT_EQ(parse_size(NULL, &v), -1);
	EXPECT_EQ(parse_size("1M", NULL), -1);
}

/* ---- bootargs_init_args ---- */

TEST(init_args_after_dashdash)
{
	EXPECT_STREQ(bootargs_init_args(LINE), "mem=1G -s");
	EXPECT_STREQ(bootargs_init_args("a -- b c"), "b c");
	EXPECT_STREQ(bootargs_init_args("a --   b"), "b");
	EXPECT_STREQ(bootargs_init_args("a\t--\tb"), "b");
	EXPECT_STREQ(bootargs_init_args("-- b"), "b");
	EXPECT_STREQ(bootargs_init_args("a --"), "");
	EXPECT_STREQ(bootargs_init_args("a --  "), "");
	EXPECT_STREQ(bootargs_init_args("a -- b -- c"), "b -- c"); /* the first one counts */
	EXPECT_STREQ(bootargs_init_args("x=\"a -- b\" -- c"), "c");
}

TEST(init_args_absent)
{
	EXPECT_NULL(bootargs_init_args("a b c"));
	EXPECT_NULL(bootargs_init_args("a --b"));
	EXPECT_NULL(bootargs_init_args("a-- b"));
	EXPECT_NULL(bootargs_init_args("a --- b"));
	EXPECT_NULL(bootargs_init_args("a \"--\" b"));
	EXPECT_NULL(bootargs_init_args("x=\"a -- b\""));
	EXPECT_NULL(bootargs_init_args(""));
	EXPECT_NULL(bootargs_init_args(NULL));
}

/* ---- bootargs_split ---- */

TEST(split_words)
{
	char buf[64], *argv[8];

	ASSERT_EQ(bootargs_split("  init  -s\tx=\"a b\" \"\" last ", buf, sizeof(buf), argv, 8), 5);
	EXPECT_STREQ(argv[0], "init");
	EXPECT_STREQ(argv[1], "-s");
	EXPECT_STREQ(argv[2], "x=a b");
	EXPECT_STREQ(argv[3], ""); /* "" is an empty argument */
	EXPECT_STREQ(argv[4], "last");
	EXPECT_NULL(argv[5]);
	ASSERT_EQ(bootargs_split("a -- b", buf, sizeof(buf), argv, 8), 3); /* -- is a word here */
	EXPECT_STREQ(argv[1], "--");
}

TEST(split_empty)
{
	char buf[4], *argv[2] = {buf, buf};

	EXPECT_EQ(bootargs_split("", buf, sizeof(buf), argv, 2), 0);
	EXPECT_NULL(argv[0]);
	argv[0] = buf;
	EXPECT_EQ(bootargs_split(NULL, buf, sizeof(buf), argv, 1), 0);
	EXPECT_NULL(argv[0]);
	EXPECT_EQ(bootargs_split("   ", NULL, 0, argv, 1), 0); /* no words need no buffer */
}

TEST(split_limits)
{
	char buf[8], *argv[3];

	/* maxargs counts the final NULL: 3 slots hold 2 words. */
	EXPECT_EQ(bootargs_split("a b", buf, sizeof(buf), argv, 3), 2);
	EXPECT_EQ(bootargs_split("a b c", buf, sizeof(buf), argv, 3), -1);
	EXPECT_NULL(argv[0]);
	/* "abc\0defg\0" needs 9 bytes; "abc\0def\0" exactly 8. */
	EXPECT_EQ(bootargs_split("abc def", buf, 8, argv, 3), 2);
	EXPECT_STREQ(argv[1], "def");
	EXPECT_EQ(bootargs_split("abc defg", buf, 8, argv, 3), -1);
	EXPECT_NULL(argv[0]);
	EXPECT_EQ(bootargs_split("abcdefgh", buf, 8, argv, 3), -1);
	EXPECT_EQ(bootargs_split("\"abcdefg\"", buf, 8, argv, 3), 1); /* quotes take no room */
	EXPECT_EQ(bootargs_split("a", buf, sizeof(buf), argv, 0), -1);
	EXPECT_EQ(bootargs_split("a", buf, sizeof(buf), NULL, 3), -1);
	EXPECT_EQ(bootargs_split("a", NULL, 8, argv, 3), -1);
}

TEST(split_never_writes_past_buffers)
{
	/* Exactly-sized heap buffers: ASan catches a one-byte overrun. */
	char *buf = malloc(5), **argv = malloc(2 * sizeof(char *));

	ASSERT_NOT_NULL(buf);
	ASSERT_NOT_NULL(argv);
	EXPECT_EQ(bootargs_split("abcd", buf, 5, argv, 2), 1);
	EXPECT_EQ(bootargs_split("abcde", buf, 5, argv, 2), -1);
	EXPECT_EQ(bootargs_split("a b", buf, 5, argv, 2), -1);
	EXPECT_EQ(bootarg_get("k=abcd", "k", buf, 5), 4);
	EXPECT_EQ(bootarg_get("k=abcde", "k", buf, 5), BOOTARG_E2BIG);
	free(buf);
	free(argv);
}
