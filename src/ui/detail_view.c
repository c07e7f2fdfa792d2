#include "config.h"

#include "ui/ui.h"

#include <curses.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "output.h"
#include "strbuf.h"
#include "xalloc.h"

struct lines {
	char **v;
	size_t n;
};

static void add(struct lines *l, struct strbuf *sb)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(char *));
	l->v[l->n++] = xstrdup(sb_str(sb));
	sb_reset(sb);
}

static void esc(struct strbuf *sb, const char *s)
{
	if (s)
		escape_text(sb, s, strlen(s));
}

static void fact(struct lines *l, struct strbuf *sb, const char *name, int64_t v, bool octal)
{
	if (!HAS(v))
		return;
	sb_printf(sb, "  %-14s ", name);
	if (octal)
		sb_printf(sb, "%04" PRIo64, v);
	else
		sb_printf(sb, "%" PRId64, v);
	add(l, sb);
}

static void endpoints(struct lines *l, struct strbuf *sb, const struct snapshot *s,
		      const struct ipc_object *o, const char *title)
{
	sb_printf(sb, "%s", title);
	add(l, sb);
	sb_printf(sb, "  %-7s %-16s %-8s %-5s %-5s %s", "PID", "COMMAND", "VIA", "FD", "MODE",
		  "ROLE");
	add(l, sb);
	for (size_t i = 0; i < o->neps; i++) {
		const struct ipc_endpoint *e = &o->eps[i];
		const struct ipc_process *p = snapshot_process(s, e->pid);
		struct strbuf name;
		char fd[16] = "-";

		sb_init(&name);
		esc(&name, p && p->comm ? p->comm : "?");
		if (e->via == VIA_FD)
			snprintf(fd, sizeof(fd), "%d", e->fd);
		sb_printf(sb, "  %-7d %-16s %-8s %-5s %-5s %s", (int)e->pid, sb_str(&name),
			  via_name(e->via), fd, e->mode ? mode_name(e->mode) : "-",
			  role_name(e->role));
		if (p && p->blocked_syscall && p->blocked_object && !strcmp(p->blocked_object, o->id))
			sb_printf(sb, "  (blocked in %s)", p->blocked_syscall);
		add(l, sb);
		sb_free(&name);
	}
	if (!o->neps) {
		sb_puts(sb, "  (no process holds it)");
		add(l, sb);
	}
}

static void spark(struct lines *l, struct strbuf *sb, const char *name, const double *v,
		  size_t n, bool ascii)
{
	double lo = INFINITY, hi = -INFINITY;
	bool any = false;

	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i])) {
			any = true;
			lo = v[i] < lo ? v[i] : lo;
			hi = v[i] > hi ? v[i] : hi;
		}
	if (!any)
		return;
	sb_printf(sb, "  %-14s ", name);
	series_sparkline(sb, v, n, SERIES_LEN, ascii);
	sb_printf(sb, "  %.6g..%.6g", lo, hi);
	add(l, sb);
}

