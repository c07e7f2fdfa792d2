#include "config.h"

#include "inetdiag.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/tcp.h>

#include "model.h"

static void inetdiag_tcp_info(struct inet_sock_info *s, const void *data, size_t len)
{
	/* Older kernels send a shorter struct tcp_info: take what is there. */
	if (len >= offsetof(struct tcp_info, tcpi_bytes_acked) + sizeof(uint64_t)) {
		uint64_t v;

		memcpy(&v, (const char *)data + offsetof(struct tcp_info, tcpi_bytes_acked),
		       sizeof(v));
		s->bytes_acked = v > INT64_MAX ? INT64_MAX : (int64_t)v;
	}
	if (len >= offsetof(struct tcp_info, tcpi_bytes_received) + sizeof(uint64_t)) {
		uint64_t v;

		memcpy(&v, (const char *)data + offsetof(struct tcp_info, tcpi_bytes_received),
		       sizeof(v));
		s->bytes_received = v > INT64_MAX ? INT64_MAX : (int64_t)v;
	}
}

int inetdiag_parse(const void *payload, size_t len, int protocol, struct inet_sock_info *s)
{
	struct inet_diag_msg m;
	const struct rtattr *a;
	int alen; /* signed, as RTA_NEXT may step below 0 past an unpadded end */

	memset(s, 0, sizeof(*s));
	s->uid = s->rqueue = s->wqueue = NONE;
	s->bytes_acked = s->bytes_received = NONE;
	if (!payload || len < sizeof(m) || len > INT32_MAX)
		return -1;
	memcpy(&m, payload, sizeof(m));
	if (m.idiag_family != AF_INET && m.idiag_family != AF_INET6)
		return -1;
	s->family = m.idiag_family;
	s->protocol = protocol;
	s->state = m.idiag_state;
	memcpy(s->src, m.id.idiag_src, 16);
	memcpy(s->dst, m.id.idiag_dst, 16);
	s->sport = ntohs(m.id.idiag_sport);
	s->dport = ntohs(m.id.idiag_dport);
	s->ino = m.idiag_inode;
	s->uid = m.idiag_uid;
	s->rqueue = m.idiag_rqueue;
	s->wqueue = m.idiag_wqueue;

	a = (const struct rtattr *)((const char *)payload + NLMSG_ALIGN(sizeof(m)));
	alen = len > NLMSG_ALIGN(sizeof(m)) ? (int)(len - NLMSG_ALIGN(sizeof(m))) : 0;
	for (; RTA_OK(a, alen); a = RTA_NEXT(a, alen))
		if (a->rta_type == INET_DIAG_INFO && protocol == IPPROTO_TCP)
			inetdiag_tcp_info(s, RTA_DATA(a), RTA_PAYLOAD(a));
	return alen > 0 ? -1 : 0; /* bytes left over: a truncated attribute */
}

static char *inetdiag_put_u(char *p, unsigned v)
{
	char d[10];
	int n = 0;

	do
		d[n++] = (char)('0' + v % 10);
	while (v /= 10);
	while (n)
		*p++ = d[--n];
	return p;
}

void inetdiag_format(int family, const uint8_t addr[16], uint16_t port, char *buf, size_t size)
{
	char ip[INET6_ADDRSTRLEN];

	/* IPv4 by hand, as inet_ntop writes it: thousands of sockets a refresh
	 * went through two printf calls each (3 % of a steady refresh) */
	if (family == AF_INET && size >= sizeof("255.255.255.255:65535")) {
		char *p = buf;

		for (int i = 0; i < 4; i++) {
			p = inetdiag_put_u(p, addr[i]);
			*p++ = i < 3 ? '.' : ':';
		}
		*inetdiag_put_u(p, port) = '\0';
		return;
	}

	if (!inet_ntop(family, addr, ip, sizeof(ip)))
		snprintf(ip, sizeof(ip), "?");
	if (family == AF_INET6)
		snprintf(buf, size, "[%s]:%u", ip, port);
	else
		snprintf(buf, size, "%s:%u", ip, port);
}

bool inetdiag_remote_unset(const struct inet_sock_info *s)
{
	static const uint8_t zero[16];

	return s->dport == 0 && !memcmp(s->dst, zero, s->family == AF_INET6 ? 16 : 4);
}

void inetdiag_addr6(int family, const uint8_t addr[16], uint8_t out[16])
{
	if (family == AF_INET6) {
		memcpy(out, addr, 16);
		return;
	}
	memset(out, 0, 10);
	out[10] = out[11] = 0xff;
	memcpy(out + 12, addr, 4);
}

const char *inetdiag_state_name(int state)
{
	/* include/net/tcp_states.h (netinet/tcp.h, which has them, clashes
	 * with linux/tcp.h, which has the tcp_info we need) */
	static const char *const names[] = {
		[1] = "ESTABLISHED", [2] = "SYN-SENT",    [3] = "SYN-RECV",
		[4] = "FIN-WAIT-1",  [5] = "FIN-WAIT-2",  [6] = "TIME-WAIT",
		[7] = "UNCONN",      [8] = "CLOSE-WAIT",  [9] = "LAST-ACK",
		[10] = "LISTEN",     [11] = "CLOSING",    [12] = "NEW-SYN-RECV",
		[13] = "BOUND-INACTIVE",
	};

	if (state < 0 || (size_t)state >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[state];
}
