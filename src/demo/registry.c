/* ipcdemo: the registry of what a run created, its state file, removal at
 * the end of a run, and how objects are printed (text and JSON).
 * --cleanup is in cleanup.c.
 *
 * State file (one per run, <statedir>/<pid>), rewritten whenever the run
 * creates something, one record a line:
 *	ipcdemo PID
 *	proc PID NAME
 *	obj RM KIND KEY NAME PATH	(RM: enum demo_rm, "-" for empty)
 */
#include "config.h"

#include "demo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

struct demo_obj *demo_obj_add(struct demo_ctx *ctx, const char *kind,
			      enum demo_rm rm)
{
	struct demo_obj *o;

	if (ctx->nobjs >= DEMO_MAX_OBJS)
		return NULL;
	o = &ctx->objs[ctx->nobjs++];
	memset(o, 0, sizeof(*o));
	o->scen = ctx->scen;
	o->rm = rm;
	o->ipcid = -1;
	o->eventfd_id = -1;
	snprintf(o->kind, sizeof(o->kind), "%s", kind);
	return o;
}

const char *demo_state_dir(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	struct stat st;

	if (xdg && *xdg == '/' && !stat(xdg, &st) && S_ISDIR(st.st_mode))
		snprintf(buf, len, "%s/ipcdemo-state", xdg);
	else
		snprintf(buf, len, "/tmp/ipcdemo-state");
	return buf;
}

static const char *dash(const char *s)
{
	return *s ? s : "-";
}

void demo_state_write(struct demo_ctx *ctx)
{
	char dir[200], tmp[300];
	struct demo_shared *sh = ctx->shared;
	FILE *f;
	int i, n;

	demo_state_dir(dir, sizeof(dir));
	if (mkdir(dir, 01777) == 0)
		chmod(dir, 01777);
	snprintf(ctx->state_path, sizeof(ctx->state_path), "%s/%d", dir,
		 (int)ctx->pid);
	snprintf(tmp, sizeof(tmp), "%s.tmp", ctx->state_path);
	f = fopen(tmp, "w");
	if (!f) {
		demo_warn("cannot write state file %s: %s", tmp, strerror(errno));
		return;
	}
	fprintf(f, "ipcdemo %d\n", (int)ctx->pid);
	n = __atomic_load_n(&sh->nprocs, __ATOMIC_ACQUIRE);
	for (i = 0; i < n && i < DEMO_MAX_PROCS; i++)
		if (__atomic_load_n(&sh->procs[i].valid, __ATOMIC_ACQUIRE))
			fprintf(f, "proc %d %s\n", (int)sh->procs[i].pid,
				sh->procs[i].name);
	for (i = 0; i < ctx->nobjs; i++) {
		const struct demo_obj *o = &ctx->objs[i];

		if (o->rm == DEMO_RM_NONE || o->removed)
			continue;
		fprintf(f, "obj %d %s %d %s %s\n", (int)o->rm, o->kind, o->key,
			dash(o->name), dash(o->path));
	}
	if (fclose(f) || rename(tmp, ctx->state_path))
		demo_warn("cannot write state file %s", ctx->state_path);
}

void demo_state_remove(struct demo_ctx *ctx)
{
	char dir[200];

	if (ctx->state_path[0])
		unlink(ctx->state_path);
	rmdir(demo_state_dir(dir, sizeof(dir)));	/* when empty */
}

static int demo_rmdir_all(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char p[512];

	if (!d)
		return rmdir(path);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", path, e->d_name);
		unlink(p);
	}
	closedir(d);
	return rmdir(path);
}

