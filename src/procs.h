/* Process facts: pid, ppid, comm, cmdline, user, state, namespaces, signal
 * sets, I/O counters. Live runs read them through libproc2 (procs.c); a
 * fixture run (--root DIR) reads the text files of DIR/proc itself
 * (procs_fixture.c), with the same parsers the live path uses for what
 * libproc2 cannot give raw. */
#ifndef IPCTOP_PROCS_H
#define IPCTOP_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ctx.h"
#include "model.h"

/* Adds one ipc_process per process under /proc. Processes that vanish
 * mid-scan are skipped; unreadable facts stay NONE/NULL. Returns 0, or -1
 * (errno set) if /proc cannot be read at all. A live scan leaves the
 * namespaces of the processes it reads pending (ns_pending): the fd dump,
 * read beside it, has them (fdtable_note_procs() takes them), and
 * procs_finish_ns() then reads the rest from /proc/PID/ns. */
int procs_scan(const struct ipc_ctx *ctx, struct snapshot *snap);
void procs_finish_ns(const struct ipc_ctx *ctx, struct snapshot *snap);
/* A cache of process facts across refreshes (live runs): the facts of a
 * process that quiet(arg, pid) says has not run since are reused, but for
 * what others can change (state, parent, pending signals: read again, from
 * what facts(arg, pid) gives where it gives it, else from status). pids
 * gives every process but ours when it can (the run dump's list), sparing
 * a readdir of /proc; NULL: it cannot.
 * Why that is exact: see procs.c. */
struct procs_cache;
struct rundump_proc;
struct procs_cache *procs_cache_new(bool (*quiet)(const void *arg, pid_t pid),
				    const struct rundump_proc *(*facts)(const void *arg, pid_t pid),
				    const pid_t *(*pids)(const void *arg, size_t *n),
				    const void *arg);
void procs_cache_free(struct procs_cache *pc);
/* procs_scan() through the cache (pc may be NULL). */
int procs_scan_cached(const struct ipc_ctx *ctx, struct snapshot *snap, struct procs_cache *pc);
/* Keeps the facts of snap (blocked-on read) for the next refresh. */
void procs_cache_keep(struct procs_cache *pc, const struct snapshot *snap);
/* How many processes the last procs_scan_cached() reused; of those, how
 * many had what changes while they sleep from the run dump (not status). */
size_t procs_cache_reused(const struct procs_cache *pc);
size_t procs_cache_dumped(const struct procs_cache *pc);
/* The same from the text files of ctx->root/proc (no libproc2). */
int procs_fixture_scan(const struct ipc_ctx *ctx, struct snapshot *snap);

/* --- parsers: a string in, a struct out, no I/O --- */

#define PROCS_COMM_MAX 64 /* kworker names carry a suffix beyond TASK_COMM_LEN */

/* What /proc/PID/status tells (man 5 proc). */
struct proc_status {
	char name[PROCS_COMM_MAX]; /* Name:, unescaped ("\\n" -> '\n', "\\\\" -> '\\') */
	char state;                /* State: "S (sleeping)" -> 'S' */
	pid_t ppid;                /* -1 if absent */
	int64_t euid;              /* second Uid: field; NONE if absent */
	int threads;               /* 0 if absent */
	bool has_signals;          /* all five masks below were read */
	uint64_t sig_pnd, shd_pnd, sig_blk, sig_ign, sig_cgt;
};
/* Returns false if Name: or State: is missing or a field it knows is malformed. */
bool procs_parse_status(const char *text, struct proc_status *st);

/* What /proc/PID/stat tells that we use: "pid (comm) S ppid ... utime stime". */
struct proc_stat {
	char comm[PROCS_COMM_MAX];
	char state;
	pid_t ppid;
	int64_t ticks; /* utime + stime; NONE if the line is short */
};
bool procs_parse_stat(const char *text, struct proc_stat *st);

/* /proc/PID/io: rchar, wchar, syscr, syscw (NONE when a line is missing). */
struct proc_io {
	int64_t rchar, wchar, syscr, syscw;
};
bool procs_parse_io(const char *text, struct proc_io *io);

/* "ipc:[4026531839]" with type "ipc" -> 4026531839; NONE if malformed. */
int64_t procs_parse_ns_link(const char *link, const char *type);

/* /proc/PID/cmdline (arguments each ending in NUL) -> one malloc'd string,
 * arguments joined by spaces; NULL when empty (kernel threads, zombies). */
char *procs_cmdline_join(const char *buf, size_t len);

/* The SigPnd: value of a status text; 0 if absent or malformed. */
uint64_t procs_status_sigpnd(const char *text);

/* --- raw readers shared by both paths (through ctx_*) --- */

/* /proc/PID/comm without its final newline, raw bytes; NULL if unreadable. */
char *procs_read_comm(const struct ipc_ctx *ctx, pid_t pid);
/* /proc/PID/cmdline joined; NULL if empty or unreadable. */
char *procs_read_cmdline(const struct ipc_ctx *ctx, pid_t pid);
/* SigPnd of every thread of pid OR'd (from /proc/PID/task/TID/status). */
uint64_t procs_threads_pending(const struct ipc_ctx *ctx, pid_t pid);
/* Effective user name, or the number as a string. malloc'd. */
char *procs_user_name(int64_t uid);

#endif
