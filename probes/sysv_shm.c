#include "config.h"

#include "sysvipc.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "probe.h"

/*
 * SysV shared memory segments, from /proc/sysvipc/shm (readable by anyone,
 * whatever the segments' permissions), and their attachers from the shared
 * mappings of the fd table.
 *
 * A segment's mapping in /proc/PID/maps is named "/SYSV%08x" after its key
 * and its inode number is the shmid (ipc/shm.c newseg() sets i_ino to the
 * id, for hugetlb segments too). Attachers are matched by inode == shmid and
 * that name's shape, never by key: every IPC_PRIVATE segment has key 0, and
 * IPC_RMID on an attached segment resets the key shown in /proc/sysvipc to 0
 * while the mappings keep the old name.
 *
 * Processes of another IPC namespace (a container) map segments of their
 * own, numbered independently of ours and on the same internal shm mount:
 * their mappings are not matched when their namespace is known to differ.
 *
 * Endpoints: attachers (via map), and the creator (cpid, via creator) when
 * it is alive. The last shmat/shmdt pid (lpid) stays a fact only: it is
 * either an attacher already listed or a process that detached, which holds
 * nothing any more.
 */

static int64_t clamp64(uint64_t v)
{
	return v > INT64_MAX ? NONE : (int64_t)v;
}

/* "/SYSV" followed by exactly eight hex digits. */
static bool is_sysv_map_path(const char *path)
{
	if (!path || strncmp(path, "/SYSV", 5) != 0)
		return false;
	for (int i = 5; i < 13; i++) {
		char c = path[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	}
	return path[13] == '\0';
}

static enum ep_mode map_mode(const char *perms)
{
	bool r = perms[0] == 'r', w = perms[1] == 'w';

	return r && w ? MODE_RW : w ? MODE_W : r ? MODE_R : MODE_NONE;
}

static void shm_fill(struct ipc_object *o, const struct sysvipc_shm *s)
{
	o->key = s->key;
	o->ipcid = s->id;
	o->size = clamp64(s->size);
	o->nattch = clamp64(s->nattch);
	o->cpid = s->cpid;
	o->lpid = s->lpid;
	o->uid = s->uid;
	o->mode = s->perms & SYSVIPC_MODE_MASK;
	o->ctime = clamp64(s->ctime);
	if (s->perms & SYSVIPC_SHM_DEST)
		o->flags |= FLAG_DEST;
}

/* The IPC namespace /proc/sysvipc describes: ours (live runs only). */
static int64_t shm_own_ipc_ns(const struct ipc_ctx *ctx)
{
	struct stat st;

	if (!ctx->live || ctx_stat(ctx, "/proc/self/ns/ipc", &st, true) < 0)
		return NONE;
	return (int64_t)st.st_ino;
}

static bool shm_other_ns(const struct snapshot *snap, pid_t pid, int64_t own_ns)
{
	const struct ipc_process *p = snapshot_process(snap, pid);

	return HAS(own_ns) && p && HAS(p->ns_ipc) && p->ns_ipc != own_ns;
}

/* One pass over every shared mapping of every process. */
static void shm_add_attachers(const struct ipc_ctx *ctx, const struct fd_table *fdt,
			      struct snapshot *snap)
{
	int64_t own_ns = shm_own_ipc_ns(ctx);
	char id[32];

	for (size_t i = 0; i < fdt->nmaps; i++) {
		const struct map_entry *m = &fdt->maps[i];
		struct ipc_object *o;

		if (m->ino > INT32_MAX || !is_sysv_map_path(m->path))
			continue;
		snprintf(id, sizeof(id), "sysv_shm:%llu", (unsigned long long)m->ino);
		o = snapshot_find(snap, id);
		if (!o || o->kind != KIND_SYSV_SHM)
			continue; /* removed since /proc/sysvipc/shm was read */
		if (shm_other_ns(snap, m->pid, own_ns))
			continue;
		object_add_endpoint(o, m->pid, VIA_MAP, -1, map_mode(m->perms), ROLE_ATTACHER);
	}
}

/* The creator as an endpoint when alive; "orphan" when nobody is attached
 * and the creator is gone. A cpid of 0 (a creator outside our pid
 * namespace) proves nothing, and neither does an empty process list. */
static void shm_creator(struct ipc_object *o, const struct snapshot *snap)
{
	pid_t cpid = (pid_t)o->cpid;

	if (cpid <= 0 || snap->nprocs == 0)
		return;
	if (snapshot_process(snap, cpid))
		object_add_endpoint(o, cpid, VIA_CREATOR, -1, MODE_NONE, ROLE_CREATOR);
	else if (o->nattch == 0)
		o->flags |= FLAG_ORPHAN;
}

static int shm_scan(const struct ipc_ctx *ctx, struct fd_table *fdt, struct snapshot *snap)
{
	char *buf, *cursor, *line;
	size_t first = snap->nobjs;

	buf = ctx_read_file(ctx, "/proc/sysvipc/shm", NULL);
	if (!buf)
		return -1; /* kernel without CONFIG_SYSVIPC (or no /proc) */
	cursor = buf;
	while ((line = sysvipc_next_line(&cursor))) {
		struct sysvipc_shm s;
		struct ipc_object *o;

		if (sysvipc_parse_shm_line(line, &s) != SYSVIPC_OK)
			continue;
		o = snapshot_object(snap, KIND_SYSV_SHM, NULL, "sysv_shm:%d", s.id);
		shm_fill(o, &s);
	}
	free(buf);

	shm_add_attachers(ctx, fdt, snap);
	for (size_t i = first; i < snap->nobjs; i++)
		if (snap->objs[i]->kind == KIND_SYSV_SHM)
			shm_creator(snap->objs[i], snap);
	return 0;
}

const struct probe probe_sysv_shm = {
	.name = "sysv_shm",
	.kinds = KIND_BIT(KIND_SYSV_SHM),
	.scan = shm_scan,
};
