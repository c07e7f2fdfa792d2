/* Unix sockets: one object per socket inode that some process holds, with
 * its name, type, state, peer and queues from netlink unix_diag, or, when
 * netlink is refused or in a fixture run, the less /proc/net/unix says.
 *
 * Roles. A listener is the server. af_unix gives the socket that accept()
 * returns the listener's address (unix_stream_connect copies otheru->addr),
 * while connect()ing sockets are usually unnamed, so in a connected
 * stream/seqpacket pair the side named like a listener, or named while its
 * peer is not, is the server's and the other the client's. A client whose
 * connection still waits in a listener's queue is a client too, and since
 * the kernel's peer is then an embryo without an inode, its peer is the
 * listener (from the listener's UNIX_DIAG_ICONS). A datagram socket
 * connected to another that is not connected back is a client of it, the
 * other a server (as syslog clients of /dev/log). Anything else (a
 * socketpair, an unconnected socket) is a holder.
 *
 * Only sockets held by a visible process are listed: not the embryos of
 * pending connections, nor the kernel's. unix_diag and /proc/net/unix show
 * our network namespace only, so a socket held in another one is not listed. */
#include "config.h"

#include "probe.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/tcp.h>

#include "netlink.h"
#include "procnet.h"
#include "sockfd.h"
#include "unixdiag.h"
#include "xalloc.h"

struct unix_pending {
	uint64_t client, listener;
};

/* What the probe keeps of a struct unix_sock_info: a quarter of its size,
 * as most sockets have no name (thousands are read, sorted and looked up at
 * each refresh). */
struct unix_rec {
	uint64_t ino;
	int type, state;
	int64_t peer, rqueue, wqueue, uid;
	size_t name; /* offset of the name in unix_scan.names + 1; 0: unnamed */
};

struct unix_scan {
	struct unix_rec *socks; /* sorted by inode once read */
	size_t n, cap;
	char *names; /* the names, each NUL-terminated */
	size_t names_len, names_cap;
	uint32_t *hash; /* open addressing: socks index + 1 by inode, 0 empty */
	unsigned hash_bits;
	struct unix_pending *pend; /* sorted by client once read */
	size_t npend, pend_cap;
	const char **listeners; /* names of named listeners, sorted */
	size_t nlisteners;
};

static void probe_unix_add(struct unix_scan *us, const struct unix_sock_info *u)
{
	struct unix_rec *r;

	if (us->n == us->cap) {
		us->cap = us->cap ? 2 * us->cap : 256;
		us->socks = xreallocarray(us->socks, us->cap, sizeof(*us->socks));
	}
	r = &us->socks[us->n++];
	r->ino = u->ino;
	r->type = u->type;
	r->state = u->state;
	r->peer = u->peer;
	r->rqueue = u->rqueue;
	r->wqueue = u->wqueue;
	r->uid = u->uid;
	r->name = 0;
	if (u->named) {
		size_t len = strlen(u->name) + 1;

		if (us->names_len + len > us->names_cap) {
			us->names_cap = 2 * (us->names_len + len) + 4096;
			us->names = xrealloc(us->names, us->names_cap);
		}
		memcpy(us->names + us->names_len, u->name, len);
		r->name = us->names_len + 1;
		us->names_len += len;
	}
}

static const char *probe_unix_name(const struct unix_scan *us, const struct unix_rec *r)
{
	return r->name ? us->names + r->name - 1 : NULL;
}

static int probe_unix_msg(const struct nlmsghdr *h, void *arg)
{
	struct unix_scan *us = arg;
	struct unix_sock_info u;

	if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    unixdiag_parse(NLMSG_DATA(h), NLMSG_PAYLOAD(h, 0), &u) < 0)
		return 0;
	for (size_t i = 0; i < u.nicons; i++) {
		if (us->npend == us->pend_cap) {
			us->pend_cap = us->pend_cap ? 2 * us->pend_cap : 16;
			us->pend = xreallocarray(us->pend, us->pend_cap, sizeof(*us->pend));
		}
		us->pend[us->npend].client = unixdiag_icon(&u, i);
		us->pend[us->npend].listener = u.ino;
		us->npend++;
	}
	probe_unix_add(us, &u);
	return 0;
}

static int probe_unix_netlink(struct unix_scan *us)
{
	struct unix_diag_req req = {
		.sdiag_family = AF_UNIX,
		.udiag_states = ~0u,
		.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_VFS | UDIAG_SHOW_PEER |
			      UDIAG_SHOW_ICONS | UDIAG_SHOW_RQLEN | UDIAG_SHOW_UID,
	};
	struct netlink nl;
	int r;

	if (netlink_open(&nl) < 0)
		return -1;
	r = netlink_dump(&nl, &req, sizeof(req), probe_unix_msg, us);
	netlink_close(&nl);
	return r;
}

