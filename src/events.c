#include "config.h"

#include "events.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "output.h"
#include "strbuf.h"
#include "xalloc.h"

/* Processes named per side of "writers -> readers" before "+N more". */
#define EVENT_NAMES_MAX 3

const char *events_type_name(enum event_type t)
{
	static const char *const n[] = { "created", "gone", "full", "drained", "blocked",
					 "unblocked" };

	return (unsigned)t < sizeof(n) / sizeof(n[0]) ? n[t] : "?";
}

static void put_esc(struct strbuf *sb, const char *s)
{
	escape_text(sb, s, strlen(s));
}

static void push(struct event_log *log, const struct snapshot *cur, enum event_type type,
		 enum obj_kind kind, const char *id, pid_t pid, struct strbuf *text)
{
	struct event *e;

	if (!log->ev) {
		log->cap = EVENT_LOG_MAX;
		log->ev = xcalloc(log->cap, sizeof(*log->ev));
		log->n = log->head = 0;
	}
	if (log->n == log->cap) {
		e = &log->ev[log->head];
		free(e->object_id);
		free(e->text);
		log->head = (log->head + 1) % log->cap;
	} else {
		e = &log->ev[(log->head + log->n) % log->cap];
		log->n++;
	}
	e->time = cur->time;
	e->type = type;
	e->kind = kind;
	e->object_id = id ? xstrdup(id) : NULL;
	e->pid = pid;
	e->text = xstrdup(sb_str(text));
}

/* The holding processes (fd or mapping), each once, with the union of modes. */
struct holder {
	pid_t pid;
	enum ep_mode mode;
};

static size_t holders(const struct ipc_object *o, struct holder *h)
{
	size_t n = 0;

	for (size_t i = 0; i < o->neps; i++) {
		const struct ipc_endpoint *e = &o->eps[i];
		size_t j;

		if (e->via != VIA_FD && e->via != VIA_MAP)
			continue;
		for (j = 0; j < n && h[j].pid != e->pid; j++)
			;
		if (j == n)
			h[n++] = (struct holder){ e->pid, MODE_NONE };
		h[j].mode |= e->mode; /* r | w == rw */
	}
	return n;
}

static void put_names(struct strbuf *sb, const struct snapshot *s, const struct holder *h,
		      size_t n, enum ep_mode want)
{
	size_t shown = 0, more = 0;

	for (size_t i = 0; i < n; i++) {
		bool match = want == MODE_NONE || h[i].mode == want ||
			     (want == MODE_W && h[i].mode == MODE_RW);

		if (!match)
			continue;
		if (shown == EVENT_NAMES_MAX) {
			more++;
			continue;
		}
		if (shown++)
			sb_puts(sb, ", ");
		output_comm(sb, s, h[i].pid);
	}
	if (more)
		sb_printf(sb, " +%zu more", more);
}

/* "created pipe:1 (1234 pipe-writer -> 1240 pipe-reader)": writers (and
 * read-write holders) left of the arrow when some holder only reads. */
static void created(struct event_log *log, const struct snapshot *cur, const struct ipc_object *o,
		    struct strbuf *sb)
{
	struct holder *h = xcalloc(o->neps ? o->neps : 1, sizeof(*h));
	size_t n = holders(o, h);
	bool readers = false, writers = false;

	for (size_t i = 0; i < n; i++) {
		readers |= h[i].mode == MODE_R;
		writers |= h[i].mode == MODE_W || h[i].mode == MODE_RW;
	}
	sb_reset(sb);
	sb_puts(sb, "created ");
	put_esc(sb, o->id);
	if (n) {
		sb_puts(sb, " (");
		if (readers && writers) {
			put_names(sb, cur, h, n, MODE_W);
			sb_puts(sb, " -> ");
			put_names(sb, cur, h, n, MODE_R);
		} else {
			put_names(sb, cur, h, n, MODE_NONE);
		}
		sb_putc(sb, ')');
	}
	push(log, cur, EV_CREATED, o->kind, o->id, n ? h[0].pid : 0, sb);
	free(h);
}

