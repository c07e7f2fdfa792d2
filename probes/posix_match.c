#include "config.h"

#include "posix_match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "xalloc.h"

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static bool slot_eq(const struct posix_index_slot *a, const struct posix_index_slot *b)
{
	if (a->str || b->str)
		return a->str && b->str && strcmp(a->str, b->str) == 0;
	return a->dev == b->dev && a->ino == b->ino;
}

static uint64_t slot_hash(const struct posix_index_slot *s)
{
	return s->str ? hash_str(s->str) : mix(s->ino * 31 + s->dev);
}

static struct posix_index_slot *find(const struct posix_index *ix,
				     const struct posix_index_slot *key)
{
	if (!ix->cap)
		return NULL;
	for (size_t h = slot_hash(key) & (ix->cap - 1);; h = (h + 1) & (ix->cap - 1)) {
		struct posix_index_slot *s = &ix->slots[h];
		if (!s->val || slot_eq(s, key))
			return s;
	}
}

static void grow(struct posix_index *ix)
{
	struct posix_index old = *ix;

	ix->cap = old.cap ? old.cap * 2 : 64;
	ix->slots = xcalloc(ix->cap, sizeof(*ix->slots));
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].val)
			*find(ix, &old.slots[i]) = old.slots[i];
	free(old.slots);
}

static void put(struct posix_index *ix, const struct posix_index_slot *key)
{
	struct posix_index_slot *s;

	if ((ix->n + 1) * 2 > ix->cap)
		grow(ix);
	s = find(ix, key);
	if (!s->val)
		ix->n++;
	*s = *key;
}

void posix_index_free(struct posix_index *ix)
{
	free(ix->slots);
	memset(ix, 0, sizeof(*ix));
}

void posix_index_put(struct posix_index *ix, unsigned major, unsigned minor, uint64_t ino,
		     void *val)
{
	struct posix_index_slot k = { makedev(major, minor), ino, NULL, val };

	if (val)
		put(ix, &k);
}

void *posix_index_get(const struct posix_index *ix, unsigned major, unsigned minor, uint64_t ino)
{
	struct posix_index_slot k = { makedev(major, minor), ino, NULL, NULL };
	struct posix_index_slot *s = find(ix, &k);

	return s ? s->val : NULL;
}

void posix_index_put_str(struct posix_index *ix, const char *key, void *val)
{
	struct posix_index_slot k = { 0, 0, key, val };

	if (val)
		put(ix, &k);
}

void *posix_index_get_str(const struct posix_index *ix, const char *key)
{
	struct posix_index_slot k = { 0, 0, key, NULL };
	struct posix_index_slot *s = find(ix, &k);

	return s ? s->val : NULL;
}

enum ep_mode posix_fd_info(const struct ipc_ctx *ctx, const struct fd_entry *e, int64_t *ino)
{
	char buf[1024];

	if (ino)
		*ino = NONE;
	if (fdtable_fdinfo(ctx, e->pid, e->fd, buf, sizeof(buf)) < 0)
		return MODE_NONE;
	if (ino)
		*ino = fdinfo_parse_field(buf, "ino", 10);
	return fdinfo_parse_mode(buf);
}

enum ep_mode posix_map_mode(const char *perms)
{
	unsigned m = 0;

	if (perms[0] == 'r')
		m |= MODE_R;
	if (perms[0] && perms[1] == 'w')
		m |= MODE_W;
	return (enum ep_mode)m;
}

void posix_add_mapper(struct ipc_object *o, pid_t pid, enum ep_mode mode)
{
	for (size_t i = 0; i < o->neps; i++) {
		struct ipc_endpoint *e = &o->eps[i];
		if (e->pid == pid && e->via == VIA_MAP) {
			e->mode = (enum ep_mode)(e->mode | mode); /* MODE_RW == MODE_R | MODE_W */
			return;
		}
	}
	object_add_endpoint(o, pid, VIA_MAP, -1, mode, ROLE_MAPPER);
}

bool posix_map_stat(const struct ipc_ctx *ctx, const struct map_entry *m, struct stat *st)
{
	char path[96];

	if (!ctx->live)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/map_files/%llx-%llx", (int)m->pid,
		 (unsigned long long)m->start, (unsigned long long)m->end);
	return ctx_stat(ctx, path, st, true) == 0 && st->st_ino == m->ino;
}

void posix_set_stat(struct ipc_object *o, const struct stat *st)
{
	o->inode = (int64_t)st->st_ino;
	o->dev_major = (int)major(st->st_dev);
	o->dev_minor = (int)minor(st->st_dev);
	o->size = st->st_size;
	o->uid = st->st_uid;
	o->mode = st->st_mode & 07777;
}
