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
#include "ipctop.lskel.h"
#pragma GCC diagnostic pop
#include "ipctop.skel.h"

/* The initial pid namespace's inode (include/linux/proc_ns.h) */
#define BPFITER_INIT_PID_NS 0xEFFFFFFCU

struct bpfiter {
	bool session; /* the run dump's program loaded too */
	/* one of: a light skeleton (bpf.mk), the fd dump's or both's, whose
	 * iterators' links are in lfd; or libbpf's skeleton, with link */
	struct fddump_lbpf *light;
	struct ipctop_lbpf *light2;
	int lfd[BPFITER_NPROGS];
	struct ipctop_bpf *sk;
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

/* The programs through a light skeleton: the kernel relocates them (Linux
 * 5.17 and later; older ones refuse the loader, and libbpf's skeleton is
 * used). IPCTOP_BPF_LIGHT=off skips it. */
static bool bpfiter_light(struct bpfiter *bi)
{
	const char *v = getenv("IPCTOP_BPF_LIGHT");

	if (v && !strcmp(v, "off"))
		return false;
	if (!bi->session) {
		bi->light = fddump_lbpf__open_and_load();
		if (bi->light && fddump_lbpf__fddump__attach(bi->light) > 0) {
			bi->lfd[BPFITER_FDDUMP] = bi->light->links.fddump_fd;
			return true;
		}
		fddump_lbpf__destroy(bi->light);
		bi->light = NULL;
		return false;
	}
	bi->light2 = ipctop_lbpf__open_and_load();
	if (bi->light2 && ipctop_lbpf__fddump__attach(bi->light2) > 0 &&
	    ipctop_lbpf__rundump__attach(bi->light2) > 0) {
		bi->lfd[BPFITER_FDDUMP] = bi->light2->links.fddump_fd;
		bi->lfd[BPFITER_RUNDUMP] = bi->light2->links.rundump_fd;
		return true;
	}
	ipctop_lbpf__destroy(bi->light2);
	bi->light2 = NULL;
	return false;
}

struct bpfiter *bpfiter_load(const struct ipc_ctx *ctx, bool session)
{
	struct bpfiter *bi;

	if (!bpfiter_possible(ctx))
		return NULL;
	libbpf_set_print(bpfiter_print);
	bi = xcalloc(1, sizeof(*bi));
	bi->session = session;
	if (bpfiter_light(bi))
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
	if (bi->light || bi->light2) {
		if (bi->lfd[prog] <= 0 || (fd = bpf_iter_create(bi->lfd[prog])) < 0)
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
	ipctop_lbpf__destroy(bi->light2);
	free(bi);
}
#else
bool bpfiter_possible(const struct ipc_ctx *ctx)
{
	(void)ctx;
	return false;
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
