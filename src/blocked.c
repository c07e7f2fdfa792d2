#include "config.h"

#include "blocked.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "fdtable.h"
#include "xalloc.h"

/* How a system call names what it waits on. */
enum wait_on {
	ON_FD,     /* args[0] is an fd (splice: args[0] or args[2]) */
	ON_MQ,     /* args[0] is a POSIX mq descriptor, also an fd */
	ON_MSQ,    /* args[0] is a SysV msqid */
	ON_SEM,    /* args[0] is a SysV semid */
	ON_FUTEX,  /* args[0] is an address, maybe in a shared mapping */
	ON_SIGNAL, /* waits for a signal: the signal is the IPC, no object */
};

struct ipc_syscall {
	long nr;
	const char *name;
	enum wait_on on;
};

/* SYS_* of the build's arch: /proc/PID/syscall prints the native numbers
 * (a 32-bit process on a 64-bit kernel would print its own; not handled).
 * poll, select and epoll_wait are left out: they wait on many objects. */
static const struct ipc_syscall ipc_syscalls[] = {
	{ SYS_read, "read", ON_FD },
	{ SYS_readv, "readv", ON_FD },
	{ SYS_write, "write", ON_FD },
	{ SYS_writev, "writev", ON_FD },
	{ SYS_pread64, "pread64", ON_FD },
	{ SYS_pwrite64, "pwrite64", ON_FD },
	{ SYS_splice, "splice", ON_FD },
	{ SYS_tee, "tee", ON_FD },
	{ SYS_recvfrom, "recvfrom", ON_FD },
	{ SYS_recvmsg, "recvmsg", ON_FD },
	{ SYS_recvmmsg, "recvmmsg", ON_FD },
	{ SYS_sendto, "sendto", ON_FD },
	{ SYS_sendmsg, "sendmsg", ON_FD },
	{ SYS_sendmmsg, "sendmmsg", ON_FD },
	{ SYS_accept, "accept", ON_FD },
	{ SYS_accept4, "accept4", ON_FD },
	{ SYS_connect, "connect", ON_FD },
	{ SYS_mq_timedreceive, "mq_timedreceive", ON_MQ },
	{ SYS_mq_timedsend, "mq_timedsend", ON_MQ },
#ifdef SYS_msgrcv
	{ SYS_msgrcv, "msgrcv", ON_MSQ },
	{ SYS_msgsnd, "msgsnd", ON_MSQ },
#endif
#ifdef SYS_semop
	{ SYS_semop, "semop", ON_SEM },
#endif
#ifdef SYS_semtimedop
	{ SYS_semtimedop, "semtimedop", ON_SEM },
#endif
	{ SYS_futex, "futex", ON_FUTEX },
#ifdef SYS_pause
	{ SYS_pause, "pause", ON_SIGNAL },
#endif
	{ SYS_rt_sigsuspend, "rt_sigsuspend", ON_SIGNAL },
	{ SYS_rt_sigtimedwait, "rt_sigtimedwait", ON_SIGNAL },
};

static const struct ipc_syscall *syscall_find(long nr)
{
	for (size_t i = 0; i < sizeof(ipc_syscalls) / sizeof(ipc_syscalls[0]); i++)
		if (ipc_syscalls[i].nr == nr)
			return &ipc_syscalls[i];
	return NULL;
}

const char *blocked_syscall_name(long nr)
{
	const struct ipc_syscall *sc = syscall_find(nr);

	return sc ? sc->name : NULL;
}

/* One "0x..." token; advances *s past it. */
static bool parse_hex(const char **s, uint64_t *v)
{
	const char *p = *s;
	char *end;

	while (*p == ' ')
		p++;
	if (p[0] != '0' || p[1] != 'x' || !isxdigit((unsigned char)p[2]))
		return false;
	errno = 0;
	*v = strtoull(p + 2, &end, 16);
	if (errno)
		return false;
	*s = end;
	return true;
}

bool blocked_parse_syscall(const char *text, long *nr, uint64_t args[6])
{
	const char *p = text;
	uint64_t sp, pc;
	char *end;
	long n;

	memset(args, 0, 6 * sizeof(args[0]));
	*nr = -1;
	if (!strcmp(text, "running") || !strcmp(text, "running\n"))
		return true;
	if (*p != '-' && !isdigit((unsigned char)*p))
		return false;
	errno = 0;
	n = strtol(p, &end, 10);
	if (errno || end == p || *end != ' ' || n < -1)
		return false;
	p = end;
	if (n >= 0) {
		for (int i = 0; i < 6; i++)
			if (!parse_hex(&p, &args[i]))
				return false;
	}
	if (!parse_hex(&p, &sp) || !parse_hex(&p, &pc) || (*p && strcmp(p, "\n"))) {
		memset(args, 0, 6 * sizeof(args[0]));
		return false;
	}
	*nr = n;
	return true;
}

