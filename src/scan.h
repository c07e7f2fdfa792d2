/* One complete reading of the system: processes, the fd table, every probe. */
#ifndef IPCTOP_SCAN_H
#define IPCTOP_SCAN_H

#include "ctx.h"
#include "model.h"

/* Returns a new snapshot (never NULL), or NULL with errno when /proc itself
 * cannot be read under ctx->root. */
struct snapshot *scan_snapshot(struct ipc_ctx *ctx);

/* Keeps only objects that an endpoint ties to one of pids (and their socket
 * peers), and only objects of the kinds in mask. */
void scan_filter(struct snapshot *s, const pid_t *pids, size_t npids, unsigned kinds);

#endif
