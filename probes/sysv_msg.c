#include "config.h"

#include "sysvipc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/msg.h>

#include "probe.h"

/*
 * SysV message queues, from /proc/sysvipc/msg: depth (cbytes, qnum), the
 * last sender and receiver, times. The capacity (msg_qbytes) is not in that
 * file; on the live system msgctl(IPC_STAT) gives it without touching the
 * queue. IPC_STAT needs read permission; when refused, MSG_STAT_ANY (Linux
 * 4.17) gives the same for anyone, addressed by the slot index in the id.
 *
 * Endpoints: the last sender and receiver (via lastop) when alive. A queue
 * records no creator pid (only cuid), so it has no creator endpoint and is
 * never flagged orphan: nothing here says whether its users are gone.
 */

static int64_t clamp64(uint64_t v)
{
	return v > INT64_MAX ? NONE : (int64_t)v;
}

/* msg_qbytes of the queue, or NONE. *gone is set when the id vanished. */
static int64_t msg_capacity(int msqid, bool *gone)
{
	struct msqid_ds ds;

	*gone = false;
	if (msgctl(msqid, IPC_STAT, &ds) == 0)
		return (int64_t)ds.msg_qbytes;
	if (errno == EINVAL || errno == EIDRM) {
		*gone = true;
		return NONE;
	}
#ifdef MSG_STAT_ANY
	/* An id is seq << shift | index; the shift is 15, or 24 with the
	 * ipcmni_extend boot option. MSG_STAT_ANY returns the id it found,
	 * so a wrong guess is recognised. */
	static const unsigned shifts[] = { 15, 24 };

	for (size_t i = 0; i < sizeof(shifts) / sizeof(shifts[0]); i++) {
		int idx = msqid & ((1 << shifts[i]) - 1);

		if (msgctl(idx, MSG_STAT_ANY, &ds) == msqid)
			return (int64_t)ds.msg_qbytes;
	}
#endif
	return NONE;
}

/* "full": a sender of a message of the average queued size (at least one
 * byte) would block. The kernel lets msgsnd() proceed while
 * cbytes + size <= qbytes and qnum + 1 <= qbytes (ipc/msg.c
 * msg_fits_inqueue), so this also covers a queue of many tiny messages. */
static bool msg_is_full(int64_t cbytes, int64_t qnum, int64_t qbytes)
{
	int64_t avg;

	if (!HAS(cbytes) || !HAS(qnum) || !HAS(qbytes))
		return false;
	avg = qnum > 0 ? (cbytes + qnum - 1) / qnum : 1;
	if (avg < 1)
		avg = 1;
	return cbytes + avg > qbytes || qnum + 1 > qbytes;
}

static void msg_add_lastop(struct ipc_object *o, const struct snapshot *snap, int64_t pid,
			   enum ep_role role)
{
	if (pid > 0 && snapshot_process(snap, (pid_t)pid))
		object_add_endpoint(o, (pid_t)pid, VIA_LASTOP, -1, MODE_NONE, role);
}

static void msg_add(const struct ipc_ctx *ctx, struct snapshot *snap, const struct sysvipc_msg *m)
{
	struct ipc_object *o;
	int64_t capacity = NONE;

	if (ctx->live) {
		bool gone;

		capacity = msg_capacity(m->id, &gone);
		if (gone)
			return; /* removed since the file was read */
	}
	o = snapshot_object(snap, KIND_SYSV_MSG, NULL, "sysv_msg:%d", m->id);
	o->key = m->key;
	o->ipcid = m->id;
	o->queue.bytes = clamp64(m->cbytes);
	o->queue.messages = clamp64(m->qnum);
	o->queue.capacity = capacity;
	o->lspid = m->lspid;
	o->lrpid = m->lrpid;
	o->uid = m->uid;
	o->mode = m->perms & SYSVIPC_MODE_MASK;
	o->stime = clamp64(m->stime);
	o->rtime = clamp64(m->rtime);
	o->ctime = clamp64(m->ctime);
	if (msg_is_full(o->queue.bytes, o->queue.messages, capacity))
		o->flags |= FLAG_FULL;
	msg_add_lastop(o, snap, o->lspid, ROLE_LAST_SENDER);
	msg_add_lastop(o, snap, o->lrpid, ROLE_LAST_RECEIVER);
}

static int msg_scan(const struct ipc_ctx *ctx, struct fd_table *fdt, struct snapshot *snap)
{
	char *buf, *cursor, *line;

	buf = ctx_read_file(ctx, "/proc/sysvipc/msg", NULL);
	if (!buf)
		return -1;
	cursor = buf;
	while ((line = sysvipc_next_line(&cursor))) {
		struct sysvipc_msg m;

		if (sysvipc_parse_msg_line(line, &m) == SYSVIPC_OK)
			msg_add(ctx, snap, &m);
	}
	free(buf);
	return 0;
}

const struct probe probe_sysv_msg = {
	.name = "sysv_msg",
	.kinds = KIND_BIT(KIND_SYSV_MSG),
	.scan = msg_scan,
};
