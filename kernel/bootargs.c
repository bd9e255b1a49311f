/*
 * kernel/bootargs.c - find parameters in the kernel command line.
 *
 * The command line is a string copied out of the device tree
 * (boot_info.bootargs). Nothing here modifies it or allocates: lookups scan
 * it from the start each time, which is cheap for a few hundred bytes read a
 * few dozen times at boot.
 *
 * Words. A word is a maximal run of non-blank characters, where blanks
 * (space, tab, newline, carriage return) between double quotes do not split:
 *
 *   console=ttyS0  test="mm vm"  quiet  --  -s  "two words"
 *   \___________/  \__________/  \___/  \/  \/  \_________/
 *       word           word       word  end  init's words
 *
 * Quote characters are dropped from a word's text wherever they appear
 * (test="mm vm" has the value `mm vm`); an unterminated quote runs to the
 * end of the line. A parameter name is matched against the raw word, so
 * names cannot be quoted.
 *
 * Parameters. "name" alone is a flag; "name=value" sets a value. The first
 * word "--" ends the kernel's parameters; what follows is init's (Linux
 * passes it as init's argv). When a name is given twice, the last value
 * wins, as in Linux.
 *
 * Numbers: decimal or 0x-prefixed hexadecimal, with a K/M/G/T binary suffix
 * for sizes (Linux's memparse; no octal, no sign, nothing after the suffix).
 *
 * No locks: only reads its inputs and writes the caller's buffers.
 *
 * See: Linux Documentation/admin-guide/kernel-parameters.rst ("--" and
 *      quoting); include/kernel/bootargs.h.
 */
#include <uapi/pagoda/types.h>
#include <kernel/string.h>
#include <kernel/bootargs.h>

#define U64_MAX (~(u64)0)

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Find the first word at or after @p. Return its start and set *@end to one
 * past its last character, or return NULL when only blanks remain.
 */
static const char *next_word(const char *p, const char **end)
{
	const char *start;
	int quoted = 0;

	if (!p)
		return NULL;
	while (is_blank(*p))
		p++;
	if (!*p)
		return NULL;
	for (start = p; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && is_blank(*p))
			break;
	}
	*end = p;
	return start;
}

static int is_dashdash(const char *w, const char *end)
{
	return end - w == 2 && w[0] == '-' && w[1] == '-';
}

/*
 * Is the word [@w, @end) "name" or "name=..."? If so, set *@value to the
 * character after '=' (NULL for a flag) and return 1.
 */
static int word_is(const char *w, const char *end, const char *name, const char **value)
{
	int nlen = (int)strlen(name);

	if (nlen == 0 || end - w < nlen || strncmp(w, name, nlen) != 0)
		return 0;
	if (w + nlen == end) {
		*value = NULL;
		return 1;
	}
	if (w[nlen] == '=') {
		*value = w + nlen + 1;
		return 1;
	}
	return 0;
}

/* Number of characters of [@p, @end) once quotes are removed. */
static int unquoted_len(const char *p, const char *end)
{
	int n = 0;

	for (; p < end; p++)
		n += *p != '"';
	return n;
}

/* Copy [@p, @end) without quotes to @dst and terminate it; the caller made room. */
static void copy_unquoted(char *dst, const char *p, const char *end)
{
	for (; p < end; p++) {
		if (*p != '"')
			*dst++ = *p;
	}
	*dst = '\0';
}

/**
 * bootarg_present - is a parameter given?
 * @cmdline: the kernel command line (NULL counts as empty)
 * @name:    parameter name, such as "quiet" or "mem"
 *
 * Matches a whole word equal to @name or starting with "@name=", before any
 * standalone "--". "memtest" does not match "mem", nor does "-- mem".
 *
 * Context: any.
 * Return: true if found.
 */
bool bootarg_present(const char *cmdline, const char *name)
{
	const char *w, *end, *value;

	if (!name)
		return 0;
	for (w = next_word(cmdline, &end); w; w = next_word(end, &end)) {
		if (is_dashdash(w, end))
			break;
		if (word_is(w, end, name, &value))
			return 1;
	}
	return 0;
}

/**
 * bootarg_get - the value of a "name=value" parameter
 * @cmdline: the kernel command line (NULL counts as empty)
 * @name:    parameter name, such as "mem" (without '=')
 * @buf:     receives the value, quotes removed, NUL-terminated
 * @bufsz:   size of @buf in bytes, including the NUL
 *
 * Only words before a standalone "--" count; if the name is given more than
 * once, the last "name=value" wins. "name=" has the empty value. A bare
 * "name" (a flag) has no value. On any error @buf is set to "" (if @bufsz > 0).
 *
 * Context: any.
 * Return: the value's length (0 for "name="), BOOTARG_ENOENT (-1) if there is
 * no "name=value" word, or BOOTARG_E2BIG (-2) if the value needs more than
 * @bufsz bytes.
 */
