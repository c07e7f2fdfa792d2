/* What ipctop knows about one TCP or UDP socket, the decoder of one
 * inet_diag reply (struct inet_diag_msg + rtattrs) into it, and how its
 * addresses and states are shown. procnet.c fills the same struct from
 * /proc/net/tcp, tcp6, udp, udp6. */
#ifndef IPCTOP_INETDIAG_H
#define IPCTOP_INETDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct inet_sock_info {
	int family;   /* AF_INET, AF_INET6 */
	int protocol; /* IPPROTO_TCP, IPPROTO_UDP */
	int state;    /* TCP_* (udp: ESTABLISHED when connected, else CLOSE) */
	/* addresses in network byte order; AF_INET uses the first 4 bytes */
	uint8_t src[16], dst[16];
	uint16_t sport, dport; /* host byte order */
	uint64_t ino;
	int64_t uid;
	/* tcp: unread bytes / unacknowledged bytes; listeners: accept queue
	 * length / max backlog; udp: receive / send buffer memory in use */
	int64_t rqueue, wqueue;
	int64_t bytes_acked, bytes_received; /* tcp_info; NONE if absent */
};

/* Decodes one reply's payload for protocol (IPPROTO_TCP/UDP). Returns 0,
 * or -1 when shorter than struct inet_diag_msg or an attribute is
 * malformed or truncated. */
int inetdiag_parse(const void *payload, size_t len, int protocol, struct inet_sock_info *s);

/* Longest "[v6]:port" plus NUL. */
#define INETDIAG_ADDR_MAX 56

/* "127.0.0.1:80", "[::1]:80", "[::ffff:127.0.0.1]:80" into buf. */
void inetdiag_format(int family, const uint8_t addr[16], uint16_t port, char *buf, size_t size);

/* True when the remote end is unset (listeners, unconnected udp): shown "*". */
bool inetdiag_remote_unset(const struct inet_sock_info *s);

/* The address as IPv6 (v4 as ::ffff:a.b.c.d), to compare both families. */
void inetdiag_addr6(int family, const uint8_t addr[16], uint8_t out[16]);

/* State names as ss prints them, spelled out: ESTABLISHED, SYN-SENT,
 * LISTEN, TIME-WAIT, CLOSE-WAIT, UNCONN (closed: udp unconnected) ... */
const char *inetdiag_state_name(int state);

#endif
