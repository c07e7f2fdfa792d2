#include "config.h"

#include "scan.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "blocked.h"
#include "fdtable.h"
#include "probe.h"
#include "procs.h"
#include "xalloc.h"

static char *read_host(const struct ipc_ctx *ctx)
{
	char buf[256];

	if (ctx_read_buf(ctx, "/proc/sys/kernel/hostname", buf, sizeof(buf)) > 0) {
		buf[strcspn(buf, "\n")] = '\0';
		return xstrdup(buf);
	}
	if (ctx->live && gethostname(buf, sizeof(buf)) == 0) {
		buf[sizeof(buf) - 1] = '\0';
		return xstrdup(buf);
	}
	return NULL;
}

struct snapshot *scan_snapshot(struct ipc_ctx *ctx)
{
	struct snapshot *s;
	struct fd_table fdt;
	struct timeval tv;
	int saved;

	s = snapshot_new();
	gettimeofday(&tv, NULL);
	s->time = (double)tv.tv_sec + tv.tv_usec / 1e6;
	s->host = read_host(ctx);
	s->root = ctx->privileged;

	procs_scan(ctx, s);
	if (fdtable_scan(ctx, &fdt, s) < 0) {
		saved = errno;
		fdtable_free(&fdt);
		snapshot_free(s);
		errno = saved;
		return NULL;
	}
	for (size_t i = 0; i < probe_registry_len; i++) {
		const struct probe *p = probe_registry[i];
		if (!(p->kinds & ctx->kinds))
			continue;
		if (p->scan(ctx, &fdt, s) < 0)
			s->kinds_unavailable |= p->kinds & ctx->kinds;
	}
	for (size_t i = 0; i < probe_registry_len; i++) {
		const struct probe *p = probe_registry[i];
		if ((p->kinds & ctx->kinds) && p->finish)
			p->finish(ctx, s);
	}
	fdtable_free(&fdt);
	blocked_resolve(ctx, s);
	snapshot_sort(s);
	return s;
}

struct filter_arg {
	const pid_t *pids;
	size_t npids;
	unsigned kinds;
	const struct snapshot *s;
};

static bool touches(const struct ipc_object *o, const struct filter_arg *a)
{
	for (size_t i = 0; i < o->neps; i++)
		for (size_t j = 0; j < a->npids; j++)
			if (o->eps[i].pid == a->pids[j])
				return true;
	return false;
}

static bool keep(const struct ipc_object *o, void *arg)
{
	const struct filter_arg *a = arg;

	if (!(KIND_BIT(o->kind) & a->kinds))
		return false;
	if (!a->npids || touches(o, a))
		return true;
	/* the other end of a socket that one of the processes holds */
	if (HAS(o->peer_inode)) {
		char id[64];
		const struct ipc_object *p;

		snprintf(id, sizeof(id), "%s:%" PRId64, kind_name(o->kind), o->peer_inode);
		p = snapshot_find(a->s, id);
		if (p && touches(p, a))
			return true;
	}
	return false;
}

void scan_filter(struct snapshot *s, const pid_t *pids, size_t npids, unsigned kinds)
{
	struct filter_arg a = { pids, npids, kinds, s };

	if (!npids && (kinds & KIND_ALL) == KIND_ALL)
		return;
	snapshot_filter(s, keep, &a);
}
