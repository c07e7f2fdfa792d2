#include "config.h"

#include "ui/ui.h"

#include <curses.h>
#include <string.h>

#include "escape.h"
#include "strbuf.h"

#define BAR_W 5

/* Column positions for a screen cols wide: fixed kind, queue, rate, flags;
 * the object and its processes share the rest. */
static void layout(int cols, int x[COL_COUNT], int w[COL_COUNT])
{
	int rest;

	w[COL_KIND] = 7;
	w[COL_QUEUE] = 9 + 1 + BAR_W;
	w[COL_RATE] = 7;
	w[COL_FLAGS] = 8;
	rest = cols - (w[COL_KIND] + w[COL_QUEUE] + w[COL_RATE] + w[COL_FLAGS]) - COL_COUNT;
	if (rest < 20)
		rest = 20;
	/* "1234 pipe-writer → 1240 pipe-reader" fits at 100 columns */
	w[COL_ENDPOINTS] = rest * 2 / 3;
	w[COL_OBJECT] = rest - w[COL_ENDPOINTS];
	static const enum rows_col order[COL_COUNT] = { COL_KIND, COL_OBJECT, COL_ENDPOINTS,
							COL_QUEUE, COL_RATE, COL_FLAGS };
	int at = 0;
	for (int i = 0; i < COL_COUNT; i++) {
		x[order[i]] = at;
		at += w[order[i]] + 1;
	}
	/* the last column takes what is left */
	w[COL_FLAGS] = cols - x[COL_FLAGS];
}

static void titles(struct ui *ui, const int x[COL_COUNT], const int w[COL_COUNT])
{
	int y = UI_HEAD_H - 1;

	ui_fill(y, 0, ui_attr(ui, CP_TABLE_HEAD));
	for (int c = 0; c < COL_COUNT; c++) {
		struct strbuf sb;
		int a = ui_attr(ui, CP_TABLE_HEAD);

		sb_init(&sb);
		sb_puts(&sb, rows_col_name(c));
		if (c == (int)ui->sort) {
			sb_puts(&sb, ui->ascii ? (ui->desc ? "v" : "^") : (ui->desc ? "▼" : "▲"));
			a = ui->color ? ui_attr(ui, CP_SELECT) | A_BOLD : (int)A_BOLD;
		}
		ui_put(y, x[c], sb_str(&sb), w[c], a);
		sb_free(&sb);
	}
}

static int flag_attr(const struct ui *ui, unsigned flags)
{
	if (flags & (FLAG_ORPHAN | FLAG_FULL | FLAG_STUCK | FLAG_DELETED | FLAG_DEST))
		return ui_attr(ui, CP_ALERT);
	if (flags & (FLAG_WAITERS | FLAG_NO_READER | FLAG_NO_WRITER))
		return ui_attr(ui, CP_SYSV);
	return A_NORMAL;
}

static void row(struct ui *ui, int y, const struct rows_obj *r, bool selected, double now,
		const int x[COL_COUNT], const int w[COL_COUNT])
{
	struct strbuf sb;
	bool gone = r->obj == NULL, fresh = r->born > 0 && now - r->born < UI_NEW_SECS;
	int base = selected ? ui_attr(ui, CP_SELECT) :
		   gone     ? ui_attr(ui, CP_GONE) :
		   fresh    ? ui_attr(ui, CP_NEW) :
			      (int)A_NORMAL;
	bool plain = selected || gone || fresh;

	sb_init(&sb);
	if (plain)
		ui_fill(y, 0, base);
	for (int c = 0; c < COL_COUNT; c++) {
		int a = base;
		int cw = c == COL_QUEUE ? w[c] - BAR_W - 1 : w[c];

		if (!plain && c == COL_KIND)
			a = ui_attr(ui, ui_kind_color(r->kind));
		if (!plain && c == COL_FLAGS)
			a = flag_attr(ui, r->flags);
		sb_reset(&sb);
		if (gone && c == COL_FLAGS)
			sb_puts(&sb, "gone");
		else
			sb_puts(&sb, rows_obj_cell(r, (enum rows_col)c));
		if (c == COL_QUEUE || c == COL_RATE) {
			/* numbers right-aligned */
			struct strbuf cut;
			sb_init(&cut);
			rows_fit(&cut, sb_str(&sb), (size_t)cw, false, ui->ascii);
			const char *cs = sb_str(&cut);
			int used = (int)text_width(cs, strlen(cs)); /* columns, not bytes */
			ui_put(y, x[c] + (cw > used ? cw - used : 0), sb_str(&cut), cw, a);
			sb_free(&cut);
		} else {
			struct strbuf cut;
			sb_init(&cut);
			if (c == COL_OBJECT)
				rows_fit_middle(&cut, sb_str(&sb), (size_t)cw, ui->ascii);
			else
				rows_fit(&cut, sb_str(&sb), (size_t)cw, false, ui->ascii);
			ui_put(y, x[c], sb_str(&cut), cw, a);
			sb_free(&cut);
		}
		if (c == COL_QUEUE && r->fill >= 0) {
			sb_reset(&sb);
			rows_bar(&sb, r->fill, BAR_W, ui->ascii);
			int ba = plain ? base : ui_attr(ui, r->fill > 0.9 ? CP_ALERT : CP_BAR);
			ui_put(y, x[c] + cw + 1, sb_str(&sb), BAR_W, ba);
		}
	}
	sb_free(&sb);
}

void ui_objects_draw(struct ui *ui)
{
	int x[COL_COUNT], w[COL_COUNT], h = ui_list_height(ui);
	double now = ui_now();

	layout(COLS, x, w);
	titles(ui, x, w);
	if (!ui->nrows) {
		ui_put(UI_HEAD_H + 1, 2,
		       ui->snap ? (ui->filter[0] || ui->pid_filter || ui->kinds != KIND_ALL ?
				   "No object matches (Esc clears the filter, 0 shows all kinds)" :
				   "No IPC objects") :
			   "Reading...",
		       COLS - 4, A_NORMAL);
		return;
	}
	for (int i = 0; i < h; i++) {
		size_t idx = (size_t)(ui->top[VIEW_OBJECTS] + i);
		if (idx >= ui->nrows)
			break;
		row(ui, UI_HEAD_H + i, &ui->rows[idx], (int)idx == ui->sel[VIEW_OBJECTS], now, x, w);
	}
}

bool ui_objects_click(struct ui *ui, int y, int xm)
{
	int x[COL_COUNT], w[COL_COUNT];

	layout(COLS, x, w);
	if (y == UI_HEAD_H - 1) {
		for (int c = 0; c < COL_COUNT; c++)
			if (xm >= x[c] && xm < x[c] + w[c] + 1) {
				if ((int)ui->sort == c)
					ui->desc = !ui->desc;
				ui->sort = c;
				ui_rebuild(ui);
			}
		return false;
	}
	if (y < UI_HEAD_H || y >= UI_HEAD_H + ui_list_height(ui))
		return false;
	int idx = ui->top[VIEW_OBJECTS] + y - UI_HEAD_H;
	if (idx < 0 || (size_t)idx >= ui->nrows)
		return false;
	ui->sel[VIEW_OBJECTS] = idx;
	return true;
}
