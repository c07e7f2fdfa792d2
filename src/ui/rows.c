#include "config.h"

#include "ui/rows.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "escape.h"
#include "output.h"
#include "xalloc.h"

/* processes named per side of an endpoint list: "1 a +2 -> 4 d" keeps both
 * ends in sight; a list without direction names two */
#define SIDE_MAX 1
#define LIST_MAX 2

static const char *const col_names[COL_COUNT] = {
	[COL_KIND] = "KIND",   [COL_OBJECT] = "OBJECT", [COL_ENDPOINTS] = "PROCESSES",
	[COL_QUEUE] = "QUEUE", [COL_RATE] = "RATE",     [COL_FLAGS] = "FLAGS",
};

static const char *const pcol_names[PCOL_COUNT] = {
	[PCOL_PID] = "PID",         [PCOL_COMM] = "COMMAND",      [PCOL_USER] = "USER",
	[PCOL_IPC] = "IPC OBJECTS", [PCOL_BLOCKED] = "BLOCKED ON", [PCOL_SIGNALS] = "SIGNALS",
};

static const char *const kind_labels[KIND_COUNT] = {
	[KIND_PIPE] = "pipe",      [KIND_FIFO] = "fifo",      [KIND_UNIX] = "unix",
	[KIND_TCP] = "tcp",        [KIND_UDP] = "udp",        [KIND_POSIX_SHM] = "pshm",
	[KIND_POSIX_SEM] = "psem", [KIND_POSIX_MQ] = "mq",    [KIND_SYSV_SHM] = "shm",
	[KIND_SYSV_MSG] = "msq",   [KIND_SYSV_SEM] = "sem",   [KIND_MMAP] = "mmap",
	[KIND_MEMFD] = "memfd",    [KIND_EVENTFD] = "eventfd",
};

/* short flag names, in the bit order of enum obj_flag */
static const char *const flag_short[FLAG_COUNT] = {
	"orphan", "dest", "del", "!rd", "!wr", "full", "stuck", "wait", "new",
};

const char *rows_col_name(enum rows_col c)
{
	return c < COL_COUNT ? col_names[c] : "?";
}

const char *rows_pcol_name(enum rows_pcol c)
{
	return c < PCOL_COUNT ? pcol_names[c] : "?";
}

const char *rows_kind_label(enum obj_kind k)
{
	return k < KIND_COUNT ? kind_labels[k] : "?";
}

void rows_escape(struct strbuf *out, const char *s, bool ascii)
{
	struct strbuf tmp;

	if (!s)
		return;
	if (!ascii) {
		escape_text(out, s, strlen(s));
		return;
	}
	sb_init(&tmp);
	escape_text(&tmp, s, strlen(s));
	for (size_t i = 0; i < tmp.len; i++) {
		unsigned char c = (unsigned char)tmp.buf[i];
		if (c >= 0x80)
			sb_printf(out, "\\x%02x", c);
		else
			sb_putc(out, (char)c);
	}
	sb_free(&tmp);
}

/* Makes already escaped text ASCII-only (for output_identity's text). */
static char *ascii_take(struct strbuf *sb, bool ascii)
{
	char *s;

	if (ascii) {
		struct strbuf out;
		sb_init(&out);
		for (size_t i = 0; i < sb->len; i++) {
			unsigned char c = (unsigned char)sb->buf[i];
			if (c >= 0x80)
				sb_printf(&out, "\\x%02x", c);
			else
				sb_putc(&out, (char)c);
		}
		s = xstrdup(sb_str(&out));
		sb_free(&out);
	} else {
		s = xstrdup(sb_str(sb));
	}
	sb_reset(sb);
	return s;
}

void rows_human(struct strbuf *out, int64_t v)
{
	if (v < 0)
		v = 0;
	if (v < 10000)
		sb_printf(out, "%" PRId64, v);
	else if (v < (int64_t)1024 * 1024)
		sb_printf(out, "%" PRId64 "K", v / 1024);
	else if (v < (int64_t)1024 * 1024 * 1024)
		sb_printf(out, "%" PRId64 "M", v / (1024 * 1024));
	else
		sb_printf(out, "%" PRId64 "G", v / ((int64_t)1024 * 1024 * 1024));
}

