#include "config.h"

#include "ui/ui.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "escape.h"
#include "scan.h"
#include "signals.h"
#include "strbuf.h"
#include "xalloc.h"

static const int sig_choice[] = { SIGTERM, SIGINT, SIGHUP, SIGKILL, SIGSTOP, SIGCONT, SIGUSR1,
				  SIGUSR2 };
#define NSIG_CHOICE (sizeof(sig_choice) / sizeof(sig_choice[0]))

/* "1234 comm (user)" lines for the holders of the selected row. */
static size_t holders(const struct ui *ui, const struct rows_obj *r, pid_t *pids, size_t max)
{
	size_t n = 0;

	for (int side = 0; side < 2; side++) {
		const struct ipc_object *o = side ? r->peer : r->obj;
		for (size_t i = 0; o && i < o->neps; i++) {
			const struct ipc_endpoint *e = &o->eps[i];
			size_t k;
			if (e->via != VIA_FD && e->via != VIA_MAP && e->via != VIA_WAITER)
				continue;
			if (e->pid == ui->ctx->self)
				continue;
			for (k = 0; k < n && pids[k] != e->pid; k++)
				;
			if (k == n && n < max)
				pids[n++] = e->pid;
		}
	}
	return n;
}

static char *describe(const struct ui *ui, pid_t pid)
{
	const struct ipc_process *p = snapshot_process(ui->snap, pid);
	struct strbuf sb;
	char *s;

	sb_init(&sb);
	sb_printf(&sb, "%-7d ", (int)pid);
	if (p && p->comm)
		escape_text(&sb, p->comm, strlen(p->comm));
	if (p && p->user) {
		sb_puts(&sb, " (");
		escape_text(&sb, p->user, strlen(p->user));
		sb_putc(&sb, ')');
	}
	s = xstrdup(sb_str(&sb));
	sb_free(&sb);
	return s;
}

/* Whether pid runs as another user (its /proc directory's owner). */
static bool not_mine(const struct ui *ui, pid_t pid)
{
	char path[32];
	struct stat st;

	if (geteuid() == 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return ctx_stat(ui->ctx, path, &st, false) < 0 || st.st_uid != geteuid();
}

/* Start time (clock ticks after boot) of pid, from /proc/PID/stat; NONE. */
static int64_t start_time(const struct ui *ui, pid_t pid)
{
	char path[32], buf[1024], *p;
	long long v;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (ctx_read_buf(ui->ctx, path, buf, sizeof(buf)) <= 0 || !(p = strrchr(buf, ')')))
		return NONE;
	/* after the comm: the blank before field 3 (state), ... field 22 */
	for (int f = 3; f <= 22 && p; f++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p, " %lld", &v) != 1)
		return NONE;
	return v;
}

/* Signals the process the snapshot showed, never one that took its pid
 * since: the pid is pinned with a pidfd, then its start time checked. */
static int send_signal(const struct ui *ui, pid_t pid, int sig)
{
	const struct ipc_process *p = snapshot_process(ui->snap, pid);
	int64_t began = p ? p->start_time : NONE;
	int pfd = -1, rc;

#ifdef SYS_pidfd_open
	pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd < 0 && errno != ENOSYS)
		return -1;
#endif
	if (HAS(began) && start_time(ui, pid) != began) {
		if (pfd >= 0)
			close(pfd);
		errno = ESRCH;
		return -1;
	}
#ifdef SYS_pidfd_send_signal
	if (pfd >= 0) {
		rc = (int)syscall(SYS_pidfd_send_signal, pfd, sig, NULL, 0);
		close(pfd);
		return rc;
	}
#endif
	if (pfd >= 0)
		close(pfd);
	rc = kill(pid, sig);
	return rc;
}

static bool live_only(struct ui *ui, const char *what)
{
	if (ui->replay || !ui->ctx->live) {
		ui_message(ui, "Cannot %s: this is a %s, not the live system", what,
			   ui->replay ? "recording" : "fixture tree");
		return false;
	}
	return true;
}

