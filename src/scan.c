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
#include "bpfiter.h"
#include "fddump.h"
#include "fdtable.h"
#include "probe.h"
#include "procs.h"
#include "rundump.h"
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
	struct procs_cache *pc;
	struct bpfiter *bi; /* loaded at the first refresh, for the session */
	bool bi_tried;
};

static bool scan_quiet(const void *arg, pid_t pid)
{
	return fd_cache_quiet(arg, pid);
}

static const struct rundump_proc *scan_facts(const void *arg, pid_t pid)
{
	return fd_cache_facts(arg, pid);
}

static const pid_t *scan_pids(const void *arg, size_t *n)
{
	return fd_cache_pids(arg, n);
}

struct scan_cache *scan_cache_new(void)
{
	struct scan_cache *c = xcalloc(1, sizeof(*c));

	/* IPCTOP_NO_CACHE=1 reads everything every refresh (tests compare) */
	if (!getenv("IPCTOP_NO_CACHE") || strcmp(getenv("IPCTOP_NO_CACHE"), "1") != 0) {
		c->fdc = fd_cache_new();
		c->pc = procs_cache_new(scan_quiet, scan_facts, scan_pids, c->fdc);
	}
	return c;
}

void scan_cache_free(struct scan_cache *c)
{
	if (!c)
		return;
	procs_cache_free(c->pc);
	fd_cache_free(c->fdc);
	bpfiter_unload(c->bi);
	free(c);
}

size_t scan_cache_facts_dumped(const struct scan_cache *c)
{
	return procs_cache_dumped(c ? c->pc : NULL);
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

/* The probes marked beside (netlink dumps: mostly kernel time) run each in
 * a thread of its own, into a snapshot of its own merged after. Their
 * dumps (gather) start with the refresh, beside the run states, process
 * facts and fd table, and beside each other; the rest waits for the fd
 * table. On two cores a refresh is that much shorter. */
#define BESIDE_MAX 4

struct beside;

struct beside_one {
	struct beside *b;
	const struct probe *p;
	struct snapshot *snap;
	pthread_t th;
};

struct beside {
	const struct ipc_ctx *ctx;
	struct fd_table *fdt; /* set, under lock, once filled */
	struct beside_one one[BESIDE_MAX];
	size_t n;
	pthread_mutex_t lock;
	pthread_cond_t ready;
	bool threaded;
};

static void *beside_run(void *arg)
{
	struct beside_one *o = arg;
	struct beside *b = o->b;
	const struct probe *p = o->p;
	void *gathered = p->gather ? p->gather(b->ctx) : NULL;
	struct fd_table *fdt;
	int r;

	pthread_mutex_lock(&b->lock);
	while (!b->fdt)
		pthread_cond_wait(&b->ready, &b->lock);
	fdt = b->fdt;
	pthread_mutex_unlock(&b->lock);
	r = p->gather ? p->scan_gathered(b->ctx, fdt, o->snap, gathered)
		      : p->scan(b->ctx, fdt, o->snap);
	if (r < 0)
		o->snap->kinds_unavailable |= p->kinds & b->ctx->kinds;
	return NULL;
}

/* Starts a thread per beside probe wanted; threaded is false (the caller
 * runs them in line) unless all could be started. */
static void beside_start(struct beside *b, const struct ipc_ctx *ctx)
{
	b->ctx = ctx;
	b->fdt = NULL;
	b->n = 0;
	b->threaded = ctx->live;
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->ready, NULL);
	for (size_t i = 0; i < probe_registry_len && b->threaded; i++) {
		const struct probe *p = probe_registry[i];
		struct beside_one *o = &b->one[b->n];

		if (!p->beside || !(p->kinds & ctx->kinds))
			continue;
		if (b->n == BESIDE_MAX) {
			b->threaded = false;
			break;
		}
		*o = (struct beside_one){ .b = b, .p = p, .snap = snapshot_new() };
		if (pthread_create(&o->th, NULL, beside_run, o) != 0) {
			snapshot_free(o->snap);
			b->threaded = false;
			break;
		}
		b->n++;
	}
	if (!b->threaded) { /* the started ones finish, unmerged */
		pthread_mutex_lock(&b->lock);
		b->fdt = &(struct fd_table){ 0 };
		pthread_cond_broadcast(&b->ready);
		pthread_mutex_unlock(&b->lock);
		for (size_t i = 0; i < b->n; i++) {
			pthread_join(b->one[i].th, NULL);
			snapshot_free(b->one[i].snap);
		}
		b->n = 0;
	}
}

