#include "config.h"

#include "replay.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "signals.h"
#include "strbuf.h"
#include "xalloc.h"

/* Parse state: the first error wins; where names the part being read. */
struct rp {
	char *err;
	size_t errlen;
	bool failed;
	char where[128];
};

static bool rp_fail(struct rp *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool rp_fail(struct rp *p, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (p->failed)
		return false;
	p->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s%s%s", p->where, p->where[0] ? ": " : "", msg);
	return false;
}

/* A string from the file, made safe for an error message (escaped, cut). */
static const char *shown(const char *s, char buf[64])
{
	struct strbuf sb;
	size_t n = strlen(s);

	sb_init(&sb);
	escape_text(&sb, s, n > 40 ? 40 : n);
	snprintf(buf, 64, "%s%s", sb_str(&sb), n > 40 ? "..." : "");
	sb_free(&sb);
	return buf;
}

static struct json_object *member(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? v : NULL; /* null is absent */
}

static bool get_int(struct rp *p, struct json_object *o, const char *key, int64_t min, int64_t max,
		    int64_t *out)
{
	struct json_object *v = member(o, key);
	int64_t x;

	if (!v)
		return true;
	if (!json_object_is_type(v, json_type_int))
		return rp_fail(p, "\"%s\": expected an integer", key);
	/* json-c saturates what does not fit; NONE (INT64_MIN) is never written */
	x = json_object_get_int64(v);
	if ((x == INT64_MAX && json_object_get_uint64(v) > (uint64_t)INT64_MAX) || x == INT64_MIN ||
	    x < min || x > max)
		return rp_fail(p, "\"%s\": number out of range", key);
	*out = x;
	return true;
}

static bool get_double(struct rp *p, struct json_object *o, const char *key, double *out,
		       bool *present)
{
	struct json_object *v = member(o, key);

	if (present)
		*present = false;
	if (!v)
		return true;
	if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int))
		return rp_fail(p, "\"%s\": expected a number", key);
	*out = json_object_get_double(v);
	if (!isfinite(*out))
		return rp_fail(p, "\"%s\": number out of range", key);
	if (present)
		*present = true;
	return true;
}

static bool get_str(struct rp *p, struct json_object *o, const char *key, char **out)
{
	struct json_object *v = member(o, key);

	if (!v)
		return true;
	if (!json_object_is_type(v, json_type_string))
		return rp_fail(p, "\"%s\": expected a string", key);
	free(*out);
	*out = replay_unescape(json_object_get_string(v));
	return true;
}

static bool get_bool(struct rp *p, struct json_object *o, const char *key, bool *out)
{
	struct json_object *v = member(o, key);

	if (!v)
		return true;
	if (!json_object_is_type(v, json_type_boolean))
		return rp_fail(p, "\"%s\": expected true or false", key);
	*out = json_object_get_boolean(v);
	return true;
}

/* A member that must be of type t when present; NULL when absent. */
static struct json_object *get_typed(struct rp *p, struct json_object *o, const char *key,
				     json_type t)
{
	struct json_object *v = member(o, key);

	if (v && !json_object_is_type(v, t)) {
		rp_fail(p, "\"%s\": expected %s", key,
			t == json_type_array ? "an array" : "an object");
		return NULL;
	}
	return v;
}

/* socktype and state are static strings in the model: known names map to
 * constants, others to a small pool that lives as long as the program. */
static const char *intern(const char *s)
{
	static const char *const known[] = {
		"stream",      "dgram",	     "seqpacket",  "ESTABLISHED", "SYN-SENT",
		"SYN-RECV",    "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT",   "UNCONN",
		"CLOSE-WAIT",  "LAST-ACK",   "LISTEN",	   "CLOSING",	  "NEW-SYN-RECV",
		"BOUND-INACTIVE", "CONNECTING", "DISCONNECTING",
	};
	static char *pool[32];
	static size_t npool;

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i], s) == 0)
			return known[i];
	for (size_t i = 0; i < npool; i++)
		if (strcmp(pool[i], s) == 0)
			return pool[i];
	if (npool == sizeof(pool) / sizeof(pool[0]) || strlen(s) > 32)
		return NULL; /* a hostile file cannot grow it */
	pool[npool] = xstrdup(s);
	return pool[npool++];
}

static bool get_static(struct rp *p, struct json_object *o, const char *key, const char **out)
{
	char *s = NULL;

	if (!get_str(p, o, key, &s))
		return false;
	if (s)
		*out = intern(s);
	free(s);
	return true;
}

