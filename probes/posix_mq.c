/* POSIX message queues: the files of the mqueue filesystem (/dev/mqueue).
 *
 * Reading /dev/mqueue/NAME gives QSIZE (payload bytes queued) and the
 * notification owner; on the live system the file opened O_RDONLY is a
 * valid mqd_t (Linux mqueue fds are plain files of that filesystem), so
 * mq_getattr() gives the message count and limits without consuming one.
 * An mq fd's readlink is "/NAME", relative to the mqueue mount, so holders
 * are matched by device and inode (the mount's dev), not by the text. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "posix_match.h"
#include "posix_parse.h"
#include "probe.h"

#define MQ_DIR "/dev/mqueue"
#define MQ_FS_MAGIC 0x19800202 /* ipc/mqueue.c MQUEUE_MAGIC, not in uapi headers */

struct mq_scan {
	const struct ipc_ctx *ctx;
	struct snapshot *snap;
	struct posix_index byino, byname;
	unsigned dev_major, dev_minor;
};

/* mq_getattr on a read-only fd that is closed at once: no message is read. */
static void mq_read_attr(const struct ipc_ctx *ctx, struct ipc_object *o)
{
	struct mq_attr a;
	int fd;

	fd = ctx_open(ctx, o->path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
	if (fd < 0)
		return;
	if (mq_getattr((mqd_t)fd, &a) == 0) {
		o->queue.messages = a.mq_curmsgs;
		o->queue.capacity = a.mq_maxmsg;
		o->mq_max_messages = a.mq_maxmsg;
		o->mq_max_msgsize = a.mq_msgsize;
		if (a.mq_maxmsg > 0 && a.mq_curmsgs >= a.mq_maxmsg)
			o->flags |= FLAG_FULL;
	}
	close(fd);
}

static void mq_add_entry(struct mq_scan *s, const char *dname)
{
	char path[sizeof(MQ_DIR) + 256], text[256];
	struct posix_mq_text t;
	struct ipc_object *o;
	struct stat st;

	snprintf(path, sizeof(path), MQ_DIR "/%s", dname);
	if (ctx_stat(s->ctx, path, &st, false) < 0 || !S_ISREG(st.st_mode))
		return;
	o = snapshot_object(s->snap, KIND_POSIX_MQ, NULL, "posix_mq:/%s", dname);
	object_set_str(&o->path, path);
	snprintf(path, sizeof(path), "/%s", dname);
	object_set_str(&o->name, path);
	posix_set_stat(o, &st);
	o->size = NONE; /* an mqueue file's size is not the queue's */
	if (ctx_read_buf(s->ctx, o->path, text, sizeof(text)) >= 0 &&
	    posix_parse_mq_text(text, &t) == 0) {
		o->queue.bytes = t.qsize;
		if (HAS(t.notify_pid) && t.notify_pid > 0)
			o->mq_notify_pid = t.notify_pid;
	}
	if (s->ctx->live)
		mq_read_attr(s->ctx, o);
	posix_index_put(&s->byino, major(st.st_dev), minor(st.st_dev), st.st_ino, o);
	posix_index_put_str(&s->byname, o->name, o);
}

static struct ipc_object *mq_lookup(struct mq_scan *s, struct fd_entry *e)
{
	if (fdtable_stat(s->ctx, e)) {
		if (e->dev_major != s->dev_major || e->dev_minor != s->dev_minor)
			return NULL; /* another filesystem, or another ipc namespace's mqueue */
		return posix_index_get(&s->byino, e->dev_major, e->dev_minor, e->ino);
	}
	/* a fixture tree cannot resolve "/NAME" in the mqueue mount: the text is all */
	return s->ctx->live ? NULL : posix_index_get_str(&s->byname, e->target);
}

static void mq_match_fds(struct mq_scan *s, struct fd_table *fdt)
{
	for (size_t i = 0; i < fdt->nfds; i++) {
		struct fd_entry *e = &fdt->fds[i];
		struct ipc_object *o;
		enum ep_mode mode;
		enum ep_role role;

		if (e->type != FD_PATH || e->deleted || !posix_mq_fd_name(e->target))
			continue;
		o = mq_lookup(s, e);
		if (!o)
			continue;
		mode = posix_fd_info(s->ctx, e, NULL);
		role = mode == MODE_R ? ROLE_READER : mode == MODE_W ? ROLE_WRITER : ROLE_HOLDER;
		object_add_endpoint(o, e->pid, VIA_FD, e->fd, mode, role);
	}
}

/* Is the directory an mqueue mount? A fixture tree's plain directory is. */
static bool mq_mounted(const struct ipc_ctx *ctx, DIR *d)
{
	struct statfs sfs;

	if (!ctx->live)
		return true;
	return fstatfs(dirfd(d), &sfs) == 0 && sfs.f_type == MQ_FS_MAGIC;
}

static int probe_posix_mq_scan(const struct ipc_ctx *ctx, struct fd_table *fdt,
			       struct snapshot *snap)
{
	struct mq_scan s = { .ctx = ctx, .snap = snap };
	struct dirent *de;
	struct stat st;
	DIR *d;

	d = ctx_opendir(ctx, MQ_DIR);
	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? -1 : 0;
	if (!mq_mounted(ctx, d) || fstat(dirfd(d), &st) < 0) {
		closedir(d);
		return -1;
	}
	s.dev_major = major(st.st_dev);
	s.dev_minor = minor(st.st_dev);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			mq_add_entry(&s, de->d_name);
	closedir(d);

	mq_match_fds(&s, fdt);
	posix_index_free(&s.byino);
	posix_index_free(&s.byname);
	return 0;
}

const struct probe probe_posix_mq = {
	.name = "posix_mq",
	.kinds = KIND_BIT(KIND_POSIX_MQ),
	.scan = probe_posix_mq_scan,
};
