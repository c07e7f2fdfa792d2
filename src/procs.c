#include "config.h"

#include "procs.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libproc2/pids.h>

#include "fddump.h"
#include "rundump.h"
#include "signals.h"
#include "xalloc.h"

/* Live process facts through libproc2 (procps-ng 4), which reads the live
 * /proc only: a fixture run goes to procs_fixture_scan() instead.
 *
 * comm and cmdline are NOT taken from libproc2: PIDS_CMD and PIDS_CMDLINE
 * come back "cleaned" for terminals (control bytes as '.', invalid UTF-8 as
 * '?'), and PIDS_CMDLINE_V gives "-" for an empty command line, which a real
 * argv[0] may also be. The JSON layer escapes bytes itself and wants them
 * raw, so both are read from /proc/PID/comm and /proc/PID/cmdline. */

enum {
	I_PID,
	I_PPID,
	I_STATE,
	I_EUSER,
	I_NLWP,
	I_SIGPND,
	I_SHDPND,
	I_SIGBLK,
	I_SIGIGN,
	I_SIGCGT,
	I_RCHAR,
	I_WCHAR,
	I_SYSCR,
	I_SYSCW,
	I_TICS,
	I_BEGAN,
};

static enum pids_item procs_items[] = {
	[I_PID] = PIDS_ID_PID,		[I_PPID] = PIDS_ID_PPID,
	[I_STATE] = PIDS_STATE,		[I_EUSER] = PIDS_ID_EUSER,
	[I_NLWP] = PIDS_NLWP,
	[I_SIGPND] = PIDS_SIGPENDING,	[I_SHDPND] = PIDS_SIGNALS,
	[I_SIGBLK] = PIDS_SIGBLOCKED,	[I_SIGIGN] = PIDS_SIGIGNORE,
	[I_SIGCGT] = PIDS_SIGCATCH,	[I_RCHAR] = PIDS_IO_READ_CHARS,
	[I_WCHAR] = PIDS_IO_WRITE_CHARS, [I_SYSCR] = PIDS_IO_READ_OPS,
	[I_SYSCW] = PIDS_IO_WRITE_OPS,	[I_TICS] = PIDS_TICS_ALL,
	[I_BEGAN] = PIDS_TICS_BEGAN,
};
#define NITEMS ((int)(sizeof(procs_items) / sizeof(procs_items[0])))
/* Of a quiet process (see procs_scan_cached) only what /proc/PID/status
 * tells: the first items above, up to I_SIGCGT, all f_status or f_either. */
#define NQUIET (I_SIGCGT + 1)

#define VAL(item, type) PIDS_VAL(item, type, stack, info)

/* The three namespaces we show, by one stat() each. Not through libproc2:
 * asking it for any PIDS_NS_* item makes it stat all eight namespace links
 * of every process, which was a third of the cost of a refresh. NONE when
 * the link cannot be read (another user's process without root). */
static int64_t ns_inode(const struct ipc_ctx *ctx, pid_t pid, const char *ns)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns);
	if (ctx_stat(ctx, path, &st, true) < 0)
		return NONE;
	return (int64_t)st.st_ino;
}

void procs_finish_ns(const struct ipc_ctx *ctx, struct snapshot *snap)
{
	for (size_t i = 0; i < snap->nprocs; i++) {
		struct ipc_process *p = &snap->procs[i];

		if (!p->ns_pending)
			continue;
		p->ns_pending = false;
		p->ns_ipc = ns_inode(ctx, p->pid, "ipc");
		p->ns_net = ns_inode(ctx, p->pid, "net");
		p->ns_mnt = ns_inode(ctx, p->pid, "mnt");
	}
}

/* Likewise an unreadable /proc/PID/io (ptrace access) is all zeros; a kernel
 * thread's real counters are zeros too, so ask the file which it is. */
static void io_values(const struct ipc_ctx *ctx, struct ipc_process *p,
		      struct pids_stack *stack, struct pids_info *info)
{
	char path[64], buf[512];

	p->rchar = (int64_t)VAL(I_RCHAR, ul_int);
	p->wchar = (int64_t)VAL(I_WCHAR, ul_int);
	p->syscr = (int64_t)VAL(I_SYSCR, ul_int);
	p->syscw = (int64_t)VAL(I_SYSCW, ul_int);
	if (p->rchar || p->wchar || p->syscr || p->syscw)
		return;
	snprintf(path, sizeof(path), "/proc/%d/io", (int)p->pid);
	if (ctx_read_buf(ctx, path, buf, sizeof(buf)) < 0)
		p->rchar = p->wchar = p->syscr = p->syscw = NONE;
}

