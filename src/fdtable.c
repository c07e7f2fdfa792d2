#include "config.h"

#include "fdtable.h"
#include "fdtable_int.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kcmp.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "xalloc.h"


char *fdt_pool_strndup(struct fd_table *t, const char *s, size_t n)
{
	struct chunk *c = t->pool;
	char *d;

	if (!c || c->cap - c->used < n + 1) {
		size_t cap = n + 1 > 65536 ? n + 1 : 65536;
		c = xmalloc(sizeof(*c) + cap);
		c->cap = cap;
		c->used = 0;
		c->next = t->pool;
		t->pool = c;
	}
	d = c->data + c->used;
	memcpy(d, s, n);
	d[n] = '\0';
	c->used += n + 1;
	return d;
}

static bool parse_bracket_ino(const char *s, const char *prefix, uint64_t *ino)
{
	size_t n = strlen(prefix);
	char *end;

	if (strncmp(s, prefix, n) != 0 || s[n] != '[')
		return false;
	errno = 0;
	*ino = strtoull(s + n + 1, &end, 10);
	return errno == 0 && end != s + n + 1 && *end == ']';
}

static const char deleted_suffix[] = " (deleted)";

struct fd_entry *fdt_add_fd(struct fd_table *t)
{
	if (t->nfds == t->fds_cap) {
		t->fds_cap = t->fds_cap ? t->fds_cap * 2 : 1024;
		t->fds = xreallocarray(t->fds, t->fds_cap, sizeof(*t->fds));
	}
	struct fd_entry *e = &t->fds[t->nfds++];
	memset(e, 0, sizeof(*e));
	return e;
}

static enum ep_mode link_mode(mode_t m)
{
	bool r = m & S_IRUSR, w = m & S_IWUSR;

	return r && w ? MODE_RW : r ? MODE_R : w ? MODE_W : MODE_NONE;
}

void fdt_classify(struct fd_table *t, struct fd_entry *e, const char *target, size_t len)
{
	if (parse_bracket_ino(target, "pipe:", &e->ino)) {
		e->type = FD_PIPE;
	} else if (parse_bracket_ino(target, "socket:", &e->ino)) {
		e->type = FD_SOCKET;
	} else if (strncmp(target, "anon_inode:", 11) == 0) {
		e->type = FD_ANON;
	} else if (target[0] == '/') {
		size_t sl = sizeof(deleted_suffix) - 1;
		e->type = FD_PATH;
		if (len > sl && memcmp(target + len - sl, deleted_suffix, sl) == 0) {
			e->deleted = true;
			len -= sl;
		}
	} else {
		e->type = FD_OTHER;
	}
	e->target = fdt_pool_strndup(t, target, len);
}

/* Reads the fds of pid through its open /proc/PID/fd directory. Live, the
 * open mode of a pipe comes with it: the link's permission bits are f_mode
 * (proc_fd_link / tid_fd_update_inode), one lstat relative to the directory. */
void fdt_scan_fds(const struct ipc_ctx *ctx, struct fd_table *t, int procfd, pid_t pid,
		     bool *hidden)
{
	char path[64], target[4096];
	DIR *d;
	struct dirent *de;
	int dfd;

	if (procfd >= 0) {
		snprintf(path, sizeof(path), "%d/fd", (int)pid);
		dfd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		d = dfd >= 0 ? fdopendir(dfd) : NULL;
		if (dfd >= 0 && !d)
			close(dfd);
	} else {
		snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
		d = ctx_opendir(ctx, path);
	}
	if (!d) {
		*hidden = errno == EACCES || errno == EPERM;
		return;
	}
	dfd = dirfd(d);
	while ((de = readdir(d))) {
		char *end;
		long fd;
		ssize_t n;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		fd = strtol(de->d_name, &end, 10);
		if (*end || fd < 0 || fd > INT32_MAX)
			continue;
		n = readlinkat(dfd, de->d_name, target, sizeof(target) - 1);
		if (n < 0)
			continue; /* closed meanwhile */
		target[n] = '\0';
		struct fd_entry *e = fdt_add_fd(t);
		e->pid = pid;
		e->fd = (int)fd;
		fdt_classify(t, e, target, (size_t)n);
		if (ctx->live && e->type == FD_PIPE) {
			struct stat st;

			e->mode_done = true;
			if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
				e->mode = link_mode(st.st_mode);
		}
	}
	closedir(d);
}

