#include "config.h"

#include "fddump.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/types.h>

#include "bpfiter.h"
#include "fddump_rec.h"
#include "fdtable_int.h"
#include "xalloc.h"


enum fddump_setting fddump_setting(void)
{
	const char *v = getenv("IPCTOP_FDDUMP");

	if (v && !strcmp(v, "off"))
		return FDDUMP_OFF;
	if (v && !strcmp(v, "on"))
		return FDDUMP_ON;
	return FDDUMP_AUTO;
}

bool fddump_expected(const struct ipc_ctx *ctx)
{
	return fddump_setting() != FDDUMP_OFF && bpfiter_possible(ctx);
}

static int fddump_proc_cmp(const void *a, const void *b)
{
	pid_t x = ((const struct fddump_proc *)a)->pid, y = ((const struct fddump_proc *)b)->pid;

	return (x > y) - (x < y);
}

/* Splits d->buf into processes. -1 if a record runs past the end or names
 * more than a path can hold (the buffer is then not what the program wrote). */
int fddump_index(struct fddump *d)
{
	size_t cap = 0, off = 0;

	d->procs = NULL;
	d->nprocs = d->nfds = 0;
	while (off < d->len) {
		struct fddump_rec r;
		size_t end;

		if (d->len - off < sizeof(r))
			goto bad;
		memcpy(&r, d->buf + off, sizeof(r));
		if (r.pathlen > FDDUMP_PATH_MAX || d->len - off - sizeof(r) < r.pathlen)
			goto bad;
		end = off + sizeof(r) + r.pathlen;
		if (!d->nprocs || d->procs[d->nprocs - 1].pid != (pid_t)r.tgid) {
			if (d->nprocs == cap) {
				cap = cap ? cap * 2 : 512;
				d->procs = xreallocarray(d->procs, cap, sizeof(*d->procs));
			}
			d->procs[d->nprocs++] = (struct fddump_proc){ (pid_t)r.tgid, off, off, true };
		}
		struct fddump_proc *p = &d->procs[d->nprocs - 1];
		p->end = end;
		if (r.kind == FDDUMP_TASK) {
			if (r.pathlen != sizeof(struct fddump_task))
				p->complete = false;
			off = end;
			continue;
		}
		if (r.kind > FDDUMP_SOCKET || (r.kind == FDDUMP_NAMED) != (r.pathlen > 0) ||
		    (r.pathlen && d->buf[end - 1] != '\0'))
			p->complete = false;
		d->nfds++;
		off = end;
	}
	if (d->nprocs > 1)
		qsort(d->procs, d->nprocs, sizeof(*d->procs), fddump_proc_cmp);
	/* one process in two runs: not expected of the iterator, not trusted */
	for (size_t i = 1; i < d->nprocs; i++)
		if (d->procs[i].pid == d->procs[i - 1].pid)
			d->procs[i].complete = d->procs[i - 1].complete = false;
	return 0;
bad:
	free(d->procs);
	d->procs = NULL;
	d->nprocs = d->nfds = 0;
	return -1;
}

static enum ep_mode fddump_mode(__u32 fmode)
{
	bool r = fmode & 1, w = fmode & 2; /* FMODE_READ, FMODE_WRITE */

	return r && w ? MODE_RW : r ? MODE_R : w ? MODE_W : MODE_NONE;
}

bool fddump_take(const struct fddump *d, struct fd_table *t, struct fd_proc *fp)
{
	pid_t pid = fp->pid;
	size_t lo = 0, hi = d->nprocs;
	const struct fddump_proc *p = NULL;
	long page = sysconf(_SC_PAGESIZE);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->procs[mid].pid == pid) {
			p = &d->procs[mid];
			break;
		}
		if (d->procs[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!p || !p->complete)
		return false;
	for (size_t off = p->off; off < p->end;) {
		struct fddump_rec r;
		char name[64];
		const char *target = name;
		size_t len;

		memcpy(&r, d->buf + off, sizeof(r));
		if (r.kind == FDDUMP_TASK) {
			struct fddump_task k;

			memcpy(&k, d->buf + off + sizeof(r), sizeof(k));
			fp->ns_known = true;
			fp->ns_ipc = k.ns_ipc;
			fp->ns_net = k.ns_net;
			fp->ns_mnt = k.ns_mnt;
			off += sizeof(r) + r.pathlen;
			continue;
		}
		if (r.kind == FDDUMP_PIPE)
			len = (size_t)snprintf(name, sizeof(name), "pipe:[%llu]", (unsigned long long)r.ino);
		else if (r.kind == FDDUMP_SOCKET)
			len = (size_t)snprintf(name, sizeof(name), "socket:[%llu]",
					       (unsigned long long)r.ino);
		else {
			target = d->buf + off + sizeof(r);
			len = r.pathlen - 1;
		}
		off += sizeof(r) + r.pathlen;

		struct fd_entry *e = fdt_add_fd(t);
		e->pid = pid;
		e->fd = (int)r.fd;
		fdt_classify(t, e, target, len);
		e->mode_done = true;
		e->mode = fddump_mode(r.fmode);
		if (r.imode & S_IFMT) {
			e->ftype_known = true;
			e->ftype = r.imode & S_IFMT;
		}
		if (S_ISFIFO(r.imode) && r.qbytes >= 0 && r.qslots > 0 && page > 0) {
			e->q_known = e->q_fresh = true;
			e->q_bytes = r.qbytes;
			e->q_cap = (int64_t)r.qslots * page;
		}
	}
	return true;
}

void fddump_free(struct fddump *d)
{
	free(d->buf);
	free(d->procs);
	memset(d, 0, sizeof(*d));
}

int fddump_read(const struct ipc_ctx *ctx, struct bpfiter *bi, struct fddump *d)
{
	struct bpfiter *own = NULL;
	size_t cap = 1 << 20;
	int rc;

	memset(d, 0, sizeof(*d));
	if (fddump_setting() == FDDUMP_OFF || (!bi && !(bi = own = bpfiter_load(ctx, false))))
		return -1;
	d->buf = xmalloc(cap);
	rc = bpfiter_read(bi, BPFITER_FDDUMP, &d->buf, &cap, &d->len);
	bpfiter_unload(own);
	if (rc == 0)
		rc = fddump_index(d);
	if (rc < 0)
		fddump_free(d);
	return rc;
}
