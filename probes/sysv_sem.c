#include "config.h"

#include "sysvipc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/sem.h>

#include "probe.h"
#include "xalloc.h"

/*
 * SysV semaphore sets, from /proc/sysvipc/sem, and on the live system each
 * semaphore's value, waiter counts and last-operation pid from semctl():
 * GETALL (one call per set), then GETNCNT, GETZCNT and GETPID (one call
 * each per semaphore). None of these operates on the semaphores. They need
 * read permission on the set; when refused the values are absent.
 *
 * Cost: the per-semaphore calls are limited to the first SEM_DETAIL_MAX
 * semaphores of a set and SEM_DETAIL_BUDGET semaphores a refresh, so a set
 * of 32000 semaphores costs one GETALL and 3 * 256 calls, not 96000. Values
 * are always reported; ncnt, zcnt and pid beyond the limits are absent.
 *
 * Endpoints: each semaphore's last semop pid (sempid) when alive, via
 * lastop, role "holder": for a lock it is the process that took it last,
 * for a counter the one that last changed it. Sets record no creator pid.
 * Waiters come from the core's blocked-syscall scan; "waiters" is set here
 * from ncnt/zcnt.
 *
 * The semid comes from /proc/sysvipc/sem of our own IPC namespace, the one
 * semctl() addresses, so both agree.
 */

#define SEM_DETAIL_MAX 256
#define SEM_DETAIL_BUDGET 8192

union sem_arg {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

static int64_t clamp64(uint64_t v)
{
	return v > INT64_MAX ? NONE : (int64_t)v;
}

static int64_t sem_call(int semid, int semnum, int cmd)
{
	int r = semctl(semid, semnum, cmd);

	return r < 0 ? NONE : r;
}

/* Reads every semaphore of the set into *sems (malloc'd, *nsems long; NULL
 * when refused). Returns false when the set vanished (skip it). */
static bool sem_read_values(int semid, struct ipc_sem **sems, size_t *nsems, size_t *budget)
{
	struct semid_ds ds;
	union sem_arg arg = { .buf = &ds };
	unsigned short *vals;
	size_t n;

	if (semctl(semid, 0, IPC_STAT, arg) < 0)
		return !(errno == EINVAL || errno == EIDRM);
	/* The set's size from the kernel itself sizes the GETALL buffer. */
	n = ds.sem_nsems;
	if (n == 0)
		return true;
	vals = xreallocarray(NULL, n, sizeof(*vals));
	arg.array = vals;
	if (semctl(semid, 0, GETALL, arg) < 0) {
		bool gone = errno == EINVAL || errno == EIDRM;

		free(vals);
		return !gone;
	}
	*sems = xreallocarray(NULL, n, sizeof(**sems));
	*nsems = n;
	for (size_t i = 0; i < n; i++) {
		struct ipc_sem *s = &(*sems)[i];

		s->value = vals[i];
		s->ncnt = s->zcnt = s->pid = NONE;
		if (i >= SEM_DETAIL_MAX || *budget == 0)
			continue;
		(*budget)--;
		s->ncnt = sem_call(semid, (int)i, GETNCNT);
		s->zcnt = sem_call(semid, (int)i, GETZCNT);
		s->pid = sem_call(semid, (int)i, GETPID);
	}
	free(vals);
	return true;
}

static void sem_endpoints(struct ipc_object *o, const struct snapshot *snap)
{
	for (size_t i = 0; i < o->nsems; i++) {
		const struct ipc_sem *s = &o->sems[i];

		if ((HAS(s->ncnt) && s->ncnt > 0) || (HAS(s->zcnt) && s->zcnt > 0))
			o->flags |= FLAG_WAITERS;
		if (HAS(s->pid) && s->pid > 0 && snapshot_process(snap, (pid_t)s->pid))
			object_add_endpoint(o, (pid_t)s->pid, VIA_LASTOP, -1, MODE_NONE,
					    ROLE_HOLDER);
	}
}

static void sem_add(const struct ipc_ctx *ctx, struct snapshot *snap, const struct sysvipc_sem *s,
		    size_t *budget)
{
	struct ipc_sem *sems = NULL;
	size_t nsems = 0;
	struct ipc_object *o;

	if (ctx->live && !sem_read_values(s->id, &sems, &nsems, budget))
		return; /* removed since the file was read */
	o = snapshot_object(snap, KIND_SYSV_SEM, NULL, "sysv_sem:%d", s->id);
	o->key = s->key;
	o->ipcid = s->id;
	o->uid = s->uid;
	o->mode = s->perms & SYSVIPC_MODE_MASK;
	/* sem_otime, the last semop(), kept where the SysV times live */
	o->stime = clamp64(s->otime);
	o->ctime = clamp64(s->ctime);
	free(o->sems);
	o->sems = sems;
	o->nsems = nsems;
	sem_endpoints(o, snap);
}

static int sem_scan(const struct ipc_ctx *ctx, struct fd_table *fdt, struct snapshot *snap)
{
	char *buf, *cursor, *line;
	size_t budget = SEM_DETAIL_BUDGET;

	buf = ctx_read_file(ctx, "/proc/sysvipc/sem", NULL);
	if (!buf)
		return -1;
	cursor = buf;
	while ((line = sysvipc_next_line(&cursor))) {
		struct sysvipc_sem s;

		if (sysvipc_parse_sem_line(line, &s) == SYSVIPC_OK)
			sem_add(ctx, snap, &s, &budget);
	}
	free(buf);
	return 0;
}

const struct probe probe_sysv_sem = {
	.name = "sysv_sem",
	.kinds = KIND_BIT(KIND_SYSV_SEM),
	.scan = sem_scan,
};
