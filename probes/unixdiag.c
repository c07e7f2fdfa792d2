#include "config.h"

#include "unixdiag.h"

#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/unix_diag.h>
#include <netinet/tcp.h>

#include "model.h"

void unixdiag_init(struct unix_sock_info *u)
{
	memset(u, 0, sizeof(*u));
	u->peer = u->rqueue = u->wqueue = u->uid = NONE;
	u->vfs_ino = u->vfs_dev = NONE;
}

void unixdiag_set_name(struct unix_sock_info *u, const char *sun_path, size_t len)
{
	size_t i = 0, o = 0;

	if (len > UNIXDIAG_NAME_MAX - 1)
		len = UNIXDIAG_NAME_MAX - 1;
	if (len && sun_path[0] == '\0') {
		/* abstract (man 7 unix): every byte of len counts, NULs too */
		for (; i < len; i++)
			u->name[o++] = sun_path[i] ? sun_path[i] : '@';
	} else {
		/* pathname: the kernel's length includes the terminating NUL */
		for (; i < len && sun_path[i]; i++)
			u->name[o++] = sun_path[i];
	}
	u->name[o] = '\0';
	u->named = o > 0;
}

static int64_t unixdiag_u32(const struct rtattr *a)
{
	uint32_t v;

	memcpy(&v, RTA_DATA(a), sizeof(v));
	return v;
}

static int unixdiag_attr(struct unix_sock_info *u, const struct rtattr *a)
{
	size_t plen = RTA_PAYLOAD(a);

	switch (a->rta_type) {
	case UNIX_DIAG_NAME:
		unixdiag_set_name(u, RTA_DATA(a), plen);
		break;
	case UNIX_DIAG_PEER:
		if (plen < 4)
			return -1;
		u->peer = unixdiag_u32(a);
		break;
	case UNIX_DIAG_UID:
		if (plen < 4)
			return -1;
		u->uid = unixdiag_u32(a);
		break;
	case UNIX_DIAG_RQLEN: {
		struct unix_diag_rqlen q;

		if (plen < sizeof(q))
			return -1;
		memcpy(&q, RTA_DATA(a), sizeof(q));
		u->rqueue = q.udiag_rqueue;
		u->wqueue = q.udiag_wqueue;
		break;
	}
	case UNIX_DIAG_VFS: {
		struct unix_diag_vfs v;

		if (plen < sizeof(v))
			return -1;
		memcpy(&v, RTA_DATA(a), sizeof(v));
		u->vfs_ino = v.udiag_vfs_ino;
		u->vfs_dev = v.udiag_vfs_dev;
		break;
	}
	case UNIX_DIAG_ICONS:
		if (plen % 4)
			return -1;
		u->icons = RTA_DATA(a);
		u->nicons = plen / 4;
		break;
	default:
		break; /* newer attributes: ignore */
	}
	return 0;
}

int unixdiag_parse(const void *payload, size_t len, struct unix_sock_info *u)
{
	struct unix_diag_msg m;
	const struct rtattr *a;
	int alen; /* signed, as RTA_NEXT may step below 0 past an unpadded end */

	unixdiag_init(u);
	if (!payload || len < sizeof(m))
		return -1;
	memcpy(&m, payload, sizeof(m));
	u->ino = m.udiag_ino;
	u->type = m.udiag_type;
	u->state = m.udiag_state;

	/* rtattrs follow the (4-aligned, 16-byte) message; RTA_OK checks that
	 * each header and its stated length fit in what is left. */
	a = (const struct rtattr *)((const char *)payload + NLMSG_ALIGN(sizeof(m)));
	if (len > INT32_MAX)
		return -1;
	alen = len > NLMSG_ALIGN(sizeof(m)) ? (int)(len - NLMSG_ALIGN(sizeof(m))) : 0;
	for (; RTA_OK(a, alen); a = RTA_NEXT(a, alen))
		if (unixdiag_attr(u, a) < 0)
			return -1;
	/* bytes left that do not form an attribute: a truncated message */
	if (alen > 0)
		return -1;
	return 0;
}

uint64_t unixdiag_icon(const struct unix_sock_info *u, size_t i)
{
	uint32_t v;

	memcpy(&v, (const char *)u->icons + 4 * i, sizeof(v));
	return v;
}

const char *unixdiag_type_name(int type)
{
	switch (type) {
	case SOCK_STREAM:
		return "stream";
	case SOCK_DGRAM:
		return "dgram";
	case SOCK_SEQPACKET:
		return "seqpacket";
	default:
		return NULL;
	}
}

const char *unixdiag_state_name(int state)
{
	switch (state) {
	case TCP_LISTEN:
		return "LISTEN";
	case TCP_ESTABLISHED:
		return "ESTABLISHED";
	case TCP_CLOSE:
		return "UNCONN";
	case TCP_SYN_SENT:
		return "CONNECTING";
	case TCP_SYN_RECV:
		return "SYN-RECV";
	case TCP_CLOSE_WAIT:
		return "DISCONNECTING";
	default:
		return NULL;
	}
}
