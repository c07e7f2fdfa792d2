#include "config.h"

#include "output.h"

#include <math.h>
#include <string.h>

#include "escape.h"
#include "signals.h"

/* A tiny JSON writer: it tracks whether a separator is due at each level.
 * Keys are always string literals of plain ASCII (letters, digits, '_'), so
 * they are written without escape_json. */
struct jw {
	struct strbuf *sb;
	int depth;
	bool first[16];
};

/* Inlined where they are called, so that the length of each literal key is
 * known when compiling (no strlen, no memcpy call). */
#define JW_INLINE static inline __attribute__((always_inline))

/* The separator due at this level, then "key": (key may be NULL). */
JW_INLINE void jw_key(struct jw *w, const char *key)
{
	size_t n = key ? strlen(key) : 0;
	char *d = sb_reserve(w->sb, n + 4);

	if (w->depth > 0 && !w->first[w->depth])
		*d++ = ',';
	w->first[w->depth] = false;
	if (key) {
		*d++ = '"';
		memcpy(d, key, n);
		d += n;
		*d++ = '"';
		*d++ = ':';
	}
	w->sb->len = (size_t)(d - w->sb->buf);
}

JW_INLINE void jw_open(struct jw *w, const char *key, char c)
{
	jw_key(w, key);
	sb_putc(w->sb, c);
	w->depth++;
	w->first[w->depth] = true;
}

JW_INLINE void jw_close(struct jw *w, char c)
{
	sb_putc(w->sb, c);
	w->depth--;
}

JW_INLINE void jw_int(struct jw *w, const char *key, int64_t v)
{
	if (!HAS(v))
		return;
	jw_key(w, key);
	sb_put_i64(w->sb, v);
}

static void jw_num(struct jw *w, const char *key, double v)
{
	if (!isfinite(v))
		return;
	jw_key(w, key);
	sb_printf(w->sb, "%.3f", v);
}

JW_INLINE void jw_str(struct jw *w, const char *key, const char *v)
{
	if (!v)
		return;
	jw_key(w, key);
	escape_json(w->sb, v, strlen(v));
}

static void jw_bool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	sb_puts(w->sb, v ? "true" : "false");
}

/* The id of o's peer, "KIND:INODE", in id (built without snprintf: there
 * is one per socket); false if o has no peer. */
static bool peer_id(const struct ipc_object *o, char id[64])
{
	const char *kind = kind_name(o->kind);
	size_t n = strlen(kind);

	if (!HAS(o->peer_inode) || n + 1 + SB_I64_MAX + 1 > 64)
		return false;
	memcpy(id, kind, n);
	id[n++] = ':';
	n += sb_fmt_i64(id + n, o->peer_inode);
	id[n] = '\0';
	return true;
}

bool output_peers_mutual(const struct ipc_object *o, const struct ipc_object *peer)
{
	char id[64];

	return peer_id(peer, id) && strcmp(id, o->id) == 0;
}

const struct ipc_object *output_peer(const struct snapshot *s, const struct ipc_object *o)
{
	char id[64];

	return peer_id(o, id) ? snapshot_find(s, id) : NULL;
}

/* output_peer for s->objs[i]: the objects are sorted by kind and id, so the
 * two ends of a socketpair (consecutive inodes) are most often neighbours,
 * found without a hash lookup. Ids are unique, so a neighbour with the id is
 * the object snapshot_find would return. */
const struct ipc_object *output_peer_at(const struct snapshot *s, size_t i)
{
	const struct ipc_object *o = s->objs[i];
	char id[64];

	if (!peer_id(o, id))
		return NULL;
	for (size_t k = i > 0 ? i - 1 : i + 1; k <= i + 1 && k < s->nobjs; k += 2) {
		const struct ipc_object *n = s->objs[k];

		if (n->kind == o->kind && n->inode == o->peer_inode && strcmp(n->id, id) == 0)
			return n;
	}
	return snapshot_find(s, id);
}