int bootarg_get(const char *cmdline, const char *name, char *buf, int bufsz)
{
	const char *w, *end, *value, *found = NULL, *found_end = NULL;
	int len;

	if (buf && bufsz > 0)
		buf[0] = '\0';
	if (!name)
		return BOOTARG_ENOENT;
	for (w = next_word(cmdline, &end); w; w = next_word(end, &end)) {
		if (is_dashdash(w, end))
			break;
		if (word_is(w, end, name, &value) && value) {
			found = value;
			found_end = end;
		}
	}
	if (!found)
		return BOOTARG_ENOENT;
	len = unquoted_len(found, found_end);
	if (!buf || len >= bufsz)
		return BOOTARG_E2BIG;
	copy_unquoted(buf, found, found_end);
	return len;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99; /* not a digit in any base we accept */
}

/*
 * Parse the number at the start of @s (decimal, or hex after "0x"). Set
 * *@end to the first character after it. Return 0, or -1 if there are no
 * digits or the value does not fit in 64 bits.
 */
static int parse_number(const char *s, u64 *out, const char **end)
{
	u64 v = 0;
	int base = 10, d, ndigits = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (; (d = digit_value(*s)) < base; s++, ndigits++) {
		if (v > (U64_MAX - (u64)d) / (u64)base)
			return -1;
		v = v * (u64)base + (u64)d;
	}
	if (ndigits == 0)
		return -1;
	*out = v;
	*end = s;
	return 0;
}

/**
 * parse_u64 - parse an unsigned number
 * @s:   "4096" or "0x1000"; nothing else may follow
 * @out: set to the value on success, untouched on failure
 *
 * Context: any.
 * Return: 0, or -1 for an empty string, a stray character, a sign, or a value
 * above 2^64 - 1.
 */
int parse_u64(const char *s, u64 *out)
{
	const char *end;
	u64 v;

	if (!s || !out || parse_number(s, &v, &end) < 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

/**
 * parse_size - parse a size such as "64M"
 * @s:   a number as for parse_u64(), optionally followed by one of K, M, G, T
 *       (either case) meaning 2^10, 2^20, 2^30, 2^40: "512K", "2G", "0x1000"
 * @out: set to the size in bytes on success, untouched on failure
 *
 * Context: any.
 * Return: 0, or -1 if @s is malformed or the size does not fit in 64 bits.
 */
int parse_size(const char *s, u64 *out)
{
	const char *end;
	int shift = 0;
	u64 v;

	if (!s || !out || parse_number(s, &v, &end) < 0)
		return -1;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	case 't':
	case 'T':
		shift = 40;
		break;
	case '\0':
		break;
	default:
		return -1;
	}
	if (shift) {
		end++;
		if (v > (U64_MAX >> shift))
			return -1;
	}
	if (*end != '\0')
		return -1;
	*out = v << shift;
	return 0;
}

/**
 * bootargs_init_args - the part of the command line meant for init
 * @cmdline: the kernel command line (NULL counts as empty)
 *
 * Context: any.
 * Return: a pointer into @cmdline just after the first standalone "--" word,
 * blanks skipped (so "" when nothing follows it), or NULL when there is no
 * "--". Split it with bootargs_split().
 */
const char *bootargs_init_args(const char *cmdline)
{
	const char *w, *end;

	for (w = next_word(cmdline, &end); w; w = next_word(end, &end)) {
		if (is_dashdash(w, end)) {
			while (is_blank(*end))
				end++;
			return end;
		}
	}
	return NULL;
}

/**
 * bootargs_split - split a string into words, as for exec()
 * @s:       the string (NULL counts as empty), such as bootargs_init_args()'s
 * @buf:     receives the words, quotes removed, each NUL-terminated
 * @bufsz:   size of @buf in bytes
 * @argv:    receives pointers into @buf, then a NULL after the last word
 * @maxargs: number of slots in @argv, counting the final NULL
 *
 * "--" is an ordinary word here. On overflow @argv[0] is set to NULL (if
 * @maxargs > 0) so a caller that ignores the error sees no arguments.
 *
 * Context: any.
 * Return: the number of words (argc), or -1 if they need more than @bufsz
 * bytes or more than @maxargs - 1 pointers.
 */
int bootargs_split(const char *s, char *buf, int bufsz, char **argv, int maxargs)
{
	const char *w, *end;
	int argc = 0, used = 0, len;

	if (!argv || maxargs <= 0)
		return -1;
	argv[0] = NULL;
	for (w = next_word(s, &end); w; w = next_word(end, &end)) {
		len = unquoted_len(w, end);
		if (argc + 1 >= maxargs || !buf || len + 1 > bufsz - used) {
			argv[0] = NULL;
			return -1;
		}
		copy_unquoted(buf + used, w, end);
		argv[argc++] = buf + used;
		used += len + 1;
	}
	argv[argc] = NULL;
	return argc;
}
