/* TCP and UDP sockets, IPv4 and IPv6: one object per socket inode that some
 * process holds, from netlink inet_diag (one dump for TCP, one per family
 * for UDP, with tcp_info for the byte counters behind rates), or from
 * /proc/net/tcp, tcp6, udp, udp6 when netlink is refused or in a fixture run.
 *
 * Both ends on this host are peers: the socket whose local address is my
 * remote one and whose remote is my local one (v4 and v4-mapped v6 compare
 * equal). Roles: a TCP listener is the server, and so is a connection whose
 * local port is a listener's (same address, or the listener's wildcard):
 * accept() made it. Any other TCP connection was made by connect(): client.
 * A closed (bound, not listening) TCP socket and UDP have no sides: holder.
 * Sockets held only in other network namespaces are not in our dump (nor
 * in our /proc/net): they are not listed. */
#include "config.h"

#include "probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "inetdiag.h"
#include "netlink.h"
#include "procnet.h"
#include "sockfd.h"
#include "xalloc.h"

struct inet_scan {
	struct inet_sock_info *socks;
	size_t n, cap;
};

/* A connection's identity for peer matching, addresses as IPv6. */
struct inet_key {
	int protocol;
	uint8_t laddr[16], raddr[16];
	uint16_t lport, rport;
	struct ipc_object *o;
};

static const struct inet_table {
	int family, protocol;
	enum obj_kind kind;
	const char *path;
} inet_tables[] = {
	{ AF_INET, IPPROTO_TCP, KIND_TCP, "/proc/net/tcp" },
	{ AF_INET6, IPPROTO_TCP, KIND_TCP, "/proc/net/tcp6" },
	{ AF_INET, IPPROTO_UDP, KIND_UDP, "/proc/net/udp" },
	{ AF_INET6, IPPROTO_UDP, KIND_UDP, "/proc/net/udp6" },
};

static void probe_inet_add(struct inet_scan *is, const struct inet_sock_info *s)
{
	if (!s->ino)
		return; /* TIME-WAIT, SYN-RECV, not yet accepted: nobody holds it */
	if (is->n == is->cap) {
		is->cap = is->cap ? 2 * is->cap : 256;
		is->socks = xreallocarray(is->socks, is->cap, sizeof(*is->socks));
	}
	is->socks[is->n++] = *s;
}

struct inet_dump_arg {
	struct inet_scan *is;
	int protocol;
	uint16_t type; /* of the replies: the request's */
};

static int probe_inet_msg(const struct nlmsghdr *h, void *arg)
{
	struct inet_dump_arg *a = arg;
	struct inet_sock_info s;

	if (h->nlmsg_type == a->type &&
	    inetdiag_parse(NLMSG_DATA(h), NLMSG_PAYLOAD(h, 0), a->protocol, &s) == 0)
		probe_inet_add(a->is, &s);
	return 0;
}

/* Sockets in these states have no inode, so no holder: not asked for. */
#define INET_STATES ~(1u << TCP_TIME_WAIT | 1u << TCP_SYN_RECV | 1u << 12 /* NEW_SYN_RECV */)

static int probe_inet_netlink(struct netlink *nl, const struct inet_table *t,
			      struct inet_scan *is)
{
	struct inet_diag_req_v2 req = {
		.sdiag_family = (uint8_t)t->family,
		.sdiag_protocol = (uint8_t)t->protocol,
		.idiag_states = INET_STATES,
		.idiag_ext = t->protocol == IPPROTO_TCP ? 1u << (INET_DIAG_INFO - 1) : 0,
	};
	struct inet_dump_arg a = { is, t->protocol, SOCK_DIAG_BY_FAMILY };
	size_t n0 = is->n;

	if (netlink_dump(nl, &req, sizeof(req), probe_inet_msg, &a) < 0) {
		is->n = n0; /* a half dump: drop it, the caller falls back */
		return -1;
	}
	return 0;
}

/* TCP of both families in one dump. The kernel walks its whole established
 * hash (262,144 buckets on a 16 GB machine, empty or not) once per dump, and
 * the v2 request names one family, so two dumps walk it twice. The older
 * TCPDIAG_GETSOCK request (struct inet_diag_req) is run with sdiag_family
 * AF_UNSPEC, which matches both (net/ipv4/inet_diag.c,
 * inet_diag_dump_compat). Its replies come v4 and v6 mixed: they are put
 * back in the two dumps' order (v4 first, each family in the kernel's order)
 * so that nothing downstream sees a difference. */
