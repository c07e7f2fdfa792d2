/* ipcdemo: the supervisor.  It starts the scenarios, prints what they
 * created, waits for a signal, the end of --duration, the end of the work or
 * a crashed worker, and then stops every worker and removes every object.
 *
 * SIGINT, SIGTERM, SIGHUP and SIGCHLD stay blocked in the supervisor and are
 * taken with sigtimedwait(), so no handler runs in the middle of anything.
 * The supervisor is a child subreaper: a worker's own child (pipe reader,
 * eventfd child) is re-parented to it if its parent dies, so waitpid(-1)
 * sees every process of the run.
 */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

struct demo_sup {
	struct demo_ctx *ctx;
	const struct demo_scenario *run[DEMO_MAX_SCEN];
	int nrun;
	const struct demo_scenario *skipped[DEMO_MAX_SCEN];
	char why[DEMO_MAX_SCEN][160];
	int nskipped;
	bool finished[DEMO_MAX_SCEN];
	int failed;
	int stop_sig;
	const char *stop_reason;
	struct timespec t0;
};

static double demo_elapsed(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) +
	       (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Any child left, running or not yet reaped?  (WNOWAIT: reaps nothing,
 * so no exit status is lost.) */
static bool demo_have_children(void)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	return !(waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 &&
		 errno == ECHILD);
}

static struct demo_proc *demo_proc_find(struct demo_ctx *ctx, pid_t pid)
{
	struct demo_shared *sh = ctx->shared;
	int i, n = __atomic_load_n(&sh->nprocs, __ATOMIC_ACQUIRE);

	for (i = 0; i < n && i < DEMO_MAX_PROCS; i++)
		if (sh->procs[i].valid && sh->procs[i].pid == pid)
			return &sh->procs[i];
	return NULL;
}

static void demo_result(struct demo_sup *sup, int scen, char *buf,
			size_t len)
{
	const struct demo_scenario *s = sup->run[scen];
	const struct demo_stat *st = &sup->ctx->shared->stats[scen];

	if (s->summary)
		s->summary(st, buf, len);
	else
		demo_summary_counts(st, buf, len);
}

/* All processes of a scenario have exited normally: say so (race and
 * mutex end by themselves and print their result here). */
static void demo_check_finished(struct demo_sup *sup, int scen)
{
	struct demo_shared *sh = sup->ctx->shared;
	char res[200];
	int i, n = __atomic_load_n(&sh->nprocs, __ATOMIC_ACQUIRE);

	if (sup->finished[scen] || sup->failed)
		return;
	for (i = 0; i < n && i < DEMO_MAX_PROCS; i++)
		if (sh->procs[i].valid && sh->procs[i].scen == scen &&
		    !sh->procs[i].reaped)
			return;
	sup->finished[scen] = true;
	demo_result(sup, scen, res, sizeof(res));
	if (sup->run[scen]->summary || sup->ctx->opts.verbosity > 0)
		fprintf(sup->ctx->opts.json ? stderr : stdout,
			"%s: finished: %s\n", sup->run[scen]->name, res);
}

static void demo_reap(struct demo_sup *sup, bool stopping)
{
	struct demo_proc *p;
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		p = demo_proc_find(sup->ctx, pid);
		if (!p)
			continue;
		p->reaped = 1;
		if (stopping)
			continue;
		if (WIFSIGNALED(st)) {
			demo_warn("%s[%d] was killed by signal %d (%s); "
				  "stopping", p->name, (int)pid, WTERMSIG(st),
				  strsignal(WTERMSIG(st)));
			sup->failed = 1;
		} else if (WEXITSTATUS(st)) {
			demo_warn("%s[%d] failed (exit status %d); stopping",
				  p->name, (int)pid, WEXITSTATUS(st));
			sup->failed = 1;
		} else {
			demo_check_finished(sup, p->scen);
		}
	}
}

