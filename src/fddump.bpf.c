// SPDX-License-Identifier: GPL-2.0
/* The fd dump: a BPF task_file iterator that writes one record per open fd
 * of every process (fddump_rec.h), read by fddump.c in one pass instead of
 * a readlink per fd through /proc; before a process's first fd, a record of
 * its namespaces (instead of three stat() calls on /proc/PID/ns). It only reads: no map is written but our
 * own scratch buffer, nothing is attached to any event, and it runs only
 * while ipctop reads the iterator (DESIGN.md: observing never disturbs).
 *
 * The kernel types are declared here, only the fields used, and relocated
 * by name at load time (CO-RE, preserve_access_index) against the running
 * kernel's BTF: no vmlinux.h from the build machine's kernel. */

#include "bpf_types.h"

/* from <linux/bpf.h> (UAPI, fixed), which needs the target's asm headers */
#define BPF_MAP_TYPE_PERCPU_ARRAY 6

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "fddump_rec.h"

#define CORE __attribute__((preserve_access_index))

struct seq_file;

struct bpf_iter_meta {
	struct seq_file *seq;
	__u64 seq_num;
} CORE;

struct ns_common {
	unsigned int inum;
} CORE;

struct ipc_namespace {
	struct ns_common ns;
} CORE;

struct mnt_namespace {
	struct ns_common ns;
} CORE;

struct net {
	struct ns_common ns;
} CORE;

struct nsproxy {
	struct ipc_namespace *ipc_ns;
	struct mnt_namespace *mnt_ns;
	struct net *net_ns;
} CORE;

struct task_struct {
	int pid, tgid;
	struct nsproxy *nsproxy;
} CORE;

struct super_block {
	unsigned long s_magic;
} CORE;

struct pipe_buffer {
	unsigned int len;
} CORE;

struct pipe_inode_info {
	unsigned int head, tail, max_usage, ring_size;
	struct pipe_buffer *bufs;
} CORE;

struct inode {
	unsigned short i_mode;
	unsigned long i_ino;
	struct super_block *i_sb;
	struct pipe_inode_info *i_pipe;
} CORE;

struct path {
	void *mnt, *dentry;
} CORE;

struct file {
	unsigned int f_mode;
	struct inode *f_inode;
	struct path f_path;
} CORE;

struct bpf_iter__task_file {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
	__u32 fd;
	struct file *file;
} CORE;

char LICENSE[] SEC("license") = "GPL";

#define PIPEFS_MAGIC 0x50495045
#define SOCKFS_MAGIC 0x534F434B
#define S_IFMT 0170000
#define S_IFIFO 0010000
/* more buffers queued than this: the reader asks FIONREAD instead */
#define PIPE_BUFS_MAX 16

struct scratch {
	struct fddump_rec r;
	char path[FDDUMP_PATH_MAX];
	struct fddump_rec tr; /* a process's record (FDDUMP_TASK) */
	struct fddump_task t;
};

/* The process whose record was written last, in this read of the iterator
 * (one reader at a time per loaded object) */
__u32 fddump_last_tgid;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

/* FIONREAD's sum (fs/pipe.c pipe_ioctl) of the queued buffers' lengths */
static __s64 pipe_bytes(struct pipe_inode_info *p)
{
	__u32 head = p->head, tail = p->tail, ring = p->ring_size;
	__u32 used = head - tail, size = bpf_core_type_size(struct pipe_buffer);
	const char *bufs = (const char *)p->bufs;
	__s64 n = 0;

	if (used > PIPE_BUFS_MAX || !ring || (ring & (ring - 1)))
		return -1;
	for (__u32 i = 0; i < PIPE_BUFS_MAX && i < used; i++) {
		const char *b = bufs + (__u64)((tail + i) & (ring - 1)) * size;
		__u32 len = 0;

		if (bpf_probe_read_kernel(&len, sizeof(len),
					  b + bpf_core_field_offset(struct pipe_buffer, len)))
			return -1;
		n += len;
	}
	return n;
}

SEC("iter/task_file")
int fddump(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct scratch *s;
	struct inode *inode;
	unsigned long magic;
	__u32 zero = 0;
	long len = 0;

	/* /proc/PID/fd shows the group leader's table only */
	if (!task || !file || task->pid != task->tgid)
		return 0;
	s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s)
		return 0;
	if (ctx->meta->seq_num == 0)
		fddump_last_tgid = 0;
	/* before a process's first fd, its namespaces. A record the buffer
	 * could not take is shown again (the kernel retries the object), so
	 * the process counts as written only once both records were. */
	if ((__u32)task->tgid != fddump_last_tgid) {
		struct nsproxy *ns = task->nsproxy;

		if (ns) {
			s->tr = (struct fddump_rec){ .tgid = task->tgid, .kind = FDDUMP_TASK,
						     .qbytes = -1,
						     .pathlen = sizeof(struct fddump_task) };
			s->t.ns_ipc = ns->ipc_ns->ns.inum;
			s->t.ns_net = ns->net_ns->ns.inum;
			s->t.ns_mnt = ns->mnt_ns->ns.inum;
			s->t.pad = 0;
			if (bpf_seq_write(ctx->meta->seq, &s->tr, sizeof(s->tr) + sizeof(s->t)))
				return 0;
		}
	}
	inode = file->f_inode;
	magic = inode->i_sb->s_magic;
	s->r.tgid = task->tgid;
	s->r.fd = ctx->fd;
	s->r.ino = inode->i_ino;
	s->r.imode = inode->i_mode;
	s->r.fmode = file->f_mode;
	s->r.qbytes = -1;
	s->r.qslots = 0;
	s->r.pad = 0;
	if ((s->r.imode & S_IFMT) == S_IFIFO) {
		struct pipe_inode_info *p = inode->i_pipe;

		if (p) {
			s->r.qbytes = pipe_bytes(p);
			s->r.qslots = p->max_usage;
		}
	}
	if (magic == PIPEFS_MAGIC && (s->r.imode & S_IFMT) == S_IFIFO) {
		s->r.kind = FDDUMP_PIPE;
	} else if (magic == SOCKFS_MAGIC) {
		s->r.kind = FDDUMP_SOCKET;
	} else {
		len = bpf_d_path(&file->f_path, s->path, sizeof(s->path));
		s->r.kind = len > 0 ? FDDUMP_NAMED : FDDUMP_NONAME;
		if (len < 0)
			len = 0;
	}
	s->r.pathlen = (__u32)len;
	if (bpf_seq_write(ctx->meta->seq, &s->r, sizeof(s->r)))
		return 0;
	if (len > 0 && bpf_seq_write(ctx->meta->seq, s->path, len & (FDDUMP_PATH_MAX - 1)))
		return 0;
	fddump_last_tgid = task->tgid;
	return 0;
}