static int probe_inet_tcp_both(struct netlink *nl, struct inet_scan *is)
{
	struct inet_diag_req req = {
		.idiag_family = AF_INET, /* not read by a dump */
		.idiag_ext = 1u << (INET_DIAG_INFO - 1),
		.idiag_states = INET_STATES,
	};
	struct inet_dump_arg a = { is, IPPROTO_TCP, TCPDIAG_GETSOCK };
	size_t n0 = is->n, n6 = 0;
	struct inet_sock_info *v6;

	if (netlink_dump_type(nl, TCPDIAG_GETSOCK, &req, sizeof(req), probe_inet_msg, &a) < 0) {
		is->n = n0;
		return -1;
	}
	/* a stable partition: v4 in place, v6 set aside and appended */
	v6 = xreallocarray(NULL, is->n - n0 + 1, sizeof(*v6));
	for (size_t i = n0, o = n0; i < is->n; i++) {
		if (is->socks[i].family == AF_INET6)
			v6[n6++] = is->socks[i];
		else
			is->socks[o++] = is->socks[i];
	}
	if (n6)
		memcpy(&is->socks[is->n - n6], v6, n6 * sizeof(*v6));
	free(v6);
	return 0;
}

static int probe_inet_procnet(const struct ipc_ctx *ctx, const struct inet_table *t,
			      struct inet_scan *is)
{
	char *text = ctx_read_file(ctx, t->path, NULL);
	struct inet_sock_info s;

	if (!text)
		return -1;
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');

		if (procnet_parse_inet(line, t->family, t->protocol, &s) == 0)
			probe_inet_add(is, &s);
		line = nl ? nl + 1 : NULL;
	}
	free(text);
	return 0;
}

/* Reads every table wanted; returns how many could be read. */
static int probe_inet_read(const struct ipc_ctx *ctx, struct inet_scan *is)
{
	struct netlink nl = { .fd = -1 };
	bool have_nl = ctx->live && netlink_open(&nl) == 0;
	bool tcp_both = false;
	int ok = 0;

	/* both TCP tables in one walk; else one dump per table, as for udp */
	if (have_nl && (ctx->kinds & KIND_BIT(KIND_TCP)))
		tcp_both = probe_inet_tcp_both(&nl, is) == 0;
	for (size_t i = 0; i < sizeof(inet_tables) / sizeof(inet_tables[0]); i++) {
		const struct inet_table *t = &inet_tables[i];

		if (!(ctx->kinds & KIND_BIT(t->kind)))
			continue;
		/* per table: udp_diag may be missing where tcp_diag is not */
		if ((tcp_both && t->protocol == IPPROTO_TCP) ||
		    (have_nl && probe_inet_netlink(&nl, t, is) == 0) ||
		    probe_inet_procnet(ctx, t, is) == 0)
			ok++;
	}
	if (have_nl)
		netlink_close(&nl);
	return ok;
}

static int probe_inet_cmp_key(const void *a, const void *b)
{
	const struct inet_key *x = a, *y = b;
	int c;

	if (x->protocol != y->protocol)
		return x->protocol - y->protocol;
	if (x->lport != y->lport)
		return x->lport - y->lport;
	if (x->rport != y->rport)
		return x->rport - y->rport;
	if ((c = memcmp(x->laddr, y->laddr, 16)))
		return c;
	return memcmp(x->raddr, y->raddr, 16);
}

static void probe_inet_key(const struct inet_sock_info *s, struct inet_key *k)
{
	k->protocol = s->protocol;
	inetdiag_addr6(s->family, s->src, k->laddr);
	inetdiag_addr6(s->family, s->dst, k->raddr);
	k->lport = s->sport;
	k->rport = s->dport;
}

/* Whether a TCP connection sits on a listener's port: ls holds the
 * listeners' keys (laddr, lport), sorted by probe_inet_cmp_key, so by port. */
static bool probe_inet_on_listener(const struct inet_key *ls, size_t nls, const struct inet_key *k)
{
	static const uint8_t any6[16], any4[16] = { [10] = 0xff, [11] = 0xff };
	size_t lo = 0, hi = nls;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ls[mid].lport < k->lport)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < nls && ls[lo].lport == k->lport; lo++)
		if (!memcmp(ls[lo].laddr, k->laddr, 16) || !memcmp(ls[lo].laddr, any6, 16) ||
		    !memcmp(ls[lo].laddr, any4, 16))
			return true;
	return false;
}

