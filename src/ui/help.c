#include "config.h"

#include "ui/ui.h"

#include <curses.h>

static const char *const help[] = {
	"ipctop help: every pipe, socket, queue, shared memory segment and semaphore, live",
	"",
	"  F1 ? h        this help (any key closes it)",
	"  Tab Shift-Tab next / previous view: Objects, Processes, Graph, Events",
	"  o p F5/g e    Objects, Processes, Graph (who talks to whom), Events",
	"  Up Down PgUp PgDn Home End   move; the mouse selects rows and sorts by a title",
	"  Enter         Objects: detail of the object; Processes: that process's objects",
	"  Esc Left      back from the detail; clear the filter and the process limit",
	"  F3 /  n       search (jumps to a match), next match",
	"  F4 \\          filter: only rows containing the text (Esc clears)",
	"  F6 < > I      sort: choose the column, previous / next column, invert",
	"  1 ... 9  0 t  show or hide kinds: 1 pipe 2 fifo 3 unix 4 tcp/udp 5 queues",
	"                6 shared memory 7 semaphores 8 mappings/memfd 9 eventfd; 0 all; t menu",
	"  F9 k          send a signal to the processes holding the object (asks first)",
	"  d             remove an orphaned object nobody holds (asks first)",
	"  Space         pause / resume      + -  refresh interval longer / shorter",
	"  F10 q         quit                Ctrl-L  redraw",
	"",
	"Colours: green pipes/FIFOs, magenta unix sockets, blue TCP/UDP, cyan POSIX,",
	"yellow SysV. New objects flash for a few seconds; vanished ones show 'gone'.",
	"Flags: orphan (nobody holds it, creator gone), full, stuck (queued, not moving),",
	"wait (processes blocked on it), !rd !wr (a pipe end closed), del (unlinked), dest.",
	"A '~' rate is an estimate from the processes' I/O counters.",
	"",
	"Press any key to return.",
};

void ui_help_draw(struct ui *ui)
{
	int y0 = UI_HEAD_H - 1, n = (int)(sizeof(help) / sizeof(help[0]));

	for (int y = y0; y < LINES - 1; y++)
		ui_fill(y, 0, A_NORMAL);
	for (int i = 0; i < n && y0 + i < LINES - 1; i++)
		ui_put(y0 + i, 1, help[i], COLS - 2, i == 0 ? ui_attr(ui, CP_TITLE) : (int)A_NORMAL);
}
