#include "config.h"

#include "procnet.h"

#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "model.h"

/* linux/net.h: socket states, and include/net/sock.h's listening flag */
#define PROCNET_SS_UNCONNECTED 1
#define PROCNET_SS_CONNECTING 2
#define PROCNET_SS_CONNECTED 3
#define PROCNET_SS_DISCONNECTING 4
#define PROCNET_SO_ACCEPTCON (1u << 16)

static int procnet_digit(char c, int base)
{
	int d;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	else
		return -1;
	return d < base ? d : -1;
}

/* Reads a number after optional blanks (never crossing a newline). With
 * width > 0 exactly that many digits. Returns false when there is none or
 * it overflows. */
static bool procnet_num(const char **pp, int base, int width, uint64_t *v)
{
	const char *p = *pp;
	int n = 0, d;

	while (*p == ' ' || *p == '\t')
		p++;
	*v = 0;
	while ((width == 0 || n < width) && (d = procnet_digit(*p, base)) >= 0) {
		if (*v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return false;
		*v = *v * (uint64_t)base + (uint64_t)d;
		p++;
		n++;
	}
	if (n == 0 || (width && n != width))
		return false;
	*pp = p;
	return true;
}

static bool procnet_char(const char **pp, char c)
{
	if (**pp != c)
		return false;
	(*pp)++;
	return true;
}

static int procnet_unix_state(uint64_t flags, uint64_t st)
{
	if (flags & PROCNET_SO_ACCEPTCON)
		return TCP_LISTEN;
	switch (st) {
	case PROCNET_SS_UNCONNECTED:
		return TCP_CLOSE;
	case PROCNET_SS_CONNECTING:
		return TCP_SYN_SENT;
	case PROCNET_SS_CONNECTED:
		return TCP_ESTABLISHED;
	case PROCNET_SS_DISCONNECTING:
		return TCP_CLOSE_WAIT;
	default:
		return -1;
	}
}

int procnet_parse_unix(const char *line, struct unix_sock_info *u)
{
	const char *p = line;
	uint64_t num, refcnt, proto, flags, type, st, ino;
	size_t len;

	unixdiag_init(u);
	if (!line)
		return -1;
	if (!procnet_num(&p, 16, 0, &num) || !procnet_char(&p, ':') ||
	    !procnet_num(&p, 16, 0, &refcnt) || !procnet_num(&p, 16, 0, &proto) ||
	    !procnet_num(&p, 16, 0, &flags) || !procnet_num(&p, 16, 0, &type) ||
	    !procnet_num(&p, 16, 0, &st) || !procnet_num(&p, 10, 0, &ino))
		return -1;
	if (*p != ' ' && *p != '\n' && *p != '\0')
		return -1;
	if (ino > UINT32_MAX * 2ull || type > 0xffff)
		return -1;
	u->ino = ino;
	u->type = (int)type;
	u->state = procnet_unix_state(flags, st);
	if (*p == ' ') {
		p++;
		len = strcspn(p, "\n");
		if (len >= UNIXDIAG_NAME_MAX)
			return -1;
		/* already in display form: copy as is */
		memcpy(u->name, p, len);
		u->name[len] = '\0';
		u->named = len > 0;
	}
	return 0;
}

/* An address as printed: AF_INET one word, AF_INET6 four, each the
 * in-memory 32-bit word shown as a host-order number. */
static bool procnet_addr(const char **pp, int family, uint8_t out[16])
{
	int words = family == AF_INET6 ? 4 : 1;

	memset(out, 0, 16);
	while (**pp == ' ')
		(*pp)++;
	for (int i = 0; i < words; i++) {
		uint64_t v;
		uint32_t w;

		if (!procnet_num(pp, 16, 8, &v))
			return false;
		w = (uint32_t)v;
		memcpy(out + 4 * i, &w, 4);
	}
	return true;
}

static bool procnet_endpoint(const char **pp, int family, uint8_t addr[16], uint16_t *port)
{
	uint64_t v;

	if (!procnet_addr(pp, family, addr) || !procnet_char(pp, ':') ||
	    !procnet_num(pp, 16, 4, &v))
		return false;
	*port = (uint16_t)v;
	return true;
}

int procnet_parse_inet(const char *line, int family, int protocol, struct inet_sock_info *s)
{
	const char *p = line;
	uint64_t sl, st, txq, rxq, tr, when, retr, uid, timeout, ino;

	memset(s, 0, sizeof(*s));
	s->uid = s->rqueue = s->wqueue = NONE;
	s->bytes_acked = s->bytes_received = NONE;
	if (!line || (family != AF_INET && family != AF_INET6))
		return -1;
	s->family = family;
	s->protocol = protocol;
	if (!procnet_num(&p, 10, 0, &sl) || !procnet_char(&p, ':') ||
	    !procnet_endpoint(&p, family, s->src, &s->sport) ||
	    !procnet_endpoint(&p, family, s->dst, &s->dport) ||
	    !procnet_num(&p, 16, 0, &st) ||
	    !procnet_num(&p, 16, 0, &txq) || !procnet_char(&p, ':') ||
	    !procnet_num(&p, 16, 0, &rxq) ||
	    !procnet_num(&p, 16, 0, &tr) || !procnet_char(&p, ':') ||
	    !procnet_num(&p, 16, 0, &when) ||
	    !procnet_num(&p, 16, 0, &retr) || !procnet_num(&p, 10, 0, &uid))
		return -1;
	/* timeout is printed with %d and may be negative */
	while (*p == ' ')
		p++;
	procnet_char(&p, '-');
	if (!procnet_num(&p, 10, 0, &timeout) || !procnet_num(&p, 10, 0, &ino))
		return -1;
	if (*p != ' ' && *p != '\n' && *p != '\0')
		return -1;
	if (st > 0xff || txq > INT64_MAX || rxq > INT64_MAX || uid > UINT32_MAX)
		return -1;
	s->state = (int)st;
	s->wqueue = (int64_t)txq;
	s->rqueue = (int64_t)rxq;
	s->uid = (int64_t)uid;
	s->ino = ino;
	return 0;
}
