#include "config.h"

#include "ui/ui.h"

#include <curses.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "replay.h"
#include "scan.h"
#include "xalloc.h"

/* keys 1..9 toggle these groups of kinds */
static const unsigned kind_groups[9] = {
	KIND_BIT(KIND_PIPE),
	KIND_BIT(KIND_FIFO),
	KIND_BIT(KIND_UNIX),
	KIND_BIT(KIND_TCP) | KIND_BIT(KIND_UDP),
	KIND_BIT(KIND_POSIX_MQ) | KIND_BIT(KIND_SYSV_MSG),
	KIND_BIT(KIND_POSIX_SHM) | KIND_BIT(KIND_SYSV_SHM),
	KIND_BIT(KIND_POSIX_SEM) | KIND_BIT(KIND_SYSV_SEM),
	KIND_BIT(KIND_MMAP) | KIND_BIT(KIND_MEMFD),
	KIND_BIT(KIND_EVENTFD),
};
static const char *const group_names[9] = {
	"pipes", "FIFOs", "unix sockets", "TCP/UDP sockets", "message queues",
	"shared memory", "semaphores", "shared mappings/memfd", "eventfds",
};

static const double intervals[] = { 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60 };

int ui_list_height(const struct ui *ui)
{
	(void)ui;
	return LINES - UI_HEAD_H - 1;
}

size_t ui_view_len(const struct ui *ui)
{
	switch (ui->view) {
	case VIEW_OBJECTS:
		return ui->nrows;
	case VIEW_PROCS:
		return ui->nprows;
	case VIEW_GRAPH:
		return ui->graph ? (size_t)ui->graph->h : 0;
	case VIEW_EVENTS:
		return ui_events_len(ui);
	default:
		return 0;
	}
}

const struct rows_obj *ui_selected_row(const struct ui *ui)
{
	int s = ui->sel[VIEW_OBJECTS];

	return s >= 0 && (size_t)s < ui->nrows ? &ui->rows[s] : NULL;
}

/* When each object of the new snapshot was first seen, carried over from
 * the same object of the old one (still ui->snap); the first snapshot's
 * objects count as old (nothing flashes at start-up). */
static void update_seen(struct ui *ui, struct snapshot *cur, double now)
{
	size_t next = 0;

	for (size_t i = 0; i < cur->nobjs; i++) {
		struct ipc_object *o = cur->objs[i];
		const struct ipc_object *old = ui->snap ? snapshot_find_next(ui->snap, o, &next) : NULL;

		o->first_seen = old ? old->first_seen : ui->nsnap ? now : 0;
	}
}

static void free_rows(struct ui *ui)
{
	for (size_t i = 0; i < ui->nrows; i++)
		rows_obj_free(&ui->rows[i]);
	free(ui->rows);
	ui->rows = NULL;
	ui->nrows = 0;
	for (size_t i = 0; i < ui->nprows; i++)
		rows_proc_free(&ui->prows[i]);
	free(ui->prows);
	ui->prows = NULL;
	ui->nprows = 0;
	ui->prows_built = false;
	graph_free(ui->graph);
	ui->graph = NULL;
}

static int pid_cmp(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
	return (x > y) - (x < y);
}

/* The pids whose objects are shown: one process (Enter on it), or the demo's
 * process tree (a process whose parent chain reaches tree_root). */
static void pid_set(struct ui *ui)
{
	const struct snapshot *s = ui->snap;

	free(ui->pids);
	ui->pids = NULL;
	ui->npids = 0;
	if (ui->pid_filter) {
		ui->pids = xmalloc(sizeof(pid_t));
		ui->pids[ui->npids++] = ui->pid_filter;
		return;
	}
	if (!ui->tree_only || !ui->tree_root)
		return;
	ui->pids = xcalloc(s->nprocs + 1, sizeof(pid_t));
	ui->pids[ui->npids++] = ui->tree_root;
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct ipc_process *p = &s->procs[i];
		for (int depth = 0; p && depth < 16; depth++) {
			if (p->ppid == ui->tree_root) {
				ui->pids[ui->npids++] = s->procs[i].pid;
				break;
			}
			p = snapshot_process(s, p->ppid);
		}
	}
	qsort(ui->pids, ui->npids, sizeof(pid_t), pid_cmp);
}

