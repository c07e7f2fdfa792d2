/* ipcdemo: the three buffering disciplines of a link — zero capacity
 * (rendezvous), bounded capacity, and (an approximation of) unbounded
 * capacity. */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int rv_fd[2], unb_fd[2];
static struct demo_q_arg bnd_prod = { .factor = 0 },
			 bnd_cons = { .factor = 1 };
static char buf[DEMO_MAX_SIZE];

/* Zero capacity: the receiver says "ready", only then does the sender
 * hand over one message, so no message ever waits in a buffer. */
static int rv_sender(struct demo_ctx *ctx, void *arg)
{
	struct demo_stat *st = demo_stat_get(ctx);
	size_t size = demo_size(ctx, DEMO_MAX_SIZE);
	uint32_t seq;
	char c;

	demo_close_except(rv_fd[0], -1);
	demo_ready(ctx);
	for (seq = 1;; seq++) {
		if (recv(rv_fd[0], &c, 1, 0) <= 0)	/* wait for "ready" */
			return demo_peer_gone("recv");
		demo_msg_fill(buf, size, seq);
		if (send(rv_fd[0], buf, size, 0) < 0)
			return demo_peer_gone("send");
		demo_count(&st->sent, 1);
		demo_note(ctx, "handed over #%u", seq);
	}
}

static int rv_receiver(struct demo_ctx *ctx, void *arg)
{
	struct demo_stat *st = demo_stat_get(ctx);
	struct timespec next;
	ssize_t n;

	demo_close_except(rv_fd[1], -1);
	demo_pace_init(&next);
	for (;;) {
		demo_pace(ctx, &next, 1);
		if (send(rv_fd[1], "R", 1, 0) < 0)
			return demo_peer_gone("send");
		n = recv(rv_fd[1], buf, sizeof(buf), 0);
		if (n <= 0)
			return demo_peer_gone("recv");
		demo_count(&st->received, 1);
		demo_note(ctx, "took #%u", demo_msg_seq(buf));
	}
}

static int zero_start(struct demo_ctx *ctx)
{
	struct demo_obj *o;
	pid_t a, b;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, rv_fd))
		return demo_fail("socketpair"), -1;
	o = demo_obj_add(ctx, "unix", DEMO_RM_NONE);
	if (o) {
		snprintf(o->socktype, sizeof(o->socktype), "seqpacket");
		o->inode = demo_fd_inode(rv_fd[0]);
		snprintf(o->note, sizeof(o->note), "rendezvous link");
	}
	a = demo_spawn(ctx, "rv-sender", rv_sender, NULL);
	b = a < 0 ? -1 : demo_spawn(ctx, "rv-receiver", rv_receiver, NULL);
	close(rv_fd[0]);
	close(rv_fd[1]);
	return b < 0 ? -1 : 0;
}

/* Bounded: an unpaced producer against a queue of 4 and a paced
 * consumer; the queue stays full and the producer stays blocked. */
static int bounded_start(struct demo_ctx *ctx)
{
	struct demo_obj *o = demo_mq_create(ctx, "bounded", 4,
					    demo_size(ctx, 8192));

	if (!o)
		return -1;
	snprintf(o->note, sizeof(o->note), "capacity 4, kept full");
	snprintf(bnd_prod.name, sizeof(bnd_prod.name), "%s", o->name);
	snprintf(bnd_cons.name, sizeof(bnd_cons.name), "%s", o->name);
	if (demo_spawn(ctx, "bnd-consumer", demo_mq_consumer, &bnd_cons) < 0 ||
	    demo_spawn(ctx, "bnd-producer", demo_mq_producer, &bnd_prod) < 0)
		return -1;
	return 0;
}

/* Unbounded: a big pipe, a producer four times faster than the consumer.
 * The producer stops adding at 3/4 of the pipe: a real unbounded buffer
 * would need unbounded memory. */
static int unb_producer(struct demo_ctx *ctx, void *arg)
{
	struct demo_stat *st = demo_stat_get(ctx);
	size_t size = demo_size(ctx, DEMO_MAX_SIZE);
	int cap = fcntl(unb_fd[1], F_GETPIPE_SZ), queued = 0;
	struct timespec next;
	uint32_t seq = 1;

	demo_close_except(unb_fd[1], -1);
	demo_pace_init(&next);
	for (;;) {
		demo_pace(ctx, &next, 0.25);
		if (ioctl(unb_fd[1], FIONREAD, &queued) == 0 &&
		    queued + (int)size > cap / 4 * 3) {
			demo_count(&st->extra[0], 1);
			demo_note(ctx, "buffer at %d bytes: holding back (the "
				  "limit of this idealisation)", queued);
			continue;
		}
		demo_msg_fill(buf, size, seq);
		if (demo_write_all(unb_fd[1], buf, size) < 0)
			return demo_peer_gone("write");
		demo_count(&st->sent, 1);
		demo_note(ctx, "sent #%u, %d bytes now queued", seq++,
			  queued + (int)size);
	}
}

