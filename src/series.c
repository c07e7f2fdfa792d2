#include "config.h"

#include "series.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* An object's samples, in rings shared with the store's sample times: the
 * sample of the store's k-th series_add is at k % SERIES_LEN, the entry
 * holding its last n. Floats: tens of thousands of objects are kept (a
 * sparkline and its range to six digits is what is shown of them). */
struct entry {
	char *id;
	float bytes[SERIES_LEN], messages[SERIES_LEN], rate[SERIES_LEN];
	size_t n;           /* samples held */
	size_t missing;     /* samples in a row without the id */
	unsigned long seen; /* the last series_add that had it */
};

/* Entries in an array; an open-addressing index (id -> position) over it,
 * rebuilt when entries are dropped. */
struct series_store {
	struct entry **e;
	size_t n, cap;
	size_t *hash, hcap;
	unsigned long gen; /* series_add calls so far */
	double t[SERIES_LEN]; /* the time of each, by gen % SERIES_LEN */
	struct series *out;   /* what series_get gives */
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

/* The position of id's entry, or SLOT_EMPTY. */
static size_t find_idx(const struct series_store *st, const char *id)
{
	for (size_t h = hash_str(id) & (st->hcap - 1);; h = (h + 1) & (st->hcap - 1)) {
		size_t i = st->hash[h];
		if (i == SLOT_EMPTY || strcmp(st->e[i]->id, id) == 0)
			return i;
	}
}

struct series_store *series_new(void)
{
	struct series_store *st = xcalloc(1, sizeof(*st));

	st->out = xcalloc(1, sizeof(*st->out));
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

static float val(int64_t v)
{
	return HAS(v) ? (float)v : NAN;
}

/* The sample of this series_add (st->gen, counted already). */
static void push(const struct series_store *st, struct entry *e, float bytes, float messages,
		 float rate)
{
	size_t at = (st->gen - 1) % SERIES_LEN;

	e->bytes[at] = bytes;
	e->messages[at] = messages;
	e->rate[at] = rate;
	if (e->n < SERIES_LEN)
		e->n++;
}

void series_add(struct series_store *st, const struct snapshot *cur)
{
	size_t kept = 0, next = 0;

	st->gen++;
	st->t[(st->gen - 1) % SERIES_LEN] = cur->time;
	for (size_t i = 0; i < cur->nobjs; i++) {
		const struct ipc_object *o = cur->objs[i];
		struct entry *e;
		float rate = NAN;
		size_t at;

		/* the objects come sorted alike each time: most often the
		 * entry after the last one found */
		at = next < st->n && !strcmp(st->e[next]->id, o->id) ? next : find_idx(st, o->id);
		if (at == SLOT_EMPTY) {
			e = add_entry(st, o->id);
			at = st->n - 1;
		} else {
			e = st->e[at];
		}
		next = at + 1;
		if (o->rate.valid && o->rate.has_bytes)
			rate = (float)o->rate.bytes_per_s;
		else if (o->rate.valid && o->rate.has_messages)
			rate = (float)o->rate.messages_per_s;
		push(st, e, val(o->queue.bytes), val(o->queue.messages), rate);
		e->missing = 0;
		e->seen = st->gen;
	}
	for (size_t i = 0; i < st->n; i++) {
		struct entry *e = st->e[i];

		if (e->seen != st->gen) {
			push(st, e, NAN, NAN, NAN);
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
	size_t at = find_idx(st, id);
	const struct entry *e;
	struct series *out = st->out;

	if (at == SLOT_EMPTY)
		return NULL;
	e = st->e[at];
	out->n = e->n;
	for (size_t i = 0; i < e->n; i++) {
		size_t k = (st->gen - e->n + i) % SERIES_LEN;

		out->t[i] = st->t[k];
		out->bytes[i] = e->bytes[k];
		out->messages[i] = e->messages[k];
		out->rate[i] = e->rate[k];
	}
	return out;
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
	free(st->out);
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