static void signal_values(const struct ipc_ctx *ctx, struct ipc_process *p,
			  struct pids_stack *stack, struct pids_info *info)
{
	uint64_t pnd, shd, blk, ign, cgt;

	if (signals_parse_mask(VAL(I_SIGPND, str), &pnd) < 0 ||
	    signals_parse_mask(VAL(I_SHDPND, str), &shd) < 0 ||
	    signals_parse_mask(VAL(I_SIGBLK, str), &blk) < 0 ||
	    signals_parse_mask(VAL(I_SIGIGN, str), &ign) < 0 ||
	    signals_parse_mask(VAL(I_SIGCGT, str), &cgt) < 0)
		return;
	/* status's SigPnd is the leader thread's own queue only */
	if (p->nlwp > 1)
		pnd |= procs_threads_pending(ctx, p->pid);
	p->has_signals = true;
	p->sig_pending = pnd | shd;
	p->sig_shared_pending = shd;
	p->sig_blocked = blk;
	p->sig_ignored = ign;
	p->sig_caught = cgt;
}

static void procs_one(const struct ipc_ctx *ctx, struct snapshot *snap,
		      struct pids_stack *stack, struct pids_info *info, bool defer_ns)
{
	pid_t pid = VAL(I_PID, s_int);
	struct ipc_process *p;
	char *comm = procs_read_comm(ctx, pid);

	if (!comm)
		return; /* vanished since libproc2 read it */
	p = snapshot_add_process(snap, pid);
	p->comm = comm;
	p->cmdline = procs_read_cmdline(ctx, pid);
	p->ppid = VAL(I_PPID, s_int);
	p->state = (char)VAL(I_STATE, s_ch);
	/* the name, or the number as a string when it has none */
	p->user = VAL(I_EUSER, str) ? xstrdup(VAL(I_EUSER, str)) : NULL;
	p->nlwp = VAL(I_NLWP, s_int);
	if (defer_ns) {
		/* from the fd dump, read beside us, else by procs_finish_ns() */
		p->ns_ipc = p->ns_net = p->ns_mnt = NONE;
		p->ns_pending = true;
	} else {
		p->ns_ipc = ns_inode(ctx, pid, "ipc");
		p->ns_net = ns_inode(ctx, pid, "net");
		p->ns_mnt = ns_inode(ctx, pid, "mnt");
	}
	signal_values(ctx, p, stack, info);
	io_values(ctx, p, stack, info);
	/* libproc2 has no schedstat run time: user + system clock ticks */
	p->cpu_time = (int64_t)VAL(I_TICS, ull_int);
	/* with the pid, tells a reused pid apart (the fd-table cache needs it) */
	p->start_time = (int64_t)VAL(I_BEGAN, ull_int);
	p->syscall_nr = -1;
}

/*
 * Reuse. A process that has not been switched in since its facts were read
 * (fd_cache_quiet: same /proc inode, same schedstat run time and switch
 * count, single-threaded and off the CPU when read) cannot have changed
 * what only its own system calls change: comm (/proc/PID/comm is writable
 * by its own threads only), command line, namespaces, I/O counters, run
 * time, start time, and the system call it sleeps in. Those are copied.
 * (The command line is in its memory: a debugger writing there with
 * ptrace or process_vm_writev is not seen until the process runs.)
 * What others change while it sleeps is read again, from status alone:
 * its state (a wakeup makes it R before it runs), its parent (the parent's
 * exit reparents it), pending signals (a blocked signal does not wake it),
 * with its user, thread count and masks since status has them anyway.
 * Where the run dump read them (facts: the same fields of the task that
 * status prints, read by a BPF task iterator at the refresh's start) they
 * are taken from it, all but the user (its credentials change only by its
 * own system calls), and status is not read at all.
 */
struct procs_cache {
	struct snapshot *prev; /* processes only: the facts of the last refresh */
	bool (*quiet)(const void *arg, pid_t pid);
	const struct rundump_proc *(*facts)(const void *arg, pid_t pid);
	const pid_t *(*pids)(const void *arg, size_t *n);
	const void *arg;
	size_t reused, dumped;
};

struct procs_cache *procs_cache_new(bool (*quiet)(const void *arg, pid_t pid),
				    const struct rundump_proc *(*facts)(const void *arg, pid_t pid),
				    const pid_t *(*pids)(const void *arg, size_t *n),
				    const void *arg)
{
	struct procs_cache *pc = xcalloc(1, sizeof(*pc));

	pc->quiet = quiet;
	pc->facts = facts;
	pc->pids = pids;
	pc->arg = arg;
	return pc;
}

