/* ipcdemo: a POSIX message queue with producers and a consumer. */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Create the queue (and record it first); workers open it by name. */
struct demo_obj *demo_mq_create(struct demo_ctx *ctx, const char *what,
				long maxmsg, size_t msgsize)
{
	struct mq_attr attr = { .mq_maxmsg = maxmsg,
				.mq_msgsize = (long)msgsize };
	struct demo_obj *o = demo_obj_posix(ctx, DEMO_RM_MQ, what);
	mqd_t q;

	if (!o)
		return NULL;
	q = mq_open(o->name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	if (q == (mqd_t)-1) {
		demo_fail(o->name);
		return NULL;
	}
	mq_close(q);
	return o;
}

static mqd_t demo_mq_open(const char *name, int flags, struct mq_attr *attr)
{
	mqd_t q;

	demo_close_except(-1, -1);
	q = mq_open(name, flags);
	if (q == (mqd_t)-1) {
		demo_fail(name);
		return q;
	}
	mq_getattr(q, attr);
	return q;
}

/* Messages: sequence number, sender's pid, then letters. */
int demo_mq_producer(struct demo_ctx *ctx, void *arg)
{
	struct demo_q_arg *a = arg;
	struct demo_stat *st = demo_stat_get(ctx);
	struct mq_attr attr;
	struct timespec next;
	char buf[8192];
	pid_t me = getpid();
	uint32_t seq;
	size_t size;
	mqd_t q = demo_mq_open(a->name, O_WRONLY | a->flags, &attr);

	if (q == (mqd_t)-1)
		return 1;
	size = demo_size(ctx, (size_t)attr.mq_msgsize);
	demo_pace_init(&next);
	for (seq = 1;; seq++) {
		demo_pace(ctx, &next, a->factor);
		demo_msg_fill(buf, size, seq);
		memcpy(buf + 4, &me, sizeof(me));
		while (mq_send(q, buf, size, 0)) {
			if (errno != EINTR)
				return demo_fail("mq_send");
		}
		demo_count(&st->sent, 1);
		demo_note(ctx, "sent #%u (%zu bytes) to %s", seq, size,
			  a->name);
	}
}

int demo_mq_consumer(struct demo_ctx *ctx, void *arg)
{
	struct demo_q_arg *a = arg;
	struct demo_stat *st = demo_stat_get(ctx);
	struct mq_attr attr;
	char buf[8192];
	pid_t from;
	ssize_t n;
	mqd_t q = demo_mq_open(a->name, O_RDONLY | a->flags, &attr);

	if (q == (mqd_t)-1)
		return 1;
	demo_ready(ctx);
	for (;;) {
		n = mq_receive(q, buf, sizeof(buf), NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return demo_fail("mq_receive");
		}
		memcpy(&from, buf + 4, sizeof(from));
		demo_count(&st->received, 1);
		demo_note(ctx, "received #%u from %d (%zd bytes)",
			  demo_msg_seq(buf), (int)from, n);
		if (a->factor > 0)
			demo_sleep(a->factor / ctx->opts.rate);
	}
}

static struct demo_q_arg mq_prod = { .factor = 1 }, mq_cons = { 0 };

static int posix_mq_start(struct demo_ctx *ctx)
{
	struct demo_obj *o = demo_mq_create(ctx, "jobs", 8,
					    demo_size(ctx, 8192));

	if (!o)
		return -1;
	snprintf(o->note, sizeof(o->note), "2 producers, 1 consumer");
	snprintf(mq_prod.name, sizeof(mq_prod.name), "%s", o->name);
	snprintf(mq_cons.name, sizeof(mq_cons.name), "%s", o->name);
	if (demo_spawn(ctx, "mq-consumer", demo_mq_consumer, &mq_cons) < 0 ||
	    demo_spawn(ctx, "mq-producer", demo_mq_producer, &mq_prod) < 0 ||
	    demo_spawn(ctx, "mq-producer", demo_mq_producer, &mq_prod) < 0)
		return -1;
	return 0;
}

static int posix_mq_available(char *why, size_t len)
{
	return demo_have_mq(why, len);
}

const struct demo_scenario demo_scen_posix_mq = {
	.name = "posix-mq",
	.description = "two producers and a consumer share a POSIX message "
		       "queue",
	.explanation =
"A message queue keeps whole messages, not a byte stream: each mq_send()\n"
"puts one message in the kernel's queue and each mq_receive() takes one out,\n"
"with its boundaries intact (and the highest priority first).  The queue has\n"
"a name (/ipcdemo.PID.jobs), a maximum number of messages and a maximum\n"
"message size, and it outlives the processes that use it until mq_unlink().\n"
"Here two mq-producer processes send numbered messages (each carries its\n"
"sequence number and the sender's pid) and one mq-consumer takes them in\n"
"arrival order.\n"
"\n"
"Watch in ipctop: a posix_mq object with its depth and capacity (8), two\n"
"writers and one reader.  ipctop reads the depth from /dev/mqueue, so that\n"
"file system must be mounted (mount -t mqueue none /dev/mqueue); mq_open()\n"
"works without it, but then no tool can see the queue.\n",
	.available = posix_mq_available,
	.start = posix_mq_start,
};
