/* Shared file mappings and memfds.
 *
 * kind mmap: a file mapped MAP_SHARED (an 's' line of /proc/PID/maps) by at
 * least one process, id "mmap:MAJ:MIN:INO"; its mappers (one endpoint per
 * process, whatever ranges it maps) and the processes holding it open by fd
 * are endpoints of the one object. /dev/shm (posix_shm.c), /SYSV* (SysV
 * segments), device files and kernel-internal files are left out. Shared
 * anonymous memory (MAP_SHARED|MAP_ANONYMOUS, which the kernel backs with a
 * file it names "/dev/zero (deleted)") is listed too, with path "/dev/zero",
 * but only when two or more processes share it (after fork): one process
 * alone communicates with nobody. A file that every process maps read-only
 * and nobody holds open for writing carries no traffic and is dropped
 * (glibc maps gconv-modules.cache MAP_SHARED read-only in every process).
 *
 * kind memfd: "/memfd:NAME (deleted)" fds and mappings, id "memfd:INO",
 * listed whether mapped or only held.
 *
 * Cost: mappings give dev and inode for free; an fd is stat()ed only when
 * its path is one a mapping shows, or it is a memfd. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "posix_match.h"
#include "posix_parse.h"
#include "probe.h"
#include "xalloc.h"

/* A shared anonymous area seen in one process so far. */
struct anon_first {
	pid_t pid;
	enum ep_mode mode;
	struct ipc_object *obj; /* once a second process maps it */
};

struct mm_new {
	struct ipc_object *obj;
	const struct map_entry *map; /* one of its mappings */
	bool drop;
};

struct mm_scan {
	const struct ipc_ctx *ctx;
	struct snapshot *snap;
	struct posix_index paths; /* mapped path -> an object with that path */
	struct posix_index anon;  /* (dev, ino) -> struct anon_first */
	struct anon_first **anons;
	size_t nanons, anons_cap;
	struct mm_new *made; /* the objects this scan made */
	size_t nmade, made_cap;
	size_t ndrop;
};

static void mm_made(struct mm_scan *s, struct ipc_object *o, const struct map_entry *m)
{
	if (s->nmade == s->made_cap) {
		s->made_cap = s->made_cap ? s->made_cap * 2 : 32;
		s->made = xreallocarray(s->made, s->made_cap, sizeof(*s->made));
	}
	s->made[s->nmade++] = (struct mm_new){ o, m, false };
}

static struct ipc_object *mm_file(struct mm_scan *s, const struct map_entry *m, enum obj_kind k)
{
	unsigned long long ino = (unsigned long long)m->ino;
	struct ipc_object *o;
	bool created;

	if (k == KIND_MEMFD)
		o = snapshot_object(s->snap, k, &created, "memfd:%llu", ino);
	else
		o = snapshot_object(s->snap, k, &created, "mmap:%u:%u:%llu", m->dev_major,
				    m->dev_minor, ino);
	if (!created)
		return o;
	o->inode = (int64_t)m->ino;
	o->dev_major = (int)m->dev_major;
	o->dev_minor = (int)m->dev_minor;
	if (k == KIND_MEMFD) {
		const char *name;
		posix_memfd_name(m->path, &name);
		object_set_str(&o->name, name);
	} else {
		object_set_str(&o->path, m->path);
		if (m->deleted)
			o->flags |= FLAG_DELETED;
		posix_index_put_str(&s->paths, o->path, o);
	}
	mm_made(s, o, m);
	return o;
}

static void mm_anon(struct mm_scan *s, const struct map_entry *m)
{
	struct anon_first *a = posix_index_get(&s->anon, m->dev_major, m->dev_minor, m->ino);
	enum ep_mode mode = posix_map_mode(m->perms);

	if (!a) {
		if (s->nanons == s->anons_cap) {
			s->anons_cap = s->anons_cap ? s->anons_cap * 2 : 32;
			s->anons = xreallocarray(s->anons, s->anons_cap, sizeof(*s->anons));
		}
		a = xcalloc(1, sizeof(*a));
		a->pid = m->pid;
		a->mode = mode;
		s->anons[s->nanons++] = a;
		posix_index_put(&s->anon, m->dev_major, m->dev_minor, m->ino, a);
		return;
	}
	if (!a->obj) {
		if (a->pid == m->pid) {
			a->mode |= mode;
			return;
		}
		a->obj = snapshot_object(s->snap, KIND_MMAP, NULL, "mmap:%u:%u:%llu",
					 m->dev_major, m->dev_minor, (unsigned long long)m->ino);
		a->obj->inode = (int64_t)m->ino;
		a->obj->dev_major = (int)m->dev_major;
		a->obj->dev_minor = (int)m->dev_minor;
		object_set_str(&a->obj->path, m->path);
		posix_add_mapper(a->obj, a->pid, a->mode);
		mm_made(s, a->obj, m);
	}
	posix_add_mapper(a->obj, m->pid, mode);
}

static void mm_scan_maps(struct mm_scan *s, struct fd_table *fdt)
{
	for (size_t i = 0; i < fdt->nmaps; i++) {
		const struct map_entry *m = &fdt->maps[i];
		struct ipc_object *o;

		switch (posix_map_classify(m->path)) {
		case MAPC_FILE:
			o = mm_file(s, m, KIND_MMAP);
			break;
		case MAPC_MEMFD:
			o = mm_file(s, m, KIND_MEMFD);
			break;
		case MAPC_ANON_SHARED:
			mm_anon(s, m);
			continue;
		default:
			continue;
		}
		posix_add_mapper(o, m->pid, posix_map_mode(m->perms));
	}
}

