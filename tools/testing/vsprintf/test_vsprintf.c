/*
 * tools/testing/vsprintf/test_vsprintf.c - the kernel's vsnprintf()
 * (kernel/vsprintf.c) printed side by side with the host C library's: every
 * flag ('-', '+', ' ', '#', '0'), widths and precisions written out or taken
 * from '*', the length modifiers and conversions the kernel supports,
 * truncation, and a few thousand random conversions. The host's output is
 * the reference, so each test says exactly which format went wrong.
 *
 * Not compared, because the kernel differs on purpose: %p (always 0x and 16
 * hex digits), a NULL %s ("(null)" whatever the precision) and unknown
 * conversions (copied as they stand).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <limits.h>
#include "ktest-host.h"

/*
 * Some cases are flag combinations whose meaning C defines but which GCC
 * flags as pointless ('+' with ' ', '0' with '-', '0' with a precision):
 * the kernel must still print them as C says.
 */
#pragma GCC diagnostic ignored "-Wformat"

int kernel_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int kernel_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Format with both; report a difference in text or return value. */
#define SAME(fmt, ...) same_as_libc(__LINE__, fmt, __VA_ARGS__)

__attribute__((format(printf, 2, 3))) static void same_as_libc(int line, const char *fmt, ...)
{
	char want[256], got[256];
	va_list ap, ap2;
	int nw, ng;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	nw = vsnprintf(want, sizeof(want), fmt, ap);
	ng = kernel_vsnprintf(got, sizeof(got), fmt, ap2);
	va_end(ap2);
	va_end(ap);
	if (strcmp(want, got) || nw != ng)
		ktest_fail(__FILE__, line,
			   "\"%s\": kernel printed \"%s\" (%d), C library \"%s\" (%d)", fmt, got,
			   ng, want, nw);
}

TEST(plus_and_space_flags_give_non_negative_numbers_a_sign)
{
	SAME("%+d|%+d|%+d", 5, -5, 0);
	SAME("% d|% d|% d", 5, -5, 0);
	SAME("%+ d|% +d", 7, 7);      /* '+' wins over ' ' */
	SAME("%+ld..%+ld", 48L, -8L); /* slab_debug's red zone report */
	SAME("%+5d|%-+5d|%+05d|% 05d", 42, 42, 42, 42);
	SAME("%+u|% u|%+x|% o", 3u, 3u, 0x2au, 8u); /* no sign for unsigned conversions */
	SAME("%+lld|% lld", LLONG_MIN, LLONG_MAX);
}

TEST(hash_flag_marks_hex_and_octal)
{
	SAME("%#x|%#X|%#x|%#o|%#o", 0xbeefu, 0xbeefu, 0u, 8u, 0u);
	SAME("%#10x|%#-10x|%#010x|%#.6x", 0xabcu, 0xabcu, 0xabcu, 0xabcu);
	SAME("%#.3o|%#.0o|%#5o", 8u, 0u, 64u);
	SAME("%#llx|%#lo", 0xffffffc080200000ULL, 0777UL);
}

TEST(zero_flag_pads_after_the_sign_and_yields_to_minus_and_precision)
{
	SAME("[%05d|%05d|%-05d|%05u|%0-5d]", 42, -42, 42, 42u, 42);
	SAME("[%08x|%08X|%016llx]", 0xbeefu, 0xbeefu, 0x1234ULL);
	SAME("[%08.3d|%08.3x|%0.0d]", -7, 0x7u, 0);
	SAME("[%00005d|%0+5d|%-0-5d]", 3, 3, 3);
}

TEST(precision_sets_the_fewest_digits_and_the_most_characters)
{
	SAME("[%.3d|%.3d|%.0d|%.0x|%5.0d|%.1d]", 7, -7, 0, 0u, 0, 0);
	SAME("[%.10u|%.2u|%8.4x]", 123u, 12345u, 0xffu);
	SAME("[%.2s|%.0s|%.10s|%8.3s|%-8.3s]", "abcdef", "abc", "abc", "abcdef", "abcdef");
	SAME("[%.d|%.s]", 0, "xyz"); /* '.' alone: precision 0 */
}

TEST(star_takes_width_and_precision_from_the_arguments)
{
	SAME("[%*d|%*d|%-*d]", 6, 42, -6, 42, 6, 42);
	SAME("[%.*d|%.*d|%*.*x]", 4, 9, -1, 9, 8, 3, 0x1fu);
	SAME("[%.*s|%*s|%-*s|%.*s]", 3, "abcdef", 5, "ab", 5, "ab", -2, "abc");
	SAME("[%0*d|%+*d]", 5, -3, 4, 3);
}

