#include "config.h"

#include "ui/ui.h"

#include <curses.h>
#include <string.h>

#include "strbuf.h"

static void layout(int cols, int x[PCOL_COUNT], int w[PCOL_COUNT])
{
	int rest;

	w[PCOL_PID] = 7;
	w[PCOL_COMM] = 16;
	w[PCOL_USER] = 9;
	rest = cols - w[PCOL_PID] - w[PCOL_COMM] - w[PCOL_USER] - PCOL_COUNT;
	if (rest < 30)
		rest = 30;
	w[PCOL_IPC] = rest * 2 / 5;
	w[PCOL_BLOCKED] = rest / 4;
	w[PCOL_SIGNALS] = rest - w[PCOL_IPC] - w[PCOL_BLOCKED];
	int at = 0;
	for (int c = 0; c < PCOL_COUNT; c++) {
		x[c] = at;
		at += w[c] + 1;
	}
}

void ui_procs_draw(struct ui *ui)
{
	int x[PCOL_COUNT], w[PCOL_COUNT], h = ui_list_height(ui), y = UI_HEAD_H - 1;
	struct strbuf sb;

	layout(COLS, x, w);
	sb_init(&sb);
	ui_fill(y, 0, ui_attr(ui, CP_TABLE_HEAD));
	for (int c = 0; c < PCOL_COUNT; c++) {
		int a = ui_attr(ui, CP_TABLE_HEAD);
		sb_reset(&sb);
		sb_puts(&sb, rows_pcol_name(c));
		if (c == (int)ui->psort) {
			sb_puts(&sb, ui->ascii ? (ui->pdesc ? "v" : "^") : (ui->pdesc ? "▼" : "▲"));
			a = ui->color ? ui_attr(ui, CP_SELECT) | A_BOLD : (int)A_BOLD;
		}
		ui_put(y, x[c], sb_str(&sb), w[c], a);
	}
	if (!ui->nprows)
		ui_put(UI_HEAD_H + 1, 2, "No process uses IPC that we can see", COLS - 4, A_NORMAL);
	for (int i = 0; i < h; i++) {
		size_t idx = (size_t)(ui->top[VIEW_PROCS] + i);
		const struct rows_proc *r;
		bool sel = (int)idx == ui->sel[VIEW_PROCS];
		if (idx >= ui->nprows)
			break;
		r = &ui->prows[idx];
		if (sel)
			ui_fill(UI_HEAD_H + i, 0, ui_attr(ui, CP_SELECT));
		for (int c = 0; c < PCOL_COUNT; c++) {
			int a = sel ? ui_attr(ui, CP_SELECT) : (int)A_NORMAL;
			if (!sel && c == PCOL_BLOCKED && strcmp(r->cell[c], "-"))
				a = ui_attr(ui, CP_SYSV);
			if (!sel && c == PCOL_SIGNALS && !strncmp(r->cell[c], "pend", 4))
				a = ui_attr(ui, CP_ALERT);
			sb_reset(&sb);
			rows_fit(&sb, r->cell[c], (size_t)w[c], false, ui->ascii);
			ui_put(UI_HEAD_H + i, x[c], sb_str(&sb), w[c], a);
		}
	}
	sb_free(&sb);
}

bool ui_procs_click(struct ui *ui, int y, int xm)
{
	int x[PCOL_COUNT], w[PCOL_COUNT];

	layout(COLS, x, w);
	if (y == UI_HEAD_H - 1) {
		for (int c = 0; c < PCOL_COUNT; c++)
			if (xm >= x[c] && xm < x[c] + w[c] + 1) {
				if ((int)ui->psort == c)
					ui->pdesc = !ui->pdesc;
				ui->psort = c;
				ui_rebuild(ui);
			}
		return false;
	}
	int idx = ui->top[VIEW_PROCS] + y - UI_HEAD_H;
	if (y < UI_HEAD_H || idx < 0 || (size_t)idx >= ui->nprows)
		return false;
	ui->sel[VIEW_PROCS] = idx;
	return true;
}
