/* Pipes and FIFOs: every fd whose link reads "pipe:[INO]", and every path fd
 * that stat() says is a FIFO, grouped by inode. Open modes come from the fd
 * link's permission bits (the kernel sets S_IRUSR/S_IWUSR from f_mode, see
 * proc_fd_link / tid_fd_update_inode) or, in a fixture tree, from fdinfo.
 * Queue depth: a duplicate of one holder's fd (pidfd_getfd), FIONREAD and
 * F_GETPIPE_SZ on it, closed at once — nothing is read. Where the fd dump
 * read the fds (src/fddump.c), its BPF iterator already summed the pipe's
 * buffers as FIONREAD does (up to 16 of them; more: read as above).
 *
 * With the fd-table cache, the queue of an anonymous pipe whose every
 * holder has not run since the last refresh is the one read then: bytes
 * move only through a read, write, splice or F_SETPIPE_SZ on a description
 * of the pipe, and every description lives in some process's fd table.
 * That needs every process to be visible (root, none hidden, the initial
 * pid namespace: kthreadd seen). A FIFO is always read again: anyone may
 * open it by name, write and close between two refreshes. So may, for an
 * anonymous pipe, a process that reopens /proc/PID/fd/N, takes a copy with
 * pidfd_getfd or receives one in flight in SCM_RIGHTS — each wakes a holder
 * that waits on the pipe (read, poll), which is then read again; a change
 * nobody waits for is seen once a holder next runs. */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pidfd.h"
#include "xalloc.h"

static enum ep_role mode_role(enum ep_mode m)
{
	return m == MODE_R ? ROLE_READER : m == MODE_W ? ROLE_WRITER : ROLE_HOLDER;
}

/* One pidfd per holder process while the scan walks its fds (the fd table
 * lists a process's fds together), not one per pipe. */
struct pipe_pidfd {
	pid_t pid;
	int fd;
};

static void pipe_pidfd_close(struct pipe_pidfd *pp)
{
	if (pp->fd >= 0)
		close(pp->fd);
	pp->fd = -1;
	pp->pid = 0;
}

/* Bytes queued and capacity, read on a duplicate of the holder's fd. */
static void pipe_queue(struct pipe_pidfd *pp, struct ipc_object *o, pid_t pid, int fd,
		       struct fd_entry *e)
{
	int dup, n = 0, cap;

	if (HAS(o->queue.bytes))
		return; /* read on another holder */
	if (e->q_fresh) { /* read by the fd dump at this refresh */
		o->queue.bytes = e->q_bytes;
		o->queue.capacity = e->q_cap;
		return;
	}
	if (pp->pid != pid) {
		pipe_pidfd_close(pp);
		pp->pid = pid;
		pp->fd = pidfd_of(pid);
	}
	if (pp->fd < 0)
		return;
	dup = pidfd_dup_fd(pp->fd, fd);
	if (dup < 0)
		return;
	if (ioctl(dup, FIONREAD, &n) == 0)
		o->queue.bytes = n;
	cap = fcntl(dup, F_GETPIPE_SZ);
	if (cap > 0)
		o->queue.capacity = cap;
	close(dup);
	e->q_known = HAS(o->queue.bytes) && cap > 0;
	e->q_bytes = o->queue.bytes;
	e->q_cap = cap;
}

/* The holders to read queues through, in fd-table order (by process). */
struct pipe_holder {
	struct ipc_object *o;
	struct fd_entry *e;
	pid_t pid;
	int fd;
};

struct pipe_queues {
	struct pipe_holder *v;
	size_t n, cap;
	unsigned part; /* for a reading thread: which half of the objects */
};

static void add_holder(const struct ipc_ctx *ctx, struct pipe_queues *q, struct ipc_object *o,
		       struct fd_entry *e)
{
	enum ep_mode m = fdtable_mode(ctx, e);

	object_add_endpoint(o, e->pid, VIA_FD, e->fd, m, mode_role(m));
	if (!ctx->live || !ctx->privileged)
		return;
	if (q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 256;
		q->v = xreallocarray(q->v, q->cap, sizeof(*q->v));
	}
	q->v[q->n++] = (struct pipe_holder){ o, e, e->pid, e->fd };
}

/* Each thread takes the objects of one half (by a hash of the object), so
 * no object is written by two; the system calls are most of a pipe's cost. */
static void *pipe_queues_run(void *arg)
{
	const struct pipe_queues *q = arg;
	struct pipe_pidfd pp = { 0, -1 };

	for (size_t i = 0; i < q->n; i++) {
		const struct pipe_holder *h = &q->v[i];

		if ((((uintptr_t)h->o >> 4) & 1) == q->part)
			pipe_queue(&pp, h->o, h->pid, h->fd, h->e);
	}
	pipe_pidfd_close(&pp);
	return NULL;
}

static void pipe_queues_read(struct pipe_queues *q)
{
	struct pipe_queues other = *q;
	pthread_t th;
	bool threaded;

	q->part = 0;
	other.part = 1;
	threaded = q->n >= 256 && pthread_create(&th, NULL, pipe_queues_run, &other) == 0;
	pipe_queues_run(q);
	if (threaded)
		pthread_join(th, NULL);
	else
		pipe_queues_run(&other);
}