static void probe_inet_reverse(const struct inet_key *k, struct inet_key *rev)
{
	*rev = *k;
	memcpy(rev->laddr, k->raddr, 16);
	memcpy(rev->raddr, k->laddr, 16);
	rev->lport = k->rport;
	rev->rport = k->lport;
}

static size_t probe_inet_slot(const struct inet_key *k, unsigned bits)
{
	uint64_t h = (uint64_t)(unsigned)k->protocol << 32 | (uint64_t)k->lport << 16 | k->rport;

	for (int i = 0; i < 16; i += 8) {
		uint64_t a, b;

		memcpy(&a, k->laddr + i, 8);
		memcpy(&b, k->raddr + i, 8);
		h = (h ^ a) * UINT64_C(0x9e3779b97f4a7c15);
		h = (h ^ b) * UINT64_C(0x9e3779b97f4a7c15);
	}
	return (size_t)(h >> (64 - bits));
}

/* Each connection's peer through a hash of the keys: O(n), where sorting
 * them cost a third of this probe's user time. When two connections share
 * a key (connected udp sockets on one port with SO_REUSEPORT) it gives up
 * (false), and the caller's sort and bsearch pick among the equals as they
 * always did. */
static bool probe_inet_peers_hashed(struct inet_key *conns, size_t n)
{
	unsigned bits = 4;
	size_t mask;
	uint32_t *slot;

	while (((size_t)1 << bits) < 2 * n)
		bits++;
	mask = ((size_t)1 << bits) - 1;
	slot = xcalloc(mask + 1, sizeof(*slot));
	for (size_t i = 0; i < n; i++) {
		size_t h = probe_inet_slot(&conns[i], bits);

		for (; slot[h]; h = (h + 1) & mask) {
			if (!probe_inet_cmp_key(&conns[slot[h] - 1], &conns[i])) {
				free(slot);
				return false;
			}
		}
		slot[h] = (uint32_t)(i + 1);
	}
	for (size_t i = 0; i < n; i++) {
		struct inet_key rev;
		size_t h;

		probe_inet_reverse(&conns[i], &rev);
		for (h = probe_inet_slot(&rev, bits); slot[h]; h = (h + 1) & mask) {
			const struct inet_key *p = &conns[slot[h] - 1];

			if (!probe_inet_cmp_key(p, &rev)) {
				if (p->o != conns[i].o)
					conns[i].o->peer_inode = p->o->inode;
				break;
			}
		}
	}
	free(slot);
	return true;
}

static void probe_inet_fill(struct ipc_object *o, const struct inet_sock_info *s)
{
	char buf[INETDIAG_ADDR_MAX];

	o->inode = (int64_t)s->ino;
	inetdiag_format(s->family, s->src, s->sport, buf, sizeof(buf));
	object_set_str(&o->local, buf);
	if (inetdiag_remote_unset(s))
		snprintf(buf, sizeof(buf), "*");
	else
		inetdiag_format(s->family, s->dst, s->dport, buf, sizeof(buf));
	object_set_str(&o->remote, buf);
	o->state = inetdiag_state_name(s->state);
	o->uid = s->uid;
	if (s->protocol == IPPROTO_TCP && s->state == TCP_LISTEN) {
		o->queue.messages = s->rqueue;
		if (HAS(s->wqueue) && s->wqueue > 0)
			o->backlog = s->wqueue; /* /proc/net/tcp prints 0 there */
	} else {
		o->queue.bytes = s->rqueue;
		o->queue.tx_bytes = s->wqueue;
	}
	o->tx_total = s->bytes_acked;
	o->rx_total = s->bytes_received;
}

static void probe_inet_emit(const struct inet_scan *is, const struct sockfd_index *ix,
			    struct snapshot *snap)
{
	struct inet_key *ls = xreallocarray(NULL, is->n + 1, sizeof(*ls));
	struct inet_key *conns = xreallocarray(NULL, is->n + 1, sizeof(*conns));
	struct sockfd_key *keys = xreallocarray(NULL, is->n + 1, sizeof(*keys));
	/* each socket's holders: ix->refs[first[i]], nheld[i] of them */
	size_t *first = xreallocarray(NULL, is->n + 1, sizeof(*first));
	size_t *nheld = xreallocarray(NULL, is->n + 1, sizeof(*nheld));
	size_t nls = 0, nconns = 0, cursor = 0;

