/* POSIX shared memory and named semaphores: the files of /dev/shm.
 *
 * shm_open("/NAME") is /dev/shm/NAME and sem_open("/NAME") is
 * /dev/shm/sem.NAME (glibc), so the directory lists every object. Holders
 * are fds on those files and shared mappings of them, matched by device and
 * inode — not by path: glibc creates a semaphore as a temporary file
 * "sem.XXXXXX", maps it, links it to its final name and unlinks the
 * temporary one, so the creator's mapping reads
 * "/dev/shm/sem.XXXXXX (deleted)" while the object is alive as sem.NAME.
 * An object unlinked while still held has no directory entry: it is found
 * through its holders (a " (deleted)" path on the /dev/shm device whose
 * inode no entry has) and flagged deleted. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "posix_match.h"
#include "posix_parse.h"
#include "probe.h"

#define SHM_DIR "/dev/shm"

struct shm_scan {
	const struct ipc_ctx *ctx;
	struct snapshot *snap;
	struct posix_index byino;
	unsigned dev_major, dev_minor; /* of /dev/shm */
};

/* Reads the sem_t in the file: a read, never a sem operation. */
static void shm_read_sem(struct shm_scan *s, struct ipc_object *o, const char *path)
{
	unsigned char buf[POSIX_SEM_FILE_SIZE];
	struct posix_sem_state st;
	struct stat fst;
	ssize_t n = -1;
	int fd;

	fd = ctx_open(s->ctx, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_NOATIME);
	if (fd < 0 && errno == EPERM) /* O_NOATIME needs ownership */
		fd = ctx_open(s->ctx, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return;
	/* still the file we stat()ed, not one renamed over it meanwhile */
	if (fstat(fd, &fst) == 0 && S_ISREG(fst.st_mode) && fst.st_ino == (ino_t)o->inode)
		n = pread(fd, buf, sizeof(buf), 0);
	close(fd);
	if (n < 0 || posix_sem_decode(buf, (size_t)n, POSIX_SEM_LAYOUT_HOST, &st) < 0)
		return;
	o->value = st.value;
	if (st.nwaiters > 0)
		o->flags |= FLAG_WAITERS;
}

static void shm_add_entry(struct shm_scan *s, const char *dname)
{
	char path[sizeof(SHM_DIR) + 256];
	struct ipc_object *o;
	struct stat st;
	bool sem = posix_is_sem_entry(dname);
	const char *name = sem ? dname + 4 : dname;

	snprintf(path, sizeof(path), SHM_DIR "/%s", dname);
	if (ctx_stat(s->ctx, path, &st, false) < 0 || !S_ISREG(st.st_mode))
		return; /* vanished, or not an object (directories, links) */
	if (sem)
		o = snapshot_object(s->snap, KIND_POSIX_SEM, NULL, "posix_sem:/%s", name);
	else
		o = snapshot_object(s->snap, KIND_POSIX_SHM, NULL, "posix_shm:/%s", name);
	object_set_str(&o->path, path);
	snprintf(path, sizeof(path), "/%s", name);
	object_set_str(&o->name, path);
	posix_set_stat(o, &st);
	if (sem)
		shm_read_sem(s, o, o->path);
	posix_index_put(&s->byino, major(st.st_dev), minor(st.st_dev), st.st_ino, o);
}

/* An object that is gone from /dev/shm but still held. For a semaphore whose
 * only holder is its creator the name is glibc's temporary one. */
static struct ipc_object *shm_deleted(struct shm_scan *s, const char *dname, uint64_t ino)
{
	bool sem = posix_is_sem_entry(dname);
	const char *name = sem ? dname + 4 : dname;
	unsigned long long i = (unsigned long long)ino;
	struct ipc_object *o;
	char buf[sizeof(SHM_DIR) + 256];

	if (sem)
		o = snapshot_object(s->snap, KIND_POSIX_SEM, NULL, "posix_sem:/%s(deleted):%llu",
				    name, i);
	else
		o = snapshot_object(s->snap, KIND_POSIX_SHM, NULL, "posix_shm:/%s(deleted):%llu",
				    name, i);
	snprintf(buf, sizeof(buf), "/%s", name);
	object_set_str(&o->name, buf);
	snprintf(buf, sizeof(buf), SHM_DIR "/%s", dname);
	object_set_str(&o->path, buf);
	o->inode = (int64_t)ino;
	o->dev_major = (int)s->dev_major;
	o->dev_minor = (int)s->dev_minor;
	o->flags |= FLAG_DELETED;
	posix_index_put(&s->byino, s->dev_major, s->dev_minor, ino, o);
	return o;
}

static struct ipc_object *shm_lookup(struct shm_scan *s, const char *dname, bool deleted,
				     unsigned maj, unsigned min, uint64_t ino)
{
	struct ipc_object *o = posix_index_get(&s->byino, maj, min, ino);

	if (o || !deleted || maj != s->dev_major || min != s->dev_minor)
		return o; /* not deleted: created after the directory was read */
	return shm_deleted(s, dname, ino);
}

static void shm_match_fds(struct shm_scan *s, struct fd_table *fdt)
{
	for (size_t i = 0; i < fdt->nfds; i++) {
		struct fd_entry *e = &fdt->fds[i];
		struct ipc_object *o;
		const char *dname;
		enum ep_mode mode;

		if (e->type != FD_PATH || !posix_shm_path_name(e->target, &dname))
			continue;
		if (!fdtable_stat(s->ctx, e) || !S_ISREG(e->st_mode))
			continue;
		o = shm_lookup(s, dname, e->deleted, e->dev_major, e->dev_minor, e->ino);
		if (!o)
			continue;
		if (!HAS(o->size)) {
			o->size = e->st_size;
			o->uid = e->st_uid;
			o->mode = e->st_mode & 07777;
		}
		mode = posix_fd_info(s->ctx, e, NULL);
		object_add_endpoint(o, e->pid, VIA_FD, e->fd, mode ? mode : MODE_RW, ROLE_HOLDER);
	}
}

static void shm_match_maps(struct shm_scan *s, struct fd_table *fdt)
{
	for (size_t i = 0; i < fdt->nmaps; i++) {
		const struct map_entry *m = &fdt->maps[i];
		struct ipc_object *o;
		const char *dname;
		struct stat st;

		if (!posix_shm_path_name(m->path, &dname))
			continue;
		o = shm_lookup(s, dname, m->deleted, m->dev_major, m->dev_minor, m->ino);
		if (!o)
			continue;
		if (!HAS(o->size) && posix_map_stat(s->ctx, m, &st))
			posix_set_stat(o, &st);
		posix_add_mapper(o, m->pid, posix_map_mode(m->perms));
	}
}

static int probe_posix_shm_scan(const struct ipc_ctx *ctx, struct fd_table *fdt,
				struct snapshot *snap)
{
	struct shm_scan s = { .ctx = ctx, .snap = snap };
	struct dirent *de;
	struct stat st;
	DIR *d;

	d = ctx_opendir(ctx, SHM_DIR);
	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? -1 : 0;
	if (fstat(dirfd(d), &st) == 0) {
		s.dev_major = major(st.st_dev);
		s.dev_minor = minor(st.st_dev);
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			shm_add_entry(&s, de->d_name);
	closedir(d);

	shm_match_fds(&s, fdt);
	shm_match_maps(&s, fdt);
	posix_index_free(&s.byino);
	return 0;
}

const struct probe probe_posix_shm = {
	.name = "posix_shm",
	.kinds = KIND_BIT(KIND_POSIX_SHM) | KIND_BIT(KIND_POSIX_SEM),
	.scan = probe_posix_shm_scan,
};