/* Rows for the current snapshot, filters and sort order; the selection
 * stays on the same object (or process) when it is still there. */
static void procs_rebuild(struct ui *ui)
{
	ui->nprows = rows_proc_build(&ui->prows, ui->snap, ui->kinds, ui->pids, ui->npids,
				     ui->filter);
	rows_proc_sort(ui->prows, ui->nprows, ui->psort, ui->pdesc);
	ui->prows_built = true;
	for (size_t i = 0; i < ui->nprows; i++)
		if (ui->prows[i].pid == ui->sel_pid)
			ui->sel[VIEW_PROCS] = (int)i;
}

void ui_rebuild(struct ui *ui)
{
	char *keep = ui->sel_id ? xstrdup(ui->sel_id) : NULL;
	double now = ui_now();

	free_rows(ui);
	if (!ui->snap) {
		free(keep);
		return;
	}
	pid_set(ui);
	ui->nrows = rows_obj_build(&ui->rows, ui->snap, ui->kinds, ui->pids, ui->npids, ui->filter,
				   ui->ascii);
	ui->rows = xreallocarray(ui->rows, ui->nrows + ui->ntombs + 1, sizeof(*ui->rows));
	for (size_t i = 0; i < ui->nrows; i++)
		ui->rows[i].born = ui->rows[i].obj->first_seen;
	for (size_t i = 0; i < ui->ntombs; i++)
		if ((ui->kinds & KIND_BIT(ui->tombs[i].kind)) &&
		    rows_obj_match(&ui->tombs[i], ui->filter) && !ui->npids)
			rows_obj_tombstone(&ui->rows[ui->nrows++], &ui->tombs[i], now);
	rows_obj_sort(ui->rows, ui->nrows, ui->sort, ui->desc);
	if (ui->view == VIEW_PROCS)
		procs_rebuild(ui);

	if (keep) {
		for (size_t i = 0; i < ui->nrows; i++)
			if (!strcmp(ui->rows[i].id, keep))
				ui->sel[VIEW_OBJECTS] = (int)i;
		free(keep);
	}
	ui->dirty = true;
}

/* The processes table's rows are made when it is shown: the objects table
 * (the default) does not pay for them at each refresh. */
static void procs_ensure(struct ui *ui)
{
	if (ui->view == VIEW_PROCS && !ui->prows_built && ui->snap)
		procs_rebuild(ui);
}

/* Rows of the old snapshot whose object is gone become tombstones. */
static void bury(struct ui *ui, const struct snapshot *cur, double now)
{
	size_t next = 0;

	for (size_t i = 0; i < ui->nrows; i++) {
		const struct rows_obj *r = &ui->rows[i];
		if (!r->obj || snapshot_find_next(cur, r->obj, &next))
			continue;
		ui->tombs = xreallocarray(ui->tombs, ui->ntombs + 1, sizeof(*ui->tombs));
		rows_obj_tombstone(&ui->tombs[ui->ntombs++], r, now);
	}
}

static bool expire(struct ui *ui, double now)
{
	size_t kept = 0;
	bool changed = false;

	for (size_t i = 0; i < ui->ntombs; i++) {
		if (now - ui->tombs[i].gone > UI_GONE_SECS) {
			rows_obj_free(&ui->tombs[i]);
			changed = true;
			continue;
		}
		ui->tombs[kept++] = ui->tombs[i];
	}
	ui->ntombs = kept;
	return changed;
}

static struct snapshot *next_snapshot(struct ui *ui)
{
	char err[256] = "";
	struct snapshot *cur;

