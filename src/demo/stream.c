/* ipcdemo: worker loops shared by the fd-based scenarios (pipe, FIFO, unix
 * and inet sockets): a paced sender, a receiver, an echo server and a
 * client that waits for each echo.
 *
 * With stream true the fd is a byte stream (pipe, SOCK_STREAM) and each
 * message is read back whole with demo_read_all(); otherwise it keeps
 * message boundaries (SOCK_DGRAM, SOCK_SEQPACKET) and one read is one
 * message.
 */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static char demo_buf[DEMO_MAX_SIZE];

unsigned long demo_fd_inode(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : (unsigned long)st.st_ino;
}

static ssize_t demo_recv_one(int fd, size_t size, bool stream)
{
	ssize_t n;

	if (stream)
		return demo_read_all(fd, demo_buf, size);
	do
		n = read(fd, demo_buf, sizeof(demo_buf));
	while (n < 0 && errno == EINTR);
	return n;
}

int demo_send_loop(struct demo_ctx *ctx, int fd, bool stream)
{
	struct demo_stat *st = demo_stat_get(ctx);
	size_t size = demo_size(ctx, stream ? DEMO_MAX_SIZE : 65000);
	struct timespec next;
	uint32_t seq;

	demo_pace_init(&next);
	for (seq = 1;; seq++) {
		demo_pace(ctx, &next, 1);
		demo_msg_fill(demo_buf, size, seq);
		if (demo_write_all(fd, demo_buf, size) < 0) {
			if (errno == EPIPE || errno == ECONNRESET ||
			    errno == ECONNREFUSED)
				return demo_peer_gone("write");
			return demo_fail("write");
		}
		demo_count(&st->sent, 1);
		demo_note(ctx, "sent #%u (%zu bytes)", seq, size);
	}
}

int demo_recv_loop(struct demo_ctx *ctx, int fd, bool stream)
{
	struct demo_stat *st = demo_stat_get(ctx);
	size_t size = demo_size(ctx, DEMO_MAX_SIZE);
	ssize_t n;

	demo_ready(ctx);
	for (;;) {
		n = demo_recv_one(fd, size, stream);
		if (n < 0)
			return errno == ECONNRESET ? demo_peer_gone("read") :
			       demo_fail("read");
		if (n == 0)
			return demo_peer_gone("read");
		demo_count(&st->received, 1);
		demo_note(ctx, "received #%u (%zd bytes)", demo_msg_seq(demo_buf),
			  n);
	}
}

int demo_echo_loop(struct demo_ctx *ctx, int fd, bool stream)
{
	struct demo_stat *st = demo_stat_get(ctx);
	size_t size = demo_size(ctx, stream ? DEMO_MAX_SIZE : 65000);
	ssize_t n;

	demo_ready(ctx);
	for (;;) {
		n = demo_recv_one(fd, size, stream);
		if (n <= 0)
			return n < 0 && errno != ECONNRESET ? demo_fail("read") :
			       demo_peer_gone("read");
		demo_count(&st->received, 1);
		demo_note(ctx, "received #%u (%zd bytes), echoing it",
			  demo_msg_seq(demo_buf), n);
		if (demo_write_all(fd, demo_buf, (size_t)n) < 0)
			return demo_peer_gone("write");
	}
}

int demo_ping_loop(struct demo_ctx *ctx, int fd, bool stream)
{
	struct demo_stat *st = demo_stat_get(ctx);
	size_t size = demo_size(ctx, stream ? DEMO_MAX_SIZE : 65000);
	struct timespec next;
	uint32_t seq;
	ssize_t n;

	demo_pace_init(&next);
	for (seq = 1;; seq++) {
		demo_pace(ctx, &next, 1);
		demo_msg_fill(demo_buf, size, seq);
		if (demo_write_all(fd, demo_buf, size) < 0)
			return demo_peer_gone("write");
		demo_count(&st->sent, 1);
		demo_note(ctx, "sent #%u (%zu bytes)", seq, size);
		n = demo_recv_one(fd, size, stream);
		if (n <= 0)
			return demo_peer_gone("read");
		demo_count(&st->extra[0], 1);
		demo_note(ctx, "got the echo of #%u", demo_msg_seq(demo_buf));
	}
}

void demo_summary_echo(const struct demo_stat *st, char *buf, size_t len)
{
	snprintf(buf, len, "sent %ld, received %ld, echoes back %ld", st->sent,
		 st->received, st->extra[0]);
}
