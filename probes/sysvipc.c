#include "config.h"

#include "sysvipc.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Every column is a number. The kernel's formats (Linux 6.x):
 *   shm: "%10d %10d  %4o %21lu %5u %5u  %5lu %5u %5u %5u %5u %10llu %10llu %10llu %21lu %21lu"
 *   msg: "%10d %10d  %4o  %10lu %10lu %5u %5u %5u %5u %5u %5u %10llu %10llu %10llu"
 *   sem: "%10d %10d  %4o %10u %5u %5u %5u %5u %10llu %10llu"
 * so the key is signed (a key with the top bit set prints negative), perms
 * is octal and everything else is an unsigned decimal. */
enum field_type {
	F_KEY,  /* int32_t, signed decimal */
	F_ID,   /* int32_t, decimal 0..INT32_MAX */
	F_MODE, /* uint32_t, octal 0..0177777 (umode_t) */
	F_U32,  /* uint32_t, decimal */
	F_U64,  /* uint64_t, decimal */
};

struct field {
	enum field_type type;
	size_t off;
};

#define FLD(type, st, member) { type, offsetof(struct st, member) }

static const struct field shm_fields[] = {
	FLD(F_KEY, sysvipc_shm, key),     FLD(F_ID, sysvipc_shm, id),
	FLD(F_MODE, sysvipc_shm, perms),  FLD(F_U64, sysvipc_shm, size),
	FLD(F_U32, sysvipc_shm, cpid),    FLD(F_U32, sysvipc_shm, lpid),
	FLD(F_U64, sysvipc_shm, nattch),  FLD(F_U32, sysvipc_shm, uid),
	FLD(F_U32, sysvipc_shm, gid),     FLD(F_U32, sysvipc_shm, cuid),
	FLD(F_U32, sysvipc_shm, cgid),    FLD(F_U64, sysvipc_shm, atime),
	FLD(F_U64, sysvipc_shm, dtime),   FLD(F_U64, sysvipc_shm, ctime),
	FLD(F_U64, sysvipc_shm, rss),     FLD(F_U64, sysvipc_shm, swap),
};

static const struct field msg_fields[] = {
	FLD(F_KEY, sysvipc_msg, key),     FLD(F_ID, sysvipc_msg, id),
	FLD(F_MODE, sysvipc_msg, perms),  FLD(F_U64, sysvipc_msg, cbytes),
	FLD(F_U64, sysvipc_msg, qnum),    FLD(F_U32, sysvipc_msg, lspid),
	FLD(F_U32, sysvipc_msg, lrpid),   FLD(F_U32, sysvipc_msg, uid),
	FLD(F_U32, sysvipc_msg, gid),     FLD(F_U32, sysvipc_msg, cuid),
	FLD(F_U32, sysvipc_msg, cgid),    FLD(F_U64, sysvipc_msg, stime),
	FLD(F_U64, sysvipc_msg, rtime),   FLD(F_U64, sysvipc_msg, ctime),
};

static const struct field sem_fields[] = {
	FLD(F_KEY, sysvipc_sem, key),     FLD(F_ID, sysvipc_sem, id),
	FLD(F_MODE, sysvipc_sem, perms),  FLD(F_U32, sysvipc_sem, nsems),
	FLD(F_U32, sysvipc_sem, uid),     FLD(F_U32, sysvipc_sem, gid),
	FLD(F_U32, sysvipc_sem, cuid),    FLD(F_U32, sysvipc_sem, cgid),
	FLD(F_U64, sysvipc_sem, otime),   FLD(F_U64, sysvipc_sem, ctime),
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Next blank-separated token of *p; false at the end of the line. */
static bool next_token(const char **p, const char **tok, size_t *len)
{
	const char *s = *p;

	while (is_blank(*s))
		s++;
	if (*s == '\0' || *s == '\n' || *s == '\r')
		return false;
	*tok = s;
	while (*s && !is_blank(*s) && *s != '\n' && *s != '\r')
		s++;
	*len = (size_t)(s - *tok);
	*p = s;
	return true;
}

/* Unsigned number of only digits in base 8 or 10, no sign; false on overflow. */
static bool parse_unsigned(const char *tok, size_t len, unsigned base, uint64_t max,
			   uint64_t *v)
{
	uint64_t n = 0;

	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(tok[i] - '0');

		if (tok[i] < '0' || d >= base)
			return false;
		if (n > (max - d) / base)
			return false;
		n = n * base + d;
	}
	*v = n;
	return true;
}

static bool parse_field(const struct field *f, const char *tok, size_t len, void *out)
{
	char *dst = (char *)out + f->off;
	uint64_t v;

	switch (f->type) {
	case F_KEY: {
		bool neg = tok[0] == '-';
		int32_t k;

		if (!parse_unsigned(tok + neg, len - neg, 10, neg ? 2147483648u : INT32_MAX, &v))
			return false;
		k = neg ? (int32_t)(-(int64_t)v) : (int32_t)v;
		memcpy(dst, &k, sizeof(k));
		return true;
	}
	case F_ID: {
		int32_t id;

		if (!parse_unsigned(tok, len, 10, INT32_MAX, &v))
			return false;
		id = (int32_t)v;
		memcpy(dst, &id, sizeof(id));
		return true;
	}
	case F_MODE:
	case F_U32: {
		uint32_t u;

		if (!parse_unsigned(tok, len, f->type == F_MODE ? 8 : 10,
				    f->type == F_MODE ? 0177777 : UINT32_MAX, &v))
			return false;
		u = (uint32_t)v;
		memcpy(dst, &u, sizeof(u));
		return true;
	}
	case F_U64:
		if (!parse_unsigned(tok, len, 10, UINT64_MAX, &v))
			return false;
		memcpy(dst, &v, sizeof(v));
		return true;
	}
	return false;
}

static int parse_line(const char *line, const struct field *fields, size_t nfields, void *out)
{
	const char *p = line, *tok;
	size_t len;

	if (!line)
		return SYSVIPC_ERROR;
	if (!next_token(&p, &tok, &len))
		return SYSVIPC_ERROR;
	/* The header's first column is "key"; a data line starts with a number. */
	if (len == 3 && memcmp(tok, "key", 3) == 0)
		return SYSVIPC_HEADER;
	for (size_t i = 0; i < nfields; i++) {
		if (i > 0 && !next_token(&p, &tok, &len))
			return SYSVIPC_ERROR; /* truncated */
		if (!parse_field(&fields[i], tok, len, out))
			return SYSVIPC_ERROR;
	}
	return SYSVIPC_OK;
}

#define NFIELDS(a) (sizeof(a) / sizeof((a)[0]))

int sysvipc_parse_shm_line(const char *line, struct sysvipc_shm *out)
{
	return parse_line(line, shm_fields, NFIELDS(shm_fields), out);
}

int sysvipc_parse_msg_line(const char *line, struct sysvipc_msg *out)
{
	return parse_line(line, msg_fields, NFIELDS(msg_fields), out);
}

int sysvipc_parse_sem_line(const char *line, struct sysvipc_sem *out)
{
	return parse_line(line, sem_fields, NFIELDS(sem_fields), out);
}

char *sysvipc_next_line(char **cursor)
{
	char *line = *cursor, *nl;

	if (!line || *line == '\0')
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*cursor = nl + 1;
	} else {
		*cursor = line + strlen(line);
	}
	return line;
}
