/* ipcdemo: an eventfd counter shared by a parent and its child. */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

static int efd = -1;

/* read() returns the whole counter and resets it to zero. */
static int efd_child(struct demo_ctx *ctx, void *arg)
{
	struct demo_stat *st = demo_stat_get(ctx);
	uint64_t v;

	demo_close_except(efd, -1);
	for (;;) {
		if (read(efd, &v, sizeof(v)) != sizeof(v)) {
			if (errno == EINTR)
				continue;
			return demo_fail("read eventfd");
		}
		demo_count(&st->received, (long)v);
		demo_note(ctx, "read the counter: %llu", (unsigned long long)v);
		/* read slower than the parent adds, so the counter climbs */
		demo_sleep(2.5 / ctx->opts.rate);
	}
}

static int efd_parent(struct demo_ctx *ctx, void *arg)
{
	struct demo_stat *st = demo_stat_get(ctx);
	struct timespec next;
	uint64_t one = 1;

	siginfo_t si;
	pid_t child;

	demo_close_except(efd, -1);
	child = demo_spawn_sub(ctx, "eventfd-child", efd_child, NULL);
	if (child < 0)
		return 1;
	demo_pace_init(&next);
	for (;;) {
		/* nothing tells a writer of an eventfd that its reader died:
		 * stop then, and leave the child's zombie (WNOWAIT) to the
		 * supervisor, which reports how it died */
		si.si_pid = 0;
		if (waitid(P_PID, (id_t)child, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid == child)
			return 1;
		demo_pace(ctx, &next, 1);
		if (write(efd, &one, sizeof(one)) != sizeof(one))
			return demo_fail("write eventfd");
		demo_count(&st->sent, 1);
		demo_note(ctx, "added 1 to the counter");
	}
}

/* fdinfo shows "eventfd-id: N", the id ipctop reports. */
static long efd_id(int fd)
{
	char p[64], line[128];
	long id = -1;
	FILE *f;

	snprintf(p, sizeof(p), "/proc/self/fdinfo/%d", fd);
	f = fopen(p, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "eventfd-id:", 11))
			id = strtol(line + 11, NULL, 10);
	fclose(f);
	return id;
}

static int eventfd_start(struct demo_ctx *ctx)
{
	struct demo_obj *o;
	pid_t pid;

	efd = eventfd(0, 0);
	if (efd < 0)
		return demo_fail("eventfd"), -1;
	o = demo_obj_add(ctx, "eventfd", DEMO_RM_NONE);
	if (o) {
		o->eventfd_id = efd_id(efd);
		snprintf(o->note, sizeof(o->note), "eventfd-parent adds, "
			 "eventfd-child reads");
	}
	pid = demo_spawn(ctx, "eventfd-parent", efd_parent, NULL);
	close(efd);
	return pid < 0 ? -1 : 0;
}

static int eventfd_available(char *why, size_t len)
{
	int fd = eventfd(0, 0);

	if (fd < 0) {
		snprintf(why, len, "eventfd: %s", strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

const struct demo_scenario demo_scen_eventfd = {
	.name = "eventfd",
	.description = "a parent adds to an eventfd counter, its child reads "
		       "it",
	.explanation =
"An eventfd is a file descriptor around a single 64-bit counter in the\n"
"kernel: write() adds to it, read() returns its value and resets it to zero\n"
"(or waits while it is zero).  It is the lightest way for one process or\n"
"thread to wake another, and it works with poll/epoll.  eventfd-parent adds\n"
"1 at the --rate, and the child it forked reads more slowly, so each read\n"
"collects several increments at once: events are counted, not queued.\n"
"\n"
"Watch in ipctop: an eventfd object (its eventfd-id is printed at start)\n"
"held by both processes, with the counter rising between the child's reads.\n",
	.available = eventfd_available,
	.start = eventfd_start,
};