TEST(length_modifiers_select_the_argument_type)
{
	SAME("%hd|%hu|%hx|%hhd|%hhu|%hhx", 70000, 70000, 0x12345, 300, 300, 0x1ff);
	SAME("%hd|%hhd", -32768, -128);
	SAME("%ld|%lu|%lx|%lo", LONG_MIN, ULONG_MAX, 0xdeadbeefUL, 8UL);
	SAME("%lld|%llu|%llX", LLONG_MIN, ULLONG_MAX, 0xfeedULL);
	SAME("%zu|%zd|%zx", (size_t)123, (ssize_t)-123, (size_t)0xabc);
	SAME("%td|%jd|%ju", (ptrdiff_t)-5, (intmax_t)-6, (uintmax_t)7);
	SAME("%d|%i|%u|%o", INT_MIN, INT_MAX, UINT_MAX, 0777u);
}

TEST(characters_strings_and_percent_in_fields)
{
	SAME("[%c|%3c|%-3c|%%]", 'a', 'b', 'c');
	SAME("[%s|%10s|%-10s|%s]", "", "pagoda", "pagoda", "end");
}

TEST(truncated_output_is_terminated_and_the_full_length_returned)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	EXPECT_EQ(kernel_snprintf(buf, 5, "%+06d!", 42), 7);
	EXPECT_STREQ(buf, "+000");
	EXPECT_EQ(buf[5], 'x'); /* nothing written past size */
	EXPECT_EQ(kernel_snprintf(NULL, 0, "%#x", 0x10u), 4);
	EXPECT_EQ(kernel_snprintf(buf, 1, "abc"), 3);
	EXPECT_EQ(buf[0], '\0');
}

TEST(kernel_only_behaviour_of_p_null_strings_and_unknown_conversions)
{
	char buf[64];
	const char *volatile nothing = NULL;

	kernel_snprintf(buf, sizeof(buf), "%p", (void *)0x1234);
	EXPECT_STREQ(buf, "0x0000000000001234");
	kernel_snprintf(buf, sizeof(buf), "[%s]", nothing);
	EXPECT_STREQ(buf, "[(null)]");
	/* copied as it stands, so the mistake shows in the log (the compiler
	 * rejects such a literal format: hide it from its checks) */
	const char *volatile bad = "%-5q|%";

	kernel_snprintf(buf, sizeof(buf), bad, 1);
	EXPECT_STREQ(buf, "%-5q|%");
}

/* One random conversion with one random argument, through both. */
static void random_conversion(void)
{
	static const char flags[] = "-+ #0";
	static const char conv[] = "diuxXocs";
	static const char *const strs[] = {"", "a", "pagoda", "0123456789abcdef"};
	char fmt[40], *f = fmt;
	unsigned long long r = ktest_rand();
	char c = conv[r % 8];
	int lng = (int)(ktest_rand() % 3); /* none, l, ll */
	long long v = (long long)ktest_rand();

	*f++ = '%';
	for (int i = 0; i < 5; i++)
		if (ktest_rand() % 4 == 0)
			*f++ = flags[i];
	if (ktest_rand() % 2)
		f += sprintf(f, "%d", (int)(ktest_rand() % 25));
	if (ktest_rand() % 2)
		f += sprintf(f, ".%d", (int)(ktest_rand() % 25));
	if (c != 'c' && c != 's')
		for (int i = 0; i < lng; i++)
			*f++ = 'l';
	*f++ = c;
	*f = '\0';
	if (ktest_rand() % 4 == 0) /* small values and zero are where the edge cases are */
		v %= 20;
	switch (c) {
	case 'c':
		SAME(fmt, (int)('A' + ktest_rand() % 26));
		break;
	case 's':
		SAME(fmt, strs[ktest_rand() % 4]);
		break;
	case 'd':
	case 'i':
		if (lng)
			SAME(fmt, v);
		else
			SAME(fmt, (int)v);
		break;
	default:
		if (lng)
			SAME(fmt, (unsigned long long)v);
		else
			SAME(fmt, (unsigned int)v);
		break;
	}
}

TEST(random_conversions_match_the_c_library)
{
	ktest_srand(2024);
	for (int i = 0; i < 20000 && !ktest_failed(); i++)
		random_conversion();
}
