#include "config.h"

#include "ui/ui.h"

#include <curses.h>
#include <stdio.h>

static int cell_attr(const struct ui *ui, enum graph_attr a, int kind)
{
	switch (a) {
	case GA_PID:
		return A_BOLD;
	case GA_COMM:
		return ui_attr(ui, CP_TITLE);
	case GA_EDGE:
		return kind >= 0 ? ui_attr(ui, ui_kind_color(kind)) : (int)A_NORMAL;
	case GA_LABEL:
		return (kind >= 0 ? ui_attr(ui, ui_kind_color(kind)) : (int)A_NORMAL) | A_BOLD;
	case GA_NOTE:
		return kind >= 0 ? ui_attr(ui, ui_kind_color(kind)) : (int)A_NORMAL;
	default:
		return A_NORMAL;
	}
}

void ui_graph_draw(struct ui *ui)
{
	int h = ui_list_height(ui), y0 = UI_HEAD_H;
	char caption[160];

	if (!ui->graph || ui->graph_w != COLS) {
		graph_free(ui->graph);
		ui->graph = ui->snap ? graph_layout(ui->snap, ui->rows, ui->nrows, COLS, ui->ascii) :
				       NULL;
		ui->graph_w = COLS;
	}
	snprintf(caption, sizeof(caption),
		 "Who talks to whom: %zu processes, %zu connections (arrows scroll, \\ filters)",
		 ui->graph ? ui->graph->nodes : 0, ui->graph ? ui->graph->edges : 0);
	ui_fill(y0 - 1, 0, ui_attr(ui, CP_TABLE_HEAD));
	ui_put(y0 - 1, 0, caption, COLS, ui_attr(ui, CP_TABLE_HEAD));
	if (!ui->graph || !ui->graph->edges) {
		ui_put(y0 + 1, 2, "No two processes share an IPC object here", COLS - 4, A_NORMAL);
		return;
	}
	int top = ui->top[VIEW_GRAPH];
	if (top > ui->graph->h - h)
		top = ui->graph->h - h;
	if (top < 0)
		top = 0;
	ui->top[VIEW_GRAPH] = top;
	for (int i = 0; i < h && top + i < ui->graph->h; i++) {
		const struct graph *g = ui->graph;
		size_t base = (size_t)(top + i) * (size_t)g->w;
		for (int x = 0; x < g->w && x < COLS; x++) {
			uint32_t c = g->ch[base + (size_t)x];
			char u[5];
			if (c == ' ')
				continue;
			if (c < 0x80) {
				u[0] = (char)c;
				u[1] = '\0';
			} else if (c < 0x800) {
				u[0] = (char)(0xc0 | (c >> 6));
				u[1] = (char)(0x80 | (c & 0x3f));
				u[2] = '\0';
			} else {
				u[0] = (char)(0xe0 | (c >> 12));
				u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
				u[2] = (char)(0x80 | (c & 0x3f));
				u[3] = '\0';
			}
			attrset(cell_attr(ui, g->attr[base + (size_t)x], g->kind[base + (size_t)x]));
			mvaddstr(y0 + i, x, u);
		}
	}
	attrset(A_NORMAL);
}
