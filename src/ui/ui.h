/* The live ncurses screen: state shared by its views, and their entry
 * points. Formatting lives in rows.c and graph.c (no curses); the files
 * here draw it, read keys and act. */
#ifndef IPCTOP_UI_UI_H
#define IPCTOP_UI_UI_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctx.h"
#include "events.h"
#include "model.h"
#include "options.h"
#include "series.h"
#include "ui/graph.h"
#include "ui/rows.h"

#define UI_MIN_W 60
#define UI_MIN_H 12
#define UI_HEAD_H 5   /* three header lines, the tab line, the column titles */
#define UI_NEW_SECS 5 /* a new object stays highlighted this long */
#define UI_GONE_SECS 4 /* a vanished one stays struck out this long */

enum ui_view { VIEW_OBJECTS, VIEW_PROCS, VIEW_GRAPH, VIEW_EVENTS, VIEW_COUNT };

/* colour pairs */
enum ui_color {
	CP_NONE,
	CP_TITLE,
	CP_TABLE_HEAD,
	CP_SELECT,
	CP_KEY,
	CP_KEYTEXT,
	CP_PIPE,
	CP_SOCK,
	CP_INET,
	CP_POSIX,
	CP_SYSV,
	CP_MAP,
	CP_NEW,
	CP_GONE,
	CP_ALERT,
	CP_BAR,
	CP_DIM,
	CP_COUNT
};

struct ui_limits {
	int64_t shmall, shm_pages, shmmni, shm_segs;
	int64_t mq_max, mq_used;
	int64_t semmni, sem_used;
	int64_t msgmni, msg_used;
	long pagesize;
};

struct scan_cache;

struct ui {
	struct ipc_ctx *ctx;
	struct scan_cache *cache; /* fd tables of processes that did not run */
	const struct options *opt;
	struct replay *replay;
	bool replay_end;
	unsigned long nsnap;
	struct snapshot *snap, *prev;
	struct event_log events;
	struct series_store *series;
	struct ui_limits lim;

	double delay, next_refresh;
	bool paused, quit, ascii, color, dirty;
	enum ui_view view;
	bool detail, help;
	unsigned kinds;
	pid_t pid_filter;   /* Enter on a process: its objects only */
	pid_t tree_root;    /* --demo: ipcdemo, whose process tree is shown */
	bool tree_only;     /* show only tree_root's descendants' objects */
	pid_t *pids;        /* the pids shown (sorted), from the two above */
	size_t npids;
	char search[128], filter[128];
	enum rows_col sort;
	enum rows_pcol psort;
	bool desc, pdesc;

	struct rows_obj *rows;
	size_t nrows;
	struct rows_obj *tombs; /* vanished rows, kept a few seconds */
	size_t ntombs;
	struct rows_proc *prows; /* made only while the processes table shows */
	size_t nprows;
	bool prows_built;
	struct graph *graph;
	int graph_w;

	int sel[VIEW_COUNT], top[VIEW_COUNT];
	char *sel_id;       /* keeps the selection on its object across refreshes */
	pid_t sel_pid;
	int detail_top;
	char *detail_id;

	char msg[256];
	double msg_until;
	int cols, lines;
};

/* screen.c */
void ui_screen_init(struct ui *ui);
void ui_screen_end(void);
/* Run after the terminal is restored when ipctop dies (out of memory). */
void ui_set_exit_hook(void (*hook)(void));
int ui_attr(const struct ui *ui, enum ui_color c);
enum ui_color ui_kind_color(enum obj_kind k);
/* Escaped UTF-8 text at (y, x), at most cols columns; returns columns used. */
int ui_put(int y, int x, const char *s, int cols, int attr);
/* Fills the rest of line y from x with blanks in attr. */
void ui_fill(int y, int x, int attr);
bool ui_too_small(struct ui *ui);
extern volatile sig_atomic_t ui_stop_signal;
double ui_now(void);
void ui_message(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* app.c */
/* The screen until q or a signal; demo > 0 limits it to that process tree
 * at first (Esc shows everything). Returns the exit status. */
int ui_run(struct ipc_ctx *ctx, const struct options *opt, pid_t demo);
void ui_rebuild(struct ui *ui);
void ui_draw(struct ui *ui);
int ui_list_height(const struct ui *ui);
size_t ui_view_len(const struct ui *ui);
const struct rows_obj *ui_selected_row(const struct ui *ui);

/* header.c */
void ui_limits_read(struct ui *ui);
void ui_header_draw(struct ui *ui);
void ui_footer_draw(struct ui *ui);

/* views */
void ui_objects_draw(struct ui *ui);
bool ui_objects_click(struct ui *ui, int y, int x);
void ui_procs_draw(struct ui *ui);
bool ui_procs_click(struct ui *ui, int y, int x);
void ui_graph_draw(struct ui *ui);
void ui_events_draw(struct ui *ui);
/* The events shown (those of the processes shown). */
size_t ui_events_len(const struct ui *ui);
void ui_detail_draw(struct ui *ui);
/* The detail page of object id as lines of escaped text (for tests too). */
size_t ui_detail_lines(const struct ui *ui, const char *id, char ***lines);
void ui_help_draw(struct ui *ui);

/* prompt.c */
/* Reads a line at the bottom; live is called after each edit. Returns
 * false when cancelled (Esc). */
bool ui_prompt(struct ui *ui, const char *label, char *buf, size_t size,
	       void (*live)(struct ui *ui));
/* A centred box with lines and a question; true for y. */
bool ui_confirm(struct ui *ui, const char *title, char **lines, size_t n, const char *question);
/* A menu of n items; returns the index chosen, or -1. */
int ui_menu(struct ui *ui, const char *title, const char *const *items, size_t n, int cur);

/* actions.c */
void ui_action_signal(struct ui *ui);
void ui_action_remove(struct ui *ui);

#endif
