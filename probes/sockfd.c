#include "config.h"

#include "sockfd.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define SOCKFD_BITS 11
#define SOCKFD_BUCKETS (1u << SOCKFD_BITS)

void sockfd_sort(struct sockfd_key *a, size_t n)
{
	struct sockfd_key *tmp, *src = a, *dst;
	uint64_t max = 0;

	if (n < 2)
		return;
	for (size_t i = 0; i < n; i++)
		if (a[i].ino > max)
			max = a[i].ino;
	tmp = xreallocarray(NULL, n, sizeof(*tmp));
	dst = tmp;
	/* least significant digit first, as many digits as the largest inode
	 * has (socket inodes are 32-bit: 3 passes) */
	for (unsigned shift = 0; shift < 64 && (max >> shift); shift += SOCKFD_BITS) {
		size_t count[SOCKFD_BUCKETS] = { 0 }, sum = 0;
		struct sockfd_key *t;

		for (size_t i = 0; i < n; i++)
			count[(src[i].ino >> shift) & (SOCKFD_BUCKETS - 1)]++;
		for (size_t b = 0; b < SOCKFD_BUCKETS; b++) {
			size_t c = count[b];

			count[b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[count[(src[i].ino >> shift) & (SOCKFD_BUCKETS - 1)]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
	free(tmp);
}

static bool sockfd_before(const struct sockfd_ref *x, const struct sockfd_ref *y)
{
	return x->pid != y->pid ? x->pid < y->pid : x->fd < y->fd;
}

void sockfd_index_build(struct sockfd_index *ix, const struct fd_table *t)
{
	struct sockfd_ref *refs;
	struct sockfd_key *keys;
	size_t n = 0;

	ix->refs = NULL;
	ix->n = 0;
	if (!t->nfds)
		return;
	/* one pass over the (large) fd entries in their order, then only the
	 * compact refs are moved about */
	refs = xreallocarray(NULL, t->nfds, sizeof(*refs));
	for (size_t i = 0; i < t->nfds; i++) {
		const struct fd_entry *e = &t->fds[i];

		if (e->type == FD_SOCKET)
			refs[n++] = (struct sockfd_ref){ e->ino, e->pid, e->fd, e };
	}
	if (!n) {
		free(refs);
		return;
	}
	keys = xreallocarray(NULL, n, sizeof(*keys));
	for (size_t k = 0; k < n; k++)
		keys[k] = (struct sockfd_key){ refs[k].ino, k };
	sockfd_sort(keys, n);
	ix->refs = xreallocarray(NULL, n, sizeof(*ix->refs));
	for (size_t k = 0; k < n; k++) {
		struct sockfd_ref r = refs[keys[k].i];
		size_t j = k;

		/* a socket's holders by pid and fd: an insertion sort, as they
		 * are few and mostly in order already */
		while (j > 0 && ix->refs[j - 1].ino == r.ino && sockfd_before(&r, &ix->refs[j - 1])) {
			ix->refs[j] = ix->refs[j - 1];
			j--;
		}
		ix->refs[j] = r;
	}
	ix->n = n;
	free(keys);
	free(refs);
}

void sockfd_index_free(struct sockfd_index *ix)
{
	free(ix->refs);
	ix->refs = NULL;
	ix->n = 0;
}

const struct sockfd_ref *sockfd_index_find(const struct sockfd_index *ix, uint64_t ino,
					   size_t *n)
{
	size_t lo = 0, hi = ix->n, end;

	/* lower bound: the first ref with refs[].ino >= ino */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ix->refs[mid].ino < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < ix->n && ix->refs[end].ino == ino; end++)
		;
	*n = end - lo;
	return *n ? &ix->refs[lo] : NULL;
}

const struct sockfd_ref *sockfd_index_next(const struct sockfd_index *ix, size_t *cursor,
					   uint64_t ino, size_t *n)
{
	size_t lo = *cursor, end;

	while (lo < ix->n && ix->refs[lo].ino < ino)
		lo++;
	for (end = lo; end < ix->n && ix->refs[end].ino == ino; end++)
		;
	*cursor = end;
	*n = end - lo;
	return *n ? &ix->refs[lo] : NULL;
}

void sockfd_add_refs(const struct sockfd_ref *r, size_t n, struct ipc_object *o,
		     enum ep_role role)
{
	for (size_t i = 0; i < n; i++)
		object_add_endpoint(o, r[i].pid, VIA_FD, r[i].fd, MODE_RW, role);
}

void sockfd_add_endpoints(const struct sockfd_index *ix, uint64_t ino, struct ipc_object *o,
			  enum ep_role role)
{
	size_t n;
	const struct sockfd_ref *r = sockfd_index_find(ix, ino, &n);

	sockfd_add_refs(r, n, o, role);
}
