#include "config.h"

#include "sockfd.h"

#include <stdlib.h>

#include "xalloc.h"

static int sockfd_cmp(const void *a, const void *b)
{
	const struct sockfd_ref *x = a, *y = b;

	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	if (x->e->pid != y->e->pid)
		return x->e->pid < y->e->pid ? -1 : 1;
	return (x->e->fd > y->e->fd) - (x->e->fd < y->e->fd);
}

void sockfd_index_build(struct sockfd_index *ix, const struct fd_table *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->nfds; i++)
		n += t->fds[i].type == FD_SOCKET;
	ix->refs = n ? xreallocarray(NULL, n, sizeof(*ix->refs)) : NULL;
	ix->n = 0;
	for (size_t i = 0; i < t->nfds; i++) {
		if (t->fds[i].type != FD_SOCKET)
			continue;
		ix->refs[ix->n].ino = t->fds[i].ino;
		ix->refs[ix->n].e = &t->fds[i];
		ix->n++;
	}
	if (ix->n > 1)
		qsort(ix->refs, ix->n, sizeof(*ix->refs), sockfd_cmp);
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

void sockfd_add_endpoints(const struct sockfd_index *ix, uint64_t ino, struct ipc_object *o,
			  enum ep_role role)
{
	size_t n;
	const struct sockfd_ref *r = sockfd_index_find(ix, ino, &n);

	for (size_t i = 0; i < n; i++)
		object_add_endpoint(o, r[i].e->pid, VIA_FD, r[i].e->fd, MODE_RW, role);
}