	if (ui->replay) {
		if (ui->replay_end)
			return NULL;
		cur = replay_next(ui->replay, err, sizeof(err));
		if (!cur) {
			ui->replay_end = true;
			ui->paused = true;
			if (err[0])
				ui_message(ui, "Recording: %s", err);
			else
				ui_message(ui, "End of the recording (%lu snapshots)", ui->nsnap);
			return NULL;
		}
		replay_history_apply(ui->snap, cur);
	} else {
		if (!ui->cache)
			ui->cache = scan_cache_new();
		cur = scan_snapshot_cached(ui->ctx, ui->cache);
		if (!cur) {
			ui_message(ui, "Cannot read /proc: %s", strerror(errno));
			return NULL;
		}
		history_apply(ui->snap, cur);
	}
	scan_filter(cur, ui->opt->pids, ui->opt->npids, ui->opt->kinds);
	return cur;
}

static void refresh_data(struct ui *ui)
{
	double now = ui_now();
	struct snapshot *cur = next_snapshot(ui);

	if (!cur)
		return;
	events_diff(&ui->events, ui->snap, cur);
	series_add(ui->series, cur);
	bury(ui, cur, now);
	update_seen(ui, cur, now);
	free_rows(ui); /* they point into the old snapshot */
	snapshot_free(ui->snap);
	ui->snap = cur;
	ui->nsnap++;
	if (!ui->replay)
		ui_limits_read(ui);
	ui_rebuild(ui);
}

static void clamp(struct ui *ui)
{
	int len, h = ui_list_height(ui);
	int *sel = &ui->sel[ui->view], *top = &ui->top[ui->view];

	procs_ensure(ui);
	len = (int)ui_view_len(ui);
	if (ui->view == VIEW_GRAPH || ui->view == VIEW_EVENTS) {
		/* scrolled pages: top only */
		if (*top > len - h)
			*top = len - h;
		if (*top < 0)
			*top = 0;
		return;
	}
	if (*sel >= len)
		*sel = len - 1;
	if (*sel < 0)
		*sel = 0;
	if (*top > *sel)
		*top = *sel;
	if (*sel >= *top + h)
		*top = *sel - h + 1;
	if (*top < 0)
		*top = 0;
	if (ui->view == VIEW_OBJECTS && len > 0) {
		free(ui->sel_id);
		ui->sel_id = xstrdup(ui->rows[*sel].id);
	} else if (ui->view == VIEW_PROCS && len > 0) {
		ui->sel_pid = ui->prows[*sel].pid;
	}
}

void ui_draw(struct ui *ui)
{
	erase();
	if (ui_too_small(ui)) {
		refresh();
		return;
	}
	clamp(ui);
	ui_header_draw(ui);
	if (ui->help)
		ui_help_draw(ui);
	else if (ui->detail)
		ui_detail_draw(ui);
	else if (ui->view == VIEW_OBJECTS)
		ui_objects_draw(ui);
	else if (ui->view == VIEW_PROCS)
		ui_procs_draw(ui);
	else if (ui->view == VIEW_GRAPH)
		ui_graph_draw(ui);
	else
		ui_events_draw(ui);
	ui_footer_draw(ui);
	refresh();
}

static void move_sel(struct ui *ui, int delta)
{
	if (ui->detail)
		ui->detail_top += delta;
	else if (ui->view == VIEW_GRAPH || ui->view == VIEW_EVENTS)
		ui->top[ui->view] += delta;
	else
		ui->sel[ui->view] += delta;
	if (ui->detail_top < 0)
		ui->detail_top = 0;
	clamp(ui);
}

static void search_next(struct ui *ui, int from)
{
	int len = (int)ui_view_len(ui);

	if (!ui->search[0] || len == 0)
		return;
	for (int k = 0; k < len; k++) {
		int i = (from + k) % len;
		bool hit = ui->view == VIEW_PROCS ? rows_proc_match(&ui->prows[i], ui->search) :
			   ui->view == VIEW_OBJECTS ? rows_obj_match(&ui->rows[i], ui->search) :
						      false;
		if (hit) {
			ui->sel[ui->view] = i;
			clamp(ui);
			return;
		}
	}
	ui_message(ui, "No match for \"%s\"", ui->search);
}

static void live_search(struct ui *ui)
{
	search_next(ui, ui->sel[ui->view]);
}

static void live_filter(struct ui *ui)
{
	ui_rebuild(ui);
}

