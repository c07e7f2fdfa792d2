#include "config.h"

#include "fdtable.h"
#include "fdtable_int.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kcmp.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fddump.h"
#include "rundump.h"
#include "xalloc.h"

/*
 * The cache. A process's fd table changes only while one of its threads
 * runs: open, close, dup, socket, accept, exec (close-on-exec), exit are
 * system calls of its own; a seccomp supervisor's ADDFD is carried out by
 * the target when it wakes; pidfd_getfd copies out and changes nothing.
 * The exception is a table shared by clone(CLONE_FILES) without
 * CLONE_THREAD: another process changes it. Its shared mappings likewise
 * change only by its own mmap/munmap/shmat/shmdt/mremap/exec.
 *
 * So a process is reused when all of this holds, else read again:
 *  - it is single-threaded (threads would each need their own check);
 *  - its /proc/PID directory has the cached inode number (d_ino of the
 *    readdir): a new process with the same pid gets a new proc inode (the
 *    old dentry fails pid_revalidate), so the pid was not reused;
 *  - its state, read last time after its run state (procs_scan runs after
 *    fd_cache_begin, beside the fd table), was not R: it was off the CPU,
 *    so a run that ended since has updated its run time;
 *  - /proc/PID/schedstat (sched_info: run time in ns and pcount, the times
 *    it was switched in), read before its fds were, is unchanged: it was not
 *    switched in since, and had it been on the CPU when the old values were
 *    read, leaving it would have added run time (update_curr);
 *  - no other process shares its fd table (kcmp KCMP_FILES, below), nor
 *    shared it when it was read: sharing can only begin by its own clone.
 * Everything else (stat of path fds, queues, sockets, process facts) is
 * read fresh by the probes each refresh.
 */
struct fdc_order {
	pid_t pid;
	bool shared;
};

/* The run state of a process, read before procs_scan reads its state and
 * thread count (the order the argument above needs). */
struct fdc_run {
	pid_t pid;
	uint64_t runtime, pcount;
	/* which process has the pid: the inode of /proc/PID, or from the run
	 * dump its start time with the top bit set (never an inode number) */
	uint64_t dino;
	bool on_cpu;      /* the run dump saw it on a CPU */
	bool have_facts;  /* facts is the run dump's */
	struct rundump_proc facts;
};

struct fd_cache {
	struct fdc_run *runs; /* fd_cache_begin(), sorted by pid */
	size_t nruns, runs_cap;
	struct fd_table prev;
	bool have_prev;
	size_t *hash; /* pid -> index in prev.procs */
	size_t hash_cap;
	struct fdc_order *order; /* processes sorted by fd table (kcmp) */
	size_t norder, order_cap;
	size_t reused, read;
	struct bpfiter *bi; /* the loaded BPF programs (fd_cache_use_bpf) */
	struct rundump *rd; /* the run dump, through bi */
	pid_t *pids;        /* every process the run dump listed (fd_cache_pids) */
	size_t npids, pids_cap;
	bool have_pids;
};

#define FDC_EMPTY ((size_t)-1)

struct fd_cache *fd_cache_new(void)
{
	return xcalloc(1, sizeof(struct fd_cache));
}

void fd_cache_free(struct fd_cache *c)
{
	if (!c)
		return;
	fdtable_free(&c->prev);
	free(c->hash);
	free(c->order);
	free(c->runs);
	free(c->pids);
	rundump_close(c->rd);
	free(c);
}

void fd_cache_use_bpf(struct fd_cache *c, struct bpfiter *bi)
{
	if (c && c->bi != bi) {
		rundump_close(c->rd);
		c->rd = NULL;
		c->bi = bi;
	}
}

void fd_cache_stats(const struct fd_cache *c, size_t *reused, size_t *read)
{
	*reused = c ? c->reused : 0;
	*read = c ? c->read : 0;
}

static size_t fdc_hash_pid(pid_t pid, size_t cap)
{
	return ((size_t)pid * 2654435761u) & (cap - 1);
}

