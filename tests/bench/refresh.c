/* Times ipctop's refresh in-process, as the screen runs it: R cold scans
 * (scan_snapshot: everything read) and R steady ones (scan_snapshot_cached
 * after a first, cache-filling refresh), each followed by history_apply.
 * Prints "cold_ms=MEDIAN steady_ms=MEDIAN reused=N read=N".
 *   refresh R [GAP]          R of each, GAP seconds apart (default 0.2)
 *   refresh --cpu SECONDS    a first refresh (everything read, the BPF
 *                            programs loaded), then one every 2 s (the
 *                            default interval) for SECONDS; prints
 *                            "cpu_pct=X first_ms=Y": the CPU of the later
 *                            ones in % of one core, that of the first in ms */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ctx.h"
#include "history.h"
#include "scan.h"

static double refresh_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int refresh_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double refresh_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), refresh_cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* CPU time of the process so far (all threads), ms */
static double refresh_cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static int refresh_cpu(struct ipc_ctx *ctx, double seconds)
{
	struct scan_cache *cache = scan_cache_new();
	struct snapshot *prev = scan_snapshot_cached(ctx, cache);
	struct timespec gap = { 2, 0 };
	double first = refresh_cpu_ms(), t0;

	nanosleep(&gap, NULL);
	t0 = refresh_now();
	while (refresh_now() - t0 < seconds * 1e3) {
		struct snapshot *s = scan_snapshot_cached(ctx, cache);

		history_apply(prev, s);
		snapshot_free(prev);
		prev = s;
		nanosleep(&gap, NULL);
	}
	printf("cpu_pct=%.2f first_ms=%.0f\n",
	       100.0 * (refresh_cpu_ms() - first) / (refresh_now() - t0), first);
	snapshot_free(prev);
	scan_cache_free(cache);
	return 0;
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	double gap = argc > 2 ? atof(argv[2]) : 0.2;
	struct timespec ts = { (time_t)gap, (long)((gap - (time_t)gap) * 1e9) };
	struct snapshot *prev = NULL;
	struct scan_cache *cache;
	struct ipc_ctx ctx;
	double *cold, *steady;
	size_t reused = 0, nread = 0;

	if (ctx_init(&ctx, "/") < 0)
		return 2;
	ctx.kinds = KIND_ALL;
	if (argc > 2 && !strcmp(argv[1], "--cpu"))
		return refresh_cpu(&ctx, atof(argv[2]));
	if (runs < 1)
		return 2;
	cold = calloc((size_t)runs, sizeof(double));
	steady = calloc((size_t)runs, sizeof(double));
	for (int i = 0; i < runs; i++) {
		double t0 = refresh_now();
		struct snapshot *s = scan_snapshot(&ctx);

		history_apply(prev, s);
		cold[i] = refresh_now() - t0;
		snapshot_free(prev);
		prev = s;
		nanosleep(&ts, NULL);
	}
	cache = scan_cache_new();
	for (int i = -1; i < runs; i++) {
		double t0 = refresh_now();
		struct snapshot *s = scan_snapshot_cached(&ctx, cache);

		history_apply(prev, s);
		if (i >= 0)
			steady[i] = refresh_now() - t0;
		snapshot_free(prev);
		prev = s;
		nanosleep(&ts, NULL);
	}
	scan_cache_stats(cache, &reused, &nread);
	printf("cold_ms=%.1f steady_ms=%.1f reused=%zu read=%zu\n", refresh_median(cold, runs),
	       refresh_median(steady, runs), reused, nread);
	snapshot_free(prev);
	scan_cache_free(cache);
	free(cold);
	free(steady);
	ctx_fini(&ctx);
	return 0;
}