void rows_fit(struct strbuf *out, const char *s, size_t cols, bool pad, bool ascii)
{
	size_t len = s ? strlen(s) : 0, w = s ? text_width(s, len) : 0;

	if (w <= cols) {
		sb_putn(out, s ? s : "", len);
	} else if (cols > 0) {
		const unsigned char *p = (const unsigned char *)s;
		size_t i = 0, used = 0;

		while (i < len) {
			unsigned cp;
			size_t n = utf8_seq_len(p + i, len - i, &cp);
			size_t cw = n ? text_width(s + i, n) : 1;
			if (used + cw > cols - 1)
				break;
			used += cw;
			i += n ? n : 1;
		}
		sb_putn(out, s, i);
		sb_puts(out, ascii ? ">" : "…");
		w = used + 1;
	} else {
		w = 0;
	}
	for (; pad && w < cols; w++)
		sb_putc(out, ' ');
}

void rows_fit_middle(struct strbuf *out, const char *s, size_t cols, bool ascii)
{
	size_t len = strlen(s), w = text_width(s, len);
	const unsigned char *p = (const unsigned char *)s;
	size_t head, tail, i = 0, used = 0;

	if (w <= cols || cols < 8) {
		rows_fit(out, s, cols, false, ascii);
		return;
	}
	/* the end of a path says most: keep 60% of it */
	tail = (cols - 1) * 3 / 5;
	head = cols - 1 - tail;
	while (i < len) {
		unsigned cp;
		size_t n = utf8_seq_len(p + i, len - i, &cp), cw = n ? text_width(s + i, n) : 1;
		if (used + cw > head)
			break;
		used += cw;
		i += n ? n : 1;
	}
	sb_putn(out, s, i);
	sb_puts(out, ascii ? "~" : "…");
	/* the tail: back from the end, on character boundaries */
	size_t j = len, tw = 0;
	while (j > i) {
		size_t k = j - 1;
		while (k > i && (p[k] & 0xc0) == 0x80)
			k--;
		unsigned cp;
		size_t n = utf8_seq_len(p + k, j - k, &cp), cw = n ? text_width(s + k, n) : j - k;
		if (tw + cw > tail)
			break;
		tw += cw;
		j = k;
	}
	sb_putn(out, s + j, len - j);
}

void rows_bar(struct strbuf *out, double fill, size_t width, bool ascii)
{
	size_t full;

	if (fill < 0)
		fill = 0;
	if (fill > 1)
		fill = 1;
	full = (size_t)(fill * (double)width + 0.5);
	if (fill > 0 && full == 0)
		full = 1; /* something queued shows */
	for (size_t i = 0; i < width; i++)
		sb_puts(out, i < full ? (ascii ? "#" : "█") : (ascii ? "." : "░"));
}

/* "1234 comm" of pid, escaped. */
static void proc_name(struct strbuf *sb, const struct snapshot *s, pid_t pid, bool ascii)
{
	const struct ipc_process *p = snapshot_process(s, pid);

	sb_printf(sb, "%d", (int)pid);
	if (p && p->comm) {
		sb_putc(sb, ' ');
		rows_escape(sb, p->comm, ascii);
	}
}

static void side_add(struct rows_side *sd, pid_t pid, unsigned mode)
{
	for (size_t i = 0; i < sd->n; i++)
		if (sd->pid[i] == pid) {
			sd->mode[i] |= mode;
			return;
		}
	if (sd->n < 64) {
		sd->pid[sd->n] = pid;
		sd->mode[sd->n++] = mode;
	}
}

void rows_holders(struct rows_side *sd, const struct ipc_object *o, bool any_via)
{
	sd->n = 0;
	for (size_t i = 0; o && i < o->neps; i++) {
		const struct ipc_endpoint *e = &o->eps[i];
		unsigned m = e->mode == MODE_R ? 1 : e->mode == MODE_W ? 2 : 3;
		if (e->via == VIA_FD || e->via == VIA_MAP || any_via)
			side_add(sd, e->pid, m);
	}
}

