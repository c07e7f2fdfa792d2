#include "config.h"

#include "ui/ui.h"

#include <curses.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "xalloc.h"

volatile sig_atomic_t ui_stop_signal;
static bool active;
static void (*exit_hook)(void);

void ui_set_exit_hook(void (*hook)(void))
{
	exit_hook = hook;
}

/* Out of memory: the terminal first, then whatever the program must undo. */
static void die(void)
{
	ui_screen_end();
	if (exit_hook)
		exit_hook();
}

double ui_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Ends curses whatever the exit path: quit, signal, fatal error, OOM. */
void ui_screen_end(void)
{
	if (!active)
		return;
	active = false;
	mousemask(0, NULL);
	curs_set(1);
	endwin();
	fflush(stdout);
}

static void on_signal(int sig)
{
	ui_stop_signal = sig;
}

static bool unicode_ok(void)
{
	const char *cs = nl_langinfo(CODESET);
	const char *term = getenv("TERM");

	if (!cs || strcmp(cs, "UTF-8"))
		return false;
	/* the Linux console and plain vt100s draw no box characters */
	return !term || (strcmp(term, "linux") && strncmp(term, "vt1", 3) && strcmp(term, "dumb"));
}

void ui_screen_init(struct ui *ui)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	ui->ascii = !unicode_ok();
	initscr();
	active = true;
	atexit(ui_screen_end);
	xalloc_set_die_hook(die);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
			  | BUTTON5_PRESSED
#endif
		  ,
		  NULL);
	mouseinterval(0);
	ui->color = ui->color && has_colors();
	if (ui->color) {
		start_color();
		use_default_colors();
		init_pair(CP_TITLE, COLOR_CYAN, -1);
		init_pair(CP_TABLE_HEAD, COLOR_BLACK, COLOR_GREEN);
		init_pair(CP_SELECT, COLOR_BLACK, COLOR_CYAN);
		init_pair(CP_KEY, COLOR_WHITE, -1);
		init_pair(CP_KEYTEXT, COLOR_BLACK, COLOR_CYAN);
		init_pair(CP_PIPE, COLOR_GREEN, -1);
		init_pair(CP_SOCK, COLOR_MAGENTA, -1);
		init_pair(CP_INET, COLOR_BLUE, -1);
		init_pair(CP_POSIX, COLOR_CYAN, -1);
		init_pair(CP_SYSV, COLOR_YELLOW, -1);
		init_pair(CP_MAP, COLOR_WHITE, -1);
		init_pair(CP_NEW, COLOR_BLACK, COLOR_GREEN);
		init_pair(CP_GONE, COLOR_RED, -1);
		init_pair(CP_ALERT, COLOR_RED, -1);
		init_pair(CP_BAR, COLOR_GREEN, -1);
		init_pair(CP_DIM, COLOR_BLUE, -1);
	}
	getmaxyx(stdscr, ui->lines, ui->cols);
}

int ui_attr(const struct ui *ui, enum ui_color c)
{
	/* without colour, keep what tells rows apart */
	if (!ui->color) {
		switch (c) {
		case CP_TABLE_HEAD:
		case CP_SELECT:
		case CP_KEYTEXT:
		case CP_NEW:
			return A_REVERSE;
		case CP_TITLE:
		case CP_ALERT:
			return A_BOLD;
		case CP_GONE:
			return A_DIM;
		default:
			return A_NORMAL;
		}
	}
	switch (c) {
	case CP_NONE:
		return A_NORMAL;
	case CP_TITLE:
	case CP_ALERT:
	case CP_KEY:
		return COLOR_PAIR(c) | A_BOLD;
	case CP_GONE:
	case CP_DIM:
		return COLOR_PAIR(c) | A_DIM;
	default:
		return COLOR_PAIR(c);
	}
}

enum ui_color ui_kind_color(enum obj_kind k)
{
	switch (k) {
	case KIND_PIPE:
	case KIND_FIFO:
	case KIND_EVENTFD:
		return CP_PIPE;
	case KIND_UNIX:
		return CP_SOCK;
	case KIND_TCP:
	case KIND_UDP:
		return CP_INET;
	case KIND_POSIX_SHM:
	case KIND_POSIX_SEM:
	case KIND_POSIX_MQ:
		return CP_POSIX;
	case KIND_SYSV_SHM:
	case KIND_SYSV_MSG:
	case KIND_SYSV_SEM:
		return CP_SYSV;
	default:
		return CP_MAP;
	}
}

int ui_put(int y, int x, const char *s, int cols, int attr)
{
	size_t len = strlen(s), i = 0;
	int used = 0;

	if (cols <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + cols > COLS)
		cols = COLS - x;
	/* cut at a character boundary within cols columns */
	while (i < len) {
		unsigned cp;
		size_t n = utf8_seq_len((const unsigned char *)s + i, len - i, &cp);
		int w = n ? (int)text_width(s + i, n) : 1;
		if (used + w > cols)
			break;
		used += w;
		i += n ? n : 1;
	}
	attrset(attr);
	mvaddnstr(y, x, s, (int)i);
	attrset(A_NORMAL);
	return used;
}

void ui_fill(int y, int x, int attr)
{
	if (y < 0 || y >= LINES || x >= COLS)
		return;
	attrset(attr);
	mvhline(y, x, ' ', COLS - x);
	attrset(A_NORMAL);
}

bool ui_too_small(struct ui *ui)
{
	char line[2][64];
	int len[2];

	if (COLS >= UI_MIN_W && LINES >= UI_MIN_H)
		return false;
	(void)ui;
	erase();
	len[0] = snprintf(line[0], sizeof(line[0]), "Terminal too small (%dx%d),", COLS, LINES);
	len[1] = snprintf(line[1], sizeof(line[1]), "need at least %dx%d", UI_MIN_W, UI_MIN_H);
	for (int i = 0; i < 2; i++) {
		int n = len[i] < COLS ? len[i] : COLS;
		mvaddnstr(LINES / 2 - 1 + i, (COLS - n) / 2, line[i], n);
	}
	return true;
}

void ui_message(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof(ui->msg), fmt, ap);
	va_end(ap);
	ui->msg_until = ui_now() + 4;
	ui->dirty = true;
}
