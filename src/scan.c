#include "config.h"

#include "scan.h"

#include <errno.h>
#include <pthread.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
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

struct scan_cache {
	struct fd_cache *fdc;
};

struct scan_cache *scan_cache_new(void)
{
	struct scan_cache *c = xcalloc(1, sizeof(*c));

	/* IPCTOP_NO_CACHE=1 reads everything every refresh (tests compare) */
	if (!getenv("IPCTOP_NO_CACHE") || strcmp(getenv("IPCTOP_NO_CACHE"), "1") != 0)
		c->fdc = fd_cache_new();
	return c;
}

void scan_cache_free(struct scan_cache *c)
{
	if (!c)
		return;
	fd_cache_free(c->fdc);
	free(c);
}

void scan_cache_stats(const struct scan_cache *c, size_t *reused, size_t *read)
{
	fd_cache_stats(c ? c->fdc : NULL, reused, read);
}

/* IPCTOP_TIMING=1: where a refresh's time goes, one stderr line a refresh
 * (what tests/bench/run.sh reports; costs two clock reads a phase). */
struct scan_timing {
	bool on;
	struct timespec last;
	char line[512];
	size_t len;
};

static void timing_mark(struct scan_timing *t, const char *what)
{
	struct timespec now;
	double ms;
	int n;

	if (!t->on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (double)(now.tv_sec - t->last.tv_sec) * 1e3 + (now.tv_nsec - t->last.tv_nsec) / 1e6;
	t->last = now;
	if (!what)
		return;
	n = snprintf(t->line + t->len, sizeof(t->line) - t->len, " %s=%.1f", what, ms);
	if (n > 0 && (size_t)n < sizeof(t->line) - t->len)
		t->len += (size_t)n;
}

/* The probes marked beside (netlink dumps: mostly kernel time) run in a
 * thread of their own, into a snapshot of their own merged after, while
 * this thread runs the others: on two cores a refresh is that much shorter. */
struct beside {
	const struct ipc_ctx *ctx;
	struct fd_table *fdt;
	struct snapshot *snap;
	pthread_t th;
	bool threaded;
};

static void *beside_run(void *arg)
{
	struct beside *b = arg;

	for (size_t i = 0; i < probe_registry_len; i++) {
		const struct probe *p = probe_registry[i];

		if (p->beside && (p->kinds & b->ctx->kinds) && p->scan(b->ctx, b->fdt, b->snap) < 0)
			b->snap->kinds_unavailable |= p->kinds & b->ctx->kinds;
	}
	return NULL;
}

static void beside_start(struct beside *b, const struct ipc_ctx *ctx, struct fd_table *fdt)
{
	b->ctx = ctx;
	b->fdt = fdt;
	b->snap = snapshot_new();
	b->threaded = ctx->live && pthread_create(&b->th, NULL, beside_run, b) == 0;
	if (!b->threaded) {
		snapshot_free(b->snap);
		b->snap = NULL;
	}
}

static void beside_finish(struct beside *b, struct snapshot *s)
{
	if (!b->threaded)
		return;
	pthread_join(b->th, NULL);
	snapshot_merge(s, b->snap);
	snapshot_free(b->snap);
}

struct snapshot *scan_snapshot(struct ipc_ctx *ctx)
{
	return scan_snapshot_cached(ctx, NULL);
}

struct snapshot *scan_snapshot_cached(struct ipc_ctx *ctx, struct scan_cache *cache)
{
	struct fd_cache *fdc = cache ? cache->fdc : NULL;
	struct snapshot *s;
	struct fd_table fdt;
	struct timeval tv;
	struct scan_timing tm = { .on = getenv("IPCTOP_TIMING") != NULL };
	struct beside bs;
	int saved;

	timing_mark(&tm, NULL);
	s = snapshot_new();
	gettimeofday(&tv, NULL);
	s->time = (double)tv.tv_sec + tv.tv_usec / 1e6;
	s->host = read_host(ctx);
	s->root = ctx->privileged;

	/* run states before process states: the order the cache relies on */
	fd_cache_begin(ctx, fdc);
	timing_mark(&tm, "runstate");
	procs_scan(ctx, s);
	timing_mark(&tm, "procs");
	if (fdtable_scan_cached(ctx, &fdt, s, fdc) < 0) {
		saved = errno;
		fdtable_free(&fdt);
		snapshot_free(s);
		errno = saved;
		return NULL;
	}
	timing_mark(&tm, "fdtable");
	beside_start(&bs, ctx, &fdt);
	for (size_t i = 0; i < probe_registry_len; i++) {
		const struct probe *p = probe_registry[i];
		if (!(p->kinds & ctx->kinds) || (p->beside && bs.threaded))
			continue;
		if (p->scan(ctx, &fdt, s) < 0)
			s->kinds_unavailable |= p->kinds & ctx->kinds;
		timing_mark(&tm, p->name);
	}
	beside_finish(&bs, s);
	timing_mark(&tm, "beside");
	for (size_t i = 0; i < probe_registry_len; i++) {
		const struct probe *p = probe_registry[i];
		if ((p->kinds & ctx->kinds) && p->finish)
			p->finish(ctx, s);
	}
	if (fdc && ctx->live)
		fd_cache_keep(fdc, &fdt);
	fdtable_free(&fdt);
	timing_mark(&tm, "finish");
	blocked_resolve(ctx, s);
	timing_mark(&tm, "blocked");
	snapshot_sort(s);
	timing_mark(&tm, "sort");
	if (tm.on) {
		size_t reused, nread;

		fd_cache_stats(fdc, &reused, &nread);
		fprintf(stderr, "ipctop timing (ms):%s reused=%zu read=%zu\n", tm.line, reused,
			nread);
	}
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