static void json_peer(struct jw *w, const struct snapshot *s, size_t oi)
{
	const struct ipc_object *o = s->objs[oi], *p;

	if (!HAS(o->peer_inode))
		return;
	jw_open(w, "peer", '{');
	jw_int(w, "inode", o->peer_inode);
	p = output_peer_at(s, oi);
	jw_open(w, "pids", '[');
	if (p) {
		for (size_t i = 0; i < p->neps; i++) {
			const struct ipc_endpoint *e = &p->eps[i];
			bool dup = false;
			if (e->via != VIA_FD)
				continue;
			for (size_t j = 0; j < i && !dup; j++)
				dup = p->eps[j].via == VIA_FD && p->eps[j].pid == e->pid;
			if (!dup)
				jw_int(w, NULL, e->pid);
		}
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

static void json_object(struct jw *w, const struct snapshot *s, size_t oi)
{
	const struct ipc_object *o = s->objs[oi];

	jw_open(w, NULL, '{');
	jw_str(w, "id", o->id);
	jw_str(w, "kind", kind_name(o->kind));
	jw_int(w, "inode", o->inode);
	if (o->dev_major >= 0) {
		char dev[2 * SB_I64_MAX + 2];
		size_t n = sb_fmt_i64(dev, o->dev_major);

		dev[n++] = ':';
		n += sb_fmt_i64(dev + n, o->dev_minor);
		jw_key(w, "dev");
		escape_json(w->sb, dev, n);
	}
	jw_str(w, "path", o->path);
	jw_str(w, "name", o->name);
	jw_str(w, "socktype", o->socktype);
	jw_str(w, "local", o->local);
	jw_str(w, "remote", o->remote);
	jw_str(w, "state", o->state);
	jw_int(w, "key", o->key);
	jw_int(w, "ipcid", o->ipcid);
	jw_int(w, "eventfd_id", o->eventfd_id);
	json_peer(w, s, oi);

	if (HAS(o->queue.bytes) || HAS(o->queue.messages) || HAS(o->queue.capacity) ||
	    HAS(o->queue.tx_bytes) || HAS(o->backlog)) {
		jw_open(w, "queue", '{');
		jw_int(w, "bytes", o->queue.bytes);
		jw_int(w, "messages", o->queue.messages);
		jw_int(w, "capacity", o->queue.capacity);
		jw_int(w, "tx_bytes", o->queue.tx_bytes);
		jw_int(w, "backlog", o->backlog);
		jw_close(w, '}');
	}
	jw_int(w, "size", o->size);
	jw_int(w, "nattch", o->nattch);
	jw_int(w, "cpid", o->cpid);
	jw_int(w, "lpid", o->lpid);
	jw_int(w, "lspid", o->lspid);
	jw_int(w, "lrpid", o->lrpid);
	jw_int(w, "uid", o->uid);
	jw_int(w, "mode", o->mode);
	if (o->kind == KIND_SYSV_SEM && o->sems) {
		jw_open(w, "sems", '[');
		for (size_t i = 0; i < o->nsems; i++) {
			jw_open(w, NULL, '{');
			jw_int(w, "value", o->sems[i].value);
			jw_int(w, "ncnt", o->sems[i].ncnt);
			jw_int(w, "zcnt", o->sems[i].zcnt);
			jw_int(w, "pid", o->sems[i].pid);
			jw_close(w, '}');
		}
		jw_close(w, ']');
	}
	jw_int(w, "value", o->value);
	jw_int(w, "count", o->count);
	if (HAS(o->mq_max_messages) || HAS(o->mq_max_msgsize) || HAS(o->mq_notify_pid)) {
		jw_open(w, "mq", '{');
		jw_int(w, "max_messages", o->mq_max_messages);
		jw_int(w, "max_msgsize", o->mq_max_msgsize);
		jw_int(w, "notify_pid", o->mq_notify_pid);
		jw_close(w, '}');
	}
	jw_open(w, "flags", '[');
	for (unsigned b = 0; b < FLAG_COUNT; b++)
		if (o->flags & (1u << b))
			jw_str(w, NULL, flag_name(b));
	jw_close(w, ']');
	if (o->rate.valid) {
		jw_open(w, "rate", '{');
		if (o->rate.has_bytes)
			jw_num(w, "bytes_per_s", o->rate.bytes_per_s);
		if (o->rate.has_messages)
			jw_num(w, "messages_per_s", o->rate.messages_per_s);
		jw_bool(w, "estimate", o->rate.estimate);
		jw_close(w, '}');
	}
	jw_open(w, "endpoints", '[');
	for (size_t i = 0; i < o->neps; i++) {
		const struct ipc_endpoint *e = &o->eps[i];
		const struct ipc_process *p = snapshot_process(s, e->pid);

		jw_open(w, NULL, '{');
		jw_int(w, "pid", e->pid);
		if (p && p->comm)
			jw_str(w, "comm", p->comm);
		jw_str(w, "via", via_name(e->via));
		if (e->via == VIA_FD)
			jw_int(w, "fd", e->fd);
		if (e->mode != MODE_NONE)
			jw_str(w, "mode", mode_name(e->mode));
		if (e->role != ROLE_NONE)
			jw_str(w, "role", role_name(e->role));
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

static void json_sigset(struct jw *w, const char *key, uint64_t set)
{
	char buf[16];

	jw_open(w, key, '[');
	for (int sig = 1; sig <= 64; sig++)
		if (set & (1ULL << (sig - 1)))
			jw_str(w, NULL, signal_name(sig, buf));
	jw_close(w, ']');
}

static void json_process(struct jw *w, const struct snapshot *s, const struct ipc_process *p)
{
	jw_open(w, NULL, '{');
	jw_int(w, "pid", p->pid);
	if (p->ppid >= 0)
		jw_int(w, "ppid", p->ppid);
	jw_str(w, "comm", p->comm);
	jw_str(w, "cmdline", p->cmdline);
	jw_str(w, "user", p->user);
	if (p->state) {
		char st[2] = { p->state, 0 };
		jw_str(w, "state", st);
	}
	if (HAS(p->ns_ipc) || HAS(p->ns_net) || HAS(p->ns_mnt)) {
		jw_open(w, "ns", '{');
		jw_int(w, "ipc", p->ns_ipc);
		jw_int(w, "net", p->ns_net);
		jw_int(w, "mnt", p->ns_mnt);
		jw_close(w, '}');
	}
	if (p->blocked_syscall) {
		jw_open(w, "blocked", '{');
		jw_str(w, "syscall", p->blocked_syscall);
		/* the object may have been filtered out (-p, -t) */
		if (p->blocked_object && snapshot_find(s, p->blocked_object))
			jw_str(w, "object", p->blocked_object);
		jw_close(w, '}');
	}
	if (p->has_signals) {
		jw_open(w, "signals", '{');
		json_sigset(w, "pending", p->sig_pending);
		json_sigset(w, "shared_pending", p->sig_shared_pending);
		json_sigset(w, "blocked", p->sig_blocked);
		json_sigset(w, "ignored", p->sig_ignored);
		json_sigset(w, "caught", p->sig_caught);
		jw_close(w, '}');
	}
	if (p->fds_hidden)
		jw_bool(w, "hidden", true);
	jw_close(w, '}');
}

/* A generous guess at the document's size (a busy system's is megabytes):
 * reserving it at once spares the copies of a buffer grown by doubling.
 * Pages never written cost nothing. */
static size_t json_size_guess(const struct snapshot *s)
{
	return 4096 + s->nobjs * 384 + s->nprocs * 1024;
}

void output_json(struct strbuf *sb, const struct snapshot *s)
{
	struct jw w = { .sb = sb, .depth = 0 };

	sb_reserve(sb, json_size_guess(s));
	jw_open(&w, NULL, '{');
	jw_int(&w, "schema", 1);
	jw_str(&w, "program", "ipctop");
	jw_str(&w, "version", PACKAGE_VERSION);
	jw_num(&w, "time", s->time);
	jw_str(&w, "host", s->host);
	jw_bool(&w, "root", s->root);
	jw_open(&w, "hidden", '{');
	jw_int(&w, "processes", s->hidden_processes);
	jw_close(&w, '}');
	jw_open(&w, "unavailable", '[');
	for (int k = 0; k < KIND_COUNT; k++)
		if (s->kinds_unavailable & KIND_BIT(k))
			jw_str(&w, NULL, kind_name(k));
	jw_close(&w, ']');
	jw_open(&w, "objects", '[');
	for (size_t i = 0; i < s->nobjs; i++)
		json_object(&w, s, i);
	jw_close(&w, ']');
	jw_open(&w, "processes", '[');
	for (size_t i = 0; i < s->nprocs; i++)
		json_process(&w, s, &s->procs[i]);
	jw_close(&w, ']');
	jw_close(&w, '}');
	sb_putc(sb, '\n');
}
