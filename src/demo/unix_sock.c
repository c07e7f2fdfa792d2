/* ipcdemo: unix domain sockets — a stream connection to a named socket,
 * datagrams to a named socket, and a connected socketpair. */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int us_listen_fd = -1, ud_fd = -1, sp_fd[2];
static struct sockaddr_un us_addr, ud_addr;

/* Creates and binds a unix socket at a path of the private directory. */
int demo_unix_listen(struct demo_ctx *ctx, int type, const char *what,
		     struct sockaddr_un *addr, const char *note)
{
	struct demo_obj *o = demo_obj_file(ctx, "unix", what);
	int fd;

	if (!o)
		return -1;
	snprintf(o->socktype, sizeof(o->socktype), "%s",
		 type == SOCK_STREAM ? "stream" :
		 type == SOCK_DGRAM ? "dgram" : "seqpacket");
	snprintf(o->note, sizeof(o->note), "%s", note);
	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	if (strlen(o->path) >= sizeof(addr->sun_path))
		return demo_warn("socket path too long: %s", o->path), -1;
	memcpy(addr->sun_path, o->path, strlen(o->path) + 1);
	fd = socket(AF_UNIX, type, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)addr, sizeof(*addr)) ||
	    (type != SOCK_DGRAM && listen(fd, 8))) {
		demo_fail(o->path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	o->inode = demo_fd_inode(fd);
	return fd;
}

int demo_unix_connect(int type, const struct sockaddr_un *addr)
{
	int fd = socket(AF_UNIX, type, 0);

	if (fd < 0 || connect(fd, (const struct sockaddr *)addr,
			      sizeof(*addr))) {
		demo_fail(addr->sun_path);
		return -1;
	}
	return fd;
}

static int us_server(struct demo_ctx *ctx, void *arg)
{
	int fd;

	demo_close_except(us_listen_fd, -1);
	demo_ready(ctx);
	fd = accept(us_listen_fd, NULL, NULL);
	if (fd < 0)
		return demo_fail("accept");
	demo_note(ctx, "accepted a client");
	return demo_recv_loop(ctx, fd, true);
}

static int us_client(struct demo_ctx *ctx, void *arg)
{
	int fd;

	demo_close_except(-1, -1);
	fd = demo_unix_connect(SOCK_STREAM, &us_addr);
	return fd < 0 ? 1 : demo_send_loop(ctx, fd, true);
}

static int unix_stream_start(struct demo_ctx *ctx)
{
	pid_t pid;

	us_listen_fd = demo_unix_listen(ctx, SOCK_STREAM, "stream.sock", &us_addr,
				 "ustream-server listens here");
	if (us_listen_fd < 0)
		return -1;
	pid = demo_spawn(ctx, "ustream-server", us_server, NULL);
	close(us_listen_fd);
	if (pid < 0 || demo_spawn(ctx, "ustream-client", us_client, NULL) < 0)
		return -1;
	return 0;
}

static int ud_receiver(struct demo_ctx *ctx, void *arg)
{
	demo_close_except(ud_fd, -1);
	return demo_recv_loop(ctx, ud_fd, false);
}

static int ud_sender(struct demo_ctx *ctx, void *arg)
{
	int fd;

	demo_close_except(-1, -1);
	fd = demo_unix_connect(SOCK_DGRAM, &ud_addr);
	return fd < 0 ? 1 : demo_send_loop(ctx, fd, false);
}

static int unix_dgram_start(struct demo_ctx *ctx)
{
	pid_t pid;

	ud_fd = demo_unix_listen(ctx, SOCK_DGRAM, "dgram.sock", &ud_addr,
			  "udgram-receiver is bound here");
	if (ud_fd < 0)
		return -1;
	pid = demo_spawn(ctx, "udgram-receiver", ud_receiver, NULL);
	close(ud_fd);
	if (pid < 0 || demo_spawn(ctx, "udgram-sender", ud_sender, NULL) < 0)
		return -1;
	return 0;
}

static int sp_ping(struct demo_ctx *ctx, void *arg)
{
	demo_close_except(sp_fd[0], -1);
	return demo_ping_loop(ctx, sp_fd[0], true);
}

static int sp_pong(struct demo_ctx *ctx, void *arg)
{
	demo_close_except(sp_fd[1], -1);
	return demo_echo_loop(ctx, sp_fd[1], true);
}

static int socketpair_start(struct demo_ctx *ctx)
{
	struct demo_obj *o;
	pid_t a, b;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp_fd))
		return demo_fail("socketpair"), -1;
	o = demo_obj_add(ctx, "unix", DEMO_RM_NONE);
	if (o) {
		snprintf(o->socktype, sizeof(o->socktype), "stream");
		o->inode = demo_fd_inode(sp_fd[0]);
		snprintf(o->note, sizeof(o->note), "spair-ping's end");
	}
	o = demo_obj_add(ctx, "unix", DEMO_RM_NONE);
	if (o) {
		snprintf(o->socktype, sizeof(o->socktype), "stream");
		o->inode = demo_fd_inode(sp_fd[1]);
		snprintf(o->note, sizeof(o->note), "spair-pong's end");
	}
	b = demo_spawn(ctx, "spair-pong", sp_pong, NULL);
	a = b < 0 ? -1 : demo_spawn(ctx, "spair-ping", sp_ping, NULL);
	close(sp_fd[0]);
	close(sp_fd[1]);
	return a < 0 ? -1 : 0;
}

