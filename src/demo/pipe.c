/* ipcdemo: an anonymous pipe between a parent and its child. */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

static int pipe_reader(struct demo_ctx *ctx, void *arg)
{
	int fd = ((int *)arg)[0];

	demo_close_except(fd, -1);
	return demo_recv_loop(ctx, fd, true);
}

/* The writer is the parent: it forks the reader, as in the textbook. */
static int pipe_writer(struct demo_ctx *ctx, void *arg)
{
	int *fds = arg;

	demo_close_except(fds[0], fds[1]);
	if (demo_spawn_sub(ctx, "pipe-reader", pipe_reader, fds) < 0)
		return 1;
	close(fds[0]);
	return demo_send_loop(ctx, fds[1], true);
}

static int pipe_start(struct demo_ctx *ctx)
{
	struct demo_obj *o;
	int fds[2];
	pid_t pid;

	if (pipe(fds))
		return demo_fail("pipe"), -1;
	o = demo_obj_add(ctx, "pipe", DEMO_RM_NONE);
	if (o) {
		o->inode = demo_fd_inode(fds[0]);
		snprintf(o->note, sizeof(o->note), "pipe-writer -> pipe-reader");
	}
	pid = demo_spawn(ctx, "pipe-writer", pipe_writer, fds);
	close(fds[0]);
	close(fds[1]);
	return pid < 0 ? -1 : 0;
}

const struct demo_scenario demo_scen_pipe = {
	.name = "pipe",
	.description = "a parent writes records into a pipe, its child reads "
		       "them",
	.explanation =
"A pipe is the oldest Unix channel: a one-way byte stream inside the kernel\n"
"with a write end and a read end and no name in the file system.  Because it\n"
"has no name, only processes that inherit its file descriptors can use it,\n"
"so it links a parent and the children it forks.  Here pipe-writer creates\n"
"nothing itself: it forks pipe-reader, keeps the write end and closes the\n"
"read end; the child does the opposite.  Data flows one way only (half\n"
"duplex); two-way talk would need a second pipe.  When the buffer is full\n"
"the writer sleeps, when it is empty the reader sleeps, and when the last\n"
"writer closes, the reader sees end of file.\n"
"\n"
"Watch in ipctop: one pipe object (its inode is printed at start) with\n"
"pipe-writer as writer and pipe-reader as reader; the reader is usually\n"
"asleep in read(), and the writer's rate follows --rate.\n",
	.available = demo_have_always,
	.start = pipe_start,
};
