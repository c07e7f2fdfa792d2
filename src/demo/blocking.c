/* ipcdemo: blocking against non-blocking send and receive, on a POSIX
 * message queue of 4 messages.  Both scenarios use the same traffic: the
 * producer sends a burst of 6 messages every 4 ticks, the consumer takes
 * one message every half tick.  So the queue overflows during a burst and
 * runs dry between bursts; what differs is what a full or empty queue does
 * to the caller. */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BURST 6

struct blk_arg {
	char name[80];
	int nonblock;
};

static struct blk_arg blk = { .nonblock = 0 }, nb = { .nonblock = 1 };

static double blk_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int blk_producer(struct demo_ctx *ctx, void *arg)
{
	struct blk_arg *a = arg;
	struct demo_stat *st = demo_stat_get(ctx);
	struct timespec next;
	struct mq_attr attr;
	char buf[8192];
	uint32_t seq = 0;
	size_t size;
	double t;
	int i;
	mqd_t q;

	demo_close_except(-1, -1);
	q = mq_open(a->name, O_WRONLY | (a->nonblock ? O_NONBLOCK : 0));
	if (q == (mqd_t)-1 || mq_getattr(q, &attr))
		return demo_fail(a->name);
	size = demo_size(ctx, (size_t)attr.mq_msgsize);
	demo_pace_init(&next);
	for (;;) {
		demo_pace(ctx, &next, 4);
		for (i = 0; i < BURST; i++) {
			demo_msg_fill(buf, size, ++seq);
			t = blk_now();
			if (mq_send(q, buf, size, 0) == 0) {
				t = blk_now() - t;
				demo_count(&st->sent, 1);
				if (t > 0.01)
					demo_count(&st->extra[0], 1);
				if (t > 0.01)
					demo_note(ctx, "sent #%u after being "
						  "blocked %.2f s (queue full)",
						  seq, t);
				else
					demo_note(ctx, "sent #%u", seq);
			} else if (errno == EAGAIN) {
				demo_count(&st->extra[0], 1);
				demo_note(ctx, "queue full: EAGAIN for #%u, "
					  "dropped, doing other work", seq);
			} else if (errno != EINTR) {
				return demo_fail("mq_send");
			}
		}
	}
}

static int blk_consumer(struct demo_ctx *ctx, void *arg)
{
	struct blk_arg *a = arg;
	struct demo_stat *st = demo_stat_get(ctx);
	char buf[8192];
	ssize_t n;
	double t;
	mqd_t q;

	demo_close_except(-1, -1);
	q = mq_open(a->name, O_RDONLY | (a->nonblock ? O_NONBLOCK : 0));
	if (q == (mqd_t)-1)
		return demo_fail(a->name);
	demo_ready(ctx);
	for (;;) {
		t = blk_now();
		n = mq_receive(q, buf, sizeof(buf), NULL);
		t = blk_now() - t;
		if (n >= 0) {
			demo_count(&st->received, 1);
			if (t > 0.01)
				demo_count(&st->extra[1], 1);
			if (t > 0.01)
				demo_note(ctx, "received #%u after waiting "
					  "%.2f s (queue empty)",
					  demo_msg_seq(buf), t);
			else
				demo_note(ctx, "received #%u",
					  demo_msg_seq(buf));
		} else if (errno == EAGAIN) {
			demo_count(&st->extra[1], 1);
			demo_note(ctx, "queue empty: EAGAIN, doing other work");
		} else if (errno != EINTR) {
			return demo_fail("mq_receive");
		}
		demo_sleep(0.5 / ctx->opts.rate);
	}
}

static int blk_start(struct demo_ctx *ctx, struct blk_arg *a,
		     const char *what, const char *prod, const char *cons)
{
	struct demo_obj *o = demo_mq_create(ctx, what, 4,
					    demo_size(ctx, 8192));

	if (!o)
		return -1;
	snprintf(o->note, sizeof(o->note), "capacity 4, %s",
		 a->nonblock ? "O_NONBLOCK at both ends" : "blocking ends");
	snprintf(a->name, sizeof(a->name), "%s", o->name);
	if (demo_spawn(ctx, cons, blk_consumer, a) < 0 ||
	    demo_spawn(ctx, prod, blk_producer, a) < 0)
		return -1;
	return 0;
}

static int blocking_start(struct demo_ctx *ctx)
{
	return blk_start(ctx, &blk, "blocking", "blk-producer",
			 "blk-consumer");
}

static int nonblocking_start(struct demo_ctx *ctx)
{
	return blk_start(ctx, &nb, "nonblocking", "nb-producer",
			 "nb-consumer");
}

static void blocking_summary(const struct demo_stat *st, char *buf,
			     size_t len)
{
	snprintf(buf, len, "sent %ld, received %ld, sends that blocked %ld, "
		 "receives that waited %ld", st->sent, st->received,
		 st->extra[0], st->extra[1]);
}

static void nonblocking_summary(const struct demo_stat *st, char *buf,
				size_t len)
{
	snprintf(buf, len, "sent %ld, received %ld, EAGAIN on send %ld, "
		 "EAGAIN on receive %ld", st->sent, st->received,
		 st->extra[0], st->extra[1]);
}

static int have_mq(char *why, size_t len)
{
	return demo_have_mq(why, len);
}

const struct demo_scenario demo_scen_blocking = {
	.name = "blocking",
	.description = "blocking (synchronous) send and receive on a small "
		       "queue",
	.explanation =
"A blocking send puts the sender to sleep until there is room for its\n"
"message; a blocking receive puts the receiver to sleep until a message is\n"
"there.  It is the simple default: a program reads as if data were always\n"
"available, and the kernel does the waiting.  blk-producer sends bursts of 6\n"
"messages into a queue that holds 4, so during each burst it is stopped\n"
"until blk-consumer makes room; between bursts the queue is empty and the\n"
"consumer sleeps in mq_receive().  When both send and receive block and the\n"
"queue holds nothing, the two meet: that is a rendezvous (see\n"
"zero-capacity).\n"
"\n"
"Watch in ipctop: the posix_mq fills to 4/4 and the producer is shown\n"
"blocked in mq_timedsend; then it drains and the consumer is blocked in\n"
"mq_timedreceive.  --verbose says how long each call waited.\n",
	.available = have_mq,
	.start = blocking_start,
	.summary = blocking_summary,
};

const struct demo_scenario demo_scen_nonblocking = {
	.name = "nonblocking",
	.description = "non-blocking (asynchronous) send and receive: EAGAIN "
		       "instead of waiting",
	.explanation =
"A non-blocking send returns at once: if the queue is full it fails with\n"
"EAGAIN and the sender decides what to do (retry later, drop, do other\n"
"work).  A non-blocking receive returns a message or, if there is none,\n"
"EAGAIN (a \"null\" message).  Neither process ever sleeps in the kernel on\n"
"the queue; the price is polling, or an extra mechanism such as poll() or\n"
"mq_notify() to learn when to try again.  The traffic is the same as in\n"
"`blocking`, with O_NONBLOCK on both ends: nb-producer drops the messages of\n"
"a burst that do not fit, nb-consumer counts its empty polls.\n"
"\n"
"Watch in ipctop: the same queue filling and draining, but neither process\n"
"is ever blocked on it.  The summary counts the EAGAINs on each side.\n",
	.available = have_mq,
	.start = nonblocking_start,
	.summary = nonblocking_summary,
};
