#include "config.h"

#include "ctx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "xalloc.h"

int ctx_init(struct ipc_ctx *ctx, const char *root)
{
	char *real;

	memset(ctx, 0, sizeof(*ctx));
	ctx->root = root ? root : "/";
	ctx->rootfd = open(ctx->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (ctx->rootfd < 0)
		return -1;
	real = realpath(ctx->root, NULL);
	ctx->live = real && strcmp(real, "/") == 0;
	free(real);
	ctx->privileged = geteuid() == 0;
	ctx->kinds = KIND_ALL;
	ctx->self = getpid();
	return 0;
}

void ctx_fini(struct ipc_ctx *ctx)
{
	if (ctx->rootfd >= 0)
		close(ctx->rootfd);
	ctx->rootfd = -1;
}

/* Paths are absolute system paths; under a fixture root they resolve inside
 * it. Symlinks inside a fixture are not followed out of it for reading
 * directories, but /proc/PID/fd links are only ever readlink()ed. */
static const char *rel(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

int ctx_open(const struct ipc_ctx *ctx, const char *path, int flags)
{
	return openat(ctx->rootfd, rel(path), flags | O_CLOEXEC);
}

DIR *ctx_opendir(const struct ipc_ctx *ctx, const char *path)
{
	int fd = ctx_open(ctx, path, O_RDONLY | O_DIRECTORY);
	DIR *d;

	if (fd < 0)
		return NULL;
	d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return d;
}

ssize_t ctx_readlink(const struct ipc_ctx *ctx, const char *path, char *buf, size_t size)
{
	ssize_t n;

	if (size == 0)
		return -1;
	n = readlinkat(ctx->rootfd, rel(path), buf, size - 1);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

int ctx_stat(const struct ipc_ctx *ctx, const char *path, struct stat *st, bool follow)
{
	return fstatat(ctx->rootfd, rel(path), st, follow ? 0 : AT_SYMLINK_NOFOLLOW);
}

ssize_t ctx_read_buf(const struct ipc_ctx *ctx, const char *path, char *buf, size_t size)
{
	int fd = ctx_open(ctx, path, O_RDONLY);
	size_t off = 0;

	if (fd < 0)
		return -1;
	while (off + 1 < size) {
		ssize_t n = read(fd, buf + off, size - 1 - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	buf[off] = '\0';
	return (ssize_t)off;
}

char *ctx_read_file(const struct ipc_ctx *ctx, const char *path, size_t *len)
{
	int fd = ctx_open(ctx, path, O_RDONLY);
	size_t cap = 4096, off = 0;
	char *buf;

	if (fd < 0)
		return NULL;
	buf = xmalloc(cap);
	for (;;) {
		ssize_t n;

		if (off + 1 >= cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		n = read(fd, buf + off, cap - 1 - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	buf[off] = '\0';
	if (len)
		*len = off;
	return buf;
}