/* Enum members by name: the model's name functions, for name_index. */
static const char *via_str(int i)
{
	return via_name(i);
}

static const char *mode_str(int i)
{
	return mode_name(i);
}

static const char *role_str(int i)
{
	return role_name(i);
}

/* The member in first..last whose name is the string v, or -1. */
static int name_index(const char *(*fn)(int), int first, int last, struct json_object *v)
{
	if (!json_object_is_type(v, json_type_string))
		return -1;
	for (int i = first; i <= last; i++)
		if (strcmp(fn(i), json_object_get_string(v)) == 0)
			return i;
	return -1;
}

static bool parse_endpoint(struct rp *p, struct json_object *j, struct ipc_object *o)
{
	int64_t pid = NONE, fd = NONE;
	struct json_object *v;
	int via, mode = MODE_NONE, role = ROLE_NONE;
	char buf[64];

	if (!json_object_is_type(j, json_type_object))
		return rp_fail(p, "endpoint: expected an object");
	if (!get_int(p, j, "pid", 0, INT_MAX, &pid) || !get_int(p, j, "fd", 0, INT_MAX, &fd))
		return false;
	v = member(j, "via");
	if (!HAS(pid) || !v || !json_object_is_type(v, json_type_string))
		return rp_fail(p, "endpoint: \"pid\" and \"via\" are required");
	via = name_index(via_str, VIA_FD, VIA_WAITER, v);
	if (via < 0)
		return rp_fail(p, "unknown endpoint via '%s'",
			       shown(json_object_get_string(v), buf));
	if (via == VIA_FD && !HAS(fd))
		return rp_fail(p, "endpoint via fd without \"fd\"");
	if ((v = member(j, "mode"))) {
		mode = name_index(mode_str, MODE_R, MODE_RW, v);
		if (mode < 0)
			return rp_fail(p, "unknown endpoint mode '%s'",
				       shown(json_object_get_string(v), buf));
	}
	if ((v = member(j, "role"))) {
		role = name_index(role_str, ROLE_READER, ROLE_HOLDER, v);
		if (role < 0)
			return rp_fail(p, "unknown endpoint role '%s'",
				       shown(json_object_get_string(v), buf));
	}
	object_add_endpoint(o, (pid_t)pid, via, via == VIA_FD ? (int)fd : -1, mode, role);
	return true;
}

static bool parse_flags(struct rp *p, struct json_object *a, unsigned *flags)
{
	for (size_t i = 0; a && i < json_object_array_length(a); i++) {
		struct json_object *v = json_object_array_get_idx(a, i);

		if (!v || !json_object_is_type(v, json_type_string))
			return rp_fail(p, "\"flags\": expected names");
		/* a flag this build does not know is a hint it cannot show */
		for (unsigned b = 0; b < FLAG_COUNT; b++)
			if (strcmp(flag_name(b), json_object_get_string(v)) == 0)
				*flags |= 1u << b;
	}
	return !p->failed;
}

static bool parse_sems(struct rp *p, struct json_object *a, struct ipc_object *o)
{
	size_t n = json_object_array_length(a);

	/* non-NULL even when empty: "sems": [] is written back as it was */
	o->sems = xcalloc(n ? n : 1, sizeof(*o->sems));
	for (size_t i = 0; i < n; i++) {
		struct json_object *j = json_object_array_get_idx(a, i);
		struct ipc_sem *m = &o->sems[i];

		m->value = m->ncnt = m->zcnt = m->pid = NONE;
		if (!j || !json_object_is_type(j, json_type_object))
			return rp_fail(p, "\"sems\": expected objects");
		if (!get_int(p, j, "value", INT64_MIN + 1, INT64_MAX, &m->value) ||
		    !get_int(p, j, "ncnt", 0, INT64_MAX, &m->ncnt) ||
		    !get_int(p, j, "zcnt", 0, INT64_MAX, &m->zcnt) ||
		    !get_int(p, j, "pid", 0, INT_MAX, &m->pid))
			return false;
		o->nsems = i + 1;
	}
	return true;
}

static bool parse_dev(struct rp *p, struct json_object *j, struct ipc_object *o)
{
	char *dev = NULL;
	int maj, min, end = 0;
	bool ok;

	if (!get_str(p, j, "dev", &dev))
		return false;
	if (!dev)
		return true;
	ok = sscanf(dev, "%d:%d%n", &maj, &min, &end) == 2 && !dev[end] && maj >= 0 && min >= 0;
	free(dev);
	if (!ok)
		return rp_fail(p, "\"dev\": expected \"major:minor\"");
	o->dev_major = maj;
	o->dev_minor = min;
	return true;
}