void fd_cache_keep(struct fd_cache *c, struct fd_table *t)
{
	size_t cap = 64;

	fdtable_free(&c->prev);
	c->prev = *t;
	c->have_prev = true;
	memset(t, 0, sizeof(*t));
	while (cap < c->prev.nprocs * 2 + 2)
		cap *= 2;
	free(c->hash);
	c->hash = xmalloc(cap * sizeof(size_t));
	memset(c->hash, 0xff, cap * sizeof(size_t));
	c->hash_cap = cap;
	for (size_t i = 0; i < c->prev.nprocs; i++) {
		size_t h = fdc_hash_pid(c->prev.procs[i].pid, cap);
		while (c->hash[h] != FDC_EMPTY)
			h = (h + 1) & (cap - 1);
		c->hash[h] = i;
	}
}

static const struct fd_proc *fdc_find(const struct fd_cache *c, pid_t pid)
{
	if (!c->have_prev || !c->hash_cap)
		return NULL;
	for (size_t h = fdc_hash_pid(pid, c->hash_cap);; h = (h + 1) & (c->hash_cap - 1)) {
		size_t i = c->hash[h];
		if (i == FDC_EMPTY)
			return NULL;
		if (c->prev.procs[i].pid == pid)
			return &c->prev.procs[i];
	}
}

/* "RUNTIME RUN_DELAY PCOUNT\n" (Documentation/scheduler/sched-stats.rst). */
static bool read_schedstat(int procfd, pid_t pid, uint64_t *runtime, uint64_t *pcount)
{
	char path[64], buf[128];
	unsigned long long rt, delay, pc;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%d/schedstat", (int)pid);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	if (sscanf(buf, "%llu %llu %llu", &rt, &delay, &pc) != 3)
		return false;
	*runtime = rt;
	*pcount = pc;
	return true;
}

/* kcmp(KCMP_FILES) orders fd tables (by an obfuscated pointer): -1 unknown,
 * 0 the same table, 1 a's is less, 2 greater. */
static int fdc_kcmp(pid_t a, pid_t b)
{
	return (int)syscall(SYS_kcmp, a, b, KCMP_FILES, 0, 0);
}

static int fdc_order_cmp(const void *a, const void *b)
{
	int r = fdc_kcmp(((const struct fdc_order *)a)->pid, ((const struct fdc_order *)b)->pid);

	return r == 1 ? -1 : r == 2 ? 1 : 0;
}

/* Many to insert (the first refresh): append, sort once, mark neighbours
 * with the same table; n log n kcmp calls instead of n binary insertions. */
static void fdc_order_bulk(struct fd_cache *c, const pid_t *pids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (fdc_kcmp(pids[i], pids[i]) != 0)
			continue;
		if (c->norder == c->order_cap) {
			c->order_cap = c->order_cap ? c->order_cap * 2 : 256;
			c->order = xreallocarray(c->order, c->order_cap, sizeof(*c->order));
		}
		c->order[c->norder++] = (struct fdc_order){ pids[i], false };
	}
	if (c->norder > 1)
		qsort(c->order, c->norder, sizeof(*c->order), fdc_order_cmp);
	for (size_t i = 1; i < c->norder; i++)
		if (fdc_kcmp(c->order[i - 1].pid, c->order[i].pid) == 0)
			c->order[i - 1].shared = c->order[i].shared = true;
}

/* Inserts pid by binary search; false if kcmp cannot tell (then the
 * process is never reused: only what is in the order can be). */
