/* eventfd: fds whose link reads "anon_inode:[eventfd]". fdinfo gives the
 * counter (eventfd-count, printed in hex by fs/eventfd.c) and eventfd-id,
 * which is unique per eventfd and shared by every fd that refers to it. */
#include "config.h"

#include "probe.h"

#include <inttypes.h>
#include <string.h>

static int probe_eventfd_scan(const struct ipc_ctx *ctx, struct fd_table *fdt, struct snapshot *snap)
{
	char info[1024];

	for (size_t i = 0; i < fdt->nfds; i++) {
		struct fd_entry *e = &fdt->fds[i];
		struct ipc_object *o;
		int64_t id, count, ino;
		enum ep_mode m;
		bool created;

		if (e->type != FD_ANON || strcmp(e->target, "anon_inode:[eventfd]") != 0)
			continue;
		if (fdtable_fdinfo(ctx, e->pid, e->fd, info, sizeof(info)) < 0)
			continue; /* closed meanwhile */
		id = fdinfo_parse_field(info, "eventfd-id", 10);
		count = fdinfo_parse_field(info, "eventfd-count", 16);
		ino = fdinfo_parse_field(info, "ino", 10);
		if (!HAS(id))
			continue; /* kernels before 5.13 print no id: nothing to group by */
		o = snapshot_object(snap, KIND_EVENTFD, &created, "eventfd:%" PRId64, id);
		if (created) {
			o->eventfd_id = id;
			o->count = count;
			o->inode = ino;
		}
		m = fdinfo_parse_mode(info);
		object_add_endpoint(o, e->pid, VIA_FD, e->fd, m, ROLE_HOLDER);
	}
	return 0;
}

const struct probe probe_eventfd = {
	.name = "eventfd",
	.kinds = KIND_BIT(KIND_EVENTFD),
	.scan = probe_eventfd_scan,
};
