/* ipcdemo: naming in message passing — direct communication (the sender
 * names the receiving process), indirect communication (through a mailbox
 * anyone may use), and many producers and consumers on one queue. */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pid_t direct_rx_pid;

/* Messages are real-time signals: they queue, and carry an int. */
static int direct_receiver(struct demo_ctx *ctx, void *arg)
{
	struct demo_stat *st = demo_stat_get(ctx);
	siginfo_t si;
	sigset_t set;

	demo_close_except(-1, -1);
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	demo_ready(ctx);
	for (;;) {
		if (sigwaitinfo(&set, &si) < 0)
			continue;
		demo_count(&st->received, 1);
		demo_note(ctx, "received #%d from process %d", si.si_value.sival_int,
			  (int)si.si_pid);
	}
	return 0;
}

static int direct_sender(struct demo_ctx *ctx, void *arg)
{
	struct demo_stat *st = demo_stat_get(ctx);
	struct timespec next;
	union sigval v;
	int seq;

	demo_close_except(-1, -1);
	demo_pace_init(&next);
	for (seq = 1;; seq++) {
		demo_pace(ctx, &next, 1);
		v.sival_int = seq;
		if (sigqueue(direct_rx_pid, SIGRTMIN, v)) {
			if (errno == EAGAIN)	/* the receiver's queue is full */
				continue;
			return demo_peer_gone("sigqueue");
		}
		demo_count(&st->sent, 1);
		demo_note(ctx, "sent #%d to process %d", seq, (int)direct_rx_pid);
	}
}

static int direct_start(struct demo_ctx *ctx)
{
	direct_rx_pid = demo_spawn(ctx, "direct-receiver", direct_receiver,
				   NULL);
	if (direct_rx_pid < 0 ||
	    demo_spawn(ctx, "direct-sender", direct_sender, NULL) < 0)
		return -1;
	return 0;
}

static struct demo_q_arg mbox_tx = { .factor = 1 },
			 mbox_rx = { .factor = 0.5 };

static int indirect_start(struct demo_ctx *ctx)
{
	struct demo_obj *o = demo_mq_create(ctx, "mailbox", 8,
					    demo_size(ctx, 8192));
	int i;

	if (!o)
		return -1;
	snprintf(o->note, sizeof(o->note), "the mailbox: 2 senders, "
		 "2 receivers");
	snprintf(mbox_tx.name, sizeof(mbox_tx.name), "%s", o->name);
	snprintf(mbox_rx.name, sizeof(mbox_rx.name), "%s", o->name);
	for (i = 0; i < 2; i++)
		if (demo_spawn(ctx, "mbox-receiver", demo_mq_consumer,
			       &mbox_rx) < 0)
			return -1;
	for (i = 0; i < 2; i++)
		if (demo_spawn(ctx, "mbox-sender", demo_mq_producer,
			       &mbox_tx) < 0)
			return -1;
	return 0;
}

static struct demo_q_arg m2m_tx = { .factor = 1 }, m2m_rx = { .factor = 0.5 };

static int many_to_many_start(struct demo_ctx *ctx)
{
	struct demo_obj *o = demo_obj_sysv(ctx, DEMO_RM_SYSV_MSG, 0);
	int i;

	if (!o)
		return -1;
	snprintf(o->note, sizeof(o->note), "3 producers, 3 consumers");
	m2m_tx.id = m2m_rx.id = o->ipcid;
	for (i = 0; i < 3; i++)
		if (demo_spawn(ctx, "m2m-consumer", demo_msg_consumer,
			       &m2m_rx) < 0)
			return -1;
	for (i = 0; i < 3; i++)
		if (demo_spawn(ctx, "m2m-producer", demo_msg_producer,
			       &m2m_tx) < 0)
			return -1;
	return 0;
}

static int have_mq(char *why, size_t len)
{
	return demo_have_mq(why, len);
}

const struct demo_scenario demo_scen_direct = {
	.name = "direct",
	.description = "direct communication: the sender names the receiving "
		       "process",
	.explanation =
"In direct communication each side names the other explicitly: send to\n"
"process P, receive from process Q.  The link exists between exactly that\n"
"pair and is set up by the naming itself; the drawback is that the names\n"
"are hard-wired, so replacing the receiver means telling every sender.\n"
"Here direct-sender sends numbered messages to the pid of direct-receiver\n"
"with sigqueue(): a real-time signal that carries an integer and queues, so\n"
"none is lost.  The receiver learns the sender's pid from each message.\n"
"\n"
"Watch in ipctop: no object at all, only two processes; direct-receiver has\n"
"SIGRTMIN blocked and sleeps in sigtimedwait, and a message shows briefly as\n"
"pending before it is taken.  Compare with `indirect`.\n",
	.available = demo_have_always,
	.start = direct_start,
};

const struct demo_scenario demo_scen_indirect = {
	.name = "indirect",
	.description = "indirect communication through a mailbox (a message "
		       "queue)",
	.explanation =
"In indirect communication messages go to a mailbox (a port, a queue) rather\n"
"than to a process.  Anyone who knows the mailbox's name can put messages in\n"
"it or take them out, a mailbox can link more than two processes, and a pair\n"
"of processes can share several mailboxes.  Senders do not know which\n"
"receiver will get a message; the kernel hands each message to exactly one.\n"
"Here two mbox-sender processes and two mbox-receiver processes share the\n"
"POSIX message queue /ipcdemo.PID.mailbox; with --verbose each receiver\n"
"prints which sender's message it got.\n"
"\n"
"Watch in ipctop: one posix_mq object with four endpoints, two writers and\n"
"two readers.  Compare with `direct`.\n",
	.available = have_mq,
	.start = indirect_start,
};

const struct demo_scenario demo_scen_many_to_many = {
	.name = "many-to-many",
	.description = "three producers and three consumers on one message "
		       "queue",
	.explanation =
"Several producers and several consumers can share one queue: the queue\n"
"keeps order and hands each message to exactly one consumer, so work is\n"
"spread over the consumers with no coordination between them (a work\n"
"queue).  Three m2m-producer processes send numbered messages, each tagged\n"
"with its pid, to a System V message queue; three m2m-consumer processes\n"
"take whatever comes next.  With --verbose you see that one producer's\n"
"messages are spread over the consumers.\n"
"\n"
"Watch in ipctop (or `ipcs -q`): one sysv_msg object; its last sender and\n"
"last receiver change from one process to another.\n",
	.available = demo_have_sysv_msg,
	.start = many_to_many_start,
};
