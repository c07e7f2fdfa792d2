/* Netlink sock_diag transport: open a NETLINK_SOCK_DIAG socket, send one
 * SOCK_DIAG_BY_FAMILY (or TCPDIAG_GETSOCK) dump request, hand every reply
 * message to a callback.
 * No decoding here (that is unixdiag.c and inetdiag.c), as iproute2 keeps
 * lib/libnetlink.c apart from ss.c. */
#ifndef IPCTOP_NETLINK_H
#define IPCTOP_NETLINK_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

struct netlink {
	int fd;
	uint32_t seq;
	char *buf; /* receive buffer, NETLINK_BUF_SIZE bytes */
};

/* The kernel builds dump replies of at most 32 KiB (netlink_recvmsg caps
 * max_recvmsg_len there); twice that never truncates. */
#define NETLINK_BUF_SIZE 65536

/* Called for every reply message of the dump (never NLMSG_DONE/ERROR).
 * Returns 0 to go on; anything else stops the dump and is returned. */
typedef int (*netlink_cb)(const struct nlmsghdr *h, void *arg);

/* Opens the socket; -1 with errno (EPROTONOSUPPORT, EACCES, ENOMEM...). */
int netlink_open(struct netlink *nl);
void netlink_close(struct netlink *nl);

/* Sends SOCK_DIAG_BY_FAMILY|NLM_F_DUMP with req (reqlen bytes) as payload
 * and calls cb for each message until NLMSG_DONE. Returns 0, the callback's
 * non-zero value, or -1 with errno (from the kernel's NLMSG_ERROR, e.g.
 * ENOENT when the family's diag module is missing, or EMSGSIZE). */
int netlink_dump(struct netlink *nl, const void *req, size_t reqlen, netlink_cb cb, void *arg);

/* The same with another request type (TCPDIAG_GETSOCK, whose replies carry
 * that type too). */
int netlink_dump_type(struct netlink *nl, uint16_t type, const void *req, size_t reqlen,
		      netlink_cb cb, void *arg);

#endif
