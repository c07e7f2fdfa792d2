#include "config.h"

#include "netlink.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/sock_diag.h>

int netlink_open(struct netlink *nl)
{
	struct timeval tv = { .tv_sec = 5 };

	nl->seq = 0;
	nl->buf = malloc(NETLINK_BUF_SIZE);
	if (!nl->buf)
		return -1;
	nl->fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (nl->fd < 0) {
		int e = errno;

		free(nl->buf);
		nl->buf = NULL;
		errno = e;
		return -1;
	}
	/* a dump answers at once: never let a silent kernel hang a refresh */
	setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return 0;
}

void netlink_close(struct netlink *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
	free(nl->buf);
	nl->buf = NULL;
}

static int netlink_send(struct netlink *nl, uint16_t type, const void *req, size_t reqlen)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsghdr h = {
		.nlmsg_len = NLMSG_LENGTH(reqlen),
		.nlmsg_type = type,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		.nlmsg_seq = ++nl->seq,
	};
	struct iovec iov[2] = {
		{ .iov_base = &h, .iov_len = sizeof(h) },
		{ .iov_base = (void *)req, .iov_len = reqlen },
	};
	struct msghdr msg = {
		.msg_name = &sa,
		.msg_namelen = sizeof(sa),
		.msg_iov = iov,
		.msg_iovlen = 2,
	};
	ssize_t n;

	do
		n = sendmsg(nl->fd, &msg, 0);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : 0;
}

/* Handles one datagram of replies: 1 when the dump is done, 0 to read on,
 * -1 with errno on a kernel error, or the callback's value (stored in *stop). */
static int netlink_walk(struct netlink *nl, size_t len, netlink_cb cb, void *arg, int *stop)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)nl->buf;

	for (; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
		if (h->nlmsg_seq != nl->seq)
			continue; /* a left-over of an earlier, aborted dump */
		if (h->nlmsg_type == NLMSG_DONE) {
			int err = 0;

			/* Since Linux 4.x DONE carries the dump's error code. */
			if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
				memcpy(&err, NLMSG_DATA(h), sizeof(err));
			if (err < 0) {
				errno = -err;
				return -1;
			}
			return 1;
		}
		if (h->nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr e = { .error = -EIO };

			if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(e)))
				memcpy(&e, NLMSG_DATA(h), sizeof(e));
			errno = e.error < 0 ? -e.error : EIO;
			return -1;
		}
		if (!*stop)
			*stop = cb(h, arg);
	}
	return 0;
}

int netlink_dump(struct netlink *nl, const void *req, size_t reqlen, netlink_cb cb, void *arg)
{
	return netlink_dump_type(nl, SOCK_DIAG_BY_FAMILY, req, reqlen, cb, arg);
}

int netlink_dump_type(struct netlink *nl, uint16_t type, const void *req, size_t reqlen,
		      netlink_cb cb, void *arg)
{
	int stop = 0;

	if (netlink_send(nl, type, req, reqlen) < 0)
		return -1;
	for (;;) {
		struct sockaddr_nl sa;
		struct iovec iov = { .iov_base = nl->buf, .iov_len = NETLINK_BUF_SIZE };
		struct msghdr msg = {
			.msg_name = &sa,
			.msg_namelen = sizeof(sa),
			.msg_iov = &iov,
			.msg_iovlen = 1,
		};
		ssize_t n = recvmsg(nl->fd, &msg, 0);
		int r;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0 || (msg.msg_flags & MSG_TRUNC)) {
			errno = EMSGSIZE;
			return -1;
		}
		if (sa.nl_pid != 0)
			continue; /* not from the kernel */
		r = netlink_walk(nl, (size_t)n, cb, arg, &stop);
		if (r < 0)
			return -1;
		if (r > 0)
			return stop;
	}
}
