/* ipcdemo: shared API of the scenarios, the supervisor and the registry.
 *
 * The supervisor (the ipcdemo process itself) creates every named object,
 * records it in the registry (and so in the state file) and forks the
 * workers.  Workers are children (or grandchildren) that die with their
 * parent (PR_SET_PDEATHSIG), carry a name ipctop can show (PR_SET_NAME) and
 * count what they move in a shared anonymous page.
 */
#ifndef IPCDEMO_DEMO_H
#define IPCDEMO_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#define DEMO_MAX_SCEN	40
#define DEMO_MAX_PROCS	256
#define DEMO_MAX_OBJS	128
#define DEMO_NAME_LEN	16	/* TASK_COMM_LEN */
#define DEMO_MIN_SIZE	16
#define DEMO_MAX_SIZE	65536

/* Command-line settings, the same for every scenario. */
struct demo_opts {
	double rate;		/* messages per second per producer */
	size_t size;		/* payload size in bytes */
	double duration;	/* seconds, 0 = until interrupted */
	int verbosity;		/* 0 quiet, 1 normal, 2 verbose */
	bool json;
};

/* What the workers of one scenario moved; updated with atomics. */
struct demo_stat {
	long sent;
	long received;
	long extra[4];		/* scenario specific (EAGAINs, race result…) */
};

/* One worker process, as the supervisor prints it. */
struct demo_proc {
	pid_t pid;
	pid_t ppid;		/* who forked it */
	int scen;
	int direct;		/* a child of the supervisor itself */
	int valid;		/* set last, with release semantics */
	int reaped;
	char name[DEMO_NAME_LEN];
};

/* The shared anonymous page(s) every process of a run sees. */
struct demo_shared {
	int nprocs;
	struct demo_proc procs[DEMO_MAX_PROCS];
	struct demo_stat stats[DEMO_MAX_SCEN];
	int barrier[DEMO_MAX_SCEN];	/* start barriers (race, mutex) */
};

/* How an object is removed at the end (or by --cleanup). */
enum demo_rm {
	DEMO_RM_NONE,		/* nameless: pipe, socketpair, eventfd, tcp… */
	DEMO_RM_UNLINK,		/* a file, FIFO or socket path */
	DEMO_RM_RMDIR,		/* the private directory */
	DEMO_RM_SHM,		/* POSIX shm name */
	DEMO_RM_SEM,		/* POSIX named semaphore */
	DEMO_RM_MQ,		/* POSIX message queue */
	DEMO_RM_SYSV_SHM,
	DEMO_RM_SYSV_MSG,
	DEMO_RM_SYSV_SEM,
};

/* One object, described with ipctop's kind names (DESIGN.md, schema 1). */
struct demo_obj {
	int scen;
	enum demo_rm rm;
	bool removed;
	char kind[16];		/* pipe, fifo, unix, tcp, posix_mq, … */
	char name[80];		/* POSIX name ("/ipcdemo.1.jobs") or memfd name */
	char path[160];		/* file system path */
	char local[48];		/* "127.0.0.1:40123" */
	char socktype[12];	/* unix: stream, dgram, seqpacket */
	char note[64];		/* a word on its role, for people */
	unsigned long inode;
	long eventfd_id;
	bool has_key;
	int key;
	int ipcid;
};

struct demo_ctx {
	struct demo_opts opts;
	pid_t pid;			/* the supervisor */
	char prefix[32];		/* "ipcdemo.1234" */
	char dir[64];			/* "/tmp/ipcdemo.1234" */
	bool dir_made;
	char state_path[256];
	struct demo_shared *shared;
	struct demo_obj objs[DEMO_MAX_OBJS];
	int nobjs;
	int scen;			/* index of the scenario being started */
	int key_seq;
	int ready_fd;			/* worker side: tells the supervisor */
};

typedef int (*demo_worker_fn)(struct demo_ctx *ctx, void *arg);

struct demo_scenario {
	const char *name;
	const char *description;	/* one line for --list */
	const char *explanation;	/* a few paragraphs for --explain */
	/* 0 when it can run here; else -1 and a reason in why */
	int (*available)(char *why, size_t len);
	/* create the objects, spawn the workers; 0 or -1 (message printed) */
	int (*start)(struct demo_ctx *ctx);
	/* optional: summary line of the counters, into buf */
	void (*summary)(const struct demo_stat *st, char *buf, size_t len);
};

/* main.c / the scenario table */
extern const struct demo_scenario *const demo_scenarios[];
extern const int demo_nscenarios;

/* supervise.c: runs the selected scenarios until stopped */
int demo_run(const struct demo_opts *opts,
	     const struct demo_scenario *const *sel, int nsel);

/* registry.c: objects, state file, removal, printing; cleanup.c */
struct demo_obj *demo_obj_add(struct demo_ctx *ctx, const char *kind,
			      enum demo_rm rm);
void demo_state_write(struct demo_ctx *ctx);
void demo_state_remove(struct demo_ctx *ctx);
void demo_objs_remove(struct demo_ctx *ctx);
int demo_rm_one(enum demo_rm rm, const char *name, const char *path,
		int key, int id);
const char *demo_state_dir(char *buf, size_t len);
int demo_cleanup_leftovers(bool quiet);
int demo_pid_is_ipcdemo(pid_t pid);
void demo_json_str(FILE *f, const char *s);
void demo_objs_print(const struct demo_ctx *ctx, int scen, FILE *f,
		     bool json);

