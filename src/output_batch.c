#include "config.h"

#include "output.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "escape.h"

static void put_esc(struct strbuf *sb, const char *s)
{
	if (s)
		escape_text(sb, s, strlen(s));
}

void output_comm(struct strbuf *sb, const struct snapshot *s, pid_t pid)
{
	const struct ipc_process *p = snapshot_process(s, pid);

	sb_printf(sb, "%d", (int)pid);
	if (p && p->comm) {
		sb_putc(sb, ' ');
		put_esc(sb, p->comm);
	}
}

void output_identity(struct strbuf *sb, const struct ipc_object *o)
{
	switch (o->kind) {
	case KIND_UNIX:
		if (o->path)
			put_esc(sb, o->path);
		else
			sb_printf(sb, "unix:%" PRId64, o->inode);
		if (o->socktype)
			sb_printf(sb, " %s", o->socktype);
		if (o->state)
			sb_printf(sb, " %s", o->state);
		break;
	case KIND_TCP:
	case KIND_UDP:
		put_esc(sb, o->local ? o->local : "?");
		sb_puts(sb, " -> ");
		put_esc(sb, o->remote ? o->remote : "*");
		if (o->state)
			sb_printf(sb, " %s", o->state);
		break;
	case KIND_SYSV_SHM:
	case KIND_SYSV_MSG:
	case KIND_SYSV_SEM:
		sb_printf(sb, "key 0x%08" PRIx32 " id %" PRId64, (uint32_t)o->key, o->ipcid);
		break;
	case KIND_POSIX_SHM:
	case KIND_POSIX_SEM:
	case KIND_POSIX_MQ:
		put_esc(sb, o->name ? o->name : o->id);
		break;
	case KIND_MEMFD:
		sb_puts(sb, "memfd:");
		put_esc(sb, o->name ? o->name : "");
		break;
	case KIND_EVENTFD:
		sb_printf(sb, "eventfd id %" PRId64, o->eventfd_id);
		break;
	default:
		if (o->path)
			put_esc(sb, o->path);
		else
			put_esc(sb, o->id);
	}
}

static void human(struct strbuf *sb, int64_t v)
{
	if (v < 10000)
		sb_printf(sb, "%" PRId64, v);
	else if (v < 10000 * 1024LL)
		sb_printf(sb, "%" PRId64 "K", v / 1024);
	else
		sb_printf(sb, "%" PRId64 "M", v / (1024 * 1024));
}

static void queue_text(struct strbuf *sb, const struct ipc_object *o)
{
	size_t start = sb->len;

	if (HAS(o->queue.messages)) {
		sb_printf(sb, "%" PRId64 "msg", o->queue.messages);
		if (HAS(o->queue.capacity) && o->kind == KIND_POSIX_MQ)
			sb_printf(sb, "/%" PRId64, o->queue.capacity);
	}
	if (HAS(o->queue.bytes)) {
		if (sb->len > start)
			sb_putc(sb, ' ');
		human(sb, o->queue.bytes);
		sb_putc(sb, 'B');
		if (HAS(o->queue.capacity) && o->kind != KIND_POSIX_MQ) {
			sb_putc(sb, '/');
			human(sb, o->queue.capacity);
		}
	}
	if (o->kind == KIND_SYSV_SEM && o->sems) {
		sb_puts(sb, "sem=");
		for (size_t i = 0; i < o->nsems && i < 4; i++)
			sb_printf(sb, "%s%" PRId64, i ? "," : "", o->sems[i].value);
		if (o->nsems > 4)
			sb_puts(sb, ",...");
	} else if (HAS(o->value)) {
		sb_printf(sb, "val=%" PRId64, o->value);
	} else if (HAS(o->count)) {
		sb_printf(sb, "cnt=%" PRId64, o->count);
	}
	if (sb->len == start)
		sb_putc(sb, '-');
}

static void rate_text(struct strbuf *sb, const struct ipc_object *o)
{
	if (!o->rate.valid) {
		sb_putc(sb, '-');
		return;
	}
	if (o->rate.estimate)
		sb_putc(sb, '~');
	if (o->rate.has_bytes) {
		human(sb, (int64_t)(o->rate.bytes_per_s + 0.5));
		sb_puts(sb, "B/s");
	} else if (o->rate.has_messages) {
		sb_printf(sb, "%.1fmsg/s", o->rate.messages_per_s);
	}
}

static void endpoint_text(struct strbuf *sb, const struct snapshot *s, const struct ipc_endpoint *e)
{
	output_comm(sb, s, e->pid);
	switch (e->via) {
	case VIA_FD:
		sb_printf(sb, "[%d%s]", e->fd, mode_name(e->mode));
		break;
	case VIA_MAP:
		sb_printf(sb, "[map%s%s]", e->mode ? " " : "", mode_name(e->mode));
		break;
	case VIA_WAITER:
		sb_puts(sb, "[waiting]");
		break;
	case VIA_CREATOR:
		sb_puts(sb, "[creator]");
		break;
	case VIA_LASTOP:
		sb_printf(sb, "[%s]", e->role == ROLE_LAST_SENDER ? "last send" :
				      e->role == ROLE_LAST_RECEIVER ? "last recv" : "last op");
		break;
	}
}

