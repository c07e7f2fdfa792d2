#include "config.h"

#include "escape.h"

#include <stdio.h>
#include <wchar.h>

size_t utf8_seq_len(const unsigned char *s, size_t avail, unsigned *cp)
{
	unsigned c, min;
	size_t n;

	if (avail == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Bytes escape_json copies as they are: printable ASCII but '"' and '\\'.
 * Everything else takes the slow path below. */
static const unsigned char json_plain[256] = {
	[0x20 ... 0x21] = 1, /* 0x22 '"' */
	[0x23 ... 0x5b] = 1, /* 0x5c '\\' */
	[0x5d ... 0x7e] = 1,
};

static const char hex_digits[] = "0123456789abcdef";

/* The escape of one character in e (at most 6 bytes), its length returned:
 * \uXXXX as printf "\\u%04x" writes it. */
static size_t json_u4(char *e, unsigned cp)
{
	e[0] = '\\';
	e[1] = 'u';
	e[2] = hex_digits[(cp >> 12) & 0xf];
	e[3] = hex_digits[(cp >> 8) & 0xf];
	e[4] = hex_digits[(cp >> 4) & 0xf];
	e[5] = hex_digits[cp & 0xf];
	return 6;
}

/* Runs of bytes that need no escape (printable ASCII and valid UTF-8 that
 * is not a C1 control, separator or bidi override) are copied with one
 * memcpy each; only the bytes between them are looked at one by one. */
void escape_json(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0; /* p[run..i) is waiting to be copied as is */

	sb_reserve(sb, len + 2);
	sb_putc(sb, '"');
	while (i < len) {
		unsigned c = p[i], cp;
		size_t n = 1, elen;
		char e[6];

		if (json_plain[c]) {
			i++;
			continue;
		}
		if (c >= 0x80) {
			n = utf8_seq_len(p + i, len - i, &cp);
			if (n == 0) {
				/* not UTF-8: the four characters \xNN */
				e[0] = e[1] = '\\';
				e[2] = 'x';
				e[3] = hex_digits[c >> 4];
				e[4] = hex_digits[c & 0xf];
				elen = 5;
				n = 1;
			} else if ((cp >= 0x80 && cp < 0xa0) || cp == 0x2028 || cp == 0x2029 ||
				   (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
				/* C1 controls, line separators and bidi overrides are
				 * valid JSON raw, but a terminal showing the document
				 * would act on them: escape them as escape_text does */
				elen = json_u4(e, cp);
			} else {
				i += n;
				continue;
			}
		} else {
			e[0] = '\\';
			elen = 2;
			switch (c) {
			case '"':
				e[1] = '"';
				break;
			case '\\':
				e[1] = '\\';
				break;
			case '\n':
				e[1] = 'n';
				break;
			case '\t':
				e[1] = 't';
				break;
			case '\r':
				e[1] = 'r';
				break;
			default: /* the other C0 controls and DEL */
				elen = json_u4(e, c);
			}
		}
		if (i > run)
			sb_putn(sb, s + run, i - run);
		sb_putn(sb, e, elen);
		i += n;
		run = i;
	}
	if (i > run)
		sb_putn(sb, s + run, i - run);
	sb_putc(sb, '"');
}

void escape_text(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned cp;
		size_t n = utf8_seq_len(p + i, len - i, &cp);

		if (n == 0) {
			sb_printf(sb, "\\x%02x", p[i]);
			i++;
		} else if (cp == '\\') {
			sb_puts(sb, "\\\\");
			i++;
		} else if (cp == '\n') {
			sb_puts(sb, "\\n");
			i++;
		} else if (cp == '\t') {
			sb_puts(sb, "\\t");
			i++;
		} else if (cp == '\r') {
			sb_puts(sb, "\\r");
			i++;
		} else if (cp == 0x1b) {
			sb_puts(sb, "\\e");
			i++;
		} else if (cp < 0x20 || cp == 0x7f) {
			sb_printf(sb, "\\x%02x", cp);
			i++;
		} else if (cp >= 0x80 && cp < 0xa0) {
			/* C1 controls: a terminal may act on them */
			for (size_t k = 0; k < n; k++)
				sb_printf(sb, "\\x%02x", p[i + k]);
			i += n;
		} else if (cp == 0x2028 || cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e) ||
			   (cp >= 0x2066 && cp <= 0x2069)) {
			/* line separators and bidi overrides can disguise text */
			sb_printf(sb, "\\u%04x", cp);
			i += n;
		} else {
			sb_putn(sb, s + i, n);
			i += n;
		}
	}
}

size_t text_width(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0, i = 0;

	while (i < len) {
		unsigned cp;
		size_t n = utf8_seq_len(p + i, len - i, &cp);
		int cw;

		if (n == 0) {
			w++;
			i++;
			continue;
		}
		cw = wcwidth((wchar_t)cp);
		w += cw < 0 ? 1 : (size_t)cw;
		i += n;
	}
	return w;
}
