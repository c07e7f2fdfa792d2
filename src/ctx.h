/* The run-time context handed down to every probe and view: where the
 * system's files are (--root), what the user asked for, what we may do. */
#ifndef IPCTOP_CTX_H
#define IPCTOP_CTX_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

struct ipc_ctx {
	const char *root; /* "/" or a fixture tree */
	int rootfd;       /* O_PATH directory fd of root */
	bool live;        /* root is "/": netlink, semctl, pidfd and libproc2 may be used */
	bool privileged;  /* effective uid 0 */
	unsigned kinds;   /* KIND_BIT mask of kinds wanted */
	pid_t self;       /* our own pid: never listed as a holder of our own probing fds */
	/* problems met during a scan that the user should see (not per-object noise) */
	unsigned unavailable; /* KIND_BIT mask: the kernel here lacks the mechanism */
};

int ctx_init(struct ipc_ctx *ctx, const char *root);
void ctx_fini(struct ipc_ctx *ctx);

/* All paths below are absolute system paths ("/proc/1/fd"), resolved under
 * ctx->root. They return -1/NULL with errno set, like the calls they wrap. */
int ctx_open(const struct ipc_ctx *ctx, const char *path, int flags);
DIR *ctx_opendir(const struct ipc_ctx *ctx, const char *path);
ssize_t ctx_readlink(const struct ipc_ctx *ctx, const char *path, char *buf, size_t size);
int ctx_stat(const struct ipc_ctx *ctx, const char *path, struct stat *st, bool follow);
/* Reads a whole (proc) file into a NUL-terminated malloc'd buffer; *len may be NULL. */
char *ctx_read_file(const struct ipc_ctx *ctx, const char *path, size_t *len);
/* Same into a caller buffer; returns bytes read (NUL-terminated) or -1. */
ssize_t ctx_read_buf(const struct ipc_ctx *ctx, const char *path, char *buf, size_t size);

#endif