size_t ui_detail_lines(const struct ui *ui, const char *id, char ***out)
{
	struct lines l = { NULL, 0 };
	struct strbuf sb;
	const struct ipc_object *o = ui->snap && id ? snapshot_find(ui->snap, id) : NULL;

	sb_init(&sb);
	if (!o) {
		sb_puts(&sb, "This object is gone. ");
		esc(&sb, id);
		add(&l, &sb);
		*out = l.v;
		sb_free(&sb);
		return l.n;
	}
	const struct ipc_object *peer = output_peer(ui->snap, o);
	sb_printf(&sb, "%s ", kind_name(o->kind));
	output_identity(&sb, o);
	add(&l, &sb);
	sb_puts(&sb, "  id             ");
	esc(&sb, o->id);
	add(&l, &sb);
	if (o->path) {
		sb_puts(&sb, "  path           ");
		esc(&sb, o->path);
		add(&l, &sb);
	}
	if (o->name) {
		sb_puts(&sb, "  name           ");
		esc(&sb, o->name);
		add(&l, &sb);
	}
	if (o->local) {
		sb_puts(&sb, "  local          ");
		esc(&sb, o->local);
		sb_puts(&sb, "   remote ");
		esc(&sb, o->remote ? o->remote : "*");
		add(&l, &sb);
	}
	if (o->socktype || o->state) {
		sb_printf(&sb, "  %-14s %s %s", "socket", o->socktype ? o->socktype : "",
			  o->state ? o->state : "");
		add(&l, &sb);
	}
	if (HAS(o->key)) {
		sb_printf(&sb, "  %-14s 0x%08" PRIx32 " (ipc id %" PRId64 ")", "key", (uint32_t)o->key,
			  o->ipcid);
		add(&l, &sb);
	}
	fact(&l, &sb, "inode", o->inode, false);
	if (o->dev_major >= 0) {
		sb_printf(&sb, "  %-14s %d:%d", "device", o->dev_major, o->dev_minor);
		add(&l, &sb);
	}
	fact(&l, &sb, "eventfd id", o->eventfd_id, false);
	fact(&l, &sb, "peer inode", o->peer_inode, false);

	/* queue and rate */
	sb_printf(&sb, "  %-14s ", "queue");
	if (HAS(o->queue.bytes))
		sb_printf(&sb, "%" PRId64 " bytes ", o->queue.bytes);
	if (HAS(o->queue.messages))
		sb_printf(&sb, "%" PRId64 " messages ", o->queue.messages);
	if (HAS(o->queue.capacity))
		sb_printf(&sb, "of %" PRId64 " ", o->queue.capacity);
	if (HAS(o->queue.tx_bytes))
		sb_printf(&sb, "(%" PRId64 " bytes unsent)", o->queue.tx_bytes);
	add(&l, &sb);
	if (o->rate.valid) {
		sb_printf(&sb, "  %-14s %s", "rate", o->rate.estimate ? "~" : "");
		if (o->rate.has_bytes)
			sb_printf(&sb, "%.0f bytes/s ", o->rate.bytes_per_s);
		if (o->rate.has_messages)
			sb_printf(&sb, "%.1f messages/s", o->rate.messages_per_s);
		if (o->rate.estimate)
			sb_puts(&sb, " (estimate)");
		add(&l, &sb);
	}
	sb_printf(&sb, "  %-14s ", "flags");
	for (unsigned b = 0; b < FLAG_COUNT; b++)
		if (o->flags & (1u << b))
			sb_printf(&sb, "%s ", flag_name(b));
	add(&l, &sb);

	/* the last minute */
	const struct series *se = ui->series ? series_get(ui->series, o->id) : NULL;
	if (se && se->n) {
		sb_puts(&sb, "Last minute (one cell a refresh)");
		add(&l, &sb);
		spark(&l, &sb, "queue bytes", se->bytes, se->n, ui->ascii);
		spark(&l, &sb, "queue msgs", se->messages, se->n, ui->ascii);
		spark(&l, &sb, "rate", se->rate, se->n, ui->ascii);
	}

	endpoints(&l, &sb, ui->snap, o, "Endpoints");
	if (peer)
		endpoints(&l, &sb, ui->snap, peer, "Peer endpoints (the other end of the socket)");
	/* kind facts */
	sb_puts(&sb, "Facts");
	add(&l, &sb);
	fact(&l, &sb, "size", o->size, false);
	fact(&l, &sb, "attached", o->nattch, false);
	fact(&l, &sb, "creator pid", o->cpid, false);
	fact(&l, &sb, "last pid", o->lpid, false);
	fact(&l, &sb, "last sender", o->lspid, false);
	fact(&l, &sb, "last receiver", o->lrpid, false);
	fact(&l, &sb, "owner uid", o->uid, false);
	fact(&l, &sb, "mode", o->mode, true);
	fact(&l, &sb, "value", o->value, false);
	fact(&l, &sb, "counter", o->count, false);
	fact(&l, &sb, "mq max msgs", o->mq_max_messages, false);
	fact(&l, &sb, "mq max msgsize", o->mq_max_msgsize, false);
	fact(&l, &sb, "mq notify pid", o->mq_notify_pid, false);
	if (o->sems) {
		sb_printf(&sb, "  %-14s %-6s %-6s %-6s %s", "semaphore", "VALUE", "NCNT", "ZCNT",
			  "LAST PID");
		add(&l, &sb);
		for (size_t i = 0; i < o->nsems; i++) {
			sb_printf(&sb, "  #%-13zu %-6" PRId64 " %-6" PRId64 " %-6" PRId64 " %" PRId64,
				  i, o->sems[i].value, o->sems[i].ncnt, o->sems[i].zcnt,
				  o->sems[i].pid);
			add(&l, &sb);
		}
	}

	sb_free(&sb);
	*out = l.v;
	return l.n;
}

void ui_detail_draw(struct ui *ui)
{
	char **lines = NULL;
	size_t n = ui_detail_lines(ui, ui->detail_id, &lines);
	int h = ui_list_height(ui), y0 = UI_HEAD_H;

	if (ui->detail_top > (int)n - h)
		ui->detail_top = (int)n - h;
	if (ui->detail_top < 0)
		ui->detail_top = 0;
	ui_fill(y0 - 1, 0, ui_attr(ui, CP_TABLE_HEAD));
	ui_put(y0 - 1, 0, "Detail (Esc or Left goes back, arrows scroll)", COLS,
	       ui_attr(ui, CP_TABLE_HEAD));
	for (int i = 0; i < h && (size_t)(ui->detail_top + i) < n; i++) {
		const char *s = lines[ui->detail_top + i];
		int a = s[0] != ' ' ? ui_attr(ui, CP_TITLE) : (int)A_NORMAL;
		ui_put(y0 + i, 1, s, COLS - 1, a);
	}
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}