/* Names the pids of sd whose mode is want (0: all), at most SIDE_MAX. */
static size_t side_put(struct strbuf *sb, const struct snapshot *s, const struct rows_side *sd,
		       unsigned want, bool ascii)
{
	size_t shown = 0, total = 0, max = want ? SIDE_MAX : LIST_MAX;

	for (size_t i = 0; i < sd->n; i++) {
		if (want && sd->mode[i] != want)
			continue;
		total++;
		if (shown == max)
			continue;
		if (shown++)
			sb_puts(sb, ", ");
		proc_name(sb, s, sd->pid[i], ascii);
	}
	if (total > shown)
		sb_printf(sb, " +%zu", total - shown);
	return total;
}

static void endpoints_text(struct strbuf *sb, const struct snapshot *s, const struct ipc_object *o,
			   const struct ipc_object *peer, bool ascii)
{
	struct rows_side a, b;
	const char *arrow = ascii ? " -> " : " → ", *both = ascii ? " <-> " : " ↔ ";

	rows_holders(&a, o, false);
	if (peer) {
		rows_holders(&b, peer, false);
		if (!side_put(sb, s, &a, 0, ascii))
			sb_putc(sb, '?');
		sb_puts(sb, both);
		if (!side_put(sb, s, &b, 0, ascii))
			sb_putc(sb, '?');
		return;
	}
	size_t nw = 0, nr = 0;
	for (size_t i = 0; i < a.n; i++) {
		nw += a.mode[i] == 2;
		nr += a.mode[i] == 1;
	}
	if (nw && nr && nw + nr == a.n) {
		side_put(sb, s, &a, 2, ascii);
		sb_puts(sb, arrow);
		side_put(sb, s, &a, 1, ascii);
		return;
	}
	if ((o->kind == KIND_PIPE || o->kind == KIND_FIFO) && (nw || nr) && nw + nr == a.n) {
		/* one end closed: say which */
		if (nw) {
			side_put(sb, s, &a, 2, ascii);
			sb_puts(sb, arrow);
			sb_puts(sb, "(no reader)");
		} else {
			sb_puts(sb, "(no writer)");
			sb_puts(sb, arrow);
			side_put(sb, s, &a, 1, ascii);
		}
		return;
	}
	if (side_put(sb, s, &a, 0, ascii))
		return;
	/* nobody holds it: who made or last used it */
	rows_holders(&a, o, true);
	if (a.n) {
		sb_puts(sb, "(");
		side_put(sb, s, &a, 0, ascii);
		sb_puts(sb, ")");
	} else {
		sb_putc(sb, '-');
	}
}

/* The queue's sort key and fill (0..1, -1 none), as queue_text shows them. */
static void queue_keys(const struct ipc_object *o, double *fill, double *key)
{
	*fill = -1;
	*key = -1;
	if (o->kind == KIND_SYSV_SEM && o->sems) {
		*key = (double)o->sems[0].value;
	} else if (HAS(o->value)) {
		*key = (double)o->value;
	} else if (HAS(o->count)) {
		*key = (double)o->count;
	} else if (HAS(o->queue.messages) && (o->kind == KIND_POSIX_MQ ||
					      o->kind == KIND_SYSV_MSG || !HAS(o->queue.bytes))) {
		*key = (double)o->queue.messages;
		if (HAS(o->queue.capacity) && o->kind == KIND_POSIX_MQ && o->queue.capacity > 0)
			*fill = (double)o->queue.messages / (double)o->queue.capacity;
		if (o->kind == KIND_SYSV_MSG && HAS(o->queue.bytes) && HAS(o->queue.capacity) &&
		    o->queue.capacity > 0)
			*fill = (double)o->queue.bytes / (double)o->queue.capacity;
	} else if (HAS(o->queue.bytes)) {
		*key = (double)o->queue.bytes;
		if (HAS(o->queue.capacity) && o->queue.capacity > 0)
			*fill = (double)o->queue.bytes / (double)o->queue.capacity;
	}
}