/* Cuts a line of escaped text to width display columns. */
static void put_line(struct strbuf *out, const char *line, size_t len, int width)
{
	if (width > 0) {
		const unsigned char *p = (const unsigned char *)line;
		size_t i = 0, cols = 0;
		while (i < len) {
			unsigned cp;
			size_t n = utf8_seq_len(p + i, len - i, &cp);
			size_t w = n ? text_width(line + i, n) : 1;
			if (cols + w > (size_t)width)
				break;
			cols += w;
			i += n ? n : 1;
		}
		len = i;
	}
	sb_putn(out, line, len);
	sb_putc(out, '\n');
}

void output_batch(struct strbuf *sb, const struct snapshot *s, int width)
{
	struct strbuf line;
	unsigned counts[KIND_COUNT] = { 0 };
	char tbuf[32];
	time_t t = (time_t)s->time;
	struct tm tm;
	size_t blocked = 0;

	sb_init(&line);
	for (size_t i = 0; i < s->nobjs; i++)
		counts[s->objs[i]->kind]++;
	localtime_r(&t, &tm);
	strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);

	sb_printf(&line, "ipctop %s - %s", PACKAGE_VERSION, tbuf);
	if (s->host) {
		sb_puts(&line, " on ");
		put_esc(&line, s->host);
	}
	sb_printf(&line, ", %zu objects, %zu processes", s->nobjs, s->nprocs);
	if (s->hidden_processes)
		sb_printf(&line, " (%u hidden: run as root to see their fds)", s->hidden_processes);
	put_line(sb, line.buf, line.len, width);
	sb_reset(&line);
	sb_puts(&line, "Kinds:");
	for (int k = 0; k < KIND_COUNT; k++)
		if (counts[k])
			sb_printf(&line, " %s %u", kind_name(k), counts[k]);
	for (int k = 0; k < KIND_COUNT; k++)
		if (s->kinds_unavailable & KIND_BIT(k))
			sb_printf(&line, " %s unavailable", kind_name(k));
	put_line(sb, line.buf, line.len, width);
	sb_putc(sb, '\n');

	sb_reset(&line);
	sb_printf(&line, "%-9s %-40s %-14s %-9s %-12s %s", "KIND", "OBJECT", "QUEUE", "RATE",
		  "FLAGS", "ENDPOINTS");
	put_line(sb, line.buf, line.len, width);
	for (size_t i = 0; i < s->nobjs; i++) {
		const struct ipc_object *o = s->objs[i];
		struct strbuf cell;
		size_t w;

		sb_init(&cell);
		sb_reset(&line);
		sb_printf(&line, "%-9s ", kind_name(o->kind));
		output_identity(&cell, o);
		w = text_width(cell.buf ? cell.buf : "", cell.len);
		sb_putn(&line, cell.buf ? cell.buf : "", cell.len);
		for (; w < 40; w++)
			sb_putc(&line, ' ');
		sb_putc(&line, ' ');

		sb_reset(&cell);
		queue_text(&cell, o);
		sb_printf(&line, "%-14s ", sb_str(&cell));
		sb_reset(&cell);
		rate_text(&cell, o);
		sb_printf(&line, "%-9s ", sb_str(&cell));
		sb_reset(&cell);
		for (unsigned b = 0; b < FLAG_COUNT; b++)
			if (o->flags & (1u << b))
				sb_printf(&cell, "%s%s", cell.len ? "," : "", flag_name(b));
		sb_printf(&line, "%-12s ", cell.len ? sb_str(&cell) : "-");
		for (size_t j = 0; j < o->neps; j++) {
			if (j)
				sb_puts(&line, ", ");
			endpoint_text(&line, s, &o->eps[j]);
		}
		const struct ipc_object *peer = output_peer(s, o);
		if (peer && peer->neps) {
			sb_puts(&line, " <-> ");
			endpoint_text(&line, s, &peer->eps[0]);
		}
		put_line(sb, line.buf, line.len, width);
		sb_free(&cell);
	}

	for (size_t i = 0; i < s->nprocs; i++)
		blocked += s->procs[i].blocked_object && snapshot_find(s, s->procs[i].blocked_object);
	if (blocked) {
		sb_putc(sb, '\n');
		sb_reset(&line);
		sb_printf(&line, "%-24s %-16s %s", "BLOCKED PROCESS", "SYSCALL", "ON OBJECT");
		put_line(sb, line.buf, line.len, width);
		for (size_t i = 0; i < s->nprocs; i++) {
			const struct ipc_process *p = &s->procs[i];
			struct strbuf cell;

			/* only objects still shown (-p and -t filter them) */
			if (!p->blocked_syscall || !p->blocked_object ||
			    !snapshot_find(s, p->blocked_object))
				continue;
			sb_init(&cell);
			output_comm(&cell, s, p->pid);
			sb_reset(&line);
			sb_printf(&line, "%-24s %-16s ", sb_str(&cell), p->blocked_syscall);
			put_esc(&line, p->blocked_object);
			put_line(sb, line.buf, line.len, width);
			sb_free(&cell);
		}
	}
	sb_free(&line);
}

int output_refresh(struct strbuf *sb, const struct snapshot *s, bool json, int width, bool first,
		   FILE *f)
{
	sb_reset(sb);
	if (json) {
		output_json(sb, s);
	} else {
		if (!first)
			sb_putc(sb, '\n');
		output_batch(sb, s, width);
	}
	if (sb_write(sb, f) == 0 && fflush(f) != EOF)
		return 0;
	if (errno == EPIPE)
		return -1;
	fprintf(stderr, "ipctop: write error: %s\n", strerror(errno));
	return 1;
}