static void open_detail(struct ui *ui)
{
	if (ui->view == VIEW_OBJECTS && ui_selected_row(ui)) {
		free(ui->detail_id);
		ui->detail_id = xstrdup(ui_selected_row(ui)->id);
		ui->detail = true;
		ui->detail_top = 0;
	} else if (ui->view == VIEW_PROCS && ui->nprows) {
		ui->pid_filter = ui->prows[ui->sel[VIEW_PROCS]].pid;
		ui->view = VIEW_OBJECTS;
		ui->sel[VIEW_OBJECTS] = 0;
		ui_rebuild(ui);
		ui_message(ui, "Objects of pid %d (Esc shows all)", (int)ui->pid_filter);
	}
}

static void sort_menu(struct ui *ui)
{
	const char *items[(int)COL_COUNT > (int)PCOL_COUNT ? (int)COL_COUNT : (int)PCOL_COUNT];
	size_t n = ui->view == VIEW_PROCS ? PCOL_COUNT : COL_COUNT;
	int c;

	for (size_t i = 0; i < n; i++)
		items[i] = ui->view == VIEW_PROCS ? rows_pcol_name(i) : rows_col_name(i);
	c = ui_menu(ui, "Sort by", items, n, ui->view == VIEW_PROCS ? (int)ui->psort : (int)ui->sort);
	if (c < 0)
		return;
	if (ui->view == VIEW_PROCS)
		ui->psort = c;
	else
		ui->sort = c;
	ui_rebuild(ui);
}

static void sort_step(struct ui *ui, int d)
{
	if (ui->view == VIEW_PROCS)
		ui->psort = (ui->psort + PCOL_COUNT + d) % PCOL_COUNT;
	else
		ui->sort = (ui->sort + COL_COUNT + d) % COL_COUNT;
	ui_rebuild(ui);
	ui_message(ui, "Sorted by %s", ui->view == VIEW_PROCS ? rows_pcol_name(ui->psort) :
							       rows_col_name(ui->sort));
}

static void kinds_menu(struct ui *ui)
{
	char text[9][48];
	const char *items[10];
	int c = 0;

	for (;;) {
		for (int i = 0; i < 9; i++) {
			snprintf(text[i], sizeof(text[i]), "[%c] %d %s",
				 ui->kinds & kind_groups[i] ? 'x' : ' ', i + 1, group_names[i]);
			items[i] = text[i];
		}
		items[9] = "    show all";
		c = ui_menu(ui, "Kinds shown (Enter toggles, Esc closes)", items, 10, c);
		if (c < 0)
			break;
		ui->kinds = c == 9 ? KIND_ALL : ui->kinds ^ kind_groups[c];
		ui_rebuild(ui);
	}
}

static void interval_step(struct ui *ui, int d)
{
	size_t n = sizeof(intervals) / sizeof(intervals[0]), i = 0;

	while (i < n && intervals[i] < ui->delay - 1e-9)
		i++;
	if (d > 0)
		i = i + 1 < n ? i + 1 : n - 1;
	else
		i = i > 0 ? i - 1 : 0;
	ui->delay = intervals[i];
	ui->next_refresh = ui_now() + ui->delay;
	ui_message(ui, "Refresh every %gs", ui->delay);
}

static void mouse(struct ui *ui)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		move_sel(ui, -3);
		return;
	}
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED) {
		move_sel(ui, 3);
		return;
	}
#endif
	if (ui->help || ui->detail)
		return;
	if (ev.y == UI_HEAD_H - 2) {
		/* the tab line: views by position */
		int x = 0;
		for (int v = 0; v < VIEW_COUNT; v++) {
			static const int w[VIEW_COUNT] = { 10, 12, 8, 9 };
			if (ev.x >= x && ev.x < x + w[v]) {
				ui->view = v;
				break;
			}
			x += w[v];
		}
	} else if (ui->view == VIEW_OBJECTS) {
		if (ui_objects_click(ui, ev.y, ev.x) && (ev.bstate & BUTTON1_DOUBLE_CLICKED))
			open_detail(ui);
	} else if (ui->view == VIEW_PROCS) {
		if (ui_procs_click(ui, ev.y, ev.x) && (ev.bstate & BUTTON1_DOUBLE_CLICKED))
			open_detail(ui);
	}
	clamp(ui);
}

