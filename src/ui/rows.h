/* Rows of the screen's tables, formatted into plain (escaped) text without
 * curses, like htop's RichString: what a cell says can be unit-tested. */
#ifndef IPCTOP_UI_ROWS_H
#define IPCTOP_UI_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "model.h"
#include "strbuf.h"

enum rows_col { COL_KIND, COL_OBJECT, COL_ENDPOINTS, COL_QUEUE, COL_RATE, COL_FLAGS, COL_COUNT };

/* One row of the objects table. A connected socket pair folds into one row
 * (obj and peer). A row whose object is gone keeps its text (a tombstone). */
struct rows_obj {
	const char *id; /* obj's while it lives (rows go before their
			 * snapshot); a tombstone's own copy */
	bool own_id;
	enum obj_kind kind;
	const struct ipc_object *obj, *peer; /* NULL for a tombstone */
	/* escaped, ready to show: read through rows_obj_cell(), which makes
	 * the costly ones (object, endpoints) on first use, from snap */
	char *cell[COL_COUNT];
	const struct snapshot *snap;         /* obj's, while it lives */
	bool ascii;
	double fill;                         /* queue fill 0..1, or -1 */
	double queue_key, rate_key;          /* sort keys */
	unsigned flags;                      /* obj->flags | peer->flags */
	double born, gone;                   /* when first seen / vanished (0: alive) */
};

enum rows_pcol { PCOL_PID, PCOL_COMM, PCOL_USER, PCOL_IPC, PCOL_BLOCKED, PCOL_SIGNALS, PCOL_COUNT };

struct rows_proc {
	pid_t pid;
	const struct ipc_process *proc;
	unsigned counts[KIND_COUNT];
	unsigned total;
	char *cell[PCOL_COUNT];
};

const char *rows_col_name(enum rows_col c);
const char *rows_pcol_name(enum rows_pcol c);
/* Short kind label for tables and graph edges: "pipe", "mq", "shm", "msq". */
const char *rows_kind_label(enum obj_kind k);

/* The row of one object (and its folded socket peer, may be NULL): its
 * sort keys and cheap cells; the object and endpoints cells wait for
 * rows_obj_cell(), so that a refresh formats only the rows it shows (or
 * sorts or searches by their text). Rows live no longer than s. */
void rows_obj_format(struct rows_obj *r, const struct snapshot *s, const struct ipc_object *o,
		     const struct ipc_object *peer, bool ascii);
void rows_obj_free(struct rows_obj *r);
/* Cell c's text, made now if not yet (a tombstone has them all). */
const char *rows_obj_cell(const struct rows_obj *r, enum rows_col c);
/* Deep copy, keeping the text but not the object pointers: a tombstone. */
void rows_obj_tombstone(struct rows_obj *dst, const struct rows_obj *src, double now);

/* Rows of the objects of s whose kind is in kinds, touching one of pids
 * (sorted; npids 0: any), whose text contains filter (case-insensitive;
 * NULL or "": all). Socket pairs fold into one row. Returns the count;
 * *out is malloc'd. */
size_t rows_obj_build(struct rows_obj **out, const struct snapshot *s, unsigned kinds,
		      const pid_t *pids, size_t npids, const char *filter, bool ascii);
void rows_obj_sort(struct rows_obj *rows, size_t n, enum rows_col col, bool desc);
/* Whether the row's text contains needle, case-insensitive. */
bool rows_obj_match(const struct rows_obj *r, const char *needle);

/* Distinct pids of o's holders (fd, map; any_via: every endpoint)
 * with the union of their modes (1 read, 2 write), up to 64. */
struct rows_side {
	pid_t pid[64];
	unsigned mode[64];
	size_t n;
};
void rows_holders(struct rows_side *sd, const struct ipc_object *o, bool any_via);

/* Processes that hold, wait on or created an IPC object of kinds (only
 * those in pids, sorted, unless npids is 0). */
size_t rows_proc_build(struct rows_proc **out, const struct snapshot *s, unsigned kinds,
		       const pid_t *pids, size_t npids, const char *filter);
/* Whether pid is in the sorted array pids. */
bool rows_pid_in(const pid_t *pids, size_t npids, pid_t pid);
void rows_proc_sort(struct rows_proc *rows, size_t n, enum rows_pcol col, bool desc);
bool rows_proc_match(const struct rows_proc *r, const char *needle);
void rows_proc_free(struct rows_proc *r);

/* Escaped text cut to cols display columns, padded with spaces to cols when
 * pad: a cut string ends in '>' (or "…" in Unicode). Appends to out. */
void rows_fit(struct strbuf *out, const char *s, size_t cols, bool pad, bool ascii);
/* Escaped text cut in the middle to cols columns: "/tmp/ip…/stream.sock". */
void rows_fit_middle(struct strbuf *out, const char *s, size_t cols, bool ascii);
/* A fill bar of width cells: Unicode blocks or '#'/'.'. */
void rows_bar(struct strbuf *out, double fill, size_t width, bool ascii);
/* Escaped text; in ASCII mode every non-ASCII byte also becomes \xNN. */
void rows_escape(struct strbuf *out, const char *s, bool ascii);
/* A byte count: 512, 12K, 3M. */
void rows_human(struct strbuf *out, int64_t v);

#endif
