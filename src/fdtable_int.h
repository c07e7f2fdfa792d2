/* Internal to the fd table (fdtable.c) and its cache (fdcache.c): reading
 * one process's fds and shared mappings into a table, and the table's pool. */
#ifndef IPCTOP_FDTABLE_INT_H
#define IPCTOP_FDTABLE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "fdtable.h"

/* Strings of the table live in chunks that never move, freed all at once. */
struct chunk {
	struct chunk *next;
	size_t used, cap;
	char data[];
};

char *fdt_pool_strndup(struct fd_table *t, const char *s, size_t n);
struct fd_entry *fdt_add_fd(struct fd_table *t);
/* Sets type, ino, deleted and target (copied) of e from a link's text. */
void fdt_classify(struct fd_table *t, struct fd_entry *e, const char *target, size_t len);
void fdt_scan_fds(const struct ipc_ctx *ctx, struct fd_table *t, int procfd, pid_t pid,
		  bool *hidden);
void fdt_add_map(struct fd_table *t, const struct map_entry *m, const char *path, size_t len);
void fdt_scan_maps(const struct ipc_ctx *ctx, struct fd_table *t, int procfd, pid_t pid,
		   char **buf, size_t *cap);

#endif
