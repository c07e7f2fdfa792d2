#include "config.h"

#include "ui/ui.h"

#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "escape.h"
#include "strbuf.h"

static const char *const view_names[VIEW_COUNT] = { "Objects", "Processes", "Graph", "Events" };

/* A /proc/sys number (field: which blank-separated one), NONE if unreadable.
 * shmall may be near 2^64: kept as the largest int64. */
static int64_t sysctl_num(const struct ipc_ctx *ctx, const char *path, int field)
{
	char buf[128], *p = buf, *end;
	unsigned long long v;

	if (ctx_read_buf(ctx, path, buf, sizeof(buf)) <= 0)
		return NONE;
	for (int i = 0; i < field; i++) {
		p += strspn(p, " \t");
		p += strcspn(p, " \t\n");
	}
	v = strtoull(p, &end, 10);
	if (end == p)
		return NONE;
	return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

void ui_limits_read(struct ui *ui)
{
	struct ui_limits *l = &ui->lim;
	const struct snapshot *s = ui->snap;

	l->pagesize = sysconf(_SC_PAGESIZE);
	if (l->pagesize <= 0)
		l->pagesize = 4096;
	l->shmall = sysctl_num(ui->ctx, "/proc/sys/kernel/shmall", 0);
	l->shmmni = sysctl_num(ui->ctx, "/proc/sys/kernel/shmmni", 0);
	l->msgmni = sysctl_num(ui->ctx, "/proc/sys/kernel/msgmni", 0);
	l->semmni = sysctl_num(ui->ctx, "/proc/sys/kernel/sem", 3);
	l->mq_max = sysctl_num(ui->ctx, "/proc/sys/fs/mqueue/queues_max", 0);
	l->shm_pages = l->shm_segs = l->mq_used = l->sem_used = l->msg_used = 0;
	for (size_t i = 0; s && i < s->nobjs; i++) {
		const struct ipc_object *o = s->objs[i];
		switch (o->kind) {
		case KIND_SYSV_SHM:
			l->shm_segs++;
			if (HAS(o->size))
				l->shm_pages += (o->size + l->pagesize - 1) / l->pagesize;
			break;
		case KIND_POSIX_MQ:
			l->mq_used++;
			break;
		case KIND_SYSV_SEM:
			l->sem_used++;
			break;
		case KIND_SYSV_MSG:
			l->msg_used++;
			break;
		default:
			break;
		}
	}
}

static void limit(struct strbuf *sb, const char *what, int64_t used, int64_t max, const char *unit)
{
	sb_printf(sb, "  %s ", what);
	rows_human(sb, used);
	if (HAS(max)) {
		sb_putc(sb, '/');
		if (max > INT64_MAX / 2)
			sb_puts(sb, "max");
		else
			rows_human(sb, max);
	}
	if (unit)
		sb_puts(sb, unit);
}

void ui_header_draw(struct ui *ui)
{
	const struct snapshot *s = ui->snap;
	struct strbuf sb;
	unsigned counts[KIND_COUNT] = { 0 };
	int64_t bytes = 0, msgs = 0;
	char tbuf[32] = "--:--:--";
	int x;

	sb_init(&sb);
	if (s) {
		time_t t = (time_t)s->time;
		struct tm tm;
		localtime_r(&t, &tm);
		strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);
		for (size_t i = 0; i < s->nobjs; i++) {
			const struct ipc_object *o = s->objs[i];
			counts[o->kind]++;
			if (HAS(o->queue.bytes) && o->queue.bytes > 0)
				bytes += o->queue.bytes;
			if (HAS(o->queue.messages) && o->queue.messages > 0 && o->kind != KIND_TCP &&
			    o->kind != KIND_UNIX)
				msgs += o->queue.messages;
		}
	}
	/* line 0: who, when, how often */
	sb_printf(&sb, "ipctop %s", PACKAGE_VERSION);
	if (s && s->host) {
		sb_puts(&sb, " on ");
		escape_text(&sb, s->host, strlen(s->host));
	}
	sb_printf(&sb, "  %s  %zu objects  %zu processes", tbuf, s ? s->nobjs : 0,
		  s ? s->nprocs : 0);
	x = ui_put(0, 0, sb_str(&sb), COLS, ui_attr(ui, CP_TITLE));
	sb_reset(&sb);
	if (ui->replay)
		sb_printf(&sb, "  replay %lu%s", ui->nsnap, ui->replay_end ? " (end)" : "");
	sb_printf(&sb, "  every %gs", ui->delay);
	x += ui_put(0, x, sb_str(&sb), COLS - x, A_NORMAL);
	if (ui->paused)
		ui_put(0, x + 2, "PAUSED", COLS - x - 2, ui_attr(ui, CP_ALERT) | A_REVERSE);

	/* line 1: counts per kind, coloured; hidden kinds dim */
	x = ui_put(1, 0, "Kinds:", COLS, A_BOLD);
	for (int k = 0; k < KIND_COUNT && x < COLS; k++) {
		char item[40];
		bool shown = ui->kinds & KIND_BIT(k);
		if (!counts[k] && !(s && s->kinds_unavailable & KIND_BIT(k)))
			continue;
		if (s && s->kinds_unavailable & KIND_BIT(k))
			snprintf(item, sizeof(item), " %s n/a", rows_kind_label(k));
		else
			snprintf(item, sizeof(item), " %s %u", rows_kind_label(k), counts[k]);
		x += ui_put(1, x, item, COLS - x,
			    shown ? ui_attr(ui, ui_kind_color(k)) : ui_attr(ui, CP_GONE));
	}

	/* line 2: what is queued, limits in use, what we could not see */
	sb_reset(&sb);
	sb_puts(&sb, "Queued ");
	rows_human(&sb, bytes);
	sb_printf(&sb, "B %" PRId64 "msg ", msgs);
	if (!ui->replay) {
		limit(&sb, "shm", ui->lim.shm_pages, ui->lim.shmall, " pages");
		limit(&sb, "mq", ui->lim.mq_used, ui->lim.mq_max, NULL);
		limit(&sb, "semsets", ui->lim.sem_used, ui->lim.semmni, NULL);
		limit(&sb, "msqs", ui->lim.msg_used, ui->lim.msgmni, NULL);
	}
	x = ui_put(2, 0, sb_str(&sb), COLS, A_NORMAL);
	if (s && s->hidden_processes) {
		sb_reset(&sb);
		sb_printf(&sb, "  %u hidden (no permission)", s->hidden_processes);
		ui_put(2, x, sb_str(&sb), COLS - x, ui_attr(ui, CP_ALERT));
	}

	/* line 3: the views as tabs, then sort and filters */
	x = 0;
	for (int v = 0; v < VIEW_COUNT; v++) {
		char tab[24];
		snprintf(tab, sizeof(tab), " %s ", view_names[v]);
		x += ui_put(3, x, tab, COLS - x,
			    v == (int)ui->view ? ui_attr(ui, CP_SELECT) | A_BOLD : (int)A_NORMAL);
		x += ui_put(3, x, " ", COLS - x, A_NORMAL);
	}
	sb_reset(&sb);
	if (ui->view == VIEW_OBJECTS || ui->view == VIEW_PROCS) {
		bool procs = ui->view == VIEW_PROCS;
		bool desc = procs ? ui->pdesc : ui->desc;
		sb_printf(&sb, " sort %s%s", procs ? rows_pcol_name(ui->psort) : rows_col_name(ui->sort),
			  ui->ascii ? (desc ? " v" : " ^") : (desc ? " ▼" : " ▲"));
	}
	if (ui->filter[0]) {
		sb_puts(&sb, "  filter \"");
		escape_text(&sb, ui->filter, strlen(ui->filter));
		sb_puts(&sb, "\"");
	}
	if (ui->pid_filter)
		sb_printf(&sb, "  pid %d only", (int)ui->pid_filter);
	else if (ui->tree_only)
		sb_printf(&sb, "  ipcdemo %d only (Esc: all)", (int)ui->tree_root);
	if (ui->kinds != KIND_ALL)
		sb_puts(&sb, "  some kinds hidden");
	ui_put(3, x, sb_str(&sb), COLS - x, ui_attr(ui, CP_TITLE));
	sb_free(&sb);
}

void ui_footer_draw(struct ui *ui)
{
	static const char *const keys[][2] = {
		{ "F1", "Help" },   { "F3", "Search" }, { "F4", "Filter" }, { "F5", "Graph" },
		{ "F6", "SortBy" }, { "F9", "Kill" },   { "Tab", "View" },  { "Spc", "Pause" },
		{ "F10", "Quit" },
	};
	int y = LINES - 1, x = 0;

	if (ui->msg[0]) {
		struct strbuf sb;
		sb_init(&sb);
		escape_text(&sb, ui->msg, strlen(ui->msg));
		ui_fill(y, 0, ui_attr(ui, CP_KEYTEXT));
		ui_put(y, 0, sb_str(&sb), COLS, ui_attr(ui, CP_KEYTEXT) | A_BOLD);
		sb_free(&sb);
		return;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && x < COLS; i++) {
		x += ui_put(y, x, keys[i][0], COLS - x, ui_attr(ui, CP_KEY));
		char label[16];
		snprintf(label, sizeof(label), "%-6s", keys[i][1]);
		x += ui_put(y, x, label, COLS - x, ui_attr(ui, CP_KEYTEXT));
	}
	ui_fill(y, x, ui_attr(ui, CP_KEYTEXT));
}
