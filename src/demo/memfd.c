/* ipcdemo: an anonymous memory file (memfd) passed over a unix socket. */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

static int memfd_sv[2];
static char memfd_name[64];

static int memfd_owner(struct demo_ctx *ctx, void *arg)
{
	char cbuf[CMSG_SPACE(sizeof(int))], byte = 'm';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	void *page;
	int fd;

	demo_close_except(memfd_sv[0], -1);
	fd = memfd_create(memfd_name, 0);
	if (fd < 0 || ftruncate(fd, DEMO_PAGE_BYTES))
		return demo_fail("memfd_create");
	page = mmap(NULL, DEMO_PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED,
		    fd, 0);
	if (page == MAP_FAILED)
		return demo_fail("mmap");
	memset(cbuf, 0, sizeof(cbuf));
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(memfd_sv[0], &mh, 0) != 1)
		return demo_fail("sendmsg(SCM_RIGHTS)");
	demo_note(ctx, "passed memfd %d over the socket", fd);
	return demo_page_writer(ctx, page);
}

static int memfd_user(struct demo_ctx *ctx, void *arg)
{
	char cbuf[CMSG_SPACE(sizeof(int))], byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	void *page;
	int fd = -1;

	demo_close_except(memfd_sv[1], -1);
	demo_ready(ctx);
	if (recvmsg(memfd_sv[1], &mh, 0) != 1)
		return demo_peer_gone("recvmsg");
	c = CMSG_FIRSTHDR(&mh);
	if (c && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	if (fd < 0)
		return demo_fail("no fd received");
	demo_note(ctx, "received the memfd as fd %d", fd);
	page = mmap(NULL, DEMO_PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED,
		    fd, 0);
	if (page == MAP_FAILED)
		return demo_fail("mmap");
	return demo_page_reader(ctx, page);
}

static int memfd_start(struct demo_ctx *ctx)
{
	struct demo_obj *o;
	pid_t a, b;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, memfd_sv))
		return demo_fail("socketpair"), -1;
	snprintf(memfd_name, sizeof(memfd_name), "%s.memfd", ctx->prefix);
	o = demo_obj_add(ctx, "memfd", DEMO_RM_NONE);
	if (o) {
		snprintf(o->name, sizeof(o->name), "memfd:%s", memfd_name);
		snprintf(o->note, sizeof(o->note), "made by memfd-owner, "
			 "passed to memfd-user");
	}
	o = demo_obj_add(ctx, "unix", DEMO_RM_NONE);
	if (o) {
		snprintf(o->socktype, sizeof(o->socktype), "stream");
		o->inode = demo_fd_inode(memfd_sv[0]);
		snprintf(o->note, sizeof(o->note), "socketpair carrying the fd");
	}
	b = demo_spawn(ctx, "memfd-user", memfd_user, NULL);
	a = b < 0 ? -1 : demo_spawn(ctx, "memfd-owner", memfd_owner, NULL);
	close(memfd_sv[0]);
	close(memfd_sv[1]);
	return a < 0 ? -1 : 0;
}

static int memfd_available(char *why, size_t len)
{
	int fd = memfd_create("ipcdemo.probe", MFD_CLOEXEC);

	if (fd < 0) {
		snprintf(why, len, "memfd_create: %s", strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

const struct demo_scenario demo_scen_memfd = {
	.name = "memfd",
	.description = "shared memory with no name: a memfd passed over a unix "
		       "socket",
	.explanation =
"memfd_create() makes a file that lives only in memory and has no path at\n"
"all (its name is just a label, shown as /memfd:NAME (deleted)).  Another\n"
"process can reach it only if it is handed the file descriptor, and a unix\n"
"socket can carry descriptors between processes (SCM_RIGHTS).  Here\n"
"memfd-owner creates and maps the memfd, sends the descriptor to memfd-user\n"
"over a socketpair, and both then share the same pages, as with mmap.\n"
"Nothing is left behind when both processes exit: there is no name to\n"
"unlink, which is why modern programs (Wayland, systemd) like it.\n"
"\n"
"Watch in ipctop: a memfd object held and mapped by both processes, and the\n"
"unix socket pair it travelled through.\n",
	.available = memfd_available,
	.start = memfd_start,
};
