/* The BPF iterators (the fd dump, fddump.bpf.c; the run dump,
 * rundump.bpf.c), linked into one object and loaded together. A cold scan
 * loads the fd dump's for one read and unloads it; a session (the screen,
 * --json -n N) loads both and keeps them across its refreshes. Light
 * skeletons (relocated by the kernel) are tried first: libbpf's parse of
 * the kernel's BTF, most of a load's cost, is then not needed at all. */
#ifndef IPCTOP_BPFITER_H
#define IPCTOP_BPFITER_H

#include <stdbool.h>
#include <stddef.h>

#include "ctx.h"

enum bpfiter_prog { BPFITER_FDDUMP, BPFITER_RUNDUMP, BPFITER_NPROGS };

struct bpfiter;

/* Loads the programs (a session's both; else the fd dump's only, for one
 * read), through a light skeleton where the kernel takes it (bpf.mk), else
 * libbpf's (IPCTOP_BPF_LIGHT=off: always): NULL when they may not be
 * (built without BPF; not
 * live, as root, in the initial pid namespace, where the iterators name
 * processes by their pid) or cannot. libbpf's messages are set aside: they
 * would land on the screen (IPCTOP_BPF_DEBUG=1 shows them on stderr). */
struct bpfiter *bpfiter_load(const struct ipc_ctx *ctx, bool session);
/* Whether bpfiter_load() may load them here (not whether the kernel
 * will take them). */
bool bpfiter_possible(const struct ipc_ctx *ctx);
/* Reads a new iterator of prog to its end into *buf (grown as needed, *cap
 * its size), *len bytes. 0, or -1 on any error. */
int bpfiter_read(struct bpfiter *bi, enum bpfiter_prog prog, char **buf, size_t *cap,
		 size_t *len);
void bpfiter_unload(struct bpfiter *bi);

#endif