void ui_action_signal(struct ui *ui)
{
	pid_t pids[256];
	size_t n = 0;
	char *lines[257];
	const char *items[NSIG_CHOICE];
	char names[NSIG_CHOICE][16], title[64], q[80];
	int c;

	if (!live_only(ui, "send signals"))
		return;
	if (ui->view == VIEW_PROCS && ui->nprows) {
		pids[n++] = ui->prows[ui->sel[VIEW_PROCS]].pid;
	} else if (ui->view == VIEW_OBJECTS && ui_selected_row(ui) && ui_selected_row(ui)->obj) {
		n = holders(ui, ui_selected_row(ui), pids, 256);
	}
	if (!n) {
		ui_message(ui, "No process to signal: select an object (or a process) first");
		return;
	}
	/* only one's own processes (the kernel would refuse the rest) */
	size_t mine = 0, others = 0;
	pid_t other = 0;
	for (size_t i = 0; i < n; i++) {
		if (not_mine(ui, pids[i])) {
			others++;
			other = pids[i];
			continue;
		}
		pids[mine++] = pids[i];
	}
	n = mine;
	if (!n) {
		ui_message(ui, "Refused: process %d is not yours%s", (int)other,
			   others > 1 ? " (nor are the others)" : "");
		return;
	}
	for (size_t i = 0; i < NSIG_CHOICE; i++) {
		snprintf(names[i], sizeof(names[i]), "%2d %s", sig_choice[i],
			 signal_name(sig_choice[i], title));
		items[i] = names[i];
	}
	c = ui_menu(ui, "Send which signal?", items, NSIG_CHOICE, 0);
	if (c < 0)
		return;
	for (size_t i = 0; i < n; i++)
		lines[i] = describe(ui, pids[i]);
	if (others) {
		snprintf(q, sizeof(q), "(%zu process%s of other users left alone)", others,
			 others == 1 ? "" : "es");
		lines[n] = xstrdup(q);
	}
	snprintf(title, sizeof(title), "Send %s to %zu process%s", signal_name(sig_choice[c], q), n,
		 n == 1 ? "" : "es");
	snprintf(q, sizeof(q), "Send it? y/N");
	bool yes = ui_confirm(ui, title, lines, n + (others > 0), q);
	for (size_t i = 0; i < n + (others > 0); i++)
		free(lines[i]);
	if (!yes) {
		ui_message(ui, "No signal sent");
		return;
	}
	size_t sent = 0;
	int err = 0;
	for (size_t i = 0; i < n; i++) {
		if (send_signal(ui, pids[i], sig_choice[c]) == 0)
			sent++;
		else
			err = errno;
	}
	if (err)
		ui_message(ui, "Signal sent to %zu of %zu processes: %s", sent, n, strerror(err));
	else
		ui_message(ui, "Signal sent to %zu process%s", sent, sent == 1 ? "" : "es");
}

static bool removable(enum obj_kind k)
{
	return k == KIND_POSIX_SHM || k == KIND_POSIX_SEM || k == KIND_POSIX_MQ ||
	       k == KIND_SYSV_SHM || k == KIND_SYSV_MSG || k == KIND_SYSV_SEM;
}

/* The owner of a POSIX object is its file's (/dev/shm, /dev/mqueue). */
static int64_t owner(const struct ui *ui, const struct ipc_object *o)
{
	struct stat st;

	if (HAS(o->uid))
		return o->uid;
	if (o->path && ctx_stat(ui->ctx, o->path, &st, false) == 0)
		return st.st_uid;
	return NONE;
}

static int remove_object(const struct ipc_object *o)
{
	struct shmid_ds ds;

	switch (o->kind) {
	case KIND_POSIX_SHM:
		return shm_unlink(o->name);
	case KIND_POSIX_SEM:
		return sem_unlink(o->name);
	case KIND_POSIX_MQ:
		return mq_unlink(o->name);
	case KIND_SYSV_SHM:
		/* attached since the snapshot? then leave it */
		if (shmctl((int)o->ipcid, IPC_STAT, &ds) < 0)
			return -1;
		if (ds.shm_nattch > 0) {
			errno = EBUSY;
			return -1;
		}
		return shmctl((int)o->ipcid, IPC_RMID, NULL);
	case KIND_SYSV_MSG:
		return msgctl((int)o->ipcid, IPC_RMID, NULL);
	case KIND_SYSV_SEM:
		return semctl((int)o->ipcid, 0, IPC_RMID);
	default:
		errno = EINVAL;
		return -1;
	}
}