/* (pid, fd) -> object, from the VIA_FD endpoints, built once a refresh for
 * the keys the sleeping processes ask (one or two each): a table of those
 * few stays in cache while every endpoint is looked up in it, where one of
 * every endpoint (60,000 at P=500) would not. A process that maps some
 * object (VIA_MAP) is entered as (pid, MAPS_FD): only those can be asleep
 * on a futex in an IPC object. */
#define MAPS_FD (-1)

struct fd_map {
	struct fd_slot {
		uint64_t key; /* pid << 32 | (uint32_t)fd; 0 = empty (pid 0 holds nothing) */
		struct ipc_object *obj;
	} *slots;
	size_t cap;
};

static uint64_t fd_key(pid_t pid, int fd)
{
	return (uint64_t)(uint32_t)pid << 32 | (uint32_t)fd;
}

static struct fd_slot *fd_map_slot(const struct fd_map *m, uint64_t key)
{
	size_t h = (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> 17) & (m->cap - 1);

	while (m->slots[h].key && m->slots[h].key != key)
		h = (h + 1) & (m->cap - 1);
	return &m->slots[h];
}

/* The keys blocked_one() will look up for p, if its call is one on an fd
 * or a futex: at most two. */
static size_t fd_map_keys(const struct ipc_process *p, uint64_t keys[2])
{
	const struct ipc_syscall *sc = p->syscall_nr >= 0 ? syscall_find(p->syscall_nr) : NULL;
	size_t n = 0;

	if (!sc)
		return 0;
	if (sc->on == ON_FD || sc->on == ON_MQ) {
		if (p->syscall_args[0] <= INT32_MAX)
			keys[n++] = fd_key(p->pid, (int)p->syscall_args[0]);
		if (sc->nr == SYS_splice && p->syscall_args[2] <= INT32_MAX)
			keys[n++] = fd_key(p->pid, (int)p->syscall_args[2]);
	} else if (sc->on == ON_FUTEX) {
		keys[n++] = fd_key(p->pid, MAPS_FD);
	}
	return n;
}

static void fd_map_build(struct fd_map *m, const struct snapshot *snap, const bool *ok)
{
	size_t n = 0;

	for (size_t i = 0; i < snap->nprocs; i++)
		n += ok[i] ? 2 : 0;
	for (m->cap = 16; m->cap < 2 * n; m->cap *= 2)
		;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (size_t i = 0; i < snap->nprocs; i++) {
		uint64_t keys[2];
		size_t nk = ok[i] ? fd_map_keys(&snap->procs[i], keys) : 0;

		for (size_t k = 0; k < nk; k++)
			fd_map_slot(m, keys[k])->key = keys[k];
	}
	for (size_t i = 0; i < snap->nobjs; i++) {
		struct ipc_object *o = snap->objs[i];

		for (size_t j = 0; j < o->neps; j++) {
			const struct ipc_endpoint *e = &o->eps[j];
			struct fd_slot *slot;
			uint64_t key;

			if (e->pid <= 0 || (e->via != VIA_FD && e->via != VIA_MAP) ||
			    (e->via == VIA_FD && e->fd < 0))
				continue;
			key = fd_key(e->pid, e->via == VIA_FD ? e->fd : MAPS_FD);
			slot = fd_map_slot(m, key);
			if (slot->key == key) /* asked: the last endpoint wins, as ever */
				slot->obj = o;
		}
	}
}

static struct ipc_object *fd_map_get(const struct fd_map *m, pid_t pid, uint64_t fd)
{
	if (fd > INT32_MAX)
		return NULL;
	return fd_map_slot(m, fd_key(pid, (int)fd))->obj;
}

static bool fd_map_maps(const struct fd_map *m, pid_t pid)
{
	return fd_map_slot(m, fd_key(pid, MAPS_FD))->obj != NULL;
}

/* Objects a shared mapping can be, in the order to prefer them. */
static const enum obj_kind mapped_kinds[] = {
	KIND_POSIX_SEM, KIND_POSIX_SHM, KIND_SYSV_SHM, KIND_MEMFD, KIND_MMAP,
};

static bool mapping_is(const struct ipc_object *o, const struct map_entry *m)
{
	/* a SysV segment's inode in maps is its shmid (ipc/shm.c, newseg) */
	if (o->kind == KIND_SYSV_SHM && HAS(o->ipcid) && (uint64_t)o->ipcid == m->ino)
		return true;
	if (!HAS(o->inode) || (uint64_t)o->inode != m->ino)
		return false;
	return o->dev_major < 0 ||
	       ((unsigned)o->dev_major == m->dev_major && (unsigned)o->dev_minor == m->dev_minor);
}

static struct ipc_object *object_of_mapping(const struct snapshot *snap,
					    const struct map_entry *m)
{
	for (size_t k = 0; k < sizeof(mapped_kinds) / sizeof(mapped_kinds[0]); k++)
		for (size_t i = 0; i < snap->nobjs; i++)
			if (snap->objs[i]->kind == mapped_kinds[k] && mapping_is(snap->objs[i], m))
				return snap->objs[i];
	return NULL;
}

