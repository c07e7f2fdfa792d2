/* Matching fds and shared mappings to file-backed objects, for the POSIX
 * and mmap probes. Objects are found by (device, inode) — the only sound
 * identity of a file, since one inode shows under several names (glibc links
 * a semaphore's temporary file to its final name, so the creator's mapping
 * reads "/dev/shm/sem.XXXXXX (deleted)") — in an open-addressing hash, so
 * matching every fd and mapping of the system stays linear. */
#ifndef IPCTOP_POSIX_MATCH_H
#define IPCTOP_POSIX_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctx.h"
#include "fdtable.h"
#include "model.h"

struct posix_index_slot {
	uint64_t dev, ino; /* dev is makedev(major, minor) */
	const char *str;   /* string keys: borrowed, must outlive the index */
	void *val;
};

struct posix_index {
	struct posix_index_slot *slots;
	size_t cap, n;
};

void posix_index_free(struct posix_index *ix);

/* Inserts or replaces the value for (dev, ino). */
void posix_index_put(struct posix_index *ix, unsigned major, unsigned minor, uint64_t ino,
		     void *val);
void *posix_index_get(const struct posix_index *ix, unsigned major, unsigned minor, uint64_t ino);

/* String keys (a separate index: do not mix with dev/ino keys). */
void posix_index_put_str(struct posix_index *ix, const char *key, void *val);
void *posix_index_get_str(const struct posix_index *ix, const char *key);

/* Reads an fd's fdinfo once: its open mode (MODE_NONE if unknown) and, when
 * ino is not NULL, its "ino:" line (NONE if absent) — the inode of a file a
 * fixture tree cannot stat. */
enum ep_mode posix_fd_info(const struct ipc_ctx *ctx, const struct fd_entry *e, int64_t *ino);

/* "rw-s" -> MODE_RW, "r--s" -> MODE_R ... */
enum ep_mode posix_map_mode(const char *perms);

/* One mapper endpoint per process, whatever ranges it maps: modes combine. */
void posix_add_mapper(struct ipc_object *o, pid_t pid, enum ep_mode mode);

/* stat() of the file a mapping shows, through /proc/PID/map_files (live
 * only: it needs the kernel); false if gone or not the same inode. */
bool posix_map_stat(const struct ipc_ctx *ctx, const struct map_entry *m, struct stat *st);

/* Identity and facts of a file from stat(). */
void posix_set_stat(struct ipc_object *o, const struct stat *st);

#endif
