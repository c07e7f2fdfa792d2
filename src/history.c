#include "config.h"

#include "history.h"

#include <stdlib.h>

/* How many IPC endpoints a process writes to / reads from: its I/O
 * counters are attributed to an object only when it has exactly one. */
struct busy {
	unsigned writers, readers;
};

static bool streamy(enum obj_kind k)
{
	return k == KIND_PIPE || k == KIND_FIFO || k == KIND_UNIX || k == KIND_UDP ||
	       k == KIND_TCP;
}

static int64_t delta(int64_t now, int64_t then)
{
	return HAS(now) && HAS(then) && now >= then ? now - then : NONE;
}

/* Estimate from the writer processes' wchar/syscw when each of them has one
 * IPC endpoint only: the change of their write counters is this object's. */
static void estimate(const struct snapshot *prev, struct snapshot *cur, struct ipc_object *o,
		     const struct busy *busy, double dt)
{
	int64_t bytes = 0, calls = 0;
	bool any = false;

	for (size_t i = 0; i < o->neps; i++) {
		const struct ipc_endpoint *e = &o->eps[i];
		const struct ipc_process *p, *q;
		size_t idx;

		if (e->via != VIA_FD || !(e->mode == MODE_W || e->mode == MODE_RW))
			continue;
		p = snapshot_process(cur, e->pid);
		q = snapshot_process(prev, e->pid);
		if (!p || !q)
			return;
		idx = (size_t)(p - cur->procs);
		if (busy[idx].writers != 1)
			return;
		int64_t db = delta(p->wchar, q->wchar), dc = delta(p->syscw, q->syscw);
		if (!HAS(db) || !HAS(dc))
			return;
		bytes += db;
		calls += dc;
		any = true;
	}
	if (!any)
		return;
	o->rate.valid = o->rate.has_bytes = o->rate.estimate = true;
	o->rate.bytes_per_s = (double)bytes / dt;
	if (o->kind != KIND_PIPE && o->kind != KIND_FIFO && o->kind != KIND_TCP) {
		o->rate.has_messages = true;
		o->rate.messages_per_s = (double)calls / dt;
	}
}

void history_apply(const struct snapshot *prev, struct snapshot *cur)
{
	double dt;
	struct busy *busy;

	if (!prev)
		return;
	dt = cur->time - prev->time;
	if (dt <= 0)
		dt = 1e-3;
	busy = calloc(cur->nprocs ? cur->nprocs : 1, sizeof(*busy));
	if (!busy)
		return;
	for (size_t i = 0; i < cur->nobjs; i++) {
		const struct ipc_object *o = cur->objs[i];
		/* objects in sorted order are scattered in memory: fetch ahead */
		if (i + 8 < cur->nobjs)
			__builtin_prefetch(cur->objs[i + 8]);
		if (!streamy(o->kind))
			continue;
		for (size_t j = 0; j < o->neps; j++) {
			const struct ipc_endpoint *e = &o->eps[j];
			const struct ipc_process *p = snapshot_process(cur, e->pid);
			if (!p || e->via != VIA_FD)
				continue;
			if (e->mode == MODE_W || e->mode == MODE_RW)
				busy[p - cur->procs].writers++;
			if (e->mode == MODE_R || e->mode == MODE_RW)
				busy[p - cur->procs].readers++;
		}
	}

	for (size_t i = 0, next = 0; i < cur->nobjs; i++) {
		struct ipc_object *o = cur->objs[i];
		const struct ipc_object *q = snapshot_find_next(prev, o, &next);

		if (i + 8 < cur->nobjs)
			__builtin_prefetch(&cur->objs[i + 8]->tx_total);
		if (next + 8 < prev->nobjs)
			__builtin_prefetch(prev->objs[next + 8]); /* its id is just before */

		if (!q) {
			o->flags |= FLAG_NEW;
			continue;
		}
		int64_t tx = delta(o->tx_total, q->tx_total), rx = delta(o->rx_total, q->rx_total);
		if (HAS(tx) || HAS(rx)) {
			/* kernel-counted (tcp_info bytes_acked + bytes_received) */
			o->rate.valid = o->rate.has_bytes = true;
			o->rate.bytes_per_s = (double)((HAS(tx) ? tx : 0) + (HAS(rx) ? rx : 0)) / dt;
		} else if (HAS(o->msg_total) && HAS(q->msg_total)) {
			int64_t dm = delta(o->msg_total, q->msg_total);
			if (HAS(dm)) {
				o->rate.valid = o->rate.has_messages = true;
				o->rate.messages_per_s = (double)dm / dt;
			}
		} else if (streamy(o->kind)) {
			estimate(prev, cur, o, busy, dt);
		}
		/* whether a counter (not only the depth) tells the object is idle */
		bool counted = o->rate.valid;
		bool timed = HAS(o->stime) || HAS(o->rtime);

		if (!o->rate.valid && (HAS(o->queue.messages) || HAS(o->queue.bytes))) {
			/* the change of the queue depth: what a viewer sees move */
			int64_t dm = HAS(o->queue.messages) && HAS(q->queue.messages) ?
					     o->queue.messages - q->queue.messages : NONE;
			int64_t db = HAS(o->queue.bytes) && HAS(q->queue.bytes) ?
					     o->queue.bytes - q->queue.bytes : NONE;
			if (HAS(dm) || HAS(db)) {
				o->rate.valid = o->rate.estimate = true;
				o->rate.has_messages = HAS(dm);
				o->rate.messages_per_s = HAS(dm) ? (double)llabs(dm) / dt : 0;
				o->rate.has_bytes = HAS(db);
				o->rate.bytes_per_s = HAS(db) ? (double)llabs(db) / dt : 0;
			}
		}

		/* stuck: something is queued, the depth did not change, and no
		 * operation happened since (SysV times where the kernel keeps them) */
		bool queued = (HAS(o->queue.messages) && o->queue.messages > 0) ||
			      (HAS(o->queue.bytes) && o->queue.bytes > 0);
		bool same = o->queue.messages == q->queue.messages && o->queue.bytes == q->queue.bytes;
		bool idle = timed ? o->stime == q->stime && o->rtime == q->rtime :
				    counted && o->rate.bytes_per_s == 0 && o->rate.messages_per_s == 0;
		if (queued && same && idle && (q->flags & FLAG_STUCK || dt >= 1.0))
			o->flags |= FLAG_STUCK;
	}
	free(busy);
}
