/* The fd table's sockets by inode: one sort per scan, then a binary search
 * per socket, so a dump of n sockets meets m fds in O((n + m) log m). */
#ifndef IPCTOP_SOCKFD_H
#define IPCTOP_SOCKFD_H

#include <stddef.h>
#include <stdint.h>

#include "fdtable.h"
#include "model.h"

struct sockfd_ref {
	uint64_t ino;
	const struct fd_entry *e;
};

struct sockfd_index {
	struct sockfd_ref *refs;
	size_t n;
};

void sockfd_index_build(struct sockfd_index *ix, const struct fd_table *t);
void sockfd_index_free(struct sockfd_index *ix);

/* The fds that hold socket ino (count of them in *n); NULL when none. */
const struct sockfd_ref *sockfd_index_find(const struct sockfd_index *ix, uint64_t ino,
					   size_t *n);

/* Adds every holder of ino to o: via fd, mode rw, with this role. */
void sockfd_add_endpoints(const struct sockfd_index *ix, uint64_t ino, struct ipc_object *o,
			  enum ep_role role);

#endif