/* Remove one object: 0 when removed, 1 when already gone, -1 on error. */
int demo_rm_one(enum demo_rm rm, const char *name, const char *path,
		       int key, int id)
{
	int r = 0;

	switch (rm) {
	case DEMO_RM_NONE:
		return 0;
	case DEMO_RM_UNLINK:
		r = unlink(path);
		break;
	case DEMO_RM_RMDIR:
		r = demo_rmdir_all(path);
		break;
	case DEMO_RM_SHM:
		r = shm_unlink(name);
		break;
	case DEMO_RM_SEM:
		r = sem_unlink(name);
		break;
	case DEMO_RM_MQ:
		r = mq_unlink(name);
		break;
	case DEMO_RM_SYSV_SHM:
		if (id < 0)
			id = shmget(key, 0, 0);
		r = id < 0 ? -1 : shmctl(id, IPC_RMID, NULL);
		break;
	case DEMO_RM_SYSV_MSG:
		if (id < 0)
			id = msgget(key, 0);
		r = id < 0 ? -1 : msgctl(id, IPC_RMID, NULL);
		break;
	case DEMO_RM_SYSV_SEM:
		if (id < 0)
			id = semget(key, 0, 0);
		r = id < 0 ? -1 : semctl(id, 0, IPC_RMID);
		break;
	}
	if (r && (errno == ENOENT || errno == EINVAL || errno == EIDRM))
		return 1;	/* already gone */
	return r;
}

void demo_objs_remove(struct demo_ctx *ctx)
{
	int i;

	/* newest first: files before the directory that holds them */
	for (i = ctx->nobjs - 1; i >= 0; i--) {
		struct demo_obj *o = &ctx->objs[i];

		if (o->removed || o->rm == DEMO_RM_NONE)
			continue;
		if (demo_rm_one(o->rm, o->name, o->path, o->key, o->ipcid) < 0)
			demo_warn("cannot remove %s %s%s: %s", o->kind, o->name,
				  o->path, strerror(errno));
		o->removed = true;
	}
}

void demo_json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(f, *p < 0x20 ? "\\u%04x" : "\\\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void demo_obj_json(FILE *f, const struct demo_obj *o)
{
	fprintf(f, "{\"kind\":");
	demo_json_str(f, o->kind);
	if (o->name[0]) {
		fprintf(f, ",\"name\":");
		demo_json_str(f, o->name);
	}
	if (o->path[0]) {
		fprintf(f, ",\"path\":");
		demo_json_str(f, o->path);
	}
	if (o->socktype[0]) {
		fprintf(f, ",\"socktype\":");
		demo_json_str(f, o->socktype);
	}
	if (o->local[0]) {
		fprintf(f, ",\"local\":");
		demo_json_str(f, o->local);
	}
	if (o->inode)
		fprintf(f, ",\"inode\":%lu", o->inode);
	if (o->eventfd_id >= 0)
		fprintf(f, ",\"eventfd_id\":%ld", o->eventfd_id);
	if (o->has_key)
		fprintf(f, ",\"key\":%d,\"ipcid\":%d", o->key, o->ipcid);
	if (o->note[0]) {
		fprintf(f, ",\"note\":");
		demo_json_str(f, o->note);
	}
	fputc('}', f);
}

static void demo_obj_text(FILE *f, const struct demo_obj *o)
{
	fprintf(f, "  object  %-10s", o->kind);
	if (o->name[0])
		fprintf(f, " %s", o->name);
	if (o->path[0])
		fprintf(f, " %s", o->path);
	if (o->socktype[0])
		fprintf(f, " (%s)", o->socktype);
	if (o->local[0])
		fprintf(f, " %s", o->local);
	if (o->has_key)
		fprintf(f, " key 0x%08x id %d", (unsigned int)o->key, o->ipcid);
	if (o->inode)
		fprintf(f, " inode %lu", o->inode);
	if (o->eventfd_id >= 0)
		fprintf(f, " eventfd-id %ld", o->eventfd_id);
	if (o->note[0])
		fprintf(f, "  — %s", o->note);
	fputc('\n', f);
}

void demo_objs_print(const struct demo_ctx *ctx, int scen, FILE *f,
		     bool json)
{
	int i, n = 0;

	for (i = 0; i < ctx->nobjs; i++) {
		const struct demo_obj *o = &ctx->objs[i];

		if (o->scen != scen)
			continue;
		if (json) {
			if (n++)
				fputc(',', f);
			demo_obj_json(f, o);
		} else {
			demo_obj_text(f, o);
		}
	}
}
