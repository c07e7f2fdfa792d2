/* One complete reading of the system: processes, the fd table, every probe. */
#ifndef IPCTOP_SCAN_H
#define IPCTOP_SCAN_H

#include <stddef.h>

#include "ctx.h"
#include "model.h"

/* Returns a new snapshot (never NULL), or NULL with errno when /proc itself
 * cannot be read under ctx->root. */
struct snapshot *scan_snapshot(struct ipc_ctx *ctx);

/* State kept across refreshes so a steady refresh costs less than a cold
 * one: the fd tables of processes that have not run (see fdtable.c). One is
 * made per run of refreshes and passed to every scan_snapshot_cached(). */
struct scan_cache;
struct scan_cache *scan_cache_new(void);
void scan_cache_free(struct scan_cache *c);
/* cache may be NULL (then it is scan_snapshot()). */
struct snapshot *scan_snapshot_cached(struct ipc_ctx *ctx, struct scan_cache *cache);
/* Processes whose fds the last scan reused / read. */
void scan_cache_stats(const struct scan_cache *c, size_t *reused, size_t *read);
/* Of the processes whose facts the last refresh reused, how many it
 * checked through the run dump (rundump.h) instead of /proc/PID/status. */
size_t scan_cache_facts_dumped(const struct scan_cache *c);

/* Keeps only objects that an endpoint ties to one of pids (and their socket
 * peers), and only objects of the kinds in mask. */
void scan_filter(struct snapshot *s, const pid_t *pids, size_t npids, unsigned kinds);

#endif