static void handle_key(struct ui *ui, int ch)
{
	int h = ui_list_height(ui);

	ui->dirty = true;
	if (ui->help && ch != KEY_RESIZE && ch != KEY_MOUSE) {
		ui->help = false;
		if (ch != 'q' && ch != KEY_F(10))
			return;
	}
	switch (ch) {
	case 'q':
	case 'Q':
	case KEY_F(10):
		ui->quit = true;
		break;
	case 27: /* Esc: back out of one thing */
	case KEY_BACKSPACE:
	case KEY_LEFT:
		if (ui->detail)
			ui->detail = false;
		else if (ch == 27 && (ui->pid_filter || ui->filter[0] || ui->tree_only)) {
			if (ui->tree_only && !ui->pid_filter && !ui->filter[0])
				ui_message(ui, "Showing every process's objects (ipcdemo's too)");
			if (!ui->pid_filter && !ui->filter[0])
				ui->tree_only = false;
			ui->pid_filter = 0;
			ui->filter[0] = '\0';
			ui_rebuild(ui);
		}
		break;
	case '?':
	case 'h':
	case KEY_F(1):
		ui->help = true;
		break;
	case '\t':
		ui->detail = false;
		ui->view = (ui->view + 1) % VIEW_COUNT;
		break;
	case KEY_BTAB:
		ui->detail = false;
		ui->view = (ui->view + VIEW_COUNT - 1) % VIEW_COUNT;
		break;
	case KEY_F(5):
	case 'g':
		ui->detail = false;
		ui->view = ui->view == VIEW_GRAPH ? VIEW_OBJECTS : VIEW_GRAPH;
		break;
	case 'e':
		ui->detail = false;
		ui->view = ui->view == VIEW_EVENTS ? VIEW_OBJECTS : VIEW_EVENTS;
		break;
	case 'o':
		ui->detail = false;
		ui->view = VIEW_OBJECTS;
		break;
	case 'p':
		ui->detail = false;
		ui->view = VIEW_PROCS;
		break;
	case KEY_UP:
		move_sel(ui, -1);
		break;
	case KEY_DOWN:
		move_sel(ui, 1);
		break;
	case KEY_PPAGE:
		move_sel(ui, -h);
		break;
	case KEY_NPAGE:
		move_sel(ui, h);
		break;
	case KEY_HOME:
		move_sel(ui, -1000000);
		break;
	case KEY_END:
		move_sel(ui, 1000000);
		break;
	case '\r':
	case '\n':
	case KEY_ENTER:
	case KEY_RIGHT:
		if (!ui->detail)
			open_detail(ui);
		break;
	case '/':
	case KEY_F(3):
		if (ui->view == VIEW_GRAPH || ui->view == VIEW_EVENTS)
			ui->view = VIEW_OBJECTS;
		ui->detail = false;
		if (ch == KEY_F(3) && ui->search[0]) {
			search_next(ui, ui->sel[ui->view] + 1);
			break;
		}
		ui->search[0] = '\0';
		ui_prompt(ui, "Search: ", ui->search, sizeof(ui->search), live_search);
		break;
	case 'n':
		search_next(ui, ui->sel[ui->view] + 1);
		break;
	case '\\':
	case KEY_F(4):
		ui->detail = false;
		if (!ui_prompt(ui, "Filter: ", ui->filter, sizeof(ui->filter), live_filter)) {
			ui->filter[0] = '\0';
			ui_rebuild(ui);
		}
		break;
	case KEY_F(6):
		sort_menu(ui);
		break;
	case '<':
	case ',':
		sort_step(ui, -1);
		break;
	case '>':
	case '.':
		sort_step(ui, 1);
		break;
	case 'I':
		if (ui->view == VIEW_PROCS)
			ui->pdesc = !ui->pdesc;
		else
			ui->desc = !ui->desc;
		ui_rebuild(ui);
		break;
	case KEY_F(9):
	case 'k':
		ui_action_signal(ui);
		break;
	case 'd':
		ui_action_remove(ui);
		break;
	case 't':
		kinds_menu(ui);
		break;
	case '0':
		ui->kinds = KIND_ALL;
		ui_rebuild(ui);
		break;
	case ' ':
		ui->paused = !ui->paused;
		if (!ui->paused && ui->replay_end)
			ui_message(ui, "End of the recording");
		ui->next_refresh = ui_now() + (ui->paused ? 0 : ui->delay);
		break;
	case '+':
	case '=':
		interval_step(ui, 1);
		break;
	case '-':
	case '_':
		interval_step(ui, -1);
		break;
	case 12: /* Ctrl-L */
		clearok(curscr, TRUE);
		break;
	case KEY_RESIZE:
		getmaxyx(stdscr, ui->lines, ui->cols);
		graph_free(ui->graph);
		ui->graph = NULL;
		break;
	case KEY_MOUSE:
		mouse(ui);
		break;
	default:
		if (ch >= '1' && ch <= '9') {
			unsigned g = kind_groups[ch - '1'];
			ui->kinds ^= g;
			ui_rebuild(ui);
			ui_message(ui, "%s %s", group_names[ch - '1'],
				   ui->kinds & g ? "shown" : "hidden");
		} else {
			ui->dirty = false;
		}
	}
}