static int probe_unix_procnet(const struct ipc_ctx *ctx, struct unix_scan *us)
{
	char *text = ctx_read_file(ctx, "/proc/net/unix", NULL);
	struct unix_sock_info u;

	if (!text)
		return -1;
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');

		if (procnet_parse_unix(line, &u) == 0)
			probe_unix_add(us, &u);
		line = nl ? nl + 1 : NULL;
	}
	free(text);
	return 0;
}

static int probe_unix_cmp_pend(const void *a, const void *b)
{
	const struct unix_pending *x = a, *y = b;

	return (x->client > y->client) - (x->client < y->client);
}

static int probe_unix_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static size_t probe_unix_slot(const struct unix_scan *us, uint64_t ino)
{
	return (size_t)((ino * UINT64_C(0x9e3779b97f4a7c15)) >> (64 - us->hash_bits));
}

static const struct unix_rec *probe_unix_find(const struct unix_scan *us, int64_t ino)
{
	size_t mask = ((size_t)1 << us->hash_bits) - 1;

	if (!HAS(ino) || ino <= 0 || !us->n)
		return NULL;
	for (size_t h = probe_unix_slot(us, (uint64_t)ino); us->hash[h]; h = (h + 1) & mask)
		if (us->socks[us->hash[h] - 1].ino == (uint64_t)ino)
			return &us->socks[us->hash[h] - 1];
	return NULL;
}

static const struct unix_pending *probe_unix_pending(const struct unix_scan *us, uint64_t ino)
{
	struct unix_pending key = { .client = ino };

	if (!us->npend)
		return NULL;
	return bsearch(&key, us->pend, us->npend, sizeof(key), probe_unix_cmp_pend);
}

static void probe_unix_index(struct unix_scan *us)
{
	struct sockfd_key *keys = xreallocarray(NULL, us->n + 1, sizeof(*keys));
	struct unix_rec *sorted = xreallocarray(NULL, us->n + 1, sizeof(*sorted));
	size_t mask;

	/* by inode: a radix sort of (inode, index), then the records moved */
	for (size_t i = 0; i < us->n; i++)
		keys[i] = (struct sockfd_key){ us->socks[i].ino, i };
	sockfd_sort(keys, us->n);
	for (size_t i = 0; i < us->n; i++)
		sorted[i] = us->socks[keys[i].i];
	free(keys);
	free(us->socks);
	us->socks = sorted;
	us->cap = us->n + 1;

	/* at most half full; a repeated inode (a dump that raced a change)
	 * finds its first record */
	for (us->hash_bits = 4; ((size_t)1 << us->hash_bits) < 2 * us->n; us->hash_bits++)
		;
	mask = ((size_t)1 << us->hash_bits) - 1;
	us->hash = xcalloc(mask + 1, sizeof(*us->hash));
	for (size_t i = 0; i < us->n; i++) {
		size_t h = probe_unix_slot(us, us->socks[i].ino);

		while (us->hash[h])
			h = (h + 1) & mask;
		us->hash[h] = (uint32_t)(i + 1);
	}

	if (us->npend)
		qsort(us->pend, us->npend, sizeof(*us->pend), probe_unix_cmp_pend);
	us->listeners = xreallocarray(NULL, us->n + 1, sizeof(*us->listeners));
	us->nlisteners = 0;
	for (size_t i = 0; i < us->n; i++)
		if (us->socks[i].state == TCP_LISTEN && us->socks[i].name)
			us->listeners[us->nlisteners++] = probe_unix_name(us, &us->socks[i]);
	qsort(us->listeners, us->nlisteners, sizeof(*us->listeners), probe_unix_cmp_str);
}

/* The server's end of an accepted connection (see the top of the file). */
static bool probe_unix_accepted(const struct unix_scan *us, const struct unix_rec *u)
{
	const struct unix_rec *peer;
	const char *name = probe_unix_name(us, u);

	if (!name || u->type == SOCK_DGRAM || u->state == TCP_LISTEN)
		return false;
	if (bsearch(&name, us->listeners, us->nlisteners, sizeof(name), probe_unix_cmp_str))
		return true;
	peer = probe_unix_find(us, u->peer);
	return peer && !peer->name;
}