/* The fd table is filled: the beside probes may read it. */
static void beside_go(struct beside *b, struct fd_table *fdt)
{
	pthread_mutex_lock(&b->lock);
	b->fdt = fdt;
	pthread_cond_broadcast(&b->ready);
	pthread_mutex_unlock(&b->lock);
}

static void beside_finish(struct beside *b, struct snapshot *s)
{
	for (size_t i = 0; i < b->n; i++) {
		pthread_join(b->one[i].th, NULL);
		snapshot_merge(s, b->one[i].snap);
		snapshot_free(b->one[i].snap);
	}
	pthread_mutex_destroy(&b->lock);
	pthread_cond_destroy(&b->ready);
}

/* The fd table is read in a thread (with a second one of its own) while
 * this one reads the process facts: neither needs the other until
 * fdtable_note_procs(). Not the other way round: libproc2 keeps buffers in
 * thread-local storage, which a thread ending each refresh would leak. */
struct fd_job {
	const struct ipc_ctx *ctx;
	struct fd_table *fdt;
	struct fd_cache *fdc;
	pthread_t th;
	bool threaded;
	int rc, err;
};

static void *fd_job_run(void *arg)
{
	struct fd_job *j = arg;

	j->rc = fdtable_scan_cached(j->ctx, j->fdt, j->fdc);
	j->err = errno;
	return NULL;
}

static void fd_job_start(struct fd_job *j, const struct ipc_ctx *ctx, struct fd_table *fdt,
			 struct fd_cache *fdc)
{
	*j = (struct fd_job){ .ctx = ctx, .fdt = fdt, .fdc = fdc };
	j->threaded = ctx->live && pthread_create(&j->th, NULL, fd_job_run, j) == 0;
	if (!j->threaded)
		fd_job_run(j);
}

static int fd_job_finish(struct fd_job *j)
{
	if (j->threaded)
		pthread_join(j->th, NULL);
	errno = j->err;
	return j->rc;
}

struct snapshot *scan_snapshot(struct ipc_ctx *ctx)
{
	return scan_snapshot_cached(ctx, NULL);
}

struct snapshot *scan_snapshot_cached(struct ipc_ctx *ctx, struct scan_cache *cache)
{
	struct fd_cache *fdc = cache ? cache->fdc : NULL;
	struct procs_cache *pc = cache ? cache->pc : NULL;
	struct snapshot *s;
	struct fd_table fdt;
	struct timeval tv;
	struct scan_timing tm = { .on = getenv("IPCTOP_TIMING") != NULL };
	struct beside bs;
	struct fd_job fj;
	int rc, saved;
	size_t dumped;

	timing_mark(&tm, NULL);
	s = snapshot_new();
	gettimeofday(&tv, NULL);
	s->time = (double)tv.tv_sec + tv.tv_usec / 1e6;
	s->host = read_host(ctx);
	s->root = ctx->privileged;

	if (fdc && !cache->bi_tried) {
		cache->bi_tried = true;
		if (rundump_wanted() || fddump_setting() != FDDUMP_OFF)
			cache->bi = bpfiter_load(ctx, true);
		fd_cache_use_bpf(fdc, cache->bi);
	}
	beside_start(&bs, ctx);
	/* run states before process facts and fds: the order the caches rely on */
	fd_cache_begin(ctx, fdc);
	timing_mark(&tm, "runstate");
	fd_job_start(&fj, ctx, &fdt, fdc);
	procs_scan_cached(ctx, s, pc);
	timing_mark(&tm, "procs");
	rc = fd_job_finish(&fj);
	saved = errno;
	dumped = fdt.dumped;
	timing_mark(&tm, "fdtable");
	fdtable_note_procs(&fdt, s);
	procs_finish_ns(ctx, s);
	beside_go(&bs, &fdt);
	if (rc < 0) {
		beside_finish(&bs, s);
		fdtable_free(&fdt);
		snapshot_free(s);
		errno = saved;
		return NULL;
	}
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
	if (pc && ctx->live)
		procs_cache_keep(pc, s);
	timing_mark(&tm, "sort");
	if (tm.on) {
		size_t reused, nread;

		fd_cache_stats(fdc, &reused, &nread);
		fprintf(stderr,
			"ipctop timing (ms):%s reused=%zu read=%zu procs_reused=%zu "
			"procs_dumped=%zu dumped=%zu\n",
			tm.line, reused, nread, procs_cache_reused(pc), procs_cache_dumped(pc), dumped);
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
