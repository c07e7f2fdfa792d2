/* A growable byte buffer for building output before it is written. */
#ifndef IPCTOP_STRBUF_H
#define IPCTOP_STRBUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct strbuf {
	char *buf;
	size_t len, cap;
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_puts(struct strbuf *sb, const char *s);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* NUL-terminated view of the contents (always valid, even when empty). */
const char *sb_str(struct strbuf *sb);
/* Writes the contents to f; returns 0 or -1 on a write error. */
int sb_write(struct strbuf *sb, FILE *f);

/* Grows the buffer to hold extra more bytes and a NUL (the slow path of
 * sb_reserve). */
void sb_grow(struct strbuf *sb, size_t extra);

/* Room for n more bytes: returns where they go (buf + len). The caller
 * writes up to n bytes there, then advances len by what it wrote. */
static inline char *sb_reserve(struct strbuf *sb, size_t n)
{
	if (sb->cap - sb->len <= n)
		sb_grow(sb, n);
	return sb->buf + sb->len;
}

/* Inline: writers call these once per byte or token (the JSON of a busy
 * system is megabytes). */
static inline void sb_putc(struct strbuf *sb, char c)
{
	sb_reserve(sb, 1)[0] = c;
	sb->len++;
}

static inline void sb_putn(struct strbuf *sb, const char *s, size_t n)
{
	memcpy(sb_reserve(sb, n), s, n);
	sb->len += n;
}

/* The decimal digits of v (with a '-' if negative), as printf "%" PRId64
 * writes them, at dst (SB_I64_MAX bytes of room, no NUL); returns how many. */
#define SB_I64_MAX 20
size_t sb_fmt_i64(char *dst, int64_t v);
/* Appends v in decimal, as sb_printf(sb, "%" PRId64, v) would. */
void sb_put_i64(struct strbuf *sb, int64_t v);

#endif