static int unb_consumer(struct demo_ctx *ctx, void *arg)
{
	struct demo_stat *st = demo_stat_get(ctx);
	size_t size = demo_size(ctx, DEMO_MAX_SIZE);
	struct timespec next;

	demo_close_except(unb_fd[0], -1);
	demo_pace_init(&next);
	for (;;) {
		demo_pace(ctx, &next, 1);
		if (demo_read_all(unb_fd[0], buf, size) <= 0)
			return demo_peer_gone("read");
		demo_count(&st->received, 1);
		demo_note(ctx, "received #%u", demo_msg_seq(buf));
	}
}

static int unbounded_start(struct demo_ctx *ctx)
{
	struct demo_obj *o;
	pid_t a, b;

	if (pipe(unb_fd))
		return demo_fail("pipe"), -1;
	/* as large as allowed (/proc/sys/fs/pipe-max-size, 1 MiB) */
	if (fcntl(unb_fd[1], F_SETPIPE_SZ, 1 << 20) < 0)
		fcntl(unb_fd[1], F_SETPIPE_SZ, 1 << 16);
	o = demo_obj_add(ctx, "pipe", DEMO_RM_NONE);
	if (o) {
		o->inode = demo_fd_inode(unb_fd[0]);
		snprintf(o->note, sizeof(o->note), "%d-byte buffer, growing",
			 fcntl(unb_fd[1], F_GETPIPE_SZ));
	}
	b = demo_spawn(ctx, "unb-consumer", unb_consumer, NULL);
	a = b < 0 ? -1 : demo_spawn(ctx, "unb-producer", unb_producer, NULL);
	close(unb_fd[0]);
	close(unb_fd[1]);
	return a < 0 ? -1 : 0;
}

static void unbounded_summary(const struct demo_stat *st, char *b, size_t len)
{
	snprintf(b, len, "sent %ld, received %ld, %ld still queued", st->sent,
		 st->received, st->sent - st->received);
}

static int have_mq(char *why, size_t len)
{
	return demo_have_mq(why, len);
}

const struct demo_scenario demo_scen_zero_capacity = {
	.name = "zero-capacity",
	.description = "zero capacity: every message is a rendezvous",
	.explanation =
"A link with zero capacity can hold no message at all, so a sender can only\n"
"hand a message over when the receiver is there to take it: the two meet (a\n"
"rendezvous) for every message, and the sender always waits.  Real kernels\n"
"always have some buffer, so ipcdemo builds the discipline on a seqpacket\n"
"socketpair: rv-receiver first says it is ready, and only then does\n"
"rv-sender pass one message.  The receiver takes one message per tick, so\n"
"the sender spends its life waiting.\n"
"\n"
"Watch in ipctop: the socket pair's queues stay empty; rv-sender is asleep\n"
"in recv() waiting for the next \"ready\", rv-receiver sleeps between ticks.\n",
	.available = demo_have_unix,
	.start = zero_start,
};

const struct demo_scenario demo_scen_bounded = {
	.name = "bounded",
	.description = "bounded capacity: a fast producer fills a queue of 4 and "
		       "blocks",
	.explanation =
"A bounded buffer holds at most N messages.  While there is room the sender\n"
"goes on without waiting; when the buffer is full it must wait until the\n"
"receiver takes something.  This is what every real pipe, socket and queue\n"
"is.  bnd-producer sends as fast as it can to a POSIX message queue that\n"
"holds 4 messages; bnd-consumer takes one per tick.  So the producer runs at\n"
"exactly the consumer's speed, spending its time blocked on a full queue.\n"
"\n"
"Watch in ipctop: the posix_mq is full (4 of 4, flagged full) and\n"
"bnd-producer is blocked in mq_timedsend.\n",
	.available = have_mq,
	.start = bounded_start,
};

const struct demo_scenario demo_scen_unbounded = {
	.name = "unbounded",
	.description = "unbounded capacity (idealised): the queue keeps "
		       "growing",
	.explanation =
"With an unbounded buffer the sender never waits: every message is queued,\n"
"however far behind the receiver is.  No real system has infinite memory,\n"
"so this is an idealisation; ipcdemo approximates it with a pipe enlarged\n"
"to 1 MiB (F_SETPIPE_SZ) and a producer four times faster than the\n"
"consumer.  The producer never blocks; the backlog grows steadily.  To stay\n"
"polite, it holds back once the pipe is three quarters full, which at the\n"
"default rate takes hours.\n"
"\n"
"Watch in ipctop: the pipe's queued bytes grow at every refresh while both\n"
"processes keep running.\n",
	.available = demo_have_always,
	.start = unbounded_start,
	.summary = unbounded_summary,
};