/* "full sysv_msg:3 (16384/16384 bytes)"; a POSIX queue counts messages. */
static void queue_event(struct event_log *log, const struct snapshot *cur,
			const struct ipc_object *o, enum event_type type, struct strbuf *sb)
{
	bool msgs = o->kind == KIND_POSIX_MQ || !HAS(o->queue.bytes);
	int64_t depth = msgs ? o->queue.messages : o->queue.bytes;

	sb_reset(sb);
	sb_printf(sb, "%s ", events_type_name(type));
	put_esc(sb, o->id);
	if (HAS(depth)) {
		sb_printf(sb, " (%" PRId64, depth);
		if (HAS(o->queue.capacity))
			sb_printf(sb, "/%" PRId64, o->queue.capacity);
		sb_printf(sb, " %s)", msgs ? "messages" : "bytes");
	}
	push(log, cur, type, o->kind, o->id, 0, sb);
}

static enum obj_kind kind_of(const struct snapshot *s, const char *id)
{
	const struct ipc_object *o = snapshot_find(s, id);
	char buf[16];
	size_t n = strcspn(id, ":");
	int k;

	if (o)
		return o->kind;
	snprintf(buf, sizeof(buf), "%.*s", (int)n, id);
	k = kind_parse(buf);
	return k >= 0 ? (enum obj_kind)k : KIND_COUNT;
}

static void process_events(struct event_log *log, const struct snapshot *prev,
			   const struct snapshot *cur, struct strbuf *sb)
{
	for (size_t i = 0; i < cur->nprocs; i++) {
		const struct ipc_process *p = &cur->procs[i];
		const struct ipc_process *q = snapshot_process(prev, p->pid);
		const char *was = q ? q->blocked_object : NULL;

		sb_reset(sb);
		output_comm(sb, cur, p->pid);
		if (p->blocked_object && (!was || strcmp(was, p->blocked_object) != 0)) {
			sb_puts(sb, " blocked");
			if (p->blocked_syscall) {
				sb_puts(sb, " in ");
				put_esc(sb, p->blocked_syscall);
			}
			sb_puts(sb, " on ");
			put_esc(sb, p->blocked_object);
			push(log, cur, EV_BLOCKED, kind_of(cur, p->blocked_object),
			     p->blocked_object, p->pid, sb);
		} else if (was && !p->blocked_object) {
			sb_puts(sb, " unblocked from ");
			put_esc(sb, was);
			push(log, cur, EV_UNBLOCKED, kind_of(prev, was), was, p->pid, sb);
		}
	}
}

void events_diff(struct event_log *log, const struct snapshot *prev, const struct snapshot *cur)
{
	struct strbuf sb;
	size_t next = 0;

	if (!prev || !cur)
		return;
	sb_init(&sb);
	/* both sorted alike: most lookups are the next object (find_next) */
	for (size_t i = 0; i < cur->nobjs; i++) {
		const struct ipc_object *o = cur->objs[i];
		const struct ipc_object *q = snapshot_find_next(prev, o, &next);
		bool was_full = q && (q->flags & FLAG_FULL);

		if (!q)
			created(log, cur, o, &sb);
		if ((o->flags & FLAG_FULL) && !was_full)
			queue_event(log, cur, o, EV_FILLED, &sb);
		else if (was_full && !(o->flags & FLAG_FULL))
			queue_event(log, cur, o, EV_DRAINED, &sb);
	}
	next = 0;
	for (size_t i = 0; i < prev->nobjs; i++) {
		const struct ipc_object *q = prev->objs[i];

		if (!snapshot_find_next(cur, q, &next)) {
			sb_reset(&sb);
			sb_puts(&sb, "gone ");
			put_esc(&sb, q->id);
			push(log, cur, EV_GONE, q->kind, q->id, 0, &sb);
		}
	}
	process_events(log, prev, cur, &sb);
	sb_free(&sb);
}

const struct event *events_get(const struct event_log *log, size_t i)
{
	if (i >= log->n)
		return NULL;
	return &log->ev[(log->head + i) % log->cap];
}

size_t events_count(const struct event_log *log)
{
	return log->n;
}

void events_free(struct event_log *log)
{
	for (size_t i = 0; i < log->n; i++) {
		struct event *e = &log->ev[(log->head + i) % log->cap];
		free(e->object_id);
		free(e->text);
	}
	free(log->ev);
	memset(log, 0, sizeof(*log));
}
