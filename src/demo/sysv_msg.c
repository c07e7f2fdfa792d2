/* ipcdemo: a System V message queue with a producer and a consumer. */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <unistd.h>

#define SYSV_MSG_MAX 8192	/* the default msgmax */

struct demo_msgbuf {
	long mtype;
	char text[SYSV_MSG_MAX];
};

int demo_msg_producer(struct demo_ctx *ctx, void *arg)
{
	struct demo_q_arg *a = arg;
	struct demo_stat *st = demo_stat_get(ctx);
	static struct demo_msgbuf m;
	size_t size = demo_size(ctx, SYSV_MSG_MAX);
	struct timespec next;
	pid_t me = getpid();
	uint32_t seq;

	demo_close_except(-1, -1);
	demo_pace_init(&next);
	for (seq = 1;; seq++) {
		demo_pace(ctx, &next, a->factor);
		m.mtype = 1;
		demo_msg_fill(m.text, size, seq);
		memcpy(m.text + 4, &me, sizeof(me));
		while (msgsnd(a->id, &m, size, 0)) {
			if (errno == EIDRM)
				return demo_peer_gone("msgsnd");
			if (errno != EINTR)
				return demo_fail("msgsnd");
		}
		demo_count(&st->sent, 1);
		demo_note(ctx, "sent #%u (%zu bytes) to msqid %d", seq, size,
			  a->id);
	}
}

int demo_msg_consumer(struct demo_ctx *ctx, void *arg)
{
	struct demo_q_arg *a = arg;
	struct demo_stat *st = demo_stat_get(ctx);
	static struct demo_msgbuf m;
	pid_t from;
	ssize_t n;

	demo_close_except(-1, -1);
	demo_ready(ctx);
	for (;;) {
		n = msgrcv(a->id, &m, sizeof(m.text), 0, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EIDRM)
				return demo_peer_gone("msgrcv");
			return demo_fail("msgrcv");
		}
		memcpy(&from, m.text + 4, sizeof(from));
		demo_count(&st->received, 1);
		demo_note(ctx, "received #%u from %d (%zd bytes)",
			  demo_msg_seq(m.text), (int)from, n);
		if (a->factor > 0)
			demo_sleep(a->factor / ctx->opts.rate);
	}
}

static struct demo_q_arg msg_prod = { .factor = 1 }, msg_cons = { 0 };

static int sysv_msg_start(struct demo_ctx *ctx)
{
	struct demo_obj *o = demo_obj_sysv(ctx, DEMO_RM_SYSV_MSG, 0);

	if (!o)
		return -1;
	snprintf(o->note, sizeof(o->note), "1 producer, 1 consumer");
	msg_prod.id = msg_cons.id = o->ipcid;
	if (demo_spawn(ctx, "msg-consumer", demo_msg_consumer, &msg_cons) < 0 ||
	    demo_spawn(ctx, "msg-producer", demo_msg_producer, &msg_prod) < 0)
		return -1;
	return 0;
}

const struct demo_scenario demo_scen_sysv_msg = {
	.name = "sysv-msg",
	.description = "a producer and a consumer use a System V message queue",
	.explanation =
"System V message queues are the older message queue interface.  A queue is\n"
"found by a numeric key (ipcdemo derives one from its pid) and msgget()\n"
"returns its id; msgsnd() adds a message with a type, msgrcv() removes one\n"
"(the first, or the first of a given type).  Like all System V objects it is\n"
"not a file and has no file descriptor: it stays in the kernel until someone\n"
"removes it with msgctl(IPC_RMID) or `ipcrm`, even after every process that\n"
"used it has gone.  Here msg-producer sends numbered messages and\n"
"msg-consumer receives them.\n"
"\n"
"Watch in ipctop (or `ipcs -q`): a sysv_msg object with the key and id\n"
"printed at start, its message count and bytes, and the pids of the last\n"
"sender and receiver.  No process holds it open: the link to the processes\n"
"is only through those last-operation pids.\n",
	.available = demo_have_sysv_msg,
	.start = sysv_msg_start,
};