void procs_cache_free(struct procs_cache *pc)
{
	if (!pc)
		return;
	snapshot_free(pc->prev);
	free(pc);
}

size_t procs_cache_reused(const struct procs_cache *pc)
{
	return pc ? pc->reused : 0;
}

size_t procs_cache_dumped(const struct procs_cache *pc)
{
	return pc ? pc->dumped : 0;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void procs_cache_keep(struct procs_cache *pc, const struct snapshot *snap)
{
	struct snapshot *k = snapshot_new();

	for (size_t i = 0; i < snap->nprocs; i++) {
		const struct ipc_process *p = &snap->procs[i];
		struct ipc_process *q = snapshot_add_process(k, p->pid);

		*q = *p;
		q->comm = dup_or_null(p->comm);
		q->cmdline = dup_or_null(p->cmdline);
		q->user = dup_or_null(p->user);
		q->blocked_syscall = NULL;
		q->blocked_object = NULL;
	}
	snapshot_free(pc->prev);
	pc->prev = k;
}

/* What a quiet process cannot have changed: copied from last time. */
static struct ipc_process *procs_quiet_copy(struct snapshot *snap, const struct ipc_process *old)
{
	struct ipc_process *p = snapshot_add_process(snap, old->pid);

	p->comm = dup_or_null(old->comm);
	p->cmdline = dup_or_null(old->cmdline);
	p->ns_ipc = old->ns_ipc;
	p->ns_net = old->ns_net;
	p->ns_mnt = old->ns_mnt;
	p->rchar = old->rchar;
	p->wchar = old->wchar;
	p->syscr = old->syscr;
	p->syscw = old->syscw;
	p->cpu_time = old->cpu_time;
	p->start_time = old->start_time;
	/* still asleep in the call read last time, if it was read */
	p->syscall_nr = old->syscall_nr;
	memcpy(p->syscall_args, old->syscall_args, sizeof(p->syscall_args));
	p->syscall_known = old->syscall_nr >= 0;
	return p;
}

static void procs_quiet_one(const struct ipc_ctx *ctx, struct snapshot *snap,
			    struct pids_stack *stack, struct pids_info *info,
			    const struct ipc_process *old)
{
	struct ipc_process *p = procs_quiet_copy(snap, old);

	/* read again */
	p->ppid = VAL(I_PPID, s_int);
	p->state = (char)VAL(I_STATE, s_ch);
	p->user = VAL(I_EUSER, str) ? xstrdup(VAL(I_EUSER, str)) : NULL;
	p->nlwp = VAL(I_NLWP, s_int);
	signal_values(ctx, p, stack, info);
}

/* A quiet process whose changing facts the run dump has: true when taken. */
static bool procs_quiet_dumped(struct snapshot *snap, const struct procs_cache *pc, pid_t pid)
{
	const struct rundump_proc *f = pc->facts ? pc->facts(pc->arg, pid) : NULL;
	const struct ipc_process *old = snapshot_process(pc->prev, pid);
	struct ipc_process *p;

	/* threads: SigPnd would need each thread's queue (procs_threads_pending) */
	if (!f || !old || !f->state || f->nlwp != 1 || !f->sig_ok)
		return false;
	p = procs_quiet_copy(snap, old);
	p->ppid = f->ppid;
	p->state = f->state;
	p->user = dup_or_null(old->user);
	p->nlwp = f->nlwp;
	p->has_signals = true;
	p->sig_pending = f->sig_pending | f->sig_shared;
	p->sig_shared_pending = f->sig_shared;
	p->sig_blocked = f->sig_blocked;
	p->sig_ignored = f->sig_ignored;
	p->sig_caught = f->sig_caught;
	return true;
}

/* FILL_ID_MAX of libproc2: the most pids one select takes */
#define PROCS_SELECT_MAX 255

static void procs_select(const struct ipc_ctx *ctx, struct snapshot *snap, struct pids_info *info,
			 unsigned *pids, size_t n, const struct procs_cache *pc)
{
	bool defer_ns = !pc && fddump_expected(ctx);

	for (size_t at = 0; at < n; at += PROCS_SELECT_MAX) {
		int chunk = (int)(n - at < PROCS_SELECT_MAX ? n - at : PROCS_SELECT_MAX);
		struct pids_fetch *f = procps_pids_select(info, pids + at, chunk, PIDS_SELECT_PID);

		for (int i = 0; f && i < f->counts->total; i++) {
			struct pids_stack *stack = f->stacks[i];
			pid_t pid = VAL(I_PID, s_int);
			const struct ipc_process *old = pc ? snapshot_process(pc->prev, pid) : NULL;

			if (!pc)
				procs_one(ctx, snap, stack, info, defer_ns);
			else if (old) /* a quiet stack holds the status items only */
				procs_quiet_one(ctx, snap, stack, info, old);
		}
	}
}

static void procs_list_add(const struct procs_cache *pc, pid_t pid, unsigned *all, size_t *nall,
			   unsigned *quiet, size_t *nquiet)
{
	if (pc->prev && snapshot_process(pc->prev, pid) && pc->quiet(pc->arg, pid))
		quiet[(*nquiet)++] = (unsigned)pid;
	else
		all[(*nall)++] = (unsigned)pid;
}

/* Every pid under /proc, split into the quiet ones the cache holds and the
 * rest: the run dump's list of them (and ours) when there is one, else
 * a readdir of /proc. */
static int procs_list(const struct ipc_ctx *ctx, const struct procs_cache *pc, unsigned **all,
		      size_t *nall, unsigned **quiet, size_t *nquiet)
{
	size_t n = 0, cap = 1024;
	const pid_t *listed = pc->pids ? pc->pids(pc->arg, &n) : NULL;
	struct dirent *de;
	DIR *d;

	*nall = *nquiet = 0;
	if (listed) {
		*all = xreallocarray(NULL, n + 1, sizeof(**all));
		*quiet = xreallocarray(NULL, n + 1, sizeof(**quiet));
		for (size_t i = 0; i < n; i++)
			procs_list_add(pc, listed[i], *all, nall, *quiet, nquiet);
		procs_list_add(pc, ctx->self, *all, nall, *quiet, nquiet);
		return 0;
	}
	if (!(d = ctx_opendir(ctx, "/proc")))
		return -1;
	*all = xreallocarray(NULL, cap, sizeof(**all));
	*quiet = xreallocarray(NULL, cap, sizeof(**quiet));
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (de->d_name[0] < '1' || de->d_name[0] > '9' || *end || pid <= 0 || pid > INT32_MAX)
			continue;
		if (*nall == cap || *nquiet == cap) {
			cap *= 2;
			*all = xreallocarray(*all, cap, sizeof(**all));
			*quiet = xreallocarray(*quiet, cap, sizeof(**quiet));
		}
		procs_list_add(pc, (pid_t)pid, *all, nall, *quiet, nquiet);
	}
	closedir(d);
	return 0;
}

