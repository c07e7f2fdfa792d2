/* The snapshot model: processes, IPC objects, and the endpoints that tie a
 * process (by fd, mapping, last operation, creation or waiting) to an object.
 * A snapshot is filled by the probes, then read-only for every view. */
#ifndef IPCTOP_MODEL_H
#define IPCTOP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A numeric fact that could not be read is NONE and is left out of output. */
#define NONE INT64_MIN
#define HAS(v) ((v) != NONE)

enum obj_kind {
	KIND_PIPE,
	KIND_FIFO,
	KIND_UNIX,
	KIND_TCP,
	KIND_UDP,
	KIND_POSIX_SHM,
	KIND_POSIX_SEM,
	KIND_POSIX_MQ,
	KIND_SYSV_SHM,
	KIND_SYSV_MSG,
	KIND_SYSV_SEM,
	KIND_MMAP,
	KIND_MEMFD,
	KIND_EVENTFD,
	KIND_COUNT
};
#define KIND_BIT(k) (1u << (k))
#define KIND_ALL ((1u << KIND_COUNT) - 1)

const char *kind_name(enum obj_kind k);
/* Parses one kind name ("pipe", "posix_mq"; '-' accepted for '_'); -1 if unknown. */
int kind_parse(const char *s);
/* Parses "pipe,tcp,sysv_sem" into a mask; 0 and *bad set on error. */
unsigned kind_parse_list(const char *s, const char **bad, size_t *badlen);

enum obj_flag {
	FLAG_ORPHAN = 1u << 0,    /* no holder and creator gone */
	FLAG_DEST = 1u << 1,      /* SysV segment marked for removal */
	FLAG_DELETED = 1u << 2,   /* unlinked but still held */
	FLAG_NO_READER = 1u << 3, /* pipe/fifo without a read end */
	FLAG_NO_WRITER = 1u << 4, /* pipe/fifo without a write end */
	FLAG_FULL = 1u << 5,      /* queue at capacity */
	FLAG_STUCK = 1u << 6,     /* data queued and not moving (set by history) */
	FLAG_WAITERS = 1u << 7,   /* processes blocked on it */
	FLAG_NEW = 1u << 8,       /* not in the previous snapshot (set by history) */
};
#define FLAG_COUNT 9
const char *flag_name(unsigned bit_index);

enum ep_via { VIA_FD, VIA_MAP, VIA_LASTOP, VIA_CREATOR, VIA_WAITER };
enum ep_mode { MODE_NONE, MODE_R, MODE_W, MODE_RW };
enum ep_role {
	ROLE_NONE,
	ROLE_READER,
	ROLE_WRITER,
	ROLE_SERVER,
	ROLE_CLIENT,
	ROLE_CREATOR,
	ROLE_ATTACHER,
	ROLE_MAPPER,
	ROLE_LAST_SENDER,
	ROLE_LAST_RECEIVER,
	ROLE_WAITER,
	ROLE_HOLDER,
};
const char *via_name(enum ep_via v);
const char *mode_name(enum ep_mode m);
const char *role_name(enum ep_role r);

struct ipc_endpoint {
	pid_t pid;
	enum ep_via via;
	int fd; /* -1 unless via fd */
	enum ep_mode mode;
	enum ep_role role;
};

struct ipc_sem {
	int64_t value, ncnt, zcnt, pid;
};

struct ipc_object {
	enum obj_kind kind;
	char *id; /* "pipe:12345", unique in the snapshot */
	size_t id_hash; /* of id (model.c), set with it: ids never change */
	double first_seen; /* the screen's: when it first saw the object (app.c) */

	/* endpoints next to the id: a pass over every object (sort, history)
	 * reads both */
	struct ipc_endpoint *eps; /* eps_inline until it outgrows it */
	size_t neps, eps_cap;
	uint32_t *ep_hash; /* private to object_add_endpoint: index + 1, 0 empty */
	size_t ep_hash_cap;
	struct ipc_endpoint eps_inline[2]; /* most objects have one or two */

	/* identity */
	int64_t inode;
	int dev_major, dev_minor; /* -1 when unknown */
	char *path;
	char *name;
	char *local, *remote;
	const char *socktype; /* static string */
	const char *state;    /* static string */
	int64_t key, ipcid;
	int64_t eventfd_id;

	int64_t peer_inode;

	struct {
		int64_t bytes, messages, capacity, tx_bytes;
	} queue;
	int64_t backlog; /* listeners: max accept backlog (queue.messages = pending) */

	/* kind facts */
	int64_t size, nattch, cpid, lpid, lspid, lrpid, uid, mode;
	int64_t value, count;
	int64_t mq_max_messages, mq_max_msgsize, mq_notify_pid;
	struct ipc_sem *sems;
	size_t nsems;

