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

void escape_json(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	sb_putc(sb, '"');
	while (i < len) {
		unsigned cp;
		size_t n = utf8_seq_len(p + i, len - i, &cp);

		if (n == 0) {
			sb_printf(sb, "\\\\x%02x", p[i]);
			i++;
			continue;
		}
		if (n > 1) {
			/* C1 controls, line separators and bidi overrides are valid
			 * JSON raw, but a terminal showing the document would act
			 * on them: escape them as escape_text does */
			if ((cp >= 0x80 && cp < 0xa0) || cp == 0x2028 || cp == 0x2029 ||
			    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
				sb_printf(sb, "\\u%04x", cp);
			else
				sb_putn(sb, s + i, n);
			i += n;
			continue;
		}
		switch (cp) {
		case '"':
			sb_puts(sb, "\\\"");
			break;
		case '\\':
			sb_puts(sb, "\\\\");
			break;
		case '\n':
			sb_puts(sb, "\\n");
			break;
		case '\t':
			sb_puts(sb, "\\t");
			break;
		case '\r':
			sb_puts(sb, "\\r");
			break;
		default:
			if (cp < 0x20 || cp == 0x7f)
				sb_printf(sb, "\\u%04x", cp);
			else
				sb_putc(sb, (char)cp);
		}
		i++;
	}
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