int procs_scan_cached(const struct ipc_ctx *ctx, struct snapshot *snap, struct procs_cache *pc)
{
	struct pids_info *info = NULL, *qinfo = NULL;
	unsigned *all = NULL, *quiet = NULL;
	size_t nall = 0, nquiet = 0;
	int rc;

	if (!ctx->live)
		return procs_fixture_scan(ctx, snap);
	if (!pc || !pc->prev)
		return procs_scan(ctx, snap);
	pc->reused = pc->dumped = 0;
	if (procs_list(ctx, pc, &all, &nall, &quiet, &nquiet) < 0)
		return -1;
	rc = procps_pids_new(&info, procs_items, NITEMS);
	if (rc == 0)
		rc = procps_pids_new(&qinfo, procs_items, NQUIET);
	if (rc == 0) {
		size_t nleft = 0;

		procs_select(ctx, snap, info, all, nall, NULL);
		for (size_t i = 0; i < nquiet; i++)
			if (!procs_quiet_dumped(snap, pc, (pid_t)quiet[i]))
				quiet[nleft++] = quiet[i];
		procs_select(ctx, snap, qinfo, quiet, nleft, pc);
		pc->reused = nquiet;
		pc->dumped = nquiet - nleft;
	}
	procps_pids_unref(&info);
	procps_pids_unref(&qinfo);
	free(all);
	free(quiet);
	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	return 0;
}

int procs_scan(const struct ipc_ctx *ctx, struct snapshot *snap)
{
	struct pids_info *info = NULL;
	struct pids_fetch *fetch;
	bool defer_ns;
	int rc;

	if (!ctx->live)
		return procs_fixture_scan(ctx, snap);
	rc = procps_pids_new(&info, procs_items, NITEMS);
	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	fetch = procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY);
	if (!fetch) {
		procps_pids_unref(&info);
		return -1;
	}
	defer_ns = fddump_expected(ctx);
	for (int i = 0; i < fetch->counts->total; i++)
		procs_one(ctx, snap, fetch->stacks[i], info, defer_ns);
	procps_pids_unref(&info);
	return 0;
}
