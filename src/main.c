#include "config.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ctx.h"
#include "demo_child.h"
#include "history.h"
#include "options.h"
#include "output.h"
#include "replay.h"
#include "scan.h"
#include "strbuf.h"
#include "ui/ui.h"

static volatile sig_atomic_t stop_signal;
static pid_t demo_pid = -1;

/* ipcdemo goes away with us, whatever the exit path. */
static void stop_demo(void)
{
	if (demo_pid > 0)
		demo_child_stop(demo_pid);
	demo_pid = -1;
}

/* The first signal ends the loop at the next refresh; a second one, when a
 * refresh does not come back, ends us at once (taking ipcdemo along). */
static void on_signal(int sig)
{
	if (stop_signal) {
		if (demo_pid > 0)
			kill(demo_pid, SIGTERM);
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	stop_signal = sig;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Sleeps up to seconds, returning early when a stop signal arrives. */
static void pause_for(double seconds)
{
	struct timespec ts = { (time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9) };

	while (!stop_signal && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int terminal_width(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

static int run_text(struct ipc_ctx *ctx, const struct options *opt)
{
	/* one-shot runs read everything cold; refreshes reuse the fd tables of
	 * processes that have not run since (see struct fd_cache) */
	struct scan_cache *cache = opt->iterations == 1 ? NULL : scan_cache_new();
	struct snapshot *prev = NULL;
	struct strbuf sb;
	int width = opt->width ? opt->width : terminal_width();
	int status = 0;

	sb_init(&sb);
	for (long i = 0; !stop_signal && (opt->iterations == 0 || i < opt->iterations); i++) {
		struct snapshot *cur;

		if (i > 0)
			pause_for(opt->delay);
		if (stop_signal)
			break;
		cur = scan_snapshot_cached(ctx, cache);
		if (!cur) {
			fprintf(stderr, "ipctop: cannot read %s/proc: %s\n",
				strcmp(ctx->root, "/") ? ctx->root : "", strerror(errno));
			status = 1;
			break;
		}
		history_apply(prev, cur);
		scan_filter(cur, opt->pids, opt->npids, opt->kinds);
		snapshot_free(prev);
		prev = cur;
		/* a long run gives back what a peak of objects made malloc keep,
		 * so its RSS follows the load instead of its highest point */
		if (cache)
			malloc_trim(0);

		int w = output_refresh(&sb, cur, opt->mode == OUT_JSON, width, i == 0, stdout);
		if (w != 0) {
			if (w > 0)
				status = 1;
			break;
		}
	}
	scan_cache_free(cache);
	snapshot_free(prev);
	sb_free(&sb);
	return status;
}

int main(int argc, char **argv)
{
	struct options opt;
	struct ipc_ctx ctx;
	char err[256];
	int status;

	setlocale(LC_ALL, "");
	/* Big buffers (the JSON text, the fd dump, libbpf's 5.5 MB copy of the
	 * kernel's BTF) stay mmapped and go back when freed: left dynamic,
	 * glibc raises the threshold to the largest block freed so far and
	 * keeps later ones in the heap (peak RSS 38 MB instead of 25 at P=500). */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	if (options_parse(&opt, argc, argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "ipctop: %s\nTry 'ipctop --help' for more information.\n", err);
		options_free(&opt);
		return 2;
	}
	if (opt.help) {
		options_usage(stdout);
		options_free(&opt);
		return 0;
	}
	if (opt.version) {
		printf("ipctop %s\n", PACKAGE_VERSION);
		options_free(&opt);
		return 0;
	}
	if (ctx_init(&ctx, opt.root) < 0) {
		fprintf(stderr, "ipctop: cannot open root directory '%s': %s\n", opt.root,
			strerror(errno));
		options_free(&opt);
		return 2;
	}
	ctx.kinds = opt.kinds;
	install_signals();

	if (opt.demo) {
		demo_pid = demo_child_start();
		if (demo_pid < 0) {
			fprintf(stderr, "ipctop: cannot start ipcdemo: %s\n", strerror(errno));
			ctx_fini(&ctx);
			options_free(&opt);
			return 1;
		}
		atexit(stop_demo);
		ui_set_exit_hook(stop_demo);
		pause_for(1.0); /* let its processes start talking */
	}

	if (opt.mode == OUT_SCREEN && isatty(STDOUT_FILENO) && isatty(STDIN_FILENO)) {
		status = stop_signal ? 0 : ui_run(&ctx, &opt, demo_pid);
	} else if (opt.replay) {
		if (opt.mode == OUT_SCREEN) {
			opt.mode = OUT_BATCH;
			if (!opt.iterations_set)
				opt.iterations = 0;
		}
		status = replay_run_text(&opt, stdout, &stop_signal);
	} else {
		if (opt.mode == OUT_SCREEN) {
			/* not a terminal: refresh the batch table */
			opt.mode = OUT_BATCH;
			if (!opt.iterations_set)
				opt.iterations = isatty(STDOUT_FILENO) || opt.demo ? 0 : 1;
		}
		status = run_text(&ctx, &opt);
	}

	stop_demo();
	ctx_fini(&ctx);
	options_free(&opt);
	return status;
}
