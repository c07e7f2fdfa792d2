/* ipcdemo: helpers every scenario uses — spawning workers, pacing,
 * narration and the small message format.
 */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <poll.h>
#include <unistd.h>

/* Name of this process ("ipcdemo" in the supervisor, "pipe-writer"…). */
static char demo_self_name[DEMO_NAME_LEN] = "ipcdemo";
static int demo_ready_fd = -1;

const char *demo_self(void)
{
	return demo_self_name;
}

static void demo_proc_register(struct demo_ctx *ctx, pid_t pid,
			       const char *name)
{
	struct demo_shared *sh = ctx->shared;
	int i = __atomic_fetch_add(&sh->nprocs, 1, __ATOMIC_RELAXED);
	struct demo_proc *p;

	if (i >= DEMO_MAX_PROCS)
		return;
	p = &sh->procs[i];
	p->pid = pid;
	p->ppid = getpid();
	p->direct = p->ppid == ctx->pid;
	p->scen = ctx->scen;
	snprintf(p->name, sizeof(p->name), "%s", name);
	__atomic_store_n(&p->valid, 1, __ATOMIC_RELEASE);
}

/* Right after fork, in the child: die with the parent, take a name, undo
 * the supervisor's signal set-up.  SIGINT and SIGHUP are ignored so that a
 * Ctrl-C on the terminal reaches only the supervisor, which then stops the
 * workers in order; SIGTERM stays deadly. */
static void demo_child_setup(const char *name, pid_t parent)
{
	sigset_t none;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)	/* the parent died before prctl */
		_exit(0);
	prctl(PR_SET_NAME, name);
	snprintf(demo_self_name, sizeof(demo_self_name), "%s", name);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

pid_t demo_spawn(struct demo_ctx *ctx, const char *name, demo_worker_fn fn,
		 void *arg)
{
	int p[2];
	pid_t pid;
	struct pollfd pfd;
	char c;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC))
		return demo_fail("pipe"), -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		demo_warn("fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		demo_child_setup(name, ctx->pid);
		ctx->ready_fd = demo_ready_fd = p[1];
		_exit(fn(ctx, arg));
	}
	close(p[1]);
	demo_proc_register(ctx, pid, name);
	/* wait until the worker has set itself up (or died trying) */
	pfd.fd = p[0];
	pfd.events = POLLIN;
	n = 0;
	if (poll(&pfd, 1, 10000) > 0)
		n = read(p[0], &c, 1);
	close(p[0]);
	if (n != 1) {
		demo_warn("%s[%d] did not start", name, (int)pid);
		return -1;
	}
	return pid;
}

/* In a worker: fork a child of its own (pipe reader, eventfd child). */
pid_t demo_spawn_sub(struct demo_ctx *ctx, const char *name,
		     demo_worker_fn fn, void *arg)
{
	pid_t me = getpid(), pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return demo_fail("fork"), -1;
	if (pid == 0) {
		if (demo_ready_fd >= 0)
			close(demo_ready_fd);
		ctx->ready_fd = demo_ready_fd = -1;
		demo_child_setup(name, me);
		_exit(fn(ctx, arg));
	}
	demo_proc_register(ctx, pid, name);
	return pid;
}

void demo_ready(struct demo_ctx *ctx)
{
	if (demo_ready_fd >= 0) {
		if (write(demo_ready_fd, "r", 1) < 0)
			_exit(1);
		close(demo_ready_fd);
	}
	ctx->ready_fd = demo_ready_fd = -1;
}

/* Workers inherit whatever the supervisor had open when it forked them:
 * keep only stdio, the ready pipe and the one or two fds they use. */
void demo_close_except(int keep1, int keep2)
{
	int max = (int)sysconf(_SC_OPEN_MAX), fd;

	if (max < 0 || max > 4096)
		max = 4096;
	for (fd = 3; fd < max; fd++)
		if (fd != keep1 && fd != keep2 && fd != demo_ready_fd)
			close(fd);
}

void demo_pace_init(struct timespec *next)
{
	clock_gettime(CLOCK_MONOTONIC, next);
}

/* Sleep until the next tick, factor/rate seconds after the previous one. */
void demo_pace(struct demo_ctx *ctx, struct timespec *next, double factor)
{
	double period = factor / ctx->opts.rate;
	struct timespec now;
	long long ns = (long long)(period * 1e9);

	if (ctx->ready_fd >= 0)
		demo_ready(ctx);
	next->tv_sec += ns / 1000000000LL;
	next->tv_nsec += ns % 1000000000LL;
	if (next->tv_nsec >= 1000000000L) {
		next->tv_sec++;
		next->tv_nsec -= 1000000000L;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (next->tv_sec < now.tv_sec - 1)	/* we were stalled: no burst */
		*next = now;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL) ==
	       EINTR)
		;
}

void demo_sleep(double seconds)
{
	struct timespec ts;

	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* One line, one write(2): lines of different processes never mix. */
static void demo_vline(int fd, const char *head, const char *fmt, va_list ap)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "%s", head);

	if (n < 0)
		return;
	n += vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(fd, buf, (size_t)n) < 0)
		return;
}

void demo_note(const struct demo_ctx *ctx, const char *fmt, ...)
{
	char head[48];
	va_list ap;

	if (ctx->opts.verbosity < 2)
		return;
	snprintf(head, sizeof(head), "%s[%d]: ", demo_self_name, (int)getpid());
	va_start(ap, fmt);
	demo_vline(ctx->opts.json ? 2 : 1, head, fmt, ap);
	va_end(ap);
}

void demo_say(const struct demo_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->opts.verbosity < 1)
		return;
	va_start(ap, fmt);
	demo_vline(ctx->opts.json ? 2 : 1, "", fmt, ap);
	va_end(ap);
}

void demo_warn(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	demo_vline(2, "ipcdemo: ", fmt, ap);
	va_end(ap);
}

/* A system call failed in a worker: say so, and give the exit status. */
int demo_fail(const char *what)
{
	demo_warn("%s[%d]: %s: %s", demo_self_name, (int)getpid(), what,
		  strerror(errno));
	return 1;
}

/* The other end went away (it crashed, or we are stopping): exit quietly,
 * the supervisor reports whatever happened to the peer. */
int demo_peer_gone(const char *what)
{
	(void)what;
	return 0;
}

struct demo_stat *demo_stat_get(struct demo_ctx *ctx)
{
	return &ctx->shared->stats[ctx->scen];
}

void demo_count(long *counter, long n)
{
	__atomic_add_fetch(counter, n, __ATOMIC_RELAXED);
}

size_t demo_size(const struct demo_ctx *ctx, size_t max)
{
	size_t s = ctx->opts.size;

	if (s < DEMO_MIN_SIZE)
		s = DEMO_MIN_SIZE;
	return s > max ? max : s;
}

/* A message: 4 bytes of sequence number, then letters. */
void demo_msg_fill(void *buf, size_t len, uint32_t seq)
{
	char *p = buf;
	size_t i;

	memcpy(p, &seq, sizeof(seq));
	for (i = sizeof(seq); i < len; i++)
		p[i] = (char)('a' + (seq + i) % 26);
}

uint32_t demo_msg_seq(const void *buf)
{
	uint32_t seq;

	memcpy(&seq, buf, sizeof(seq));
	return seq;
}

ssize_t demo_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, p + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

/* Reads exactly len bytes; 0 at end of file, -1 on error. */
ssize_t demo_read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, p + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

void demo_summary_counts(const struct demo_stat *st, char *buf, size_t len)
{
	snprintf(buf, len, "sent %ld, received %ld", st->sent, st->received);
}