static bool fdc_order_insert(struct fd_cache *c, pid_t pid)
{
	size_t lo = 0, hi = c->norder;
	bool shared = false;

	if (fdc_kcmp(pid, pid) != 0)
		return false; /* not ours to compare (pid 1 in a container, gone) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = fdc_kcmp(pid, c->order[mid].pid);

		if (r < 0)
			return false;
		if (r == 0) {
			shared = true;
			c->order[mid].shared = true;
			lo = mid;
			break;
		}
		if (r == 1)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (c->norder == c->order_cap) {
		c->order_cap = c->order_cap ? c->order_cap * 2 : 256;
		c->order = xreallocarray(c->order, c->order_cap, sizeof(*c->order));
	}
	memmove(&c->order[lo + 1], &c->order[lo], (c->norder - lo) * sizeof(*c->order));
	c->order[lo].pid = pid;
	c->order[lo].shared = shared;
	c->norder++;
	return true;
}

static int fdc_run_cmp(const void *a, const void *b)
{
	const struct fdc_run *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static void fdc_run_push(struct fd_cache *c, const struct fdc_run *r)
{
	if (c->nruns == c->runs_cap) {
		c->runs_cap = c->runs_cap ? c->runs_cap * 2 : 1024;
		c->runs = xreallocarray(c->runs, c->runs_cap, sizeof(*r));
	}
	c->runs[c->nruns++] = *r;
}

/* The run states from the run dump: 0, or -1 when it cannot be had. */
static int fdc_begin_dump(const struct ipc_ctx *ctx, struct fd_cache *c)
{
	const struct rundump_proc *p;
	ssize_t n;

	if (!c->rd)
		c->rd = rundump_open(ctx, c->bi);
	if (!c->rd || (n = rundump_read(c->rd, &p)) < 0)
		return -1;
	if ((size_t)n > c->pids_cap) {
		c->pids_cap = (size_t)n + 256;
		c->pids = xreallocarray(c->pids, c->pids_cap, sizeof(*c->pids));
	}
	c->npids = (size_t)n;
	c->have_pids = true;
	for (ssize_t i = 0; i < n; i++) { /* by pid already */
		struct fdc_run r = {
			.pid = p[i].pid,
			.runtime = p[i].runtime,
			.pcount = p[i].pcount,
			.dino = p[i].start | 1ULL << 63,
			.on_cpu = p[i].on_cpu,
			.have_facts = true,
			.facts = p[i],
		};

		c->pids[i] = p[i].pid;
		fdc_run_push(c, &r);
	}
	return 0;
}

void fd_cache_begin(const struct ipc_ctx *ctx, struct fd_cache *c)
{
	DIR *proc;
	struct dirent *de;
	int procfd, dfd;

	if (!c)
		return;
	c->nruns = 0;
	c->have_pids = false;
	if (!ctx->live || fdc_begin_dump(ctx, c) == 0)
		return;
	procfd = ctx_open(ctx, "/proc", O_RDONLY | O_DIRECTORY);
	if (procfd < 0)
		return;
	dfd = dup(procfd);
	proc = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!proc) {
		if (dfd >= 0)
			close(dfd);
		close(procfd);
		return;
	}
	while ((de = readdir(proc))) {
		long pid;
		char *end;
		struct fdc_run r = { 0 };

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0 || pid > INT32_MAX || pid == ctx->self)
			continue;
		r.pid = (pid_t)pid;
		r.dino = de->d_ino; /* 1 when proc could not instantiate it */
		if (r.dino > 1 && read_schedstat(procfd, r.pid, &r.runtime, &r.pcount))
			fdc_run_push(c, &r);
	}
	closedir(proc);
	close(procfd);
	if (c->nruns > 1)
		qsort(c->runs, c->nruns, sizeof(struct fdc_run), fdc_run_cmp);
}

const pid_t *fd_cache_pids(const struct fd_cache *c, size_t *n)
{
	*n = c && c->have_pids ? c->npids : 0;
	return c && c->have_pids ? c->pids : NULL;
}

static const struct fdc_run *fdc_run_get(const struct fd_cache *c, pid_t pid)
{
	struct fdc_run key = { .pid = pid };

	if (!c->nruns)
		return NULL;
	return bsearch(&key, c->runs, c->nruns, sizeof(key), fdc_run_cmp);
}

struct fdc_cur {
	pid_t pid;
	const struct fd_proc *old;
	const struct fdc_run *run;
	bool reuse, unshared;
	bool kthread; /* the run dump says a kernel thread: nothing to read */
	struct fd_table *read_in; /* the reading thread's table */
	struct fd_proc read;      /* what it read: ranges in read_in */
};