static bool parse_object(struct rp *p, struct json_object *j, size_t idx, struct snapshot *s)
{
	struct json_object *v, *q, *a;
	struct ipc_object *o;
	char *id = NULL, buf[64];
	int kind;

	snprintf(p->where, sizeof(p->where), "objects[%zu]", idx);
	if (!json_object_is_type(j, json_type_object))
		return rp_fail(p, "expected an object");
	v = member(j, "kind");
	if (!json_object_is_type(v, json_type_string) ||
	    !json_object_is_type(member(j, "id"), json_type_string))
		return rp_fail(p, "\"id\" and \"kind\" are required");
	kind = kind_parse(json_object_get_string(v));
	if (kind < 0 || strcmp(kind_name(kind), json_object_get_string(v)) != 0)
		return rp_fail(p, "unknown kind '%s'", shown(json_object_get_string(v), buf));
	get_str(p, j, "id", &id);
	snprintf(p->where, sizeof(p->where), "objects[%zu] (%s)", idx, shown(id, buf));
	if (snapshot_find(s, id)) {
		free(id);
		return rp_fail(p, "duplicate object id");
	}
	o = snapshot_object(s, kind, NULL, "%s", id);
	free(id);

	if (!get_int(p, j, "inode", 0, INT64_MAX, &o->inode) || !parse_dev(p, j, o) ||
	    !get_str(p, j, "path", &o->path) || !get_str(p, j, "name", &o->name) ||
	    !get_static(p, j, "socktype", &o->socktype) || !get_str(p, j, "local", &o->local) ||
	    !get_str(p, j, "remote", &o->remote) || !get_static(p, j, "state", &o->state) ||
	    !get_int(p, j, "key", INT64_MIN + 1, INT64_MAX, &o->key) ||
	    !get_int(p, j, "ipcid", 0, INT64_MAX, &o->ipcid) ||
	    !get_int(p, j, "eventfd_id", 0, INT64_MAX, &o->eventfd_id))
		return false;
	if ((q = get_typed(p, j, "peer", json_type_object)) &&
	    !get_int(p, q, "inode", 0, INT64_MAX, &o->peer_inode))
		return false;
	if ((q = get_typed(p, j, "queue", json_type_object)) &&
	    (!get_int(p, q, "bytes", 0, INT64_MAX, &o->queue.bytes) ||
	     !get_int(p, q, "messages", 0, INT64_MAX, &o->queue.messages) ||
	     !get_int(p, q, "capacity", 0, INT64_MAX, &o->queue.capacity) ||
	     !get_int(p, q, "tx_bytes", 0, INT64_MAX, &o->queue.tx_bytes) ||
	     !get_int(p, q, "backlog", 0, INT64_MAX, &o->backlog)))
		return false;
	if (!get_int(p, j, "size", 0, INT64_MAX, &o->size) ||
	    !get_int(p, j, "nattch", 0, INT64_MAX, &o->nattch) ||
	    !get_int(p, j, "cpid", 0, INT_MAX, &o->cpid) ||
	    !get_int(p, j, "lpid", 0, INT_MAX, &o->lpid) ||
	    !get_int(p, j, "lspid", 0, INT_MAX, &o->lspid) ||
	    !get_int(p, j, "lrpid", 0, INT_MAX, &o->lrpid) ||
	    !get_int(p, j, "uid", 0, UINT32_MAX, &o->uid) ||
	    !get_int(p, j, "mode", 0, INT64_MAX, &o->mode) ||
	    !get_int(p, j, "value", INT64_MIN + 1, INT64_MAX, &o->value) ||
	    !get_int(p, j, "count", 0, INT64_MAX, &o->count))
		return false;
	if ((a = get_typed(p, j, "sems", json_type_array)) && !parse_sems(p, a, o))
		return false;
	if ((q = get_typed(p, j, "mq", json_type_object)) &&
	    (!get_int(p, q, "max_messages", 0, INT64_MAX, &o->mq_max_messages) ||
	     !get_int(p, q, "max_msgsize", 0, INT64_MAX, &o->mq_max_msgsize) ||
	     !get_int(p, q, "notify_pid", 0, INT_MAX, &o->mq_notify_pid)))
		return false;
	if (!parse_flags(p, get_typed(p, j, "flags", json_type_array), &o->flags))
		return false;
	if ((q = get_typed(p, j, "rate", json_type_object))) {
		o->rate.valid = true;
		if (!get_double(p, q, "bytes_per_s", &o->rate.bytes_per_s, &o->rate.has_bytes) ||
		    !get_double(p, q, "messages_per_s", &o->rate.messages_per_s,
				&o->rate.has_messages) ||
		    !get_bool(p, q, "estimate", &o->rate.estimate))
			return false;
	}
	a = get_typed(p, j, "endpoints", json_type_array);
	for (size_t i = 0; a && i < json_object_array_length(a); i++)
		if (!parse_endpoint(p, json_object_array_get_idx(a, i), o))
			return false;
	return !p->failed;
}

