/* The probe contract: every mechanism is one `const struct probe`, listed
 * once in probes/registry.c. The core never switches on the kind. */
#ifndef IPCTOP_PROBE_H
#define IPCTOP_PROBE_H

#include "ctx.h"
#include "fdtable.h"
#include "model.h"

struct probe {
	const char *name;
	unsigned kinds; /* KIND_BIT mask of what it produces */
	/* Adds its objects and endpoints to snap. Returns 0, or -1 when the
	 * mechanism is unavailable here (its kinds are then shown as such).
	 * Objects or processes that vanish mid-scan are skipped silently. */
	int (*scan)(const struct ipc_ctx *ctx, struct fd_table *fdt, struct snapshot *snap);
	/* Runs after every probe has scanned: cross-kind fix-ups (peers, flags). */
	void (*finish)(const struct ipc_ctx *ctx, struct snapshot *snap);
	/* scan only reads fdt (no fdtable_stat/fdtable_mode) and makes objects of
	 * its own kinds, looking at nothing else in snap: the core may run it in
	 * a thread beside the other probes, into a snapshot of its own. */
	bool beside;
	/* Optional, for a beside probe: the part of its scan that needs no fd
	 * table (its netlink dumps), which the core then starts at the very
	 * beginning of a refresh, beside everything else. Returns what
	 * scan_gathered needs, or NULL when the mechanism is unavailable;
	 * scan_gathered (given that, NULL included) then does the rest of scan
	 * and frees it. scan stays the two in one call. */
	void *(*gather)(const struct ipc_ctx *ctx);
	int (*scan_gathered)(const struct ipc_ctx *ctx, struct fd_table *fdt, struct snapshot *snap,
			     void *gathered);
};

extern const struct probe *const probe_registry[];
extern const size_t probe_registry_len;

extern const struct probe probe_pipe;      /* pipe, fifo */
extern const struct probe probe_eventfd;   /* eventfd */
extern const struct probe probe_unix;      /* unix sockets */
extern const struct probe probe_inet;      /* tcp, udp */
extern const struct probe probe_sysv_shm;
extern const struct probe probe_sysv_msg;
extern const struct probe probe_sysv_sem;
extern const struct probe probe_posix_shm; /* posix_shm, posix_sem (/dev/shm) */
extern const struct probe probe_posix_mq;
extern const struct probe probe_mmap;      /* mmap, memfd */

#endif