static int pipe_holder_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)(*(const struct pipe_holder *const *)a)->o;
	uintptr_t y = (uintptr_t)(*(const struct pipe_holder *const *)b)->o;

	return (x > y) - (x < y);
}

/* Every process visible: root, nothing hidden, and the initial pid
 * namespace (kthreadd, pid 2 with no parent, is seen only from there). */
static bool pipe_all_visible(const struct ipc_ctx *ctx, const struct snapshot *snap)
{
	const struct ipc_process *kthreadd = snapshot_process(snap, 2);

	return ctx->live && ctx->privileged && !snap->hidden_processes && kthreadd &&
	       kthreadd->ppid == 0;
}

/* The queues of anonymous pipes no holder of which has run (see the top). */
static void pipe_queues_reuse(struct pipe_queues *q)
{
	struct pipe_holder **by = xreallocarray(NULL, q->n + 1, sizeof(*by));

	for (size_t i = 0; i < q->n; i++)
		by[i] = &q->v[i];
	qsort(by, q->n, sizeof(*by), pipe_holder_cmp);
	for (size_t i = 0, j; i < q->n; i = j) {
		struct ipc_object *o = by[i]->o;
		const struct fd_entry *known = NULL;
		bool quiet = o->kind == KIND_PIPE;

		for (j = i; j < q->n && by[j]->o == o; j++) {
			quiet &= by[j]->e->reused;
			if (by[j]->e->q_known)
				known = by[j]->e;
		}
		if (quiet && known) {
			o->queue.bytes = known->q_bytes;
			o->queue.capacity = known->q_cap;
		}
	}
	free(by);
}

static int probe_pipe_scan(const struct ipc_ctx *ctx, struct fd_table *fdt, struct snapshot *snap)
{
	int pipefs_major = -1, pipefs_minor = -1;
	struct pipe_queues q = { 0 };

	for (size_t i = 0; i < fdt->nfds; i++) {
		struct fd_entry *e = &fdt->fds[i];
		struct ipc_object *o;
		bool created;

		if (e->type == FD_PIPE && (ctx->kinds & KIND_BIT(KIND_PIPE))) {
			o = snapshot_object(snap, KIND_PIPE, &created, "pipe:%" PRIu64, e->ino);
			if (created) {
				o->inode = (int64_t)e->ino;
				/* every pipe lives on the one pipefs: stat a single fd */
				if (pipefs_major < 0 && ctx->live && fdtable_stat(ctx, e)) {
					pipefs_major = (int)e->dev_major;
					pipefs_minor = (int)e->dev_minor;
				}
				o->dev_major = pipefs_major;
				o->dev_minor = pipefs_minor;
			}
			add_holder(ctx, &q, o, e);
		} else if (e->type == FD_PATH && (ctx->kinds & KIND_BIT(KIND_FIFO))) {
			if (e->ftype_known && !S_ISFIFO(e->ftype))
				continue; /* an open file's type never changes */
			if (!fdtable_stat(ctx, e) || !S_ISFIFO(e->st_mode))
				continue;
			o = snapshot_object(snap, KIND_FIFO, &created, "fifo:%" PRIu64, e->ino);
			if (created) {
				o->inode = (int64_t)e->ino;
				o->dev_major = (int)e->dev_major;
				o->dev_minor = (int)e->dev_minor;
				object_set_str(&o->path, e->target);
				o->uid = e->st_uid;
				o->mode = e->st_mode & 07777;
				if (e->deleted)
					o->flags |= FLAG_DELETED;
			}
			add_holder(ctx, &q, o, e);
		}
	}
	if (pipe_all_visible(ctx, snap))
		pipe_queues_reuse(&q);
	pipe_queues_read(&q);
	free(q.v);
	return 0;
}

static void probe_pipe_finish(const struct ipc_ctx *ctx, struct snapshot *snap)
{
	for (size_t i = 0; i < snap->nobjs; i++) {
		struct ipc_object *o = snap->objs[i];
		bool r = false, w = false, known = true;

		if (o->kind != KIND_PIPE && o->kind != KIND_FIFO)
			continue;
		for (size_t j = 0; j < o->neps; j++) {
			enum ep_mode m = o->eps[j].mode;
			if (o->eps[j].via != VIA_FD)
				continue;
			known &= m != MODE_NONE;
			r |= m == MODE_R || m == MODE_RW;
			w |= m == MODE_W || m == MODE_RW;
		}
		if (!known)
			continue;
		if (!r)
			o->flags |= FLAG_NO_READER;
		if (!w)
			o->flags |= FLAG_NO_WRITER;
		if (HAS(o->queue.bytes) && HAS(o->queue.capacity) && o->queue.bytes >= o->queue.capacity)
			o->flags |= FLAG_FULL;
	}
}

const struct probe probe_pipe = {
	.name = "pipe",
	.kinds = KIND_BIT(KIND_PIPE) | KIND_BIT(KIND_FIFO),
	.scan = probe_pipe_scan,
	.finish = probe_pipe_finish,
};