	/* the holders found by a merge of the sockets sorted by inode with ix,
	 * the objects made in the dump's order */
	for (size_t i = 0; i < is->n; i++)
		keys[i] = (struct sockfd_key){ is->socks[i].ino, i };
	sockfd_sort(keys, is->n);
	for (size_t k = 0; k < is->n; k++) {
		const struct sockfd_ref *r = sockfd_index_next(ix, &cursor, keys[k].ino,
							       &nheld[keys[k].i]);

		first[keys[k].i] = r ? (size_t)(r - ix->refs) : 0;
	}
	free(keys);

	for (size_t i = 0; i < is->n; i++)
		if (is->socks[i].protocol == IPPROTO_TCP && is->socks[i].state == TCP_LISTEN)
			probe_inet_key(&is->socks[i], &ls[nls++]);
	qsort(ls, nls, sizeof(*ls), probe_inet_cmp_key);

	for (size_t i = 0; i < is->n; i++) {
		const struct inet_sock_info *s = &is->socks[i];
		bool tcp = s->protocol == IPPROTO_TCP;
		enum ep_role role = ROLE_HOLDER;
		struct inet_key k;
		struct ipc_object *o;

		if (!nheld[i])
			continue;
		o = snapshot_object(snap, tcp ? KIND_TCP : KIND_UDP, NULL, "%s:%llu",
				    tcp ? "tcp" : "udp", (unsigned long long)s->ino);
		probe_inet_fill(o, s);
		probe_inet_key(s, &k);
		if (tcp && s->state == TCP_LISTEN)
			role = ROLE_SERVER;
		else if (tcp && s->state != TCP_CLOSE)
			role = probe_inet_on_listener(ls, nls, &k) ? ROLE_SERVER : ROLE_CLIENT;
		sockfd_add_refs(&ix->refs[first[i]], nheld[i], o, role);
		if (s->state != TCP_LISTEN && !inetdiag_remote_unset(s)) {
			k.o = o;
			conns[nconns++] = k;
		}
	}

	/* peers: my remote is its local and my local its remote */
	if (!probe_inet_peers_hashed(conns, nconns)) {
		qsort(conns, nconns, sizeof(*conns), probe_inet_cmp_key);
		for (size_t i = 0; i < nconns; i++) {
			struct inet_key rev, *p;

			probe_inet_reverse(&conns[i], &rev);
			p = bsearch(&rev, conns, nconns, sizeof(rev), probe_inet_cmp_key);
			if (p && p->o != conns[i].o)
				conns[i].o->peer_inode = p->o->inode;
		}
	}
	free(ls);
	free(conns);
	free(first);
	free(nheld);
}

static void *probe_inet_gather(const struct ipc_ctx *ctx)
{
	struct inet_scan *is = xcalloc(1, sizeof(*is));

	if (probe_inet_read(ctx, is) == 0) {
		free(is->socks);
		free(is);
		return NULL;
	}
	return is;
}

static int probe_inet_scan_gathered(const struct ipc_ctx *ctx, struct fd_table *fdt,
				    struct snapshot *snap, void *gathered)
{
	struct inet_scan *is = gathered;
	struct sockfd_index ix;

	(void)ctx;
	if (!is)
		return -1;
	sockfd_index_build(&ix, fdt);
	probe_inet_emit(is, &ix, snap);
	sockfd_index_free(&ix);
	free(is->socks);
	free(is);
	return 0;
}

static int probe_inet_scan(const struct ipc_ctx *ctx, struct fd_table *fdt,
			   struct snapshot *snap)
{
	return probe_inet_scan_gathered(ctx, fdt, snap, probe_inet_gather(ctx));
}

const struct probe probe_inet = {
	.name = "inet",
	.kinds = KIND_BIT(KIND_TCP) | KIND_BIT(KIND_UDP),
	.scan = probe_inet_scan,
	.finish = NULL,
	.beside = true, /* a netlink dump: kernel time, beside the fd probes */
	.gather = probe_inet_gather,
	.scan_gathered = probe_inet_scan_gathered,
};