static bool parse_sigset(struct rp *p, struct json_object *sig, const char *key, uint64_t *set)
{
	struct json_object *a = get_typed(p, sig, key, json_type_array);
	char buf[64];

	for (size_t i = 0; a && i < json_object_array_length(a); i++) {
		struct json_object *v = json_object_array_get_idx(a, i);
		int n = v && json_object_is_type(v, json_type_string) ?
				signal_parse_name(json_object_get_string(v)) :
				-1;

		if (n < 0)
			return rp_fail(p, "\"%s\": unknown signal '%s'", key,
				       shown(v ? json_object_get_string(v) : "null", buf));
		*set |= SIGNAL_BIT(n);
	}
	return !p->failed;
}

static bool parse_process(struct rp *p, struct json_object *j, size_t idx, struct snapshot *s)
{
	struct ipc_process *q;
	struct json_object *v;
	int64_t pid = NONE, ppid = NONE;
	char *state = NULL;

	snprintf(p->where, sizeof(p->where), "processes[%zu]", idx);
	if (!json_object_is_type(j, json_type_object))
		return rp_fail(p, "expected an object");
	if (!get_int(p, j, "pid", 0, INT_MAX, &pid) || !get_int(p, j, "ppid", 0, INT_MAX, &ppid))
		return false;
	if (!HAS(pid))
		return rp_fail(p, "\"pid\" is required");
	snprintf(p->where, sizeof(p->where), "processes[%zu] (pid %" PRId64 ")", idx, pid);
	if (snapshot_process(s, (pid_t)pid))
		return rp_fail(p, "duplicate pid");
	q = snapshot_add_process(s, (pid_t)pid);
	if (HAS(ppid))
		q->ppid = (pid_t)ppid;
	if (!get_str(p, j, "comm", &q->comm) || !get_str(p, j, "cmdline", &q->cmdline) ||
	    !get_str(p, j, "user", &q->user) || !get_str(p, j, "state", &state))
		return false;
	if (state && strlen(state) != 1) {
		free(state);
		return rp_fail(p, "\"state\": expected one letter");
	}
	q->state = state ? state[0] : '\0';
	free(state);
	if ((v = get_typed(p, j, "ns", json_type_object)) &&
	    (!get_int(p, v, "ipc", 0, INT64_MAX, &q->ns_ipc) ||
	     !get_int(p, v, "net", 0, INT64_MAX, &q->ns_net) ||
	     !get_int(p, v, "mnt", 0, INT64_MAX, &q->ns_mnt)))
		return false;
	if ((v = get_typed(p, j, "blocked", json_type_object)) &&
	    (!get_str(p, v, "syscall", &q->blocked_syscall) ||
	     !get_str(p, v, "object", &q->blocked_object)))
		return false;
	if ((v = get_typed(p, j, "signals", json_type_object))) {
		q->has_signals = true;
		if (!parse_sigset(p, v, "pending", &q->sig_pending) ||
		    !parse_sigset(p, v, "shared_pending", &q->sig_shared_pending) ||
		    !parse_sigset(p, v, "blocked", &q->sig_blocked) ||
		    !parse_sigset(p, v, "ignored", &q->sig_ignored) ||
		    !parse_sigset(p, v, "caught", &q->sig_caught))
			return false;
	}
	return get_bool(p, j, "hidden", &q->fds_hidden) && !p->failed;
}

