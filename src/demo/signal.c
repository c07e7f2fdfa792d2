/* ipcdemo: signals — a SIGUSR1/SIGUSR2 ping-pong, and a process that keeps
 * a blocked signal pending. */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pid_t sig_pong_pid;

static void sig_block(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

/* Replies to each SIGUSR1 with a SIGUSR2 to whoever sent it. */
static int sig_pong(struct demo_ctx *ctx, void *arg)
{
	struct demo_stat *st = demo_stat_get(ctx);
	siginfo_t si;
	sigset_t set;

	demo_close_except(-1, -1);
	sig_block(SIGUSR1);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	demo_ready(ctx);
	for (;;) {
		if (sigwaitinfo(&set, &si) < 0)
			continue;
		demo_count(&st->received, 1);
		demo_note(ctx, "got SIGUSR1 from %d, answering SIGUSR2",
			  (int)si.si_pid);
		if (kill(si.si_pid, SIGUSR2))
			return demo_peer_gone("kill");
	}
}

static int sig_ping(struct demo_ctx *ctx, void *arg)
{
	struct demo_stat *st = demo_stat_get(ctx);
	struct timespec next, wait = { 2, 0 };
	sigset_t set;
	long n;

	demo_close_except(-1, -1);
	sig_block(SIGUSR2);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	demo_pace_init(&next);
	for (n = 1;; n++) {
		demo_pace(ctx, &next, 1);
		if (kill(sig_pong_pid, SIGUSR1))
			return demo_peer_gone("kill");
		demo_count(&st->sent, 1);
		demo_note(ctx, "sent SIGUSR1 #%ld to %d", n, (int)sig_pong_pid);
		if (sigtimedwait(&set, NULL, &wait) == SIGUSR2) {
			demo_count(&st->extra[0], 1);
			demo_note(ctx, "got SIGUSR2 back");
		}
	}
}

/* Blocks SIGUSR1, sends it to itself and never unblocks it: the signal
 * stays pending (ShdPnd in /proc/PID/status) until the process dies. */
static int sig_pending(struct demo_ctx *ctx, void *arg)
{
	sigset_t none;

	demo_close_except(-1, -1);
	sig_block(SIGUSR1);
	kill(getpid(), SIGUSR1);
	demo_note(ctx, "SIGUSR1 is blocked and pending");
	demo_ready(ctx);
	sigprocmask(SIG_BLOCK, NULL, &none);
	for (;;)
		sigsuspend(&none);	/* the mask keeps SIGUSR1 blocked */
	return 0;
}

static int signal_start(struct demo_ctx *ctx)
{
	sig_pong_pid = demo_spawn(ctx, "sig-pong", sig_pong, NULL);
	if (sig_pong_pid < 0 ||
	    demo_spawn(ctx, "sig-ping", sig_ping, NULL) < 0 ||
	    demo_spawn(ctx, "sig-pending", sig_pending, NULL) < 0)
		return -1;
	return 0;
}

static void signal_summary(const struct demo_stat *st, char *buf, size_t len)
{
	snprintf(buf, len, "sent %ld, received %ld, answers %ld", st->sent,
		 st->received, st->extra[0]);
}

const struct demo_scenario demo_scen_signal = {
	.name = "signal",
	.description = "SIGUSR1/SIGUSR2 ping-pong, and a blocked pending "
		       "signal",
	.explanation =
"A signal is the smallest message there is: a number delivered to a process\n"
"asynchronously, by another process (kill), by the kernel (a fault, a child\n"
"that ended, a timer) or by itself.  The receiver runs a handler, takes the\n"
"default action (terminate, dump core, stop, ignore), or, as here, blocks\n"
"the signal and collects it with sigwaitinfo(), which also tells who sent\n"
"it.  A blocked signal stays pending until it is unblocked; ordinary signals\n"
"do not queue, so a second one while the first is pending is lost.\n"
"sig-ping sends SIGUSR1 to sig-pong, which answers with SIGUSR2; sig-pending\n"
"blocks SIGUSR1 and sends it to itself, so it stays pending for good.\n"
"\n"
"Watch in ipctop: the three processes' signal sets: SIGUSR1 in the pending\n"
"and blocked sets of sig-pending, SIGUSR1/SIGUSR2 blocked in the ping-pong\n"
"pair, which sleep in sigtimedwait.\n",
	.available = demo_have_always,
	.start = signal_start,
	.summary = signal_summary,
};
