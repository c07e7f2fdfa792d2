/* The rows of the processes table: each process that holds, waits on or
 * created an IPC object, its counts by kind, what it is blocked on and its
 * signals. */
#include "config.h"

#include "ui/rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "escape.h"
#include "signals.h"
#include "xalloc.h"

/* The row of pid, made on first use; at[] maps a process index to its row. */
static struct rows_proc *proc_row(struct rows_proc *rows, size_t *n, long *at,
				  const struct snapshot *s, pid_t pid)
{
	const struct ipc_process *p = snapshot_process(s, pid);
	size_t pi;

	if (!p)
		return NULL;
	pi = (size_t)(p - s->procs);
	if (at[pi] < 0) {
		memset(&rows[*n], 0, sizeof(rows[*n]));
		rows[*n].pid = pid;
		at[pi] = (long)(*n)++;
	}
	return &rows[at[pi]];
}

static void proc_cells(struct rows_proc *r, const struct snapshot *s)
{
	struct strbuf sb;
	const struct ipc_process *p = snapshot_process(s, r->pid);
	char buf[256];

	r->proc = p;
	sb_init(&sb);
	sb_printf(&sb, "%d", (int)r->pid);
	r->cell[PCOL_PID] = xstrdup(sb_str(&sb));
	sb_reset(&sb);
	if (p && p->comm)
		escape_text(&sb, p->comm, strlen(p->comm));
	r->cell[PCOL_COMM] = xstrdup(sb_str(&sb));
	sb_reset(&sb);
	if (p && p->user)
		escape_text(&sb, p->user, strlen(p->user));
	r->cell[PCOL_USER] = xstrdup(sb_str(&sb));
	sb_reset(&sb);
	for (int k = 0; k < KIND_COUNT; k++)
		if (r->counts[k])
			sb_printf(&sb, "%s%s %u", sb.len ? " " : "", rows_kind_label(k), r->counts[k]);
	r->cell[PCOL_IPC] = xstrdup(sb.len ? sb_str(&sb) : "-");
	sb_reset(&sb);
	if (p && p->blocked_syscall) {
		escape_text(&sb, p->blocked_syscall, strlen(p->blocked_syscall));
		if (p->blocked_object) {
			sb_putc(&sb, ' ');
			escape_text(&sb, p->blocked_object, strlen(p->blocked_object));
		}
	}
	r->cell[PCOL_BLOCKED] = xstrdup(sb.len ? sb_str(&sb) : "-");
	sb_reset(&sb);
	if (p && p->has_signals) {
		if (p->sig_pending)
			sb_printf(&sb, "pend %s", signals_format(p->sig_pending, ",", buf, sizeof(buf)));
		if (p->sig_blocked)
			sb_printf(&sb, "%sblk %s", sb.len ? " " : "",
				  signals_format(p->sig_blocked, ",", buf, sizeof(buf)));
		if (p->sig_caught)
			sb_printf(&sb, "%scaught %d", sb.len ? " " : "",
				  __builtin_popcountll(p->sig_caught));
	}
	r->cell[PCOL_SIGNALS] = xstrdup(sb.len ? sb_str(&sb) : "-");
	sb_free(&sb);
}

bool rows_proc_match(const struct rows_proc *r, const char *needle)
{
	if (!needle || !*needle)
		return true;
	for (int c = 0; c < PCOL_COUNT; c++)
		if (r->cell[c] && strcasestr(r->cell[c], needle))
			return true;
	return false;
}

size_t rows_proc_build(struct rows_proc **out, const struct snapshot *s, unsigned kinds,
		       const pid_t *pids, size_t npids, const char *filter)
{
	struct rows_proc *rows = xcalloc(s->nprocs ? s->nprocs : 1, sizeof(*rows));
	long *at = xcalloc(s->nprocs ? s->nprocs : 1, sizeof(*at));
	size_t n = 0, kept = 0;

	for (size_t i = 0; i < s->nprocs; i++)
		at[i] = -1;
	for (size_t i = 0; i < s->nobjs; i++) {
		const struct ipc_object *o = s->objs[i];
		struct rows_side sd;

		if (!(kinds & KIND_BIT(o->kind)))
			continue;
		rows_holders(&sd, o, true);
		for (size_t j = 0; j < sd.n; j++) {
			if (npids && !rows_pid_in(pids, npids, sd.pid[j]))
				continue;
			struct rows_proc *r = proc_row(rows, &n, at, s, sd.pid[j]);
			if (!r)
				continue;
			r->counts[o->kind]++;
			r->total++;
		}
	}
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].blocked_object &&
		    (!npids || rows_pid_in(pids, npids, s->procs[i].pid)))
			proc_row(rows, &n, at, s, s->procs[i].pid);
	free(at);
	for (size_t i = 0; i < n; i++) {
		proc_cells(&rows[i], s);
		if (!rows_proc_match(&rows[i], filter)) {
			rows_proc_free(&rows[i]);
			continue;
		}
		if (kept != i)
			rows[kept] = rows[i];
		kept++;
	}
	*out = rows;
	return kept;
}

static enum rows_pcol psort_col;
static bool psort_desc;

static int proc_cmp(const void *pa, const void *pb)
{
	const struct rows_proc *a = pa, *b = pb;
	int c;

	switch (psort_col) {
	case PCOL_PID:
		c = (a->pid > b->pid) - (a->pid < b->pid);
		break;
	case PCOL_IPC:
		c = (a->total > b->total) - (a->total < b->total);
		break;
	default:
		c = strcmp(a->cell[psort_col], b->cell[psort_col]);
	}
	if (psort_desc)
		c = -c;
	return c ? c : (a->pid > b->pid) - (a->pid < b->pid);
}

void rows_proc_sort(struct rows_proc *rows, size_t n, enum rows_pcol col, bool desc)
{
	psort_col = col;
	psort_desc = desc;
	if (n > 1)
		qsort(rows, n, sizeof(*rows), proc_cmp);
}

void rows_proc_free(struct rows_proc *r)
{
	for (int c = 0; c < PCOL_COUNT; c++)
		free(r->cell[c]);
	memset(r, 0, sizeof(*r));
}