static void queue_text(struct strbuf *sb, const struct ipc_object *o, double *fill, double *key)
{
	size_t start = sb->len;

	queue_keys(o, fill, key);
	if (o->kind == KIND_SYSV_SEM && o->sems) {
		sb_puts(sb, "sem ");
		for (size_t i = 0; i < o->nsems && i < 3; i++)
			sb_printf(sb, "%s%" PRId64, i ? "," : "", o->sems[i].value);
		if (o->nsems > 3)
			sb_puts(sb, ",..");
		return;
	}
	if (HAS(o->value)) {
		sb_printf(sb, "val %" PRId64, o->value);
		return;
	}
	if (HAS(o->count)) {
		sb_printf(sb, "cnt %" PRId64, o->count);
		return;
	}
	if (HAS(o->queue.messages) && (o->kind == KIND_POSIX_MQ || o->kind == KIND_SYSV_MSG ||
				       !HAS(o->queue.bytes))) {
		sb_printf(sb, "%" PRId64, o->queue.messages);
		if (HAS(o->queue.capacity) && o->kind == KIND_POSIX_MQ)
			sb_printf(sb, "/%" PRId64, o->queue.capacity);
		sb_puts(sb, "msg");
		if (o->kind == KIND_SYSV_MSG && HAS(o->queue.bytes)) {
			sb_putc(sb, ' ');
			rows_human(sb, o->queue.bytes);
			sb_putc(sb, 'B');
		}
		return;
	}
	if (HAS(o->queue.bytes)) {
		rows_human(sb, o->queue.bytes);
		sb_putc(sb, 'B');
		if (HAS(o->queue.capacity) && o->queue.capacity > 0) {
			sb_putc(sb, '/');
			rows_human(sb, o->queue.capacity);
		}
	} else if (HAS(o->size)) {
		rows_human(sb, o->size);
		sb_puts(sb, "B size");
	}
	if (sb->len == start)
		sb_putc(sb, '-');
}

/* The rate's sort key, as rate_text shows it. */
static double rate_key(const struct ipc_object *o)
{
	return !o->rate.valid           ? -1 :
	       o->rate.has_bytes        ? o->rate.bytes_per_s :
	       o->rate.has_messages     ? o->rate.messages_per_s :
					  0;
}

static void rate_text(struct strbuf *sb, const struct ipc_object *o, double *key)
{
	*key = rate_key(o);
	if (!o->rate.valid) {
		sb_putc(sb, '-');
		return;
	}
	if (o->rate.estimate)
		sb_putc(sb, '~');
	if (o->rate.has_bytes) {
		rows_human(sb, (int64_t)(o->rate.bytes_per_s + 0.5));
		sb_puts(sb, "B/s");
	} else if (o->rate.has_messages) {
		sb_printf(sb, "%.1fm/s", o->rate.messages_per_s);
	} else {
		sb_putc(sb, '0');
	}
}

static void flags_text(struct strbuf *sb, unsigned flags, const struct ipc_object *o)
{
	size_t start = sb->len;

	for (unsigned b = 0; b < FLAG_COUNT; b++) {
		if (!(flags & (1u << b)) || (1u << b) == FLAG_NEW)
			continue;
		if (sb->len > start)
			sb_putc(sb, ',');
		sb_puts(sb, flag_short[b]);
	}
	if ((flags & FLAG_WAITERS) && o) {
		size_t w = 0;
		for (size_t i = 0; i < o->neps; i++)
			w += o->eps[i].via == VIA_WAITER;
		if (w > 1)
			sb_printf(sb, "(%zu)", w);
	}
	if (sb->len == start)
		sb_putc(sb, '-');
}

/* The identity, shorter than the batch table's: what a socket is, not
 * what is usual (stream, ESTABLISHED). */
