/* The fd dump: every open fd of every process in one read of a BPF
 * task_file iterator (fddump.bpf.c), where the kernel and the build allow
 * it; the fd table (fdcache.c) falls back to /proc for anything it lacks.
 * Live, as root, in the initial pid namespace only. */
#ifndef IPCTOP_FDDUMP_H
#define IPCTOP_FDDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ctx.h"
#include "fdtable.h"

struct fddump_proc {
	pid_t pid;
	size_t off, end;  /* its records: buf[off, end) */
	bool complete;    /* every fd named: the dump can stand for /proc/PID/fd */
};

struct fddump {
	char *buf;
	size_t len;
	struct fddump_proc *procs; /* by pid, ascending */
	size_t nprocs;
	size_t nfds;
};

/* IPCTOP_FDDUMP: "off" never, "on" for every cold read however few
 * processes (tests), else (auto) when many processes are to be read. */
enum fddump_setting { FDDUMP_AUTO, FDDUMP_OFF, FDDUMP_ON };
enum fddump_setting fddump_setting(void);
/* Whether a scan of ctx will likely read the fd dump (allowed, built with
 * BPF, root in the initial pid namespace): what it has is then left to it. */
bool fddump_expected(const struct ipc_ctx *ctx);
/* Reads the iterator whole, through bi (the loaded programs) or when that
 * is NULL loading and unloading them. 0, or -1 (nothing to free) when it
 * may not (built without BPF, not live as root in the initial pid
 * namespace, IPCTOP_FDDUMP=off) or cannot: then the caller reads /proc. */
struct bpfiter;
int fddump_read(const struct ipc_ctx *ctx, struct bpfiter *bi, struct fddump *d);
/* Splits d->buf (d->len bytes of records) into processes: fddump_read()
 * does it; apart for tests. -1 when the buffer is malformed. */
int fddump_index(struct fddump *d);
/* Appends fp->pid's fds to t as fdt_scan_fds() would read them, sets fp's
 * namespaces when the dump has them, and returns true; false (nothing
 * added) when the dump does not hold the process whole. Safe from several
 * threads at once on one dump (it is only read). */
bool fddump_take(const struct fddump *d, struct fd_table *t, struct fd_proc *fp);
void fddump_free(struct fddump *d);

#endif
