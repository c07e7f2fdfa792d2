/* ipcdemo: a named pipe (FIFO) between two unrelated processes. */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static char fifo_path[160];

static int fifo_open_loop(struct demo_ctx *ctx, int flags, bool writer)
{
	int fd;

	demo_close_except(-1, -1);
	demo_ready(ctx);	/* open() waits for the other end */
	fd = open(fifo_path, flags);
	if (fd < 0)
		return demo_fail(fifo_path);
	return writer ? demo_send_loop(ctx, fd, true) :
			demo_recv_loop(ctx, fd, true);
}

static int fifo_writer(struct demo_ctx *ctx, void *arg)
{
	(void)arg;
	return fifo_open_loop(ctx, O_WRONLY, true);
}

static int fifo_reader(struct demo_ctx *ctx, void *arg)
{
	(void)arg;
	return fifo_open_loop(ctx, O_RDONLY, false);
}

static int fifo_start(struct demo_ctx *ctx)
{
	struct demo_obj *o;

	o = demo_obj_file(ctx, "fifo", "fifo");
	if (!o)
		return -1;
	snprintf(fifo_path, sizeof(fifo_path), "%s", o->path);
	if (mkfifo(fifo_path, 0600))
		return demo_fail("mkfifo"), -1;
	if (demo_spawn(ctx, "fifo-reader", fifo_reader, NULL) < 0 ||
	    demo_spawn(ctx, "fifo-writer", fifo_writer, NULL) < 0)
		return -1;
	return 0;
}

const struct demo_scenario demo_scen_fifo = {
	.name = "fifo",
	.description = "two unrelated processes talk through a named pipe "
		       "(FIFO)",
	.explanation =
"A FIFO, or named pipe, is a pipe with a name in the file system (made by\n"
"mkfifo).  Any process allowed to open that path can use it, so the two ends\n"
"need not be parent and child: here fifo-writer and fifo-reader are started\n"
"separately and share no file descriptor, only the path.  open() for writing\n"
"waits until a reader has opened it too (and the other way round).  The data\n"
"never touches the disk: the file is only a meeting point; the bytes go\n"
"through a buffer in the kernel just as with a pipe, one way, first in first\n"
"out.\n"
"\n"
"Watch in ipctop: a fifo object with the path printed at start\n"
"(/tmp/ipcdemo.PID/fifo), its writer and reader; `ls -l` shows the file with\n"
"type p.  When ipcdemo stops the file is removed.\n",
	.available = demo_have_always,
	.start = fifo_start,
};