static void identity(struct strbuf *sb, const struct ipc_object *o, bool ascii)
{
	bool established = o->state && !strcmp(o->state, "ESTABLISHED");

	switch (o->kind) {
	case KIND_UNIX:
		if (o->path)
			rows_escape(sb, o->path, ascii);
		else
			sb_printf(sb, "unix:%" PRId64, o->inode);
		if (o->socktype && strcmp(o->socktype, "stream"))
			sb_printf(sb, " %s", o->socktype);
		if (o->state && !established)
			sb_printf(sb, " %s", o->state);
		break;
	case KIND_TCP:
	case KIND_UDP:
		rows_escape(sb, o->local ? o->local : "?", ascii);
		if (o->remote && strcmp(o->remote, "*")) {
			sb_puts(sb, ascii ? " -> " : " → ");
			rows_escape(sb, o->remote, ascii);
		}
		if (o->state && !established)
			sb_printf(sb, " %s", o->state);
		break;
	case KIND_SYSV_SHM:
	case KIND_SYSV_MSG:
	case KIND_SYSV_SEM:
		sb_printf(sb, "0x%08" PRIx32 " id %" PRId64, (uint32_t)o->key, o->ipcid);
		break;
	default:
		output_identity(sb, o);
	}
}

/* The queue cell: of a pair, the end that has something queued (sb NULL:
 * only its key and fill). */
static void queue_cell(struct strbuf *sb, const struct rows_obj *r, double *fill, double *key)
{
	size_t start = sb ? sb->len : 0;
	double f2, k2;

	if (!sb) {
		queue_keys(r->obj, fill, key);
		if (r->peer && *key <= 0) {
			queue_keys(r->peer, &f2, &k2);
			if (k2 > 0) {
				*fill = f2;
				*key = k2;
			}
		}
		return;
	}
	queue_text(sb, r->obj, fill, key);
	if (r->peer && *key <= 0) {
		struct strbuf p;

		sb_init(&p);
		queue_text(&p, r->peer, &f2, &k2);
		if (k2 > 0) {
			sb->len = start;
			sb_putn(sb, p.buf, p.len);
			*fill = f2;
			*key = k2;
		}
		sb_free(&p);
	}
}

void rows_obj_format(struct rows_obj *r, const struct snapshot *s, const struct ipc_object *o,
		     const struct ipc_object *peer, bool ascii)
{
	memset(r, 0, sizeof(*r));
	r->id = o->id;
	r->kind = o->kind;
	r->obj = o;
	r->peer = peer;
	r->snap = s;
	r->ascii = ascii;
	r->flags = o->flags | (peer ? peer->flags : 0);
	/* the sort keys; their text is made if shown */
	queue_cell(NULL, r, &r->fill, &r->queue_key);
	r->rate_key = rate_key(o);
}

/* The cells are made on first use. A row is never defined const (rows are
 * malloc'd arrays): the cast only lets readers holding a const pointer
 * fill in what is cached. */
const char *rows_obj_cell(const struct rows_obj *cr, enum rows_col c)
{
	struct rows_obj *r = (struct rows_obj *)cr;
	struct strbuf sb;
	double x, y;

	if (r->cell[c] || !r->obj) /* a tombstone has all */
		return r->cell[c] ? r->cell[c] : "";
	sb_init(&sb);
	switch (c) {
	case COL_KIND:
		sb_puts(&sb, rows_kind_label(r->kind));
		break;
	case COL_OBJECT:
		identity(&sb, r->obj, r->ascii);
		break;
	case COL_ENDPOINTS:
		endpoints_text(&sb, r->snap, r->obj, r->peer, r->ascii);
		break;
	case COL_QUEUE:
		queue_cell(&sb, r, &x, &y);
		break;
	case COL_RATE:
		rate_text(&sb, r->obj, &x);
		break;
	case COL_FLAGS:
		flags_text(&sb, r->flags, r->obj);
		break;
	default:
		break;
	}
	r->cell[c] = ascii_take(&sb, r->ascii);
	sb_free(&sb);
	return r->cell[c];
}

void rows_obj_free(struct rows_obj *r)
{
	if (r->own_id)
		free((char *)r->id);
	for (int c = 0; c < COL_COUNT; c++)
		free(r->cell[c]);
	memset(r, 0, sizeof(*r));
}

