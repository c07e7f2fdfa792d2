/* Pipes and FIFOs: every fd whose link reads "pipe:[INO]", and every path fd
 * that stat() says is a FIFO, grouped by inode. Open modes come from the fd
 * link's permission bits (the kernel sets S_IRUSR/S_IWUSR from f_mode, see
 * proc_fd_link / tid_fd_update_inode) or, in a fixture tree, from fdinfo.
 * Queue depth: a duplicate of one holder's fd (pidfd_getfd), FIONREAD and
 * F_GETPIPE_SZ on it, closed at once — nothing is read. */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pidfd.h"

static enum ep_mode fd_mode(const struct ipc_ctx *ctx, const struct fd_entry *e)
{
	char path[64], info[512];
	struct stat st;

	if (ctx->live) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)e->pid, e->fd);
		if (ctx_stat(ctx, path, &st, false) == 0) {
			bool r = st.st_mode & S_IRUSR, w = st.st_mode & S_IWUSR;
			return r && w ? MODE_RW : r ? MODE_R : w ? MODE_W : MODE_NONE;
		}
	}
	if (fdtable_fdinfo(ctx, e->pid, e->fd, info, sizeof(info)) < 0)
		return MODE_NONE;
	return fdinfo_parse_mode(info);
}

static enum ep_role mode_role(enum ep_mode m)
{
	return m == MODE_R ? ROLE_READER : m == MODE_W ? ROLE_WRITER : ROLE_HOLDER;
}

/* Bytes queued and capacity, read on a duplicate of the holder's fd. */
static void pipe_queue(const struct ipc_ctx *ctx, struct ipc_object *o, pid_t pid, int fd)
{
	int dup, n = 0, cap;

	if (!ctx->live || !ctx->privileged || HAS(o->queue.bytes))
		return;
	dup = pidfd_dup(pid, fd);
	if (dup < 0)
		return;
	if (ioctl(dup, FIONREAD, &n) == 0)
		o->queue.bytes = n;
	cap = fcntl(dup, F_GETPIPE_SZ);
	if (cap > 0)
		o->queue.capacity = cap;
	close(dup);
}

static void add_holder(const struct ipc_ctx *ctx, struct ipc_object *o, const struct fd_entry *e)
{
	enum ep_mode m = fd_mode(ctx, e);

	object_add_endpoint(o, e->pid, VIA_FD, e->fd, m, mode_role(m));
	pipe_queue(ctx, o, e->pid, e->fd);
}

static int probe_pipe_scan(const struct ipc_ctx *ctx, struct fd_table *fdt, struct snapshot *snap)
{
	int pipefs_major = -1, pipefs_minor = -1;

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
			add_holder(ctx, o, e);
		} else if (e->type == FD_PATH && (ctx->kinds & KIND_BIT(KIND_FIFO))) {
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
			add_holder(ctx, o, e);
		}
	}
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
