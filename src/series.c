#include "config.h"

#include "series.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct entry {
	char *id;
	struct series s;
	size_t missing;     /* samples in a row without the id */
	unsigned long seen; /* the last series_add that had it */
};

/* Entries in an array; an open-addressing index (id -> position) over it,
 * rebuilt when entries are dropped. */
struct series_store {
	struct entry **e;
	size_t n, cap;
	size_t *hash, hcap;
	unsigned long gen;
};

#define SLOT_EMPTY ((size_t)-1)

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603ULL; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void index_put(struct series_store *st, size_t i)
{
	size_t h = hash_str(st->e[i]->id) & (st->hcap - 1);

	while (st->hash[h] != SLOT_EMPTY)
		h = (h + 1) & (st->hcap - 1);
	st->hash[h] = i;
}

static void index_rebuild(struct series_store *st)
{
	size_t cap = 64;

	while (cap < st->n * 2 + 2)
		cap *= 2;
	free(st->hash);
	st->hash = xmalloc(cap * sizeof(size_t));
	memset(st->hash, 0xff, cap * sizeof(size_t));
	st->hcap = cap;
	for (size_t i = 0; i < st->n; i++)
		index_put(st, i);
}

static struct entry *find(const struct series_store *st, const char *id)
{
	for (size_t h = hash_str(id) & (st->hcap - 1);; h = (h + 1) & (st->hcap - 1)) {
		size_t i = st->hash[h];
		if (i == SLOT_EMPTY)
			return NULL;
		if (strcmp(st->e[i]->id, id) == 0)
			return st->e[i];
	}
}

struct series_store *series_new(void)
{
	struct series_store *st = xcalloc(1, sizeof(*st));

	index_rebuild(st);
	return st;
}

static struct entry *add_entry(struct series_store *st, const char *id)
{
	struct entry *e = xcalloc(1, sizeof(*e));

	e->id = xstrdup(id);
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 64;
		st->e = xreallocarray(st->e, st->cap, sizeof(*st->e));
	}
	st->e[st->n++] = e;
	if (st->n * 2 + 2 > st->hcap)
		index_rebuild(st);
	else
		index_put(st, st->n - 1);
	return e;
}

static double val(int64_t v)
{
	return HAS(v) ? (double)v : NAN;
}

/* Appends one sample, dropping the oldest when the window is full. */
static void push(struct series *s, double t, double bytes, double messages, double rate)
{
	if (s->n == SERIES_LEN) {
		size_t keep = (SERIES_LEN - 1) * sizeof(double);
		memmove(s->t, s->t + 1, keep);
		memmove(s->bytes, s->bytes + 1, keep);
		memmove(s->messages, s->messages + 1, keep);
		memmove(s->rate, s->rate + 1, keep);
		s->n--;
	}
	s->t[s->n] = t;
	s->bytes[s->n] = bytes;
	s->messages[s->n] = messages;
	s->rate[s->n] = rate;
	s->n++;
}

void series_add(struct series_store *st, const struct snapshot *cur)
{
	size_t kept = 0;

	st->gen++;
	for (size_t i = 0; i < cur->nobjs; i++) {
		const struct ipc_object *o = cur->objs[i];
		struct entry *e = find(st, o->id);
		double rate = NAN;

		if (!e)
			e = add_entry(st, o->id);
		if (o->rate.valid && o->rate.has_bytes)
			rate = o->rate.bytes_per_s;
		else if (o->rate.valid && o->rate.has_messages)
			rate = o->rate.messages_per_s;
		push(&e->s, cur->time, val(o->queue.bytes), val(o->queue.messages), rate);
		e->missing = 0;
		e->seen = st->gen;
	}
	for (size_t i = 0; i < st->n; i++) {
		struct entry *e = st->e[i];

		if (e->seen != st->gen) {
			push(&e->s, cur->time, NAN, NAN, NAN);
			if (++e->missing > SERIES_LEN) {
				free(e->id);
				free(e);
				continue;
			}
		}
		st->e[kept++] = e;
	}
	if (kept != st->n) {
		st->n = kept;
		index_rebuild(st);
	}
}

const struct series *series_get(const struct series_store *st, const char *id)
{
	const struct entry *e = find(st, id);

	return e ? &e->s : NULL;
}

size_t series_count(const struct series_store *st)
{
	return st->n;
}

void series_free(struct series_store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->n; i++) {
		free(st->e[i]->id);
		free(st->e[i]);
	}
	free(st->e);
	free(st->hash);
	free(st);
}

void series_sparkline(struct strbuf *sb, const double *v, size_t n, size_t width, bool ascii)
{
	static const char *const blocks[8] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	static const char ascii_cells[8] = { ' ', '.', ':', '-', '=', '+', '*', '#' };
	size_t from = n > width ? n - width : 0;
	double max = 0;

	for (size_t i = from; i < n; i++)
		if (isfinite(v[i]) && v[i] > max)
			max = v[i];
	for (size_t i = from; i < n; i++) {
		int level = 0;

		if (!isfinite(v[i])) {
			sb_putc(sb, ' ');
			continue;
		}
		if (v[i] > 0 && max > 0) {
			/* the epsilon keeps 3/7 of the max at 3 despite rounding */
			level = (int)ceil(v[i] / max * 7 - 1e-9);
			level = level < 1 ? 1 : level > 7 ? 7 : level;
		}
		if (ascii)
			sb_putc(sb, ascii_cells[level]);
		else
			sb_puts(sb, blocks[level]);
	}
}
