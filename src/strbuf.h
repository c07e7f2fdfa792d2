/* A growable byte buffer for building output before it is written. */
#ifndef IPCTOP_STRBUF_H
#define IPCTOP_STRBUF_H

#include <stddef.h>
#include <stdio.h>

struct strbuf {
	char *buf;
	size_t len, cap;
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_putc(struct strbuf *sb, char c);
void sb_putn(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* NUL-terminated view of the contents (always valid, even when empty). */
const char *sb_str(struct strbuf *sb);
/* Writes the contents to f; returns 0 or -1 on a write error. */
int sb_write(struct strbuf *sb, FILE *f);

#endif
