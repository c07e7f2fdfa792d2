/* The fd table's sockets by inode: one sort per scan (a radix sort, as the
 * keys are integers), then lookups: a binary search for one socket, or a
 * merge for many asked in ascending order, so a dump of n sockets meets m
 * fds in O(n + m) once both are sorted. */
#ifndef IPCTOP_SOCKFD_H
#define IPCTOP_SOCKFD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "fdtable.h"
#include "model.h"

/* pid and fd copied out of the entry: the sort and the endpoints read them
 * without a trip to the (large, scattered) fd_entry */
struct sockfd_ref {
	uint64_t ino;
	pid_t pid;
	int fd;
	const struct fd_entry *e;
};

/* Sorted by ino, then pid, then fd. */
struct sockfd_index {
	struct sockfd_ref *refs;
	size_t n;
};

void sockfd_index_build(struct sockfd_index *ix, const struct fd_table *t);
void sockfd_index_free(struct sockfd_index *ix);

/* The fds that hold socket ino (count of them in *n); NULL when none. */
const struct sockfd_ref *sockfd_index_find(const struct sockfd_index *ix, uint64_t ino,
					   size_t *n);

/* The same for inodes asked in ascending order: *cursor starts at 0 and
 * moves on past what was asked, so a walk costs O(n) for the whole index. */
const struct sockfd_ref *sockfd_index_next(const struct sockfd_index *ix, size_t *cursor,
					   uint64_t ino, size_t *n);

/* Adds the n holders r[] to o: via fd, mode rw, with this role. */
void sockfd_add_refs(const struct sockfd_ref *r, size_t n, struct ipc_object *o,
		     enum ep_role role);

/* Adds every holder of ino to o: via fd, mode rw, with this role. */
void sockfd_add_endpoints(const struct sockfd_index *ix, uint64_t ino, struct ipc_object *o,
			  enum ep_role role);

/* An inode and where it came from, for sockfd_sort. */
struct sockfd_key {
	uint64_t ino;
	size_t i;
};

/* Sorts a[] by ino, stably (equal inodes keep their order), in O(n). */
void sockfd_sort(struct sockfd_key *a, size_t n);

#endif
