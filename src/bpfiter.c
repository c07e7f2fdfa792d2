#include "config.h"

#include "bpfiter.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

#ifdef HAVE_BPF
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

/* bpftool's generated code does arithmetic on void pointers (a GNU C
 * extension): not ours to change */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpointer-arith"
#include "fddump.lskel.h"
#pragma GCC diagnostic pop
#include "ipctop.skel.h"

/* The initial pid namespace's inode (include/linux/proc_ns.h) */
#define BPFITER_INIT_PID_NS 0xEFFFFFFCU

struct bpfiter {
	bool session; /* the run dump's program loaded too */
	struct ipctop_bpf *sk;     /* libbpf's skeleton, or */
	struct fddump_lbpf *light; /* the fd dump's light one (bpf.mk) */
	struct bpf_link *link[BPFITER_NPROGS];
};

static int bpfiter_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	if (!getenv("IPCTOP_BPF_DEBUG"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* Opens and loads the object, the run dump's program only with both. */
static struct ipctop_bpf *bpfiter_open(bool both)
{
	struct ipctop_bpf *sk = ipctop_bpf__open();

	if (sk && !both)
		bpf_program__set_autoload(sk->progs.rundump, false);
	if (sk && ipctop_bpf__load(sk) != 0) {
		ipctop_bpf__destroy(sk);
		sk = NULL;
	}
	return sk;
}

bool bpfiter_possible(const struct ipc_ctx *ctx)
{
	struct stat st;

	return ctx->live && ctx->privileged && stat("/proc/self/ns/pid", &st) == 0 &&
	       st.st_ino == BPFITER_INIT_PID_NS;
}

/* The fd dump's program through its light skeleton: the kernel relocates
 * it (Linux 5.17 and later; older ones refuse the loader, and libbpf's
 * skeleton is used). IPCTOP_BPF_LIGHT=off skips it. */
static struct fddump_lbpf *bpfiter_light(void)
{
	const char *v = getenv("IPCTOP_BPF_LIGHT");
	struct fddump_lbpf *l;

	if (v && !strcmp(v, "off"))
		return NULL;
	l = fddump_lbpf__open_and_load();
	if (l && fddump_lbpf__fddump__attach(l) <= 0) {
		fddump_lbpf__destroy(l);
		l = NULL;
	}
	return l;
}

struct bpfiter *bpfiter_load(const struct ipc_ctx *ctx, bool session)
{
	struct bpfiter *bi;

	if (!bpfiter_possible(ctx))
		return NULL;
	libbpf_set_print(bpfiter_print);
	bi = xcalloc(1, sizeof(*bi));
	bi->session = session;
	if (!session && (bi->light = bpfiter_light()))
		return bi;
	bi->sk = bpfiter_open(session);
	/* a kernel the run dump's fields do not fit (no CONFIG_SCHED_INFO,
	 * say) may still take the fd dump's */
	if (!bi->sk && session) {
		bi->session = false;
		bi->sk = bpfiter_open(false);
	}
	if (!bi->sk) {
		free(bi);
		return NULL;
	}
	return bi;
}

int bpfiter_read(struct bpfiter *bi, enum bpfiter_prog prog, char **buf, size_t *cap,
		 size_t *len)
{
	int fd, rc = -1;

	*len = 0;
	if (prog == BPFITER_RUNDUMP && !bi->session)
		return -1;
	if (bi->light) {
		if (prog != BPFITER_FDDUMP ||
		    (fd = bpf_iter_create(bi->light->links.fddump_fd)) < 0)
			return -1;
	} else {
		struct bpf_program *p = prog == BPFITER_FDDUMP ? bi->sk->progs.fddump
							       : bi->sk->progs.rundump;

		if (!bi->link[prog])
			bi->link[prog] = bpf_program__attach_iter(p, NULL);
		if (!bi->link[prog] || (fd = bpf_iter_create(bpf_link__fd(bi->link[prog]))) < 0)
			return -1;
	}
	for (;;) {
		ssize_t n;

		if (*cap - *len < 65536) {
			*cap = *cap ? *cap * 2 : 1 << 16;
			*buf = xrealloc(*buf, *cap);
		}
		n = read(fd, *buf + *len, *cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -1 : 0;
			break;
		}
		*len += (size_t)n;
	}
	close(fd);
	return rc;
}

void bpfiter_unload(struct bpfiter *bi)
{
	if (!bi)
		return;
	for (int i = 0; i < BPFITER_NPROGS; i++)
		bpf_link__destroy(bi->link[i]);
	ipctop_bpf__destroy(bi->sk);
	fddump_lbpf__destroy(bi->light);
	free(bi);
}
#else
bool bpfiter_possible(const struct ipc_ctx *ctx)
{
	(void)ctx;
	return false;
}

/* The fd dump's program through its light skeleton: the kernel relocates
 * it (Linux 5.17 and later; older ones refuse the loader, and libbpf's
 * skeleton is used). IPCTOP_BPF_LIGHT=off skips it. */
static struct fddump_lbpf *bpfiter_light(void)
{
	const char *v = getenv("IPCTOP_BPF_LIGHT");
	struct fddump_lbpf *l;

	if (v && !strcmp(v, "off"))
		return NULL;
	l = fddump_lbpf__open_and_load();
	if (l && fddump_lbpf__fddump__attach(l) <= 0) {
		fddump_lbpf__destroy(l);
		l = NULL;
	}
	return l;
}

struct bpfiter *bpfiter_load(const struct ipc_ctx *ctx, bool session)
{
	(void)ctx;
	(void)session;
	return NULL;
}

int bpfiter_read(struct bpfiter *bi, enum bpfiter_prog prog, char **buf, size_t *cap,
		 size_t *len)
{
	(void)bi;
	(void)prog;
	(void)buf;
	(void)cap;
	*len = 0;
	return -1;
}

void bpfiter_unload(struct bpfiter *bi)
{
	(void)bi;
}
#endif