bool maps_parse_line(const char *line, struct map_entry *m, const char **path, size_t *pathlen)
{
	unsigned long long start, end, off, ino;
	unsigned maj, min;
	char perms[5];
	int n = 0;
	const char *p;
	size_t len;

	if (sscanf(line, "%llx-%llx %4s %llx %x:%x %llu%n", &start, &end, perms, &off, &maj, &min,
		   &ino, &n) != 7 || n == 0)
		return false;
	if (strlen(perms) != 4)
		return false;
	m->start = start;
	m->end = end;
	memcpy(m->perms, perms, 5);
	m->dev_major = maj;
	m->dev_minor = min;
	m->ino = ino;
	m->deleted = false;
	p = line + n;
	while (*p == ' ' || *p == '\t')
		p++;
	len = strcspn(p, "\n");
	if (len == 0) {
		*path = NULL;
		*pathlen = 0;
		return true;
	}
	size_t sl = sizeof(deleted_suffix) - 1;
	if (len > sl && memcmp(p + len - sl, deleted_suffix, sl) == 0) {
		m->deleted = true;
		len -= sl;
	}
	*path = p;
	*pathlen = len;
	return true;
}

void fdt_add_map(struct fd_table *t, const struct map_entry *m, const char *path, size_t len)
{
	if (t->nmaps == t->maps_cap) {
		t->maps_cap = t->maps_cap ? t->maps_cap * 2 : 256;
		t->maps = xreallocarray(t->maps, t->maps_cap, sizeof(*t->maps));
	}
	t->maps[t->nmaps] = *m;
	t->maps[t->nmaps].path = fdt_pool_strndup(t, path, len);
	t->nmaps++;
}

/* PROCMAP_QUERY (Linux 6.11, include/uapi/linux/fs.h), not in older headers:
 * an ioctl on /proc/PID/maps that returns the next VMA with the asked flags,
 * so only the shared mappings are formatted, not the whole maps text. */
#define FDT_PROCMAP_QUERY _IOWR('f', 17, struct fdt_procmap_query)
#define FDT_PMQ_READABLE 0x01
#define FDT_PMQ_WRITABLE 0x02
#define FDT_PMQ_EXECUTABLE 0x04
#define FDT_PMQ_SHARED 0x08
#define FDT_PMQ_COVERING_OR_NEXT 0x10
#define FDT_PMQ_FILE_BACKED 0x20

struct fdt_procmap_query {
	uint64_t size, query_flags, query_addr;
	uint64_t vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode;
	uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
	uint64_t vma_name_addr, build_id_addr;
};

/* 1: read; 0: the kernel has no PROCMAP_QUERY (use the text); -1: gone. */
static int scan_maps_query(struct fd_table *t, int fd, pid_t pid)
{
	static _Atomic bool unsupported; /* read by both scanning threads */
	/* zeroed: valgrind cannot see the kernel write the name (it does not
	 * know PROCMAP_QUERY), so it would call every map path uninitialised */
	char name[4096] = "";
	uint64_t addr = 0;

	if (unsupported)
		return 0;
	for (;;) {
		struct fdt_procmap_query q = {
			.size = sizeof(q),
			.query_flags = FDT_PMQ_SHARED | FDT_PMQ_FILE_BACKED | FDT_PMQ_COVERING_OR_NEXT,
			.query_addr = addr,
			.vma_name_size = sizeof(name),
			.vma_name_addr = (uintptr_t)name,
		};
		struct map_entry m = { .pid = pid };
		size_t len, sl = sizeof(deleted_suffix) - 1;

		if (ioctl(fd, FDT_PROCMAP_QUERY, &q) < 0) {
			if (errno == ENOENT)
				return 1; /* no more */
			if (errno == ENOTTY || errno == EINVAL || errno == EOPNOTSUPP) {
				unsupported = true;
				return 0;
			}
			return -1;
		}
		addr = q.vma_end;
		if (!q.vma_name_size)
			continue; /* the text path skips nameless lines too */
		m.start = q.vma_start;
		m.end = q.vma_end;
		m.perms[0] = q.vma_flags & FDT_PMQ_READABLE ? 'r' : '-';
		m.perms[1] = q.vma_flags & FDT_PMQ_WRITABLE ? 'w' : '-';
		m.perms[2] = q.vma_flags & FDT_PMQ_EXECUTABLE ? 'x' : '-';
		m.perms[3] = 's';
		m.perms[4] = '\0';
		m.dev_major = q.dev_major;
		m.dev_minor = q.dev_minor;
		m.ino = q.inode;
		len = strnlen(name, sizeof(name));
		if (len > sl && memcmp(name + len - sl, deleted_suffix, sl) == 0) {
			m.deleted = true;
			len -= sl;
		}
		fdt_add_map(t, &m, name, len);
	}
}