void rows_obj_tombstone(struct rows_obj *dst, const struct rows_obj *src, double now)
{
	*dst = *src;
	dst->id = xstrdup(src->id);
	dst->own_id = true;
	for (int c = 0; c < COL_COUNT; c++)
		dst->cell[c] = xstrdup(rows_obj_cell(src, (enum rows_col)c));
	dst->obj = dst->peer = NULL;
	dst->snap = NULL;
	if (!dst->gone)
		dst->gone = now;
}

bool rows_obj_match(const struct rows_obj *r, const char *needle)
{
	if (!needle || !*needle)
		return true;
	if (strcasestr(r->id, needle))
		return true;
	for (int c = 0; c < COL_COUNT; c++)
		if (strcasestr(rows_obj_cell(r, (enum rows_col)c), needle))
			return true;
	return false;
}

bool rows_pid_in(const pid_t *pids, size_t npids, pid_t pid)
{
	size_t lo = 0, hi = npids;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (pids[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < npids && pids[lo] == pid;
}

static bool touches(const struct ipc_object *o, const pid_t *pids, size_t npids)
{
	for (size_t i = 0; o && i < o->neps; i++)
		if (rows_pid_in(pids, npids, o->eps[i].pid))
			return true;
	return false;
}

size_t rows_obj_build(struct rows_obj **out, const struct snapshot *s, unsigned kinds,
		      const pid_t *pids, size_t npids, const char *filter, bool ascii)
{
	struct rows_obj *rows = xcalloc(s->nobjs ? s->nobjs : 1, sizeof(*rows));
	size_t n = 0;

	for (size_t i = 0; i < s->nobjs; i++) {
		const struct ipc_object *o = s->objs[i], *peer;

		if (!(kinds & KIND_BIT(o->kind)))
			continue;
		peer = output_peer_at(s, i);
		if (peer && !output_peers_mutual(o, peer))
			peer = NULL;
		if (peer) {
			/* one row per pair: the named end, else the lower id */
			bool mine = o->path && !peer->path ? true :
				    !o->path && peer->path ? false :
				    strcmp(o->id, peer->id) < 0;
			if (!mine)
				continue;
		}
		if (npids && !touches(o, pids, npids) && !touches(peer, pids, npids))
			continue;
		rows_obj_format(&rows[n], s, o, peer, ascii);
		if (!rows_obj_match(&rows[n], filter)) {
			rows_obj_free(&rows[n]);
			continue;
		}
		n++;
	}
	*out = rows;
	return n;
}

static enum rows_col sort_col;
static bool sort_desc;

static int cmp_num(double a, double b)
{
	return a < b ? -1 : a > b;
}

static int obj_cmp(const void *pa, const void *pb)
{
	const struct rows_obj *a = pa, *b = pb;
	int c = 0;

	switch (sort_col) {
	case COL_KIND:
		c = (int)a->kind - (int)b->kind;
		break;
	case COL_QUEUE:
		c = cmp_num(a->queue_key, b->queue_key);
		break;
	case COL_RATE:
		c = cmp_num(a->rate_key, b->rate_key);
		break;
	case COL_FLAGS:
		c = cmp_num(__builtin_popcount(a->flags & ~FLAG_NEW),
			    __builtin_popcount(b->flags & ~FLAG_NEW));
		break;
	default: /* text: made before the sort */
		c = strcmp(a->cell[sort_col], b->cell[sort_col]);
	}
	if (sort_desc)
		c = -c;
	if (!c)
		c = (int)a->kind - (int)b->kind;
	if (!c) /* the snapshot's order: rows built from it come sorted by kind */
		c = snapshot_id_cmp(a->id, b->id);
	return c;
}

void rows_obj_sort(struct rows_obj *rows, size_t n, enum rows_col col, bool desc)
{
	size_t i = 1;

	sort_col = col;
	sort_desc = desc;
	if (col == COL_OBJECT || col == COL_ENDPOINTS)
		for (size_t k = 0; k < n; k++)
			rows_obj_cell(&rows[k], col);
	/* already in order (by kind, as built, on a quiet refresh): done */
	while (i < n && obj_cmp(&rows[i - 1], &rows[i]) <= 0)
		i++;
	if (i < n)
		qsort(rows, n, sizeof(*rows), obj_cmp);
}
