/* Escaping of untrusted bytes (process names, paths, socket names): no byte
 * from the kernel reaches a terminal or a JSON document raw. */
#ifndef IPCTOP_ESCAPE_H
#define IPCTOP_ESCAPE_H

#include <stddef.h>

#include "strbuf.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if s[0] starts none.
 * Rejects overlong forms, surrogates and code points above U+10FFFF. */
size_t utf8_seq_len(const unsigned char *s, size_t avail, unsigned *cp);

/* A JSON string literal, quotes included. Valid UTF-8 is kept; control
 * characters become \n, \t, \u00XX; a byte that is not valid UTF-8 becomes
 * the four characters \xNN (in the JSON text: "\\xNN"). */
void escape_json(struct strbuf *sb, const char *s, size_t len);

/* Text for a terminal or a batch listing: printable characters kept,
 * backslash doubled, control characters (C0, DEL, C1) and invalid bytes as
 * \xNN (\n, \t, \r, \e by name). */
void escape_text(struct strbuf *sb, const char *s, size_t len);

/* Display width of text produced by escape_text (one column per code point;
 * East Asian wide characters count two). */
size_t text_width(const char *s, size_t len);

#endif