static void demo_print_start(struct demo_sup *sup)
{
	struct demo_ctx *ctx = sup->ctx;
	struct demo_shared *sh = ctx->shared;
	int i, k, n = __atomic_load_n(&sh->nprocs, __ATOMIC_ACQUIRE);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	bool json = ctx->opts.json;

	if (!f)
		return;
	if (json) {
		fprintf(f, "{\"program\":\"ipcdemo\",\"version\":\"%s\","
			"\"pid\":%d,\"rate\":%g,\"size\":%zu,\"duration\":%g,"
			"\"dir\":", PACKAGE_VERSION, (int)ctx->pid,
			ctx->opts.rate, ctx->opts.size, ctx->opts.duration);
		demo_json_str(f, ctx->dir);
		fprintf(f, ",\"state_file\":");
		demo_json_str(f, ctx->state_path);
		fprintf(f, ",\"scenarios\":[");
	} else {
		fprintf(f, "ipcdemo[%d]: running %d scenario%s; Ctrl-C stops "
			"them and removes what they created\n", (int)ctx->pid,
			sup->nrun, sup->nrun == 1 ? "" : "s");
	}
	for (i = 0; i < sup->nrun; i++) {
		int np = 0;

		if (json) {
			fprintf(f, "%s{\"name\":\"%s\",\"processes\":[",
				i ? "," : "", sup->run[i]->name);
		} else {
			fprintf(f, "%s — %s\n", sup->run[i]->name,
				sup->run[i]->description);
		}
		for (k = 0; k < n && k < DEMO_MAX_PROCS; k++) {
			struct demo_proc *p = &sh->procs[k];

			if (!p->valid || p->scen != i)
				continue;
			if (json)
				fprintf(f, "%s{\"pid\":%d,\"ppid\":%d,"
					"\"name\":\"%s\"}", np++ ? "," : "",
					(int)p->pid, (int)p->ppid, p->name);
			else
				fprintf(f, "  process %d %s (parent %d)\n",
					(int)p->pid, p->name, (int)p->ppid);
		}
		if (json)
			fprintf(f, "],\"objects\":[");
		demo_objs_print(ctx, i, f, json);
		if (json)
			fprintf(f, "]}");
	}
	if (json) {
		fprintf(f, "],\"skipped\":[");
		for (i = 0; i < sup->nskipped; i++) {
			fprintf(f, "%s{\"name\":\"%s\",\"reason\":",
				i ? "," : "", sup->skipped[i]->name);
			demo_json_str(f, sup->why[i]);
			fputc('}', f);
		}
		fprintf(f, "]}\n");
	}
	fclose(f);
	if (json || ctx->opts.verbosity > 0)
		fwrite(text, 1, len, stdout);
	fflush(stdout);
	free(text);
}

static void demo_print_summary(struct demo_sup *sup, double secs)
{
	struct demo_ctx *ctx = sup->ctx;
	char res[200];
	int i, k;

	if (ctx->opts.json) {
		printf("{\"program\":\"ipcdemo\",\"pid\":%d,\"stopped\":\"%s\","
		       "\"seconds\":%.1f,\"summary\":[", (int)ctx->pid,
		       sup->stop_reason, secs);
		for (i = 0; i < sup->nrun; i++) {
			const struct demo_stat *st = &ctx->shared->stats[i];

			demo_result(sup, i, res, sizeof(res));
			printf("%s{\"name\":\"%s\",\"sent\":%ld,\"received\":%ld,"
			       "\"extra\":[", i ? "," : "", sup->run[i]->name,
			       st->sent, st->received);
			for (k = 0; k < 4; k++)
				printf("%s%ld", k ? "," : "", st->extra[k]);
			printf("],\"result\":");
			demo_json_str(stdout, res);
			printf("}");
		}
		printf("]}\n");
	} else if (ctx->opts.verbosity > 0) {
		printf("ipcdemo[%d]: stopped (%s) after %.1f s; everything it "
		       "created is removed\n", (int)ctx->pid, sup->stop_reason,
		       secs);
		for (i = 0; i < sup->nrun; i++) {
			demo_result(sup, i, res, sizeof(res));
			printf("  %s: %s\n", sup->run[i]->name, res);
		}
	}
	fflush(stdout);
}

/* Wait for the stop condition: a signal, the duration, no work left, or a
 * worker that died. */