static void probe_unix_roles(const struct unix_scan *us, enum ep_role *roles)
{
	for (size_t i = 0; i < us->n; i++)
		roles[i] = ROLE_HOLDER;
	for (size_t i = 0; i < us->n; i++) {
		const struct unix_rec *u = &us->socks[i], *peer;

		if (u->state == TCP_LISTEN) {
			roles[i] = ROLE_SERVER;
			continue;
		}
		peer = probe_unix_find(us, u->peer);
		if (u->type == SOCK_DGRAM) {
			if (peer && peer->peer != (int64_t)u->ino) {
				roles[i] = ROLE_CLIENT;
				roles[peer - us->socks] = ROLE_SERVER;
			}
		} else if (probe_unix_accepted(us, u)) {
			roles[i] = ROLE_SERVER;
		} else if ((peer && probe_unix_accepted(us, peer)) || probe_unix_pending(us, u->ino)) {
			roles[i] = ROLE_CLIENT;
		}
	}
}

static void probe_unix_emit(const struct unix_scan *us, const enum ep_role *roles,
			    const struct sockfd_index *ix, struct snapshot *snap)
{
	size_t cursor = 0; /* socks and ix both go up by inode: a merge */

	for (size_t i = 0; i < us->n; i++) {
		const struct unix_rec *u = &us->socks[i];
		const struct unix_pending *pend;
		const struct sockfd_ref *holders;
		struct ipc_object *o;
		size_t nholders;

		/* only sockets some visible process holds (not embryos, not the
		 * kernel's, not those of hidden processes) */
		if (!u->ino || !(holders = sockfd_index_next(ix, &cursor, u->ino, &nholders)))
			continue;
		o = snapshot_object(snap, KIND_UNIX, NULL, "unix:%llu", (unsigned long long)u->ino);
		o->inode = (int64_t)u->ino;
		o->socktype = unixdiag_type_name(u->type);
		o->state = unixdiag_state_name(u->state);
		if (u->name)
			object_set_str(&o->path, probe_unix_name(us, u));
		if (HAS(u->peer) && u->peer > 0)
			o->peer_inode = u->peer;
		else if ((pend = probe_unix_pending(us, u->ino)))
			o->peer_inode = (int64_t)pend->listener;
		if (u->state == TCP_LISTEN) {
			o->queue.messages = u->rqueue;
			o->backlog = u->wqueue;
		} else {
			o->queue.bytes = u->rqueue;
			o->queue.tx_bytes = u->wqueue;
		}
		o->uid = u->uid;
		sockfd_add_refs(holders, nholders, o, roles[i]);
	}
}

static void probe_unix_free(struct unix_scan *us)
{
	free(us->socks);
	free(us->names);
	free(us->hash);
	free(us->pend);
	free(us->listeners);
	free(us);
}

static void *probe_unix_gather(const struct ipc_ctx *ctx)
{
	struct unix_scan *us = xcalloc(1, sizeof(*us));
	int r = -1;

	/* netlink sees the live system only; a fixture has /proc/net/unix */
	if (ctx->live)
		r = probe_unix_netlink(us);
	if (r < 0) {
		us->n = us->npend = us->names_len = 0;
		r = probe_unix_procnet(ctx, us);
	}
	if (r < 0) {
		probe_unix_free(us);
		return NULL;
	}
	probe_unix_index(us);
	return us;
}

static int probe_unix_scan_gathered(const struct ipc_ctx *ctx, struct fd_table *fdt,
				    struct snapshot *snap, void *gathered)
{
	struct unix_scan *us = gathered;
	struct sockfd_index ix;
	enum ep_role *roles;

	(void)ctx;
	if (!us)
		return -1;
	sockfd_index_build(&ix, fdt);
	roles = xreallocarray(NULL, us->n + 1, sizeof(*roles));
	probe_unix_roles(us, roles);
	probe_unix_emit(us, roles, &ix, snap);
	free(roles);
	sockfd_index_free(&ix);
	probe_unix_free(us);
	return 0;
}

static int probe_unix_scan(const struct ipc_ctx *ctx, struct fd_table *fdt,
			   struct snapshot *snap)
{
	return probe_unix_scan_gathered(ctx, fdt, snap, probe_unix_gather(ctx));
}

const struct probe probe_unix = {
	.name = "unix",
	.kinds = KIND_BIT(KIND_UNIX),
	.scan = probe_unix_scan,
	.finish = NULL,
	.beside = true, /* a netlink dump: kernel time, beside the fd probes */
	.gather = probe_unix_gather,
	.scan_gathered = probe_unix_scan_gathered,
};