void fdt_scan_maps(const struct ipc_ctx *ctx, struct fd_table *t, int procfd, pid_t pid,
		      char **buf, size_t *cap)
{
	char path[64];
	int fd;
	size_t off = 0;

	if (procfd >= 0) {
		snprintf(path, sizeof(path), "%d/maps", (int)pid);
		fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	} else {
		snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
		fd = ctx_open(ctx, path, O_RDONLY);
	}
	if (fd < 0)
		return;
	if (ctx->live && scan_maps_query(t, fd, pid) != 0) {
		close(fd);
		return;
	}
	for (;;) {
		ssize_t n;

		if (off + 4096 > *cap) {
			*cap = *cap ? *cap * 2 : 65536;
			*buf = xrealloc(*buf, *cap);
		}
		n = read(fd, *buf + off, *cap - off - 1);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	(*buf)[off] = '\0';

	for (char *line = *buf; *line; ) {
		char *nl = strchr(line, '\n');
		/* only shared mappings: the 4th perms char is 's' ("rw-s") */
		char *sp = strchr(line, ' ');
		if (sp && (!nl || sp < nl) && sp[1] && sp[2] && sp[3] && sp[4] == 's') {
			struct map_entry m;
			const char *mp;
			size_t mlen;

			if (nl)
				*nl = '\0';
			if (maps_parse_line(line, &m, &mp, &mlen) && mp) {
				m.pid = pid;
				fdt_add_map(t, &m, mp, mlen);
			}
		}
		if (!nl)
			break;
		line = nl + 1;
	}
}

int fdtable_scan(const struct ipc_ctx *ctx, struct fd_table *t, struct snapshot *snap)
{
	if (fdtable_scan_cached(ctx, t, NULL) < 0)
		return -1;
	if (snap)
		fdtable_note_procs(t, snap);
	return 0;
}

enum ep_mode fdtable_mode(const struct ipc_ctx *ctx, struct fd_entry *e)
{
	char path[64], info[512];
	struct stat st;

	if (e->mode_done)
		return e->mode;
	e->mode_done = true;
	e->mode = MODE_NONE;
	if (ctx->live) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)e->pid, e->fd);
		if (ctx_stat(ctx, path, &st, false) == 0)
			return e->mode = link_mode(st.st_mode);
	}
	if (fdtable_fdinfo(ctx, e->pid, e->fd, info, sizeof(info)) >= 0)
		e->mode = fdinfo_parse_mode(info);
	return e->mode;
}

void fdtable_free(struct fd_table *t)
{
	for (struct chunk *c = t->pool, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(t->fds);
	free(t->procs);
	free(t->maps);
	memset(t, 0, sizeof(*t));
}

/* The stat above goes through /proc/PID/fd/N again, after the readlink that
 * named the entry: had the fd been closed and its number reused between the
 * two, the stat would describe another file. A second readlink, after the
 * stat, that still names the entry's file proves the stat was of it (the file
 * may have been unlinked meanwhile: " (deleted)" is allowed to appear). */
static bool fdt_same_link(const struct ipc_ctx *ctx, const char *path, const struct fd_entry *e)
{
	char now[4096];
	size_t tl = strlen(e->target), sl = sizeof(deleted_suffix) - 1;
	ssize_t n = ctx_readlink(ctx, path, now, sizeof(now) - 1);

	if (n < 0)
		return false;
	now[n] = '\0';
	if ((size_t)n < tl || memcmp(now, e->target, tl) != 0)
		return false;
	return (size_t)n == tl || ((size_t)n == tl + sl && !strcmp(now + tl, deleted_suffix));
}

bool fdtable_stat(const struct ipc_ctx *ctx, struct fd_entry *e)
{
	struct stat st;
	char path[64];
	int r;

	if (e->stat_done)
		return e->stat_ok;
	e->stat_done = true;
	if (ctx->live || e->type != FD_PATH) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)e->pid, e->fd);
		r = ctx_stat(ctx, path, &st, true);
	} else {
		/* a fixture's fd links point at system paths: resolve them in the tree */
		r = ctx_stat(ctx, e->target, &st, true);
	}
	if (r < 0)
		return false;
	if (ctx->live && e->type == FD_PATH && !fdt_same_link(ctx, path, e))
		return false; /* closed and the number reused since the readlink */
	e->stat_ok = true;
	e->dev_major = major(st.st_dev);
	e->dev_minor = minor(st.st_dev);
	e->st_mode = st.st_mode;
	e->st_size = st.st_size;
	e->st_uid = st.st_uid;
	if (e->type == FD_PATH || e->type == FD_ANON)
		e->ino = st.st_ino;
	return true;
}

ssize_t fdtable_fdinfo(const struct ipc_ctx *ctx, pid_t pid, int fd, char *buf, size_t size)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
	return ctx_read_buf(ctx, path, buf, size);
}

int64_t fdinfo_parse_field(const char *fdinfo, const char *key, int base)
{
	size_t klen = strlen(key);

	for (const char *p = fdinfo; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ':') {
			const char *v = p + klen + 1;
			char *end;
			long long n;

			while (*v == ' ' || *v == '\t')
				v++;
			errno = 0;
			n = strtoll(v, &end, base);
			if (end == v || errno)
				return NONE;
			return n;
		}
	}
	return NONE;
}

enum ep_mode fdinfo_parse_mode(const char *fdinfo)
{
	int64_t flags = fdinfo_parse_field(fdinfo, "flags", 8);

	if (!HAS(flags))
		return MODE_NONE;
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		return MODE_R;
	case O_WRONLY:
		return MODE_W;
	default:
		return MODE_RW;
	}
}