static bool waiters(const struct ipc_object *o)
{
	for (size_t i = 0; i < o->neps; i++)
		if (o->eps[i].via == VIA_WAITER)
			return true;
	return false;
}

/* Just before removing: a fresh scan of the whole system must still show o,
 * the same object (SysV ids: same key and creator), held by nobody; the
 * screen's snapshot may be old (the question waits for the user). */
static bool still_orphan(struct ui *ui, const struct ipc_object *o)
{
	struct snapshot *fresh = scan_snapshot(ui->ctx);
	const struct ipc_object *f = fresh ? snapshot_find(fresh, o->id) : NULL;
	bool ok = false;

	if (!fresh)
		ui_message(ui, "Nothing removed: cannot read /proc: %s", strerror(errno));
	else if (!f)
		ui_message(ui, "Nothing removed: it is gone already");
	else if (f->key != o->key || f->cpid != o->cpid)
		ui_message(ui, "Nothing removed: it was replaced by another object");
	else if (object_holders(f) || (HAS(f->nattch) && f->nattch > 0) ||
		 (f->flags & FLAG_WAITERS) || waiters(f))
		ui_message(ui, "Refused: a process took hold of it meanwhile");
	else
		ok = true;
	if (fresh)
		snapshot_free(fresh);
	return ok;
}

void ui_action_remove(struct ui *ui)
{
	const struct rows_obj *r = ui->view == VIEW_OBJECTS ? ui_selected_row(ui) : NULL;
	const struct ipc_object *o;
	pid_t pids[256];
	size_t n;
	char *lines[260];
	int64_t uid;

	if (!live_only(ui, "remove objects"))
		return;
	if (!r || !r->obj) {
		ui_message(ui, "Select an object in the Objects view first");
		return;
	}
	o = r->obj;
	if (!removable(o->kind) || ((o->kind == KIND_POSIX_SHM || o->kind == KIND_POSIX_SEM ||
				     o->kind == KIND_POSIX_MQ) && !o->name)) {
		ui_message(ui, "Only shared memory, semaphores and message queues can be removed");
		return;
	}
	n = holders(ui, r, pids, 256);
	if (n || (HAS(o->nattch) && o->nattch > 0) || (o->flags & FLAG_WAITERS)) {
		size_t k = 0;
		for (; k < n && k < 4; k++)
			lines[k] = describe(ui, pids[k]);
		ui_message(ui, "Refused: still held by %zu process%s%s%s%s", n ? n : 1,
			   n == 1 ? "" : "es", n ? " (" : "", n ? lines[0] : "", n ? "...)" : "");
		for (size_t i = 0; i < k; i++)
			free(lines[i]);
		return;
	}
	uid = owner(ui, o);
	if (geteuid() != 0 && HAS(uid) && uid != (int64_t)geteuid()) {
		ui_message(ui, "Refused: owned by uid %lld, not by you", (long long)uid);
		return;
	}
	struct strbuf sb;
	sb_init(&sb);
	size_t nl = 0;
	sb_printf(&sb, "%s ", kind_name(o->kind));
	sb_puts(&sb, rows_obj_cell(r, COL_OBJECT));
	lines[nl++] = xstrdup(sb_str(&sb));
	sb_reset(&sb);
	sb_puts(&sb, "No process holds it");
	if (HAS(o->cpid))
		sb_printf(&sb, "; its creator %lld %s", (long long)o->cpid,
			  snapshot_process(ui->snap, (pid_t)o->cpid) ? "still runs" : "is gone");
	lines[nl++] = xstrdup(sb_str(&sb));
	sb_free(&sb);
	lines[nl++] = xstrdup("Its contents are lost for good.");
	bool yes = ui_confirm(ui, "Remove this object?", lines, nl, "Remove it? y/N");
	for (size_t i = 0; i < nl; i++)
		free(lines[i]);
	if (!yes) {
		ui_message(ui, "Nothing removed");
		return;
	}
	if (!still_orphan(ui, o))
		return;
	if (remove_object(o) < 0)
		ui_message(ui, "Could not remove it: %s", strerror(errno));
	else
		ui_message(ui, "Removed; it disappears at the next refresh");
	ui->next_refresh = 0;
}