/* naming.c and util.c: names, spawning, pacing, narration, messages */
void demo_name(const struct demo_ctx *ctx, char *buf, size_t len,
	       const char *what);		/* "/ipcdemo.1234.what" */
int demo_path(struct demo_ctx *ctx, char *buf, size_t len,
	      const char *what);		/* "/tmp/ipcdemo.1234/what" */
int demo_sysv_key(struct demo_ctx *ctx);
struct demo_obj *demo_obj_file(struct demo_ctx *ctx, const char *kind,
			       const char *what);
struct demo_obj *demo_obj_posix(struct demo_ctx *ctx, enum demo_rm rm,
				const char *what);
struct demo_obj *demo_obj_sysv(struct demo_ctx *ctx, enum demo_rm rm,
			       size_t size_or_nsems);
pid_t demo_spawn(struct demo_ctx *ctx, const char *name, demo_worker_fn fn,
		 void *arg);
pid_t demo_spawn_sub(struct demo_ctx *ctx, const char *name,
		     demo_worker_fn fn, void *arg);
void demo_ready(struct demo_ctx *ctx);
void demo_close_except(int keep1, int keep2);
void demo_pace_init(struct timespec *next);
void demo_pace(struct demo_ctx *ctx, struct timespec *next, double factor);
void demo_sleep(double seconds);
void demo_note(const struct demo_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void demo_say(const struct demo_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void demo_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
struct demo_stat *demo_stat_get(struct demo_ctx *ctx);
void demo_count(long *counter, long n);
const char *demo_self(void);
size_t demo_size(const struct demo_ctx *ctx, size_t max);
void demo_msg_fill(void *buf, size_t len, uint32_t seq);
uint32_t demo_msg_seq(const void *buf);
ssize_t demo_write_all(int fd, const void *buf, size_t len);
ssize_t demo_read_all(int fd, void *buf, size_t len);
int demo_peer_gone(const char *what);
int demo_fail(const char *what);
void demo_summary_counts(const struct demo_stat *st, char *buf, size_t len);

/* stream.c: the loops of byte-stream and datagram workers */
int demo_send_loop(struct demo_ctx *ctx, int fd, bool stream);
int demo_recv_loop(struct demo_ctx *ctx, int fd, bool stream);
int demo_echo_loop(struct demo_ctx *ctx, int fd, bool stream);
int demo_ping_loop(struct demo_ctx *ctx, int fd, bool stream);
unsigned long demo_fd_inode(int fd);
void demo_summary_echo(const struct demo_stat *st, char *buf, size_t len);

/* posix_mq.c and sysv_msg.c: queue workers other scenarios reuse */
struct demo_q_arg {
	char name[80];		/* POSIX mq name */
	int id;			/* SysV msqid */
	double factor;		/* pace: factor / rate seconds a message */
	int flags;		/* O_NONBLOCK… */
};
struct demo_obj *demo_mq_create(struct demo_ctx *ctx, const char *what,
				long maxmsg, size_t msgsize);
int demo_mq_producer(struct demo_ctx *ctx, void *arg);
int demo_mq_consumer(struct demo_ctx *ctx, void *arg);
int demo_msg_producer(struct demo_ctx *ctx, void *arg);
int demo_msg_consumer(struct demo_ctx *ctx, void *arg);

/* mmap.c: a page two processes share, used by mmap and memfd */
#define DEMO_PAGE_BYTES (4096 + DEMO_MAX_SIZE)
int demo_page_writer(struct demo_ctx *ctx, void *page);
int demo_page_reader(struct demo_ctx *ctx, void *page);

/* unix_sock.c: a named unix socket of the private directory */
struct sockaddr_un;
int demo_unix_listen(struct demo_ctx *ctx, int type, const char *what,
		     struct sockaddr_un *addr, const char *note);
int demo_unix_connect(int type, const struct sockaddr_un *addr);

/* availability: IPCDEMO_DISABLE, then the scenario's own probe */
int demo_available(const struct demo_scenario *s, char *why, size_t len);

/* availability probes shared by several scenarios */
int demo_have_mq(char *why, size_t len);
int demo_have_posix_shm(char *why, size_t len);
int demo_have_sysv_msg(char *why, size_t len);
int demo_have_sysv_shm(char *why, size_t len);
int demo_have_unix(char *why, size_t len);
int demo_have_inet(char *why, size_t len);
int demo_have_always(char *why, size_t len);

/* the scenarios, one file per mechanism */
extern const struct demo_scenario demo_scen_pipe, demo_scen_fifo,
	demo_scen_posix_mq, demo_scen_sysv_msg, demo_scen_posix_shm,
	demo_scen_sysv_shm, demo_scen_mmap, demo_scen_memfd,
	demo_scen_unix_stream, demo_scen_unix_dgram, demo_scen_socketpair,
	demo_scen_tcp, demo_scen_udp, demo_scen_signal, demo_scen_eventfd,
	demo_scen_rpc, demo_scen_direct, demo_scen_indirect,
	demo_scen_blocking, demo_scen_nonblocking, demo_scen_zero_capacity,
	demo_scen_bounded, demo_scen_unbounded, demo_scen_race,
	demo_scen_mutex, demo_scen_many_to_many;

#endif /* IPCDEMO_DEMO_H */
