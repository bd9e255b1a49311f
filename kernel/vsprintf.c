/*
 * kernel/vsprintf.c - formatted output into a buffer: vsnprintf() and
 * snprintf(), under printk() and every seq_buf.
 *
 * A conversion is %[flags][width][.precision][length]conversion, with C's
 * meanings (tools/testing/vsprintf compares the output with the host C
 * library's for all of these):
 *
 *   flags       '-' pad on the right; '+' a sign on non-negative signed
 *               numbers too; ' ' a space there instead; '#' 0x/0X before
 *               non-zero hex, a leading 0 for octal; '0' pad numbers with
 *               zeros (ignored with '-' or a precision)
 *   width       digits, or '*' (an int argument; negative means '-')
 *   precision   '.' then digits or '*' (negative means none): the fewest
 *               digits of a number, the most characters of a string
 *   length      hh, h, l, ll, z, t, j (l and beyond: 64 bits)
 *   conversion  d i u x X o c s p %
 *
 * %p prints 0x and 16 hex digits, whatever the flags. An unknown
 * conversion is copied as it stands (and consumes no argument). Output is
 * always NUL-terminated when size > 0; the return value is the length the
 * whole output would have had.
 */
#include <kernel/printk.h>
#include <kernel/string.h>

struct outbuf {
	char *buf;
	size_t size;
	size_t len;
};

/* One conversion's flags, width and precision. */
struct fmt_spec {
	int width;  /* minimum field width */
	int prec;   /* precision; -1: none given */
	bool left;  /* '-' */
	bool plus;  /* '+' */
	bool space; /* ' ' */
	bool alt;   /* '#' */
	bool zero;  /* '0' */
};

static void put(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_repeat(struct outbuf *o, char c, int n)
{
	for (; n > 0; n--)
		put(o, c);
}

/*
 * A number: [spaces] [sign or 0x] [zeros] digits [spaces]. @neg and the
 * sign flags matter only for signed conversions (@is_signed).
 */
static void put_num(struct outbuf *o, u64 v, int base, bool upper, bool neg, bool is_signed,
		    const struct fmt_spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24], prefix[2];
	int n = 0, npre = 0, zeros, pad;

	/* a precision of 0 prints no digit for the value 0 */
	if (v || sp->prec != 0) {
		do {
			tmp[n++] = digits[v % base];
			v /= base;
		} while (v);
	}
	zeros = sp->prec > n ? sp->prec - n : 0;
	if (is_signed && (neg || sp->plus || sp->space))
		prefix[npre++] = neg ? '-' : sp->plus ? '+' : ' ';
	if (sp->alt && base == 8 && zeros == 0 && (n == 0 || tmp[n - 1] != '0'))
		zeros = 1;
	if (sp->alt && base == 16 && n && !(n == 1 && tmp[0] == '0')) {
		prefix[npre++] = '0';
		prefix[npre++] = upper ? 'X' : 'x';
	}
	pad = sp->width - (npre + zeros + n);
	if (sp->zero && !sp->left && sp->prec < 0) {
		zeros += pad > 0 ? pad : 0;
		pad = 0;
	}
	if (!sp->left)
		put_repeat(o, ' ', pad);
	for (int i = 0; i < npre; i++)
		put(o, prefix[i]);
	put_repeat(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		put_repeat(o, ' ', pad);
}

/* @len characters of @s in a field of the spec's width. */
static void put_str(struct outbuf *o, const char *s, int len, const struct fmt_spec *sp)
{
	if (!sp->left)
		put_repeat(o, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (sp->left)
		put_repeat(o, ' ', sp->width - len);
}

static int read_digits(const char **fmt)
{
	int n = 0;

	while (**fmt >= '0' && **fmt <= '9') {
		if (n < 100000) /* a field wider than this is nonsense anyway */
			n = n * 10 + (**fmt - '0');
		(*fmt)++;
	}
	return n;
}

/**
 * vsnprintf - format @fmt with the arguments in @ap into @buf.
 * @buf: where the text goes (may be NULL when @size is 0)
 * @size: room in @buf, the terminating NUL included
 * @fmt: the format (see the top of this file)
 * @ap: its arguments
 *
 * Context: any; takes no lock and does not sleep.
 * Return: the length of the whole output, without the NUL, even when it
 * did not fit (the text in @buf is then cut short, still terminated).
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = {buf, size, 0};

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		const char *start = fmt++;
		struct fmt_spec sp = {.prec = -1};
		int lng = 0, shrt = 0;

		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '+')
				sp.plus = true;
			else if (*fmt == ' ')
				sp.space = true;
			else if (*fmt == '#')
				sp.alt = true;
			else if (*fmt == '0')
				sp.zero = true;
			else
				break;
		}
		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = sp.width == (int)(1U << 31) ? 0 : -sp.width;
			}
			fmt++;
		} else {
			sp.width = read_digits(&fmt);
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				sp.prec = va_arg(ap, int);
				if (sp.prec < 0)
					sp.prec = -1;
				fmt++;
			} else {
				sp.prec = read_digits(&fmt);
			}
		}
		for (;; fmt++) {
			if (*fmt == 'l' || *fmt == 'z' || *fmt == 't' || *fmt == 'j')
				lng++;
			else if (*fmt == 'h')
				shrt++;
			else
				break;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			s64 v = lng ? va_arg(ap, s64) : va_arg(ap, int);

			if (!lng && shrt == 1)
				v = (short)v;
			else if (!lng && shrt > 1)
				v = (signed char)v;
			put_num(&o, v < 0 ? -(u64)v : (u64)v, 10, false, v < 0, true, &sp);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			u64 v = lng ? va_arg(ap, u64) : va_arg(ap, unsigned int);
			int base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;

			if (!lng && shrt == 1)
				v = (unsigned short)v;
			else if (!lng && shrt > 1)
				v = (unsigned char)v;
			put_num(&o, v, base, *fmt == 'X', false, false, &sp);
			break;
		}
		case 'p': {
			struct fmt_spec p = {.width = 16, .prec = -1, .zero = true};

			put(&o, '0');
			put(&o, 'x');
			put_num(&o, (u64)(uintptr_t)va_arg(ap, void *), 16, false, false, false,
				&p);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);

			if (!s)
				s = "(null)";
			put_str(&o, s, (int)(sp.prec >= 0 ? strnlen(s, sp.prec) : strlen(s)), &sp);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			put_str(&o, &c, 1, &sp);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0': /* the format ends inside a conversion: print what there is */
			fmt--;
			/* fall through */
		default:
			while (start <= fmt)
				put(&o, *start++);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

/**
 * snprintf - vsnprintf() with its arguments in the call.
 * @buf: where the text goes
 * @size: room in @buf, the terminating NUL included
 * @fmt: the format
 *
 * Context: any.
 * Return: the length of the whole output, as vsnprintf().
 */
int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