static bool parse_top(struct rp *p, struct json_object *doc, struct snapshot *s)
{
	struct json_object *v, *a;
	int64_t hidden = 0;

	v = json_object_is_type(doc, json_type_object) ? member(doc, "schema") : NULL;
	if (!v || !json_object_is_type(v, json_type_int) || json_object_get_int64(v) != 1 ||
	    ((v = member(doc, "program")) &&
	     (!json_object_is_type(v, json_type_string) ||
	      strcmp(json_object_get_string(v), "ipctop") != 0)))
		return rp_fail(p, "not an ipctop schema 1 document");
	if (!member(doc, "time"))
		return rp_fail(p, "\"time\" is required");
	if (!get_double(p, doc, "time", &s->time, NULL) || !get_str(p, doc, "host", &s->host) ||
	    !get_bool(p, doc, "root", &s->root))
		return false;
	if ((v = get_typed(p, doc, "hidden", json_type_object)) &&
	    !get_int(p, v, "processes", 0, UINT_MAX, &hidden))
		return false;
	s->hidden_processes = (unsigned)hidden;
	a = get_typed(p, doc, "unavailable", json_type_array);
	for (size_t i = 0; a && i < json_object_array_length(a); i++) {
		v = json_object_array_get_idx(a, i);
		int k = v && json_object_is_type(v, json_type_string) ?
				kind_parse(json_object_get_string(v)) :
				-1;
		if (k >= 0) /* a kind this build does not know: nothing to show */
			s->kinds_unavailable |= KIND_BIT(k);
	}
	a = get_typed(p, doc, "objects", json_type_array);
	for (size_t i = 0; a && i < json_object_array_length(a); i++)
		if (!parse_object(p, json_object_array_get_idx(a, i), i, s))
			return false;
	a = get_typed(p, doc, "processes", json_type_array);
	for (size_t i = 0; a && i < json_object_array_length(a); i++)
		if (!parse_process(p, json_object_array_get_idx(a, i), i, s))
			return false;
	return !p->failed;
}

struct snapshot *replay_parse_doc(const char *text, size_t len, char *err, size_t errlen)
{
	struct rp p = { .err = err, .errlen = errlen };
	struct json_tokener *tok;
	struct json_object *doc;
	enum json_tokener_error jerr;
	struct snapshot *s = NULL;
	size_t end;

	err[0] = '\0';
	if (len > INT_MAX) {
		rp_fail(&p, "line too long");
		return NULL;
	}
	tok = json_tokener_new();
	if (!tok)
		xalloc_die();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT
#ifdef JSON_TOKENER_VALIDATE_UTF8
					    | JSON_TOKENER_VALIDATE_UTF8
#endif
	);
	doc = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (!doc && jerr == json_tokener_continue) {
		/* a bare number at the end might go on: a space ends it */
		doc = json_tokener_parse_ex(tok, " ", 1);
		jerr = json_tokener_get_error(tok);
		end = len;
	}
	if (!doc && jerr == json_tokener_continue)
		rp_fail(&p, "unexpected end of input");
	else if (!doc && jerr != json_tokener_success)
		rp_fail(&p, "%s at column %zu", json_tokener_error_desc(jerr), end + 1);
	else if (strspn(text + end, " \t\r\n") != len - end)
		rp_fail(&p, "unexpected data after the document at column %zu", end + 1);
	if (!p.failed) {
		s = snapshot_new();
		if (!parse_top(&p, doc, s)) {
			snapshot_free(s);
			s = NULL;
		}
	}
	json_object_put(doc);
	json_tokener_free(tok);
	return s;
}

static int hex_lower(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *replay_unescape(const char *value)
{
	size_t n = strlen(value), j = 0;
	struct strbuf a, b;
	char *raw;
	bool same;

	if (!strstr(value, "\\x"))
		return xstrdup(value);
	raw = xmalloc(n + 1);
	for (size_t i = 0; i < n;) {
		/* escape_json writes \xNN only for bytes >= 0x80, in lower case */
		if (value[i] == '\\' && value[i + 1] == 'x' && hex_lower(value[i + 2]) >= 8 &&
		    hex_lower(value[i + 3]) >= 0) {
			raw[j++] = (char)(hex_lower(value[i + 2]) << 4 | hex_lower(value[i + 3]));
			i += 4;
		} else {
			raw[j++] = value[i++];
		}
	}
	raw[j] = '\0';
	/* The bytes are the right ones only if they escape to the text read
	 * (a name may hold the four characters "\xff" themselves, or "\xc3\xa9"
	 * that would decode to valid UTF-8): otherwise keep the text. */
	sb_init(&a);
	sb_init(&b);
	escape_json(&a, raw, j);
	escape_json(&b, value, n);
	same = a.len == b.len && memcmp(a.buf, b.buf, a.len) == 0;
	sb_free(&a);
	sb_free(&b);
	if (same)
		return raw;
	free(raw);
	return xstrdup(value);
}
