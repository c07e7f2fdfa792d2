/* ipcdemo: names of a run's objects, each recorded in the registry (and
 * the state file) before it is created, so that even a SIGKILL right after
 * creation leaves something --cleanup can find.
 */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

void demo_name(const struct demo_ctx *ctx, char *buf, size_t len,
	       const char *what)
{
	snprintf(buf, len, "/%s.%s", ctx->prefix, what);
}

int demo_path(struct demo_ctx *ctx, char *buf, size_t len, const char *what)
{
	if (!ctx->dir_made) {
		struct demo_obj *o;

		if (mkdir(ctx->dir, 0700) && errno != EEXIST) {
			demo_warn("mkdir %s: %s", ctx->dir, strerror(errno));
			return -1;
		}
		o = demo_obj_add(ctx, "dir", DEMO_RM_RMDIR);
		if (o) {
			o->scen = -1;	/* belongs to the run, not a scenario */
			snprintf(o->path, sizeof(o->path), "%s", ctx->dir);
		}
		ctx->dir_made = true;
		demo_state_write(ctx);
	}
	snprintf(buf, len, "%s/%s", ctx->dir, what);
	return 0;
}

/* A SysV key unique to this run: 0x1d, 16 bits of our pid, a counter.
 * Callers create with IPC_EXCL and ask again on EEXIST. */
int demo_sysv_key(struct demo_ctx *ctx)
{
	unsigned int n = (unsigned int)ctx->key_seq++ & 0xff;

	return (int)(0x1d000000u | ((unsigned int)ctx->pid & 0xffff) << 8 | n);
}

/* A file in the private directory (FIFO, socket, mapped file), recorded
 * before it is created. */
struct demo_obj *demo_obj_file(struct demo_ctx *ctx, const char *kind,
			       const char *what)
{
	char p[sizeof(((struct demo_obj *)0)->path)];
	struct demo_obj *o;

	if (demo_path(ctx, p, sizeof(p), what))
		return NULL;
	o = demo_obj_add(ctx, kind, DEMO_RM_UNLINK);
	if (!o)
		return NULL;
	memcpy(o->path, p, sizeof(p));
	unlink(p);
	demo_state_write(ctx);
	return o;
}

/* A POSIX named object, recorded before it is created; path is where
 * Linux shows it (mq_overview(7), sem_overview(7), shm_overview(7)). */
struct demo_obj *demo_obj_posix(struct demo_ctx *ctx, enum demo_rm rm,
				const char *what)
{
	struct demo_obj *o;
	const char *kind = rm == DEMO_RM_MQ ? "posix_mq" :
			   rm == DEMO_RM_SEM ? "posix_sem" : "posix_shm";

	o = demo_obj_add(ctx, kind, rm);
	if (!o)
		return NULL;
	snprintf(o->name, sizeof(o->name), "/%s.%s", ctx->prefix, what);
	snprintf(o->path, sizeof(o->path), "%s%s%s",
		 rm == DEMO_RM_MQ ? "/dev/mqueue" : "/dev/shm",
		 rm == DEMO_RM_SEM ? "/sem." : "/", o->name + 1);
	demo_state_write(ctx);
	return o;
}

/* A System V object with a key of this run (recorded before creation). */
struct demo_obj *demo_obj_sysv(struct demo_ctx *ctx, enum demo_rm rm,
			       size_t size_or_nsems)
{
	const char *kind = rm == DEMO_RM_SYSV_MSG ? "sysv_msg" :
			   rm == DEMO_RM_SYSV_SEM ? "sysv_sem" : "sysv_shm";
	int flags = IPC_CREAT | IPC_EXCL | 0600, tries, id = -1;
	struct demo_obj *o = demo_obj_add(ctx, kind, rm);

	if (!o)
		return NULL;
	o->has_key = true;
	for (tries = 0; tries < 256; tries++) {
		o->key = demo_sysv_key(ctx);
		demo_state_write(ctx);
		if (rm == DEMO_RM_SYSV_MSG)
			id = msgget(o->key, flags);
		else if (rm == DEMO_RM_SYSV_SEM)
			id = semget(o->key, (int)size_or_nsems, flags);
		else
			id = shmget(o->key, size_or_nsems, flags);
		if (id >= 0 || errno != EEXIST)
			break;
	}
	if (id < 0) {
		demo_fail(kind);
		o->removed = true;
		return NULL;
	}
	o->ipcid = id;
	return o;
}