static void demo_supervise(struct demo_sup *sup)
{
	sigset_t stop_set, all_set;
	double dur = sup->ctx->opts.duration;
	struct timespec ts0 = { 0, 0 };

	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGINT);
	sigaddset(&stop_set, SIGTERM);
	sigaddset(&stop_set, SIGHUP);
	all_set = stop_set;
	sigaddset(&all_set, SIGCHLD);
	for (;;) {
		double left = dur > 0 ? dur - demo_elapsed(&sup->t0) : 0.5;
		struct timespec ts;
		int sig;

		if (left <= 0) {
			sup->stop_reason = "duration";
			return;
		}
		if (left > 0.5)
			left = 0.5;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(left * 1e9);
		sig = sigtimedwait(&all_set, NULL, &ts);
		/* a stop request wins over a worker that died of it */
		if (sig == SIGCHLD)
			sig = sigtimedwait(&stop_set, NULL, &ts0);
		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
			sup->stop_sig = sig;
			sup->stop_reason = sig == SIGINT ? "SIGINT" :
					   sig == SIGTERM ? "SIGTERM" : "SIGHUP";
			return;
		}
		demo_reap(sup, false);
		if (sup->failed) {
			sup->stop_reason = "a worker failed";
			return;
		}
		if (!demo_have_children()) {
			sup->stop_reason = "done";
			return;
		}
	}
}

/* Stop every worker: SIGTERM to the supervisor's children (their own
 * children follow through PR_SET_PDEATHSIG), SIGKILL after 3 s. */
static void demo_stop_all(struct demo_sup *sup)
{
	struct demo_shared *sh = sup->ctx->shared;
	int i, round, n = __atomic_load_n(&sh->nprocs, __ATOMIC_ACQUIRE);

	for (round = 0; round < 2; round++) {
		struct timespec t0;

		for (i = 0; i < n && i < DEMO_MAX_PROCS; i++) {
			struct demo_proc *p = &sh->procs[i];

			if (p->valid && p->direct && !p->reaped)
				kill(p->pid, round ? SIGKILL : SIGTERM);
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		while (demo_elapsed(&t0) < 3) {
			demo_reap(sup, true);
			if (!demo_have_children())
				return;
			demo_sleep(0.01);
		}
	}
	demo_warn("some workers did not stop");
}

int demo_run(const struct demo_opts *opts,
	     const struct demo_scenario *const *sel, int nsel)
{
	struct demo_sup sup;
	struct demo_ctx *ctx = calloc(1, sizeof(*ctx));
	sigset_t block;
	int i;

	memset(&sup, 0, sizeof(sup));
	if (!ctx)
		return demo_warn("out of memory"), 1;
	sup.ctx = ctx;
	ctx->opts = *opts;
	ctx->pid = getpid();
	ctx->ready_fd = -1;
	snprintf(ctx->prefix, sizeof(ctx->prefix), "ipcdemo.%d", (int)ctx->pid);
	snprintf(ctx->dir, sizeof(ctx->dir), "/tmp/%s", ctx->prefix);
	for (i = 0; i < nsel; i++) {
		if (demo_available(sel[i], sup.why[sup.nskipped],
				   sizeof(sup.why[0]))) {
			demo_warn("skipping %s: %s", sel[i]->name,
				  sup.why[sup.nskipped]);
			sup.skipped[sup.nskipped++] = sel[i];
		} else {
			sup.run[sup.nrun++] = sel[i];
		}
	}
	if (!sup.nrun) {
		demo_warn("no scenario can run here");
		free(ctx);
		return 1;
	}
	ctx->shared = mmap(NULL, sizeof(*ctx->shared), PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ctx->shared == MAP_FAILED) {
		free(ctx);
		return demo_warn("mmap: %s", strerror(errno)), 1;
	}
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, NULL);
	signal(SIGPIPE, SIG_IGN);	/* stdout may be a closed pipe */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	clock_gettime(CLOCK_MONOTONIC, &sup.t0);
	demo_state_write(ctx);
	sup.stop_reason = "done";
	for (i = 0; i < sup.nrun && !sup.failed; i++) {
		ctx->scen = i;
		if (sup.run[i]->start(ctx)) {
			demo_warn("cannot start %s; stopping", sup.run[i]->name);
			sup.failed = 1;
			sup.stop_reason = "start failed";
		}
		demo_state_write(ctx);
	}
	if (!sup.failed) {
		demo_print_start(&sup);
		clock_gettime(CLOCK_MONOTONIC, &sup.t0);
		demo_supervise(&sup);
	}
	demo_stop_all(&sup);
	demo_objs_remove(ctx);
	demo_state_remove(ctx);
	demo_print_summary(&sup, demo_elapsed(&sup.t0));
	free(ctx);
	if (sup.failed)
		return 1;
	return sup.stop_sig ? 128 + sup.stop_sig : 0;
}
