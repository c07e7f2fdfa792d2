#include "config.h"

#include "ui/ui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "strbuf.h"

static enum ui_color type_color(enum event_type t)
{
	switch (t) {
	case EV_CREATED:
		return CP_PIPE;
	case EV_GONE:
	case EV_FILLED:
		return CP_ALERT;
	case EV_BLOCKED:
		return CP_SYSV;
	default:
		return CP_NONE;
	}
}

static bool pid_in(pid_t pid, const pid_t *pids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* Objects' events concern shown objects only (the snapshots are filtered);
 * a process's blocking is shown only for the processes shown (-p, Enter on
 * a process, --demo's tree), not for every process of the system. */
static bool visible(const struct ui *ui, const struct event *e)
{
	if (e->type != EV_BLOCKED && e->type != EV_UNBLOCKED)
		return true;
	if (ui->opt->npids && !pid_in(e->pid, ui->opt->pids, ui->opt->npids))
		return false;
	return !ui->npids || pid_in(e->pid, ui->pids, ui->npids);
}

size_t ui_events_len(const struct ui *ui)
{
	size_t n = events_count(&ui->events), k = 0;

	for (size_t i = 0; i < n; i++)
		k += visible(ui, events_get(&ui->events, i));
	return k;
}

/* Newest first: what just happened is at the top. */
void ui_events_draw(struct ui *ui)
{
	size_t n = ui_events_len(ui), all = events_count(&ui->events), at = all, skip;
	int h = ui_list_height(ui), y0 = UI_HEAD_H;
	struct strbuf sb;

	ui_fill(y0 - 1, 0, ui_attr(ui, CP_TABLE_HEAD));
	ui_put(y0 - 1, 0, "TIME     EVENT     KIND    WHAT", COLS, ui_attr(ui, CP_TABLE_HEAD));
	if (!n) {
		ui_put(y0 + 1, 2, "No events yet: objects created or gone, queues that fill, "
				  "processes that block show here",
		       COLS - 4, A_NORMAL);
		return;
	}
	sb_init(&sb);
	skip = ui->top[VIEW_EVENTS] > 0 ? (size_t)ui->top[VIEW_EVENTS] : 0;
	for (int i = 0; i < h; i++) {
		const struct event *e = NULL;
		char tbuf[16];
		time_t t;
		struct tm tm;

		while (at > 0) {
			e = events_get(&ui->events, --at);
			if (visible(ui, e) && !skip)
				break;
			if (visible(ui, e))
				skip--;
			e = NULL;
		}
		if (!e)
			break;
		t = (time_t)e->time;
		localtime_r(&t, &tm);
		strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);
		ui_put(y0 + i, 0, tbuf, 9, A_NORMAL);
		ui_put(y0 + i, 9, events_type_name(e->type), 9, ui_attr(ui, type_color(e->type)));
		ui_put(y0 + i, 19, rows_kind_label(e->kind), 7, ui_attr(ui, ui_kind_color(e->kind)));
		sb_reset(&sb);
		if (e->text)
			sb_puts(&sb, e->text); /* escaped by the events module */
		else if (e->object_id)
			escape_text(&sb, e->object_id, strlen(e->object_id));
		ui_put(y0 + i, 27, sb_str(&sb), COLS - 27, A_NORMAL);
	}
	sb_free(&sb);
}