const struct demo_scenario demo_scen_unix_stream = {
	.name = "unix-stream",
	.description = "a client streams to a server through a named unix "
		       "socket",
	.explanation =
"A unix domain socket is a socket whose address is a file path (or an\n"
"abstract name) instead of an IP address and port, so it only connects\n"
"processes of the same machine, and the kernel copies the data directly\n"
"without any network protocol.  A SOCK_STREAM socket works like a TCP\n"
"connection: ustream-server binds /tmp/ipcdemo.PID/stream.sock, listens and\n"
"accepts; ustream-client connects to that path and sends a byte stream.\n"
"Unlike a pipe a connection is two-way, and each accepted client gets its\n"
"own connected socket.\n"
"\n"
"Watch in ipctop (or `ss -xp`): the listening socket with the path, and the\n"
"two connected sockets, each naming the other as its peer, with the queued\n"
"bytes if the server falls behind.\n",
	.available = demo_have_unix,
	.start = unix_stream_start,
};

const struct demo_scenario demo_scen_unix_dgram = {
	.name = "unix-dgram",
	.description = "datagrams sent to a named unix socket",
	.explanation =
"A SOCK_DGRAM unix socket carries separate messages (datagrams) with their\n"
"boundaries kept, with no connection to set up: udgram-receiver binds\n"
"/tmp/ipcdemo.PID/dgram.sock, and udgram-sender addresses its datagrams to\n"
"that path.  Unlike UDP, unix datagrams are reliable and keep their order;\n"
"when the receiver's queue is full the sender waits.\n"
"\n"
"Watch in ipctop (or `ss -xp`): a dgram socket bound to the path with the\n"
"receiver as holder, and the sender's unnamed socket pointing at it; the\n"
"receive queue shows the next datagram's length while one is waiting.\n",
	.available = demo_have_unix,
	.start = unix_dgram_start,
};

const struct demo_scenario demo_scen_socketpair = {
	.name = "socketpair",
	.description = "ping-pong over a connected socketpair",
	.explanation =
"socketpair() returns two unix sockets already connected to each other, with\n"
"no name anywhere: like a pipe it links processes that inherit the\n"
"descriptors, but it is two-way.  spair-ping sends a numbered message and\n"
"waits for spair-pong to send it back, so each side is by turns writer and\n"
"reader.\n"
"\n"
"Watch in ipctop (or `ss -xp`): two unnamed stream sockets, each the peer of\n"
"the other, held by spair-ping and spair-pong.\n",
	.available = demo_have_unix,
	.start = socketpair_start,
	.summary = demo_summary_echo,
};