/* The object whose shared mapping holds a futex word of pid. */
static struct ipc_object *futex_object(const struct ipc_ctx *ctx, const struct snapshot *snap,
				       pid_t pid, uint64_t addr)
{
	struct ipc_object *found = NULL;
	char path[64], *maps, *line, *eol = NULL;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	maps = ctx_read_file(ctx, path, NULL);
	if (!maps)
		return NULL;
	for (line = maps; line && *line; line = eol ? eol + 1 : NULL) {
		struct map_entry m;
		const char *mpath;
		size_t mlen;

		eol = strchr(line, '\n');
		if (eol)
			*eol = '\0';
		if (maps_parse_line(line, &m, &mpath, &mlen) && addr >= m.start &&
		    addr < m.end) {
			if (m.perms[3] == 's' && m.ino)
				found = object_of_mapping(snap, &m);
			break;
		}
	}
	free(maps);
	return found;
}

static struct ipc_object *sysv_object(const struct snapshot *snap, const char *kind,
				      uint64_t id)
{
	char buf[48];

	if (id > INT32_MAX)
		return NULL;
	snprintf(buf, sizeof(buf), "%s:%" PRIu64, kind, id);
	return snapshot_find(snap, buf);
}

/* Reads and parses /proc/PID/syscall into p; false if unreadable. */
static bool blocked_read(const struct ipc_ctx *ctx, struct ipc_process *p)
{
	char path[64], buf[256];

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)p->pid);
	return ctx_read_buf(ctx, path, buf, sizeof(buf)) > 0 &&
	       blocked_parse_syscall(buf, &p->syscall_nr, p->syscall_args);
}

static void blocked_one(const struct ipc_ctx *ctx, struct snapshot *snap,
			const struct fd_map *fds, struct ipc_process *p)
{
	const struct ipc_syscall *sc;
	struct ipc_object *o = NULL;
	bool named = false; /* the call itself is IPC, object or not */

	sc = p->syscall_nr >= 0 ? syscall_find(p->syscall_nr) : NULL;
	if (!sc)
		return;
	switch (sc->on) {
	case ON_MQ:
		named = true;
		/* fall through */
	case ON_FD:
		o = fd_map_get(fds, p->pid, p->syscall_args[0]);
		if (!o && sc->nr == SYS_splice)
			o = fd_map_get(fds, p->pid, p->syscall_args[2]);
		break;
	case ON_MSQ:
		named = true;
		o = sysv_object(snap, "sysv_msg", p->syscall_args[0]);
		break;
	case ON_SEM:
		named = true;
		o = sysv_object(snap, "sysv_sem", p->syscall_args[0]);
		break;
	case ON_FUTEX:
		if (fd_map_maps(fds, p->pid))
			o = futex_object(ctx, snap, p->pid, p->syscall_args[0]);
		break;
	case ON_SIGNAL:
		named = true;
		break;
	}
	if (!o && !named)
		return;
	free(p->blocked_syscall);
	p->blocked_syscall = xstrdup(sc->name);
	if (o) {
		free(p->blocked_object);
		p->blocked_object = xstrdup(o->id);
		object_add_endpoint(o, p->pid, VIA_WAITER, -1, MODE_NONE, ROLE_WAITER);
		o->flags |= FLAG_WAITERS;
	}
}

/* Reading /proc/PID/syscall costs three system calls a sleeping process:
 * two threads read (each writes only its own processes), then one resolves. */
struct blocked_reader {
	const struct ipc_ctx *ctx;
	struct snapshot *snap;
	bool *ok;
	size_t start;
};

static void *blocked_read_run(void *arg)
{
	struct blocked_reader *r = arg;

	for (size_t i = r->start; i < r->snap->nprocs; i += 2) {
		struct ipc_process *p = &r->snap->procs[i];

		if (p->state != 'S' && p->state != 'D')
			continue;
		if (p->syscall_known) /* reused: asleep in it since it was read */
			r->ok[i] = true;
		else
			r->ok[i] = blocked_read(r->ctx, p);
	}
	return NULL;
}

void blocked_resolve(const struct ipc_ctx *ctx, struct snapshot *snap)
{
	struct fd_map fds = { 0 };
	bool *ok = xcalloc(snap->nprocs + 1, sizeof(bool));
	struct blocked_reader r[2] = { { ctx, snap, ok, 0 }, { ctx, snap, ok, 1 } };
	pthread_t th;
	bool threaded = ctx->live && snap->nprocs >= 64 &&
			pthread_create(&th, NULL, blocked_read_run, &r[1]) == 0;

	blocked_read_run(&r[0]);
	if (threaded)
		pthread_join(th, NULL);
	else
		blocked_read_run(&r[1]);
	fd_map_build(&fds, snap, ok);
	for (size_t i = 0; i < snap->nprocs; i++)
		if (ok[i])
			blocked_one(ctx, snap, &fds, &snap->procs[i]);
	free(fds.slots);
	free(ok);
}
