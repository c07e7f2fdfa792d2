/* ipcdemo: TCP and UDP on the loopback interface.  The supervisor binds
 * 127.0.0.1 port 0 and reports the port the kernel chose, so two runs never
 * collide. */
#include "config.h"

#include "demo.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int tcp_listen_fd = -1, udp_fd = -1;
static struct sockaddr_in tcp_addr, udp_addr;

static int inet_bind(struct demo_ctx *ctx, int type, struct sockaddr_in *a,
		     const char *note)
{
	socklen_t len = sizeof(*a);
	struct demo_obj *o;
	int fd = socket(AF_INET, type, 0);

	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)a, sizeof(*a)) ||
	    getsockname(fd, (struct sockaddr *)a, &len) ||
	    (type == SOCK_STREAM && listen(fd, 8))) {
		demo_fail("bind 127.0.0.1");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	o = demo_obj_add(ctx, type == SOCK_STREAM ? "tcp" : "udp",
			 DEMO_RM_NONE);
	if (o) {
		snprintf(o->local, sizeof(o->local), "127.0.0.1:%u",
			 ntohs(a->sin_port));
		o->inode = demo_fd_inode(fd);
		snprintf(o->note, sizeof(o->note), "%s", note);
	}
	return fd;
}

static int inet_connect(int type, const struct sockaddr_in *a)
{
	int fd = socket(AF_INET, type, 0);

	if (fd < 0 || connect(fd, (const struct sockaddr *)a, sizeof(*a))) {
		demo_fail("connect 127.0.0.1");
		return -1;
	}
	return fd;
}

static int tcp_server(struct demo_ctx *ctx, void *arg)
{
	int fd;

	demo_close_except(tcp_listen_fd, -1);
	demo_ready(ctx);
	fd = accept(tcp_listen_fd, NULL, NULL);
	if (fd < 0)
		return demo_fail("accept");
	demo_note(ctx, "accepted a client");
	return demo_echo_loop(ctx, fd, true);
}

static int tcp_client(struct demo_ctx *ctx, void *arg)
{
	int fd;

	demo_close_except(-1, -1);
	fd = inet_connect(SOCK_STREAM, &tcp_addr);
	return fd < 0 ? 1 : demo_ping_loop(ctx, fd, true);
}

static int tcp_start(struct demo_ctx *ctx)
{
	pid_t pid;

	tcp_listen_fd = inet_bind(ctx, SOCK_STREAM, &tcp_addr,
				  "tcp-server listens, echoes");
	if (tcp_listen_fd < 0)
		return -1;
	pid = demo_spawn(ctx, "tcp-server", tcp_server, NULL);
	close(tcp_listen_fd);
	if (pid < 0 || demo_spawn(ctx, "tcp-client", tcp_client, NULL) < 0)
		return -1;
	return 0;
}

static int udp_receiver(struct demo_ctx *ctx, void *arg)
{
	demo_close_except(udp_fd, -1);
	return demo_recv_loop(ctx, udp_fd, false);
}

static int udp_sender(struct demo_ctx *ctx, void *arg)
{
	int fd;

	demo_close_except(-1, -1);
	fd = inet_connect(SOCK_DGRAM, &udp_addr);
	return fd < 0 ? 1 : demo_send_loop(ctx, fd, false);
}

static int udp_start(struct demo_ctx *ctx)
{
	pid_t pid;

	udp_fd = inet_bind(ctx, SOCK_DGRAM, &udp_addr, "udp-receiver");
	if (udp_fd < 0)
		return -1;
	pid = demo_spawn(ctx, "udp-receiver", udp_receiver, NULL);
	close(udp_fd);
	if (pid < 0 || demo_spawn(ctx, "udp-sender", udp_sender, NULL) < 0)
		return -1;
	return 0;
}

const struct demo_scenario demo_scen_tcp = {
	.name = "tcp",
	.description = "a TCP client and an echo server on 127.0.0.1",
	.explanation =
"TCP sockets are the network's byte streams, but two processes of one\n"
"machine can use them too, over the loopback interface 127.0.0.1.  The\n"
"server binds an address and port (ipcdemo takes port 0, so the kernel picks\n"
"a free one, printed at start), listens and accepts; the client connects.\n"
"Then each side has a socket with a local and a remote address, and the\n"
"connection is reliable, ordered and two-way.  Here tcp-client sends\n"
"numbered messages and tcp-server echoes each one back.\n"
"\n"
"Watch in ipctop (or `ss -tnp`): the listening socket, and the two ends of\n"
"the ESTABLISHED connection with their ports, each the peer of the other,\n"
"and the bytes each has sent.\n",
	.available = demo_have_inet,
	.start = tcp_start,
	.summary = demo_summary_echo,
};

const struct demo_scenario demo_scen_udp = {
	.name = "udp",
	.description = "UDP datagrams to a receiver on 127.0.0.1",
	.explanation =
"UDP carries single datagrams with no connection, no retransmission and no\n"
"guarantee of order: what the network loses is lost.  On loopback nothing is\n"
"lost unless the receiver's buffer overflows.  udp-receiver binds 127.0.0.1\n"
"on a port the kernel chose; udp-sender addresses datagrams to it (connect()\n"
"on a UDP socket only fixes the destination).\n"
"\n"
"Watch in ipctop (or `ss -unp`): the receiver's socket with its port, and\n"
"the sender's socket whose remote address is the receiver.\n",
	.available = demo_have_inet,
	.start = udp_start,
};