static void mm_fd_holder(struct fd_entry *e, struct ipc_object *o, enum ep_mode mode)
{
	if (e->stat_ok && !HAS(o->size)) {
		o->size = e->st_size;
		o->uid = e->st_uid;
		o->mode = e->st_mode & 07777;
	}
	object_add_endpoint(o, e->pid, VIA_FD, e->fd, mode, ROLE_HOLDER);
}

static void mm_memfd_fd(struct mm_scan *s, struct fd_entry *e, const char *name)
{
	struct ipc_object *o;
	enum ep_mode mode;
	int64_t ino;
	bool created;

	mode = posix_fd_info(s->ctx, e, &ino);
	if (fdtable_stat(s->ctx, e))
		ino = (int64_t)e->ino;
	else if (s->ctx->live)
		return; /* closed meanwhile */
	if (!HAS(ino)) /* a fixture without fdinfo "ino:" */
		return;
	o = snapshot_object(s->snap, KIND_MEMFD, &created, "memfd:%lld", (long long)ino);
	if (created) {
		o->inode = ino;
		object_set_str(&o->name, name);
	}
	if (e->stat_ok && o->dev_major < 0) {
		o->dev_major = (int)e->dev_major;
		o->dev_minor = (int)e->dev_minor;
	}
	mm_fd_holder(e, o, mode);
}

static void mm_scan_fds(struct mm_scan *s, struct fd_table *fdt)
{
	for (size_t i = 0; i < fdt->nfds; i++) {
		struct fd_entry *e = &fdt->fds[i];
		struct ipc_object *o;
		const char *name;
		char id[64];

		if (e->type != FD_PATH)
			continue;
		if (posix_memfd_name(e->target, &name)) {
			mm_memfd_fd(s, e, name);
			continue;
		}
		if (!posix_index_get_str(&s->paths, e->target) || !fdtable_stat(s->ctx, e))
			continue;
		snprintf(id, sizeof(id), "mmap:%u:%u:%llu", e->dev_major, e->dev_minor,
			 (unsigned long long)e->ino);
		o = snapshot_find(s->snap, id);
		if (o)
			mm_fd_holder(e, o, posix_fd_info(s->ctx, e, NULL));
	}
}

/* Can any process write it, by a writable mapping or an fd not opened
 * read-only (an unknown mode counts)? */
static bool mm_writable(const struct ipc_object *o)
{
	for (size_t i = 0; i < o->neps; i++) {
		const struct ipc_endpoint *e = &o->eps[i];
		if ((e->mode & MODE_W) || (e->via == VIA_FD && e->mode == MODE_NONE))
			return true;
	}
	return false;
}

/* Marks read-only files for dropping; fills size and owner of what no fd
 * holder told: stat the path (when it is still the mapped inode), else the
 * mapping itself. */
static void mm_finish_objects(struct mm_scan *s)
{
	for (size_t i = 0; i < s->nmade; i++) {
		struct ipc_object *o = s->made[i].obj;
		const struct map_entry *m = s->made[i].map;
		struct stat st;

		if (o->kind == KIND_MMAP && !mm_writable(o)) {
			s->made[i].drop = true;
			s->ndrop++;
			continue;
		}
		if (HAS(o->size))
			continue;
		if (o->kind == KIND_MMAP && !m->deleted && o->path[0] == '/' &&
		    ctx_stat(s->ctx, o->path, &st, true) == 0 && st.st_ino == m->ino &&
		    (int)major(st.st_dev) == o->dev_major && (int)minor(st.st_dev) == o->dev_minor)
			posix_set_stat(o, &st);
		else if (posix_map_stat(s->ctx, m, &st))
			posix_set_stat(o, &st);
	}
}

static bool mm_keep(const struct ipc_object *o, void *arg)
{
	const struct posix_index *drop = arg;

	return !posix_index_get(drop, 0, 0, (uintptr_t)o);
}

static void mm_drop(struct mm_scan *s)
{
	struct posix_index drop = { 0 };

	if (!s->ndrop)
		return;
	for (size_t i = 0; i < s->nmade; i++)
		if (s->made[i].drop)
			posix_index_put(&drop, 0, 0, (uintptr_t)s->made[i].obj, s->made[i].obj);
	snapshot_filter(s->snap, mm_keep, &drop);
	posix_index_free(&drop);
}

static int probe_mmap_scan(const struct ipc_ctx *ctx, struct fd_table *fdt, struct snapshot *snap)
{
	struct mm_scan s = { .ctx = ctx, .snap = snap };

	mm_scan_maps(&s, fdt);
	mm_scan_fds(&s, fdt);
	mm_finish_objects(&s);
	mm_drop(&s);
	for (size_t i = 0; i < s.nanons; i++)
		free(s.anons[i]);
	free(s.anons);
	free(s.made);
	posix_index_free(&s.paths);
	posix_index_free(&s.anon);
	return 0;
}

const struct probe probe_mmap = {
	.name = "mmap",
	.kinds = KIND_BIT(KIND_MMAP) | KIND_BIT(KIND_MEMFD),
	.scan = probe_mmap_scan,
};