/* Whether a row is still highlighted as new. */
static bool recent(const struct ui *ui, double now)
{
	for (size_t i = 0; i < ui->nrows; i++)
		if (ui->rows[i].born > 0 && now - ui->rows[i].born < UI_NEW_SECS + 1)
			return true;
	return false;
}

static void ui_free(struct ui *ui)
{
	free_rows(ui);
	for (size_t i = 0; i < ui->ntombs; i++)
		rows_obj_free(&ui->tombs[i]);
	free(ui->tombs);
	free(ui->sel_id);
	free(ui->detail_id);
	free(ui->pids);
	snapshot_free(ui->snap);
	events_free(&ui->events);
	series_free(ui->series);
	if (ui->replay)
		replay_close(ui->replay);
	scan_cache_free(ui->cache);
	ui->cache = NULL;
}

int ui_run(struct ipc_ctx *ctx, const struct options *opt, pid_t demo)
{
	struct ui ui;
	char err[256] = "";

	memset(&ui, 0, sizeof(ui));
	ui.ctx = ctx;
	ui.opt = opt;
	ui.delay = opt->delay;
	ui.kinds = KIND_ALL;
	ui.color = opt->color;
	ui.sort = COL_KIND;
	ui.tree_root = demo > 0 ? demo : 0;
	ui.tree_only = demo > 0;
	if (opt->replay) {
		ui.replay = replay_open(opt->replay, err, sizeof(err));
		if (!ui.replay) {
			fprintf(stderr, "ipctop: %s\n", err);
			return 2;
		}
	}
	ui.series = series_new();
	ui_screen_init(&ui);
	ui.dirty = true;
	while (!ui.quit && !ui_stop_signal) {
		double now = ui_now(), wait;

		if (!ui.paused && now >= ui.next_refresh) {
			refresh_data(&ui);
			ui.next_refresh = now + ui.delay;
		}
		if (expire(&ui, now))
			ui_rebuild(&ui);
		if (ui.msg[0] && now > ui.msg_until) {
			ui.msg[0] = '\0';
			ui.dirty = true;
		}
		if (ui.dirty) {
			ui_draw(&ui);
			ui.dirty = false;
		}
		wait = ui.paused ? 1.0 : ui.next_refresh - ui_now();
		/* tombstones, highlights and messages age by the second */
		if (wait > 1.0 && (ui.ntombs || ui.msg[0] || recent(&ui, now)))
			wait = 1.0;
		if (ui.ntombs || ui.msg[0] || recent(&ui, now))
			ui.dirty = true;
		timeout(wait > 0 ? (int)ceil(wait * 1000) : 0);
		int ch = getch();
		if (ch != ERR)
			handle_key(&ui, ch);
	}
	ui_screen_end();
	ui_free(&ui);
	return 0;
}