static int fdc_cur_cmp(const void *a, const void *b)
{
	const struct fdc_cur *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

bool fd_cache_quiet(const struct fd_cache *c, pid_t pid)
{
	const struct fd_proc *o;
	const struct fdc_run *r;

	if (!c || !(o = fdc_find(c, pid)) || !(r = fdc_run_get(c, pid)))
		return false;
	return o->run_ok && !o->hidden && !r->on_cpu && o->runtime == r->runtime &&
	       o->pcount == r->pcount && o->dino == r->dino;
}

const struct rundump_proc *fd_cache_facts(const struct fd_cache *c, pid_t pid)
{
	const struct fdc_run *r = c ? fdc_run_get(c, pid) : NULL;

	return r && r->have_facts ? &r->facts : NULL;
}

/* Decides which processes are reused: quiet since read, and sharing their
 * fd table with nobody; keeps the kcmp order of the others up to date. */
static void fdc_decide(struct fd_cache *c, struct fdc_cur *cur, size_t n)
{
	pid_t *ins = xreallocarray(NULL, n + 1, sizeof(*ins));
	size_t kept = 0, nins = 0;

	for (size_t i = 0; i < n; i++) {
		cur[i].reuse = fd_cache_quiet(c, cur[i].pid);
		/* a kernel thread has no fd table of its own (the one all
		 * kernel threads share stays empty) nor memory map: nothing
		 * to read, nor to order by fd table (they would all be
		 * "shared", read again at each refresh) */
		cur[i].kthread = cur[i].run && cur[i].run->have_facts &&
				 cur[i].run->facts.kthread;
		if (cur[i].kthread)
			cur[i].reuse = false;
	}
	/* drop from the order what is gone or read again, then insert those */
	for (size_t i = 0; i < c->norder; i++) {
		size_t lo = 0, hi = n;
		pid_t pid = c->order[i].pid;

		while (lo < hi) { /* cur is sorted by pid */
			size_t mid = lo + (hi - lo) / 2;
			if (cur[mid].pid < pid)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < n && cur[lo].pid == pid && cur[lo].reuse)
			c->order[kept++] = c->order[i];
	}
	c->norder = kept;
	for (size_t i = 0; i < n; i++)
		if (!cur[i].reuse && cur[i].run && !cur[i].kthread)
			ins[nins++] = cur[i].pid;
	if (nins > 64 && nins > kept) {
		fdc_order_bulk(c, ins, nins);
	} else {
		for (size_t i = 0; i < nins; i++)
			fdc_order_insert(c, ins[i]);
	}
	free(ins);
	/* reused: only what the order holds, unshared */
	for (size_t i = 0; i < c->norder; i++) {
		struct fdc_cur key = { .pid = c->order[i].pid }, *f;

		f = bsearch(&key, cur, n, sizeof(key), fdc_cur_cmp);
		if (f && !c->order[i].shared)
			f->unshared = true;
	}
	for (size_t i = 0; i < n; i++)
		cur[i].reuse = cur[i].reuse && cur[i].unshared;
}

/* Copies a reused process's fds and maps from the previous table. */
static void fdc_copy(struct fd_table *t, const struct fd_table *prev, const struct fd_proc *o)
{
	for (size_t i = 0; i < o->count; i++) {
		const struct fd_entry *src = &prev->fds[o->first + i];
		struct fd_entry *e = fdt_add_fd(t);

		*e = *src;
		e->reused = true;
		e->q_fresh = false; /* the queue is as old as the entry */
		e->target = fdt_pool_strndup(t, src->target, strlen(src->target));
		if (src->stat_done && src->stat_ok) {
			e->ftype_known = true;
			e->ftype = src->st_mode & S_IFMT;
		}
		e->stat_done = e->stat_ok = false;
	}
	for (size_t i = 0; i < o->map_count; i++) {
		const struct map_entry *m = &prev->maps[o->map_first + i];
		fdt_add_map(t, m, m->path, strlen(m->path));
	}
}

/* Reading is split between two threads (the machines this is for have
 * two cores or more, and the time is system calls on /proc): each reads
 * every other process needing it into a table of its own, merged after. */
struct fdc_reader {
	const struct ipc_ctx *ctx;
	const struct fddump *dump; /* NULL: every process through /proc */
	int procfd;
	struct fdc_cur *cur;
	size_t n, start, step;
	struct fd_table t;
};

static void *fdc_reader_run(void *arg)
{
	struct fdc_reader *r = arg;
	char *mapbuf = NULL;
	size_t mapcap = 0;

	for (size_t i = r->start; i < r->n; i += r->step) {
		struct fdc_cur *c = &r->cur[i];
		bool hidden = false;

		if (c->reuse)
			continue;
		c->read_in = &r->t;
		c->read.pid = c->pid;
		c->read.first = r->t.nfds;
		c->read.map_first = r->t.nmaps;
		if (c->kthread) /* nothing (fd_cache_begin's run dump said so) */
			continue;
		if (r->dump && fddump_take(r->dump, &r->t, &c->read))
			r->t.dumped++;
		else
			fdt_scan_fds(r->ctx, &r->t, r->procfd, c->pid, &hidden);
		if (!hidden)
			fdt_scan_maps(r->ctx, &r->t, r->procfd, c->pid, &mapbuf, &mapcap);
		c->read.count = r->t.nfds - c->read.first;
		c->read.map_count = r->t.nmaps - c->read.map_first;
		c->read.hidden = hidden;
	}
	free(mapbuf);
	return NULL;
}

#define FDC_THREADS 2
#define FDC_THREAD_MIN 64 /* fewer processes to read: one thread */

/* Below this many processes to read, /proc is cheaper than loading the
 * fd dump's program (about 20 ms; reading it costs 0.5 us per fd). */
#define FDC_DUMP_MIN 200

static void fdc_read_all(const struct ipc_ctx *ctx, struct bpfiter *bi, int procfd,
			 struct fdc_cur *cur, size_t n, struct fdc_reader *readers)
{
	size_t todo = 0, nthreads;
	pthread_t th[FDC_THREADS];
	bool started[FDC_THREADS] = { false };
	struct fddump dump;
	bool dumped;

	for (size_t i = 0; i < n; i++)
		todo += !cur[i].reuse;
	dumped = todo && (todo >= FDC_DUMP_MIN || fddump_setting() == FDDUMP_ON) &&
		 fddump_read(ctx, bi, &dump) == 0;
	nthreads = ctx->live && todo >= FDC_THREAD_MIN ? FDC_THREADS : 1;
	memset(readers, 0, FDC_THREADS * sizeof(*readers));
	for (size_t k = 0; k < nthreads; k++) {
		struct fdc_reader *r = &readers[k];

		r->ctx = ctx;
		r->dump = dumped ? &dump : NULL;
		r->procfd = procfd;
		r->cur = cur;
		r->n = n;
		r->start = k;
		r->step = nthreads;
	}
	for (size_t k = 1; k < nthreads; k++)
		started[k] = pthread_create(&th[k], NULL, fdc_reader_run, &readers[k]) == 0;
	fdc_reader_run(&readers[0]);
	for (size_t k = 1; k < nthreads; k++) {
		if (started[k])
			pthread_join(th[k], NULL);
		else
			fdc_reader_run(&readers[k]);
	}
	if (dumped)
		fddump_free(&dump);
}

/* Appends what a reader read for one process (strings stay in its pool). */
static void fdc_take(struct fd_table *t, struct fd_table *from, const struct fd_proc *r)
{
	for (size_t i = 0; i < r->count; i++)
		*fdt_add_fd(t) = from->fds[r->first + i];
	for (size_t i = 0; i < r->map_count; i++) {
		if (t->nmaps == t->maps_cap) {
			t->maps_cap = t->maps_cap ? t->maps_cap * 2 : 256;
			t->maps = xreallocarray(t->maps, t->maps_cap, sizeof(*t->maps));
		}
		t->maps[t->nmaps++] = from->maps[r->map_first + i];
	}
}

/* The readers' string pools become the table's; their arrays are freed. */
static void fdc_adopt_pools(struct fd_table *t, struct fdc_reader *readers)
{
	for (size_t k = 0; k < FDC_THREADS; k++) {
		struct fd_table *r = &readers[k].t;
		struct chunk *last = r->pool;

		if (last) {
			while (last->next)
				last = last->next;
			last->next = t->pool;
			t->pool = r->pool;
			r->pool = NULL;
		}
		t->dumped += r->dumped;
		fdtable_free(r);
	}
}

int fdtable_scan_cached(const struct ipc_ctx *ctx, struct fd_table *t, struct fd_cache *c)
{
	DIR *proc = ctx_opendir(ctx, "/proc");
	struct dirent *de;
	size_t ncur = 0, curcap = 0;
	struct fdc_cur *cur = NULL;
	struct fdc_reader readers[FDC_THREADS];
	bool use = c && ctx->live;
	bool listed = use && c->have_pids;
	int procfd = -1;

	memset(t, 0, sizeof(*t));
	if (!proc)
		return -1;
	/* the run dump's list, when there is one: no readdir to make */
	if (listed) {
		curcap = c->npids + 1;
		cur = xreallocarray(NULL, curcap, sizeof(*cur));
		for (size_t i = 0; i < c->npids; i++)
			if (c->pids[i] != ctx->self)
				cur[ncur++] = (struct fdc_cur){ .pid = c->pids[i] };
	}
	while (!listed && (de = readdir(proc))) {
		char *end;
		long pid;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0 || pid > INT32_MAX || pid == ctx->self)
			continue;
		if (ncur == curcap) {
			curcap = curcap ? curcap * 2 : 1024;
			cur = xreallocarray(cur, curcap, sizeof(*cur));
		}
		cur[ncur++] = (struct fdc_cur){ .pid = (pid_t)pid };
	}
	closedir(proc);
	if (ncur > 1)
		qsort(cur, ncur, sizeof(*cur), fdc_cur_cmp);
	if (ctx->live)
		procfd = ctx_open(ctx, "/proc", O_RDONLY | O_DIRECTORY);
	if (c)
		c->reused = c->read = 0;
	if (use) {
		for (size_t i = 0; i < ncur; i++) {
			cur[i].old = fdc_find(c, cur[i].pid);
			cur[i].run = fdc_run_get(c, cur[i].pid);
		}
		fdc_decide(c, cur, ncur);
	}
	fdc_read_all(ctx, c ? c->bi : NULL, procfd, cur, ncur, readers);
	for (size_t i = 0; i < ncur; i++) {
		pid_t pid = cur[i].pid;

		if (t->nprocs == t->procs_cap) {
			t->procs_cap = t->procs_cap ? t->procs_cap * 2 : 256;
			t->procs = xreallocarray(t->procs, t->procs_cap, sizeof(*t->procs));
		}
		struct fd_proc *fp = &t->procs[t->nprocs++];
		memset(fp, 0, sizeof(*fp));
		fp->pid = pid;
		fp->first = t->nfds;
		fp->map_first = t->nmaps;
		if (cur[i].reuse) {
			fdc_copy(t, &c->prev, cur[i].old);
			fp->reused = true;
			c->reused++;
		} else {
			fdc_take(t, cur[i].read_in, &cur[i].read);
			fp->hidden = cur[i].read.hidden;
			fp->ns_known = cur[i].read.ns_known;
			fp->ns_ipc = cur[i].read.ns_ipc;
			fp->ns_net = cur[i].read.ns_net;
			fp->ns_mnt = cur[i].read.ns_mnt;
			if (c && !cur[i].kthread) /* a kernel thread is not read */
				c->read++;
		}
		fp->count = t->nfds - fp->first;
		fp->map_count = t->nmaps - fp->map_first;
		/* reusable next time only if off the CPU when its run state
		 * was read, as well as after (fdtable_note_procs) */
		if (use && cur[i].run && !cur[i].run->on_cpu) {
			fp->run_known = true;
			fp->runtime = cur[i].run->runtime;
			fp->pcount = cur[i].run->pcount;
			fp->dino = cur[i].run->dino;
		}
	}
	fdc_adopt_pools(t, readers);
	if (procfd >= 0)
		close(procfd);
	free(cur);
	return 0;
}

void fdtable_note_procs(struct fd_table *t, struct snapshot *snap)
{
	for (size_t i = 0; i < t->nprocs; i++) {
		struct fd_proc *fp = &t->procs[i];
		struct ipc_process *p = snapshot_process(snap, fp->pid);

		/* reusable next time only if off the CPU and one thread now,
		 * read after the run state (see the top of the cache) */
		if (fp->run_known && p)
			fp->run_ok = p->state != 'R' && p->nlwp == 1 && !fp->hidden;
		if (fp->hidden) {
			if (p)
				p->fds_hidden = true;
			snap->hidden_processes++;
		}
		/* namespaces left to the fd dump (see procs_finish_ns()) */
		if (p && p->ns_pending && fp->ns_known) {
			p->ns_ipc = fp->ns_ipc;
			p->ns_net = fp->ns_net;
			p->ns_mnt = fp->ns_mnt;
			p->ns_pending = false;
		}
	}
}
