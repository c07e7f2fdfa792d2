#include "config.h"

#include "rundump.h"

#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#include "bpfiter.h"
#include "rundump_rec.h"
#include "xalloc.h"


char rundump_state(uint32_t state, uint32_t exit_state)
{
	/* include/linux/sched.h: the low bits have kept their values */
	switch (exit_state) {
	case 0:
		break;
	case 0x10: /* EXIT_DEAD */
		return 'X';
	case 0x20: /* EXIT_ZOMBIE */
		return 'Z';
	default:
		return 0;
	}
	switch (state) {
	case 0: /* TASK_RUNNING */
		return 'R';
	case 1: /* TASK_INTERRUPTIBLE */
		return 'S';
	case 2: /* TASK_UNINTERRUPTIBLE */
		return 'D';
	case 4: /* __TASK_STOPPED */
		return 'T';
	case 8: /* __TASK_TRACED */
		return 't';
	case 0x402: /* TASK_IDLE: TASK_UNINTERRUPTIBLE | TASK_NOLOAD (0x400) */
		return 'I';
	default:
		return 0;
	}
}

static int rundump_cmp(const void *a, const void *b)
{
	pid_t x = ((const struct rundump_proc *)a)->pid, y = ((const struct rundump_proc *)b)->pid;

	return (x > y) - (x < y);
}

ssize_t rundump_parse(const void *buf, size_t n, pid_t skip, struct rundump_proc *procs)
{
	size_t k = 0;
	bool sorted = true;

	if (n % sizeof(struct rundump_rec))
		return -1;
	for (size_t off = 0; off < n; off += sizeof(struct rundump_rec)) {
		struct rundump_rec r;
		struct rundump_proc *p = &procs[k];

		memcpy(&r, (const char *)buf + off, sizeof(r));
		if (!r.tgid || r.tgid > INT32_MAX || (pid_t)r.tgid == skip)
			continue;
		p->pid = (pid_t)r.tgid;
		p->ppid = r.ppid <= INT32_MAX ? (pid_t)r.ppid : 0;
		p->runtime = r.runtime;
		p->pcount = r.pcount;
		p->start = r.start;
		p->sig_pending = r.sigpnd;
		p->sig_shared = r.shdpnd;
		p->sig_blocked = r.sigblk;
		p->sig_ignored = r.sigign;
		p->sig_caught = r.sigcgt;
		p->sig_ok = r.sig_ok != 0;
		p->nlwp = r.nr_threads;
		p->state = rundump_state(r.state, r.exit_state);
		p->on_cpu = r.on_cpu != 0;
		p->kthread = r.kthread != 0;
		if (k && procs[k - 1].pid >= p->pid)
			sorted = false;
		k++;
	}
	if (!sorted)
		qsort(procs, k, sizeof(*procs), rundump_cmp);
	/* one pid twice: not expected of the iterator, not trusted */
	for (size_t i = 1; i < k; i++)
		if (procs[i].pid == procs[i - 1].pid)
			return -1;
	return (ssize_t)k;
}

struct rundump {
	struct bpfiter *bi;
	pid_t self;
	char *buf;
	size_t cap;
	struct rundump_proc *procs;
	size_t procs_cap;
};

bool rundump_wanted(void)
{
	const char *v = getenv("IPCTOP_RUNDUMP");

	return !v || strcmp(v, "off") != 0;
}

struct rundump *rundump_open(const struct ipc_ctx *ctx, struct bpfiter *bi)
{
	struct rundump *rd;

	if (!bi || !rundump_wanted())
		return NULL;
	rd = xcalloc(1, sizeof(*rd));
	rd->bi = bi;
	rd->self = ctx->self;
	return rd;
}

ssize_t rundump_read(struct rundump *rd, const struct rundump_proc **procs)
{
	size_t len = 0, n;

	if (bpfiter_read(rd->bi, BPFITER_RUNDUMP, &rd->buf, &rd->cap, &len) < 0)
		return -1;
	n = len / sizeof(struct rundump_rec);
	if (n > rd->procs_cap) {
		rd->procs_cap = n + n / 4;
		rd->procs = xreallocarray(rd->procs, rd->procs_cap, sizeof(*rd->procs));
	}
	*procs = rd->procs;
	return rundump_parse(rd->buf, len, rd->self, rd->procs);
}

void rundump_close(struct rundump *rd)
{
	if (!rd)
		return;
	free(rd->buf);
	free(rd->procs);
	free(rd);
}