	/* counters for rates: cumulative, kernel-kept where available */
	int64_t tx_total, rx_total;  /* bytes (tcp: bytes_acked / bytes_received) */
	int64_t msg_total;           /* messages (sysv_msg: from stime/rtime changes) */
	int64_t stime, rtime, ctime; /* SysV times */

	unsigned flags;

	struct {
		double bytes_per_s, messages_per_s;
		bool valid, has_bytes, has_messages, estimate;
	} rate;
};

struct ipc_process {
	pid_t pid, ppid;
	char *comm, *cmdline, *user;
	char state;
	int64_t ns_ipc, ns_net, ns_mnt;
	bool ns_pending; /* during a scan: left to the fd dump (procs.h) */
	int nlwp;
	/* signal sets, bit (n-1) for signal n */
	uint64_t sig_pending, sig_shared_pending, sig_blocked, sig_ignored, sig_caught;
	bool has_signals;
	/* blocked-on, when asleep in an IPC system call */
	char *blocked_syscall;
	char *blocked_object; /* id of an object in the same snapshot, or NULL */
	long syscall_nr;      /* -1 running/unknown */
	uint64_t syscall_args[6];
	bool syscall_known;   /* syscall_nr/args are current: not to be read again */
	/* I/O counters for rate estimates */
	int64_t rchar, wchar, syscr, syscw;
	int64_t cpu_time; /* scheduler run time (ns) or ticks */
	int64_t start_time; /* clock ticks after boot; NONE unknown (tells pid reuse) */
	bool fds_hidden;  /* its fds could not be read */
};

struct obj_block; /* model.c's */

struct snapshot {
	double time; /* seconds since the epoch */
	char *host;
	bool root;
	unsigned hidden_processes;
	unsigned kinds_unavailable; /* KIND_BIT mask: mechanisms the kernel lacks here */

	struct ipc_process *procs;
	size_t nprocs, procs_cap;

	struct ipc_object **objs;
	size_t nobjs, objs_cap;

	/* the objects and their ids are carved from these, freed with s */
	struct obj_block *blocks;

	/* open-addressing hash: object id -> index, pid -> index */
	size_t *obj_hash;
	size_t obj_hash_cap;
	size_t *proc_hash;
	size_t proc_hash_cap;
};

struct snapshot *snapshot_new(void);
void snapshot_free(struct snapshot *s);

/* Finds the object with this id, or creates it (all facts NONE). *created
 * (may be NULL) tells which. The id is formatted printf-style. */
struct ipc_object *snapshot_object(struct snapshot *s, enum obj_kind kind, bool *created,
				   const char *idfmt, ...) __attribute__((format(printf, 4, 5)));
struct ipc_object *snapshot_find(const struct snapshot *s, const char *id);
/* The object of s with o's id (o may be of another snapshot): no hashing. */
struct ipc_object *snapshot_find_same(const struct snapshot *s, const struct ipc_object *o);
/* The order of ids in a sorted snapshot (within a kind): digit runs compare
 * as numbers, so "pipe:99" comes before "pipe:100". */
int snapshot_id_cmp(const char *a, const char *b);
/* snapshot_find_same for a walk over the objects of a snapshot sorted as s
 * is: s->objs[*next] is tried before the hash, and *next (0 to begin) is
 * left after the object found. */
struct ipc_object *snapshot_find_next(const struct snapshot *s, const struct ipc_object *o,
				      size_t *next);
/* Removes objects for which keep() returns false (used by filters). */
void snapshot_filter(struct snapshot *s, bool (*keep)(const struct ipc_object *, void *),
		     void *arg);
/* Moves every object of src into dst (src is left empty); an id dst has
 * already keeps dst's object. */
void snapshot_merge(struct snapshot *dst, struct snapshot *src);
/* Sorts objects by kind then id, endpoints by pid, fd: stable output. */
void snapshot_sort(struct snapshot *s);

struct ipc_process *snapshot_add_process(struct snapshot *s, pid_t pid);
struct ipc_process *snapshot_process(const struct snapshot *s, pid_t pid);

/* Adds an endpoint unless an identical one (pid, via, fd, role) exists. */
struct ipc_endpoint *object_add_endpoint(struct ipc_object *o, pid_t pid, enum ep_via via,
					 int fd, enum ep_mode mode, enum ep_role role);
bool object_has_pid(const struct ipc_object *o, pid_t pid, enum ep_via via);
/* Number of distinct processes holding it by fd or mapping. */
size_t object_holders(const struct ipc_object *o);
void object_set_str(char **field, const char *value);

#endif
