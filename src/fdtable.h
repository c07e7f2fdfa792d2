/* The fd table: one readlink per fd of every process, gathered once per
 * refresh and handed to every probe, plus every process's shared mappings
 * (the 's' lines of /proc/PID/maps). No probe walks /proc/PID/fd itself. */
#ifndef IPCTOP_FDTABLE_H
#define IPCTOP_FDTABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "ctx.h"
#include "model.h"

enum fd_type {
	FD_PIPE,   /* "pipe:[INO]" */
	FD_SOCKET, /* "socket:[INO]" */
	FD_ANON,   /* "anon_inode:[eventfd]", "anon_inode:inotify" ... */
	FD_PATH,   /* an absolute path, possibly with " (deleted)" */
	FD_OTHER,  /* anything else ("net:[...]", "mnt:[...]") */
};

struct fd_entry {
	pid_t pid;
	int fd;
	enum fd_type type;
	uint64_t ino;       /* FD_PIPE, FD_SOCKET; for FD_PATH after fdtable_stat() */
	char *target;       /* the readlink text, owned by the table */
	bool deleted;       /* FD_PATH ending in " (deleted)" (stripped from target) */
	/* open mode: from the link's permission bits (live) or fdinfo; see
	 * fdtable_mode(). It cannot change while the fd is open. */
	bool mode_done;
	enum ep_mode mode;
	/* file type, device and inode of a reused entry (fixed for an open file;
	 * stat_done is cleared on reuse since size, owner and mode can change) */
	bool ftype_known;
	mode_t ftype;
	/* copied from the cache: its process has not run since (fdcache.c) */
	bool reused;
	/* a pipe's queue as last read through this fd (probes/pipe.c);
	 * q_fresh: read at this refresh, by the fd dump (fddump.c) */
	bool q_known, q_fresh;
	int64_t q_bytes, q_cap;
	/* filled by fdtable_stat() on demand (follows the link) */
	bool stat_done, stat_ok;
	unsigned dev_major, dev_minor;
	mode_t st_mode;
	int64_t st_size;
	uid_t st_uid;
};

struct map_entry {
	pid_t pid;
	unsigned dev_major, dev_minor;
	uint64_t ino;
	char perms[5];  /* "rw-s" */
	char *path;     /* as printed, " (deleted)" stripped */
	bool deleted;
	uint64_t start, end;
};

struct fd_proc {
	pid_t pid;
	size_t first, count;         /* range in fds[] */
	size_t map_first, map_count; /* range in maps[] */
	bool hidden;                 /* fd directory unreadable (permission) */
	bool reused;                 /* fds and maps copied from the cache */
	/* with a cache: the run state read before the fds (see fdcache.c) */
	bool run_known, run_ok;
	uint64_t runtime, pcount, dino;
	/* the fd dump's record of its namespaces (fddump_rec.h) */
	bool ns_known;
	int64_t ns_ipc, ns_net, ns_mnt;
};

struct fd_table {
	struct fd_entry *fds;
	size_t nfds, fds_cap;
	struct fd_proc *procs;
	size_t nprocs, procs_cap;
	struct map_entry *maps;
	size_t nmaps, maps_cap;
	void *pool; /* strings of the table (private) */
	size_t dumped; /* processes whose fds came from the fd dump (fddump.c) */
};

/* Walks /proc: every pid's fds (readlink) and its shared mappings.
 * Marks processes whose fds are unreadable in snap (fds_hidden, hidden_processes)
 * when snap is not NULL. Returns 0, or -1 if /proc itself cannot be read. */
int fdtable_scan(const struct ipc_ctx *ctx, struct fd_table *t, struct snapshot *snap);
/* What the scan could not write to a snapshot (it may run while another
 * thread fills the snapshot's processes): marks processes whose fds are
 * unreadable, and notes which processes a cache may reuse next time. Call
 * once snap holds the processes (procs_scan, after fd_cache_begin). */
void fdtable_note_procs(struct fd_table *t, struct snapshot *snap);
void fdtable_free(struct fd_table *t);

/* A cache of fd tables across refreshes (live runs only): the fds and shared
 * mappings of a process that has not run since they were read are reused
 * instead of read again. Why that is exact: see fdtable.c. */
struct fd_cache;
struct fd_cache *fd_cache_new(void);
void fd_cache_free(struct fd_cache *c);
/* Reads every process's run state: call before procs_scan() and the scan. */
void fd_cache_begin(const struct ipc_ctx *ctx, struct fd_cache *c);
/* True when pid is the process read last time and has not been switched in
 * since (after fd_cache_begin): nothing it does itself can have changed. */
bool fd_cache_quiet(const struct fd_cache *c, pid_t pid);
/* What the run dump (rundump.h) said of pid at fd_cache_begin, when the
 * run states came from it; else NULL. */
struct rundump_proc;
const struct rundump_proc *fd_cache_facts(const struct fd_cache *c, pid_t pid);
/* Every process but ours, by pid ascending, when the run dump listed them
 * at fd_cache_begin (*n of them): a refresh then needs no readdir of /proc
 * (nor two: the fd table's and the process facts'). NULL without it. */
const pid_t *fd_cache_pids(const struct fd_cache *c, size_t *n);
/* The loaded BPF programs (bpfiter.h) to read the run and fd dumps
 * through; NULL: none. The caller keeps them loaded while c uses them. */
struct bpfiter;
void fd_cache_use_bpf(struct fd_cache *c, struct bpfiter *bi);
/* fdtable_scan() through the cache (c may be NULL: a cold scan); touches no
 * snapshot: fdtable_note_procs() after. */
int fdtable_scan_cached(const struct ipc_ctx *ctx, struct fd_table *t, struct fd_cache *c);
/* Hands the table, probed, to the cache for the next refresh (t is emptied). */
void fd_cache_keep(struct fd_cache *c, struct fd_table *t);
/* How many processes the last scan reused, and read. */
void fd_cache_stats(const struct fd_cache *c, size_t *reused, size_t *read);

/* Open mode of the fd, cached in the entry; MODE_NONE if unknown. */
enum ep_mode fdtable_mode(const struct ipc_ctx *ctx, struct fd_entry *e);

/* stat() through /proc/PID/fd/N, cached in the entry; false if it vanished. */
bool fdtable_stat(const struct ipc_ctx *ctx, struct fd_entry *e);
/* Reads /proc/PID/fdinfo/N into buf; returns length or -1. */
ssize_t fdtable_fdinfo(const struct ipc_ctx *ctx, pid_t pid, int fd, char *buf, size_t size);
/* Open mode from fdinfo's "flags:" (octal O_ACCMODE bits); MODE_NONE if absent. */
enum ep_mode fdinfo_parse_mode(const char *fdinfo);
/* Value of a "key:\tvalue" line of fdinfo as a number; NONE if absent. */
int64_t fdinfo_parse_field(const char *fdinfo, const char *key, int base);

/* Parses one line of /proc/PID/maps. Returns true when it parsed; path may be
 * NULL for anonymous lines. The caller owns nothing: path points into line. */
bool maps_parse_line(const char *line, struct map_entry *m, const char **path, size_t *pathlen);

#endif
