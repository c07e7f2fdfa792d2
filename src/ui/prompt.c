#include "config.h"

#include "ui/ui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "strbuf.h"

static void draw_line(struct ui *ui, const char *label, const char *buf)
{
	struct strbuf sb;
	int y = LINES - 1, x;

	sb_init(&sb);
	escape_text(&sb, buf, strlen(buf));
	ui_fill(y, 0, A_NORMAL);
	x = ui_put(y, 0, label, COLS, ui_attr(ui, CP_KEY));
	x += ui_put(y, x, sb_str(&sb), COLS - x - 1, A_NORMAL);
	ui_put(y, x, " ", 1, A_REVERSE); /* the cursor */
	refresh();
	sb_free(&sb);
}

bool ui_prompt(struct ui *ui, const char *label, char *buf, size_t size,
	       void (*live)(struct ui *ui))
{
	char saved[256];

	snprintf(saved, sizeof(saved), "%s", buf);
	timeout(-1);
	for (;;) {
		size_t len = strlen(buf);
		int ch;

		ui_draw(ui);
		draw_line(ui, label, buf);
		ch = getch();
		if (ch == 27 || ch == KEY_F(10) || ui_stop_signal) {
			snprintf(buf, size, "%s", saved);
			if (live)
				live(ui);
			return false;
		}
		if (ch == '\r' || ch == '\n' || ch == KEY_ENTER)
			return true;
		if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
			/* a whole UTF-8 character */
			while (len > 0 && ((unsigned char)buf[len - 1] & 0xc0) == 0x80)
				len--;
			if (len > 0)
				len--;
			buf[len] = '\0';
		} else if (ch == 21) { /* Ctrl-U */
			buf[0] = '\0';
		} else if (ch == KEY_RESIZE) {
			getmaxyx(stdscr, ui->lines, ui->cols);
			continue;
		} else if (ch >= 0x20 && ch <= 0xff && ch != 0x7f && len + 1 < size) {
			buf[len] = (char)ch;
			buf[len + 1] = '\0';
		} else {
			continue;
		}
		if (live)
			live(ui);
	}
}

/* A box in the middle of the screen; returns its top row. */
static int frame(struct ui *ui, int w, int h, const char *title)
{
	int y0 = (LINES - h) / 2, x0 = (COLS - w) / 2;

	for (int y = 0; y < h; y++)
		mvhline(y0 + y, x0, ' ', w);
	/* the same glyphs as the graph: Unicode, or ASCII when the locale is not UTF-8 */
	const char *hz = ui->ascii ? "-" : "─", *vt = ui->ascii ? "|" : "│";
	int a = ui_attr(ui, CP_TITLE);

	for (int x = 1; x < w - 1; x++) {
		ui_put(y0, x0 + x, hz, 1, a);
		ui_put(y0 + h - 1, x0 + x, hz, 1, a);
	}
	for (int y = 1; y < h - 1; y++) {
		ui_put(y0 + y, x0, vt, 1, a);
		ui_put(y0 + y, x0 + w - 1, vt, 1, a);
	}
	ui_put(y0, x0, ui->ascii ? "+" : "┌", 1, a);
	ui_put(y0, x0 + w - 1, ui->ascii ? "+" : "┐", 1, a);
	ui_put(y0 + h - 1, x0, ui->ascii ? "+" : "└", 1, a);
	ui_put(y0 + h - 1, x0 + w - 1, ui->ascii ? "+" : "┘", 1, a);
	attrset(A_NORMAL);
	ui_put(y0, x0 + 2, title, w - 4, ui_attr(ui, CP_TITLE));
	return y0;
}

bool ui_confirm(struct ui *ui, const char *title, char **lines, size_t n, const char *question)
{
	int maxh = LINES - 4, w = COLS - 4 < 76 ? COLS - 4 : 76;
	int shown = (int)n > maxh - 4 ? maxh - 5 : (int)n;
	int h = shown + 4 + ((int)n > shown), y0, ch;

	ui_draw(ui);
	y0 = frame(ui, w, h, title);
	for (int i = 0; i < shown; i++)
		ui_put(y0 + 1 + i, (COLS - w) / 2 + 2, lines[i], w - 4, A_NORMAL);
	if ((int)n > shown) {
		char more[48];
		snprintf(more, sizeof(more), "... and %d more", (int)n - shown);
		ui_put(y0 + 1 + shown, (COLS - w) / 2 + 2, more, w - 4, A_NORMAL);
	}
	ui_put(y0 + h - 2, (COLS - w) / 2 + 2, question, w - 4, A_BOLD);
	refresh();
	timeout(-1);
	do
		ch = getch();
	while (ch == KEY_RESIZE || ch == KEY_MOUSE);
	ui->dirty = true;
	return ch == 'y' || ch == 'Y';
}

int ui_menu(struct ui *ui, const char *title, const char *const *items, size_t n, int cur)
{
	int w = 20, h = (int)n + 2;

	for (size_t i = 0; i < n; i++)
		if ((int)strlen(items[i]) + 6 > w)
			w = (int)strlen(items[i]) + 6;
	if ((int)strlen(title) + 6 > w)
		w = (int)strlen(title) + 6;
	if (w > COLS - 2)
		w = COLS - 2;
	if (h > LINES - 2)
		return -1;
	timeout(-1);
	for (;;) {
		int y0, ch;

		ui_draw(ui);
		y0 = frame(ui, w, h, title);
		for (size_t i = 0; i < n; i++)
			ui_put(y0 + 1 + (int)i, (COLS - w) / 2 + 2, items[i], w - 4,
			       (int)i == cur ? ui_attr(ui, CP_SELECT) : (int)A_NORMAL);
		refresh();
		ch = getch();
		ui->dirty = true;
		if (ch == KEY_UP && cur > 0)
			cur--;
		else if (ch == KEY_DOWN && cur + 1 < (int)n)
			cur++;
		else if (ch == '\r' || ch == '\n' || ch == KEY_ENTER)
			return cur;
		else if (ch == 27 || ch == 'q' || ch == KEY_F(10) || ui_stop_signal)
			return -1;
	}
}
