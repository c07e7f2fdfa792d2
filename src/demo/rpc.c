/* ipcdemo: remote procedure calls over a unix seqpacket socket.  A request
 * is one packet "PROC ARG…", the reply one packet "ok RESULT" or
 * "error WHY". */
#include "config.h"

#include "demo.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int rpc_listen_fd = -1;
static struct sockaddr_un rpc_addr;

/* The procedures the server offers. */
static void rpc_dispatch(const char *req, char *rep, size_t len)
{
	char proc[16] = "", arg[200] = "";
	long a = 0, b = 0;
	size_t i;

	sscanf(req, "%15s %199[^\n]", proc, arg);
	if (!strcmp(proc, "add") && sscanf(arg, "%ld %ld", &a, &b) == 2) {
		snprintf(rep, len, "ok %ld", a + b);
	} else if (!strcmp(proc, "mul") && sscanf(arg, "%ld %ld", &a, &b) == 2) {
		snprintf(rep, len, "ok %ld", a * b);
	} else if (!strcmp(proc, "upper")) {
		for (i = 0; arg[i]; i++)
			arg[i] = (char)toupper((unsigned char)arg[i]);
		snprintf(rep, len, "ok %s", arg);
	} else if (!strcmp(proc, "time")) {
		snprintf(rep, len, "ok %ld", (long)time(NULL));
	} else {
		snprintf(rep, len, "error no procedure '%s'", proc);
	}
}

static int rpc_server(struct demo_ctx *ctx, void *arg)
{
	struct demo_stat *st = demo_stat_get(ctx);
	char req[256], rep[256];
	ssize_t n;
	int fd;

	demo_close_except(rpc_listen_fd, -1);
	demo_ready(ctx);
	fd = accept(rpc_listen_fd, NULL, NULL);
	if (fd < 0)
		return demo_fail("accept");
	for (;;) {
		n = recv(fd, req, sizeof(req) - 1, 0);
		if (n <= 0)
			return demo_peer_gone("recv");
		req[n] = 0;
		rpc_dispatch(req, rep, sizeof(rep));
		demo_count(&st->received, 1);
		demo_note(ctx, "served %s -> %s", req, rep);
		if (send(fd, rep, strlen(rep), 0) < 0)
			return demo_peer_gone("send");
	}
}

static int rpc_client(struct demo_ctx *ctx, void *arg)
{
	struct demo_stat *st = demo_stat_get(ctx);
	char req[256], rep[256];
	struct timespec next;
	unsigned int seq;
	ssize_t n;
	int fd;

	demo_close_except(-1, -1);
	fd = demo_unix_connect(SOCK_SEQPACKET, &rpc_addr);
	if (fd < 0)
		return 1;
	demo_pace_init(&next);
	for (seq = 1;; seq++) {
		demo_pace(ctx, &next, 1);
		switch (seq % 4) {
		case 1:
			snprintf(req, sizeof(req), "add %u %u", seq, 2 * seq);
			break;
		case 2:
			snprintf(req, sizeof(req), "mul %u 3", seq);
			break;
		case 3:
			snprintf(req, sizeof(req), "upper call %u", seq);
			break;
		default:
			snprintf(req, sizeof(req), "time");
		}
		if (send(fd, req, strlen(req), 0) < 0)
			return demo_peer_gone("send");
		demo_count(&st->sent, 1);
		n = recv(fd, rep, sizeof(rep) - 1, 0);	/* wait for the reply */
		if (n <= 0)
			return demo_peer_gone("recv");
		rep[n] = 0;
		demo_count(&st->extra[0], 1);
		demo_note(ctx, "call #%u: %s -> %s", seq, req, rep);
	}
}

static int rpc_start(struct demo_ctx *ctx)
{
	pid_t pid;

	rpc_listen_fd = demo_unix_listen(ctx, SOCK_SEQPACKET, "rpc.sock",
					 &rpc_addr, "rpc-server listens here");
	if (rpc_listen_fd < 0)
		return -1;
	pid = demo_spawn(ctx, "rpc-server", rpc_server, NULL);
	close(rpc_listen_fd);
	if (pid < 0 || demo_spawn(ctx, "rpc-client", rpc_client, NULL) < 0)
		return -1;
	return 0;
}

static void rpc_summary(const struct demo_stat *st, char *buf, size_t len)
{
	snprintf(buf, len, "sent %ld, received %ld, replies %ld", st->sent,
		 st->received, st->extra[0]);
}

const struct demo_scenario demo_scen_rpc = {
	.name = "rpc",
	.description = "a client calls named procedures on a server (request "
		       "and reply)",
	.explanation =
"A remote procedure call makes a message exchange look like a function call:\n"
"the client packs the procedure's name and arguments into a request, the\n"
"server unpacks them, runs the procedure and sends the result back, and the\n"
"client waits for that reply before going on.  Real RPC systems (Sun RPC,\n"
"gRPC, D-Bus) add a stub generator, a data format and a way to find the\n"
"server; the pattern underneath is this one.  rpc-client calls add, mul,\n"
"upper and time on rpc-server through /tmp/ipcdemo.PID/rpc.sock, a unix\n"
"SOCK_SEQPACKET socket, which keeps each request and reply one packet.\n"
"\n"
"Watch in ipctop (or `ss -xp`): the seqpacket socket pair between the two\n"
"processes; the client sleeps in recv() waiting for each reply.  --verbose\n"
"prints every call and its result.\n",
	.available = demo_have_unix,
	.start = rpc_start,
	.summary = rpc_summary,
};
