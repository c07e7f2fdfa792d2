// SPDX-License-Identifier: GPL-2.0
/* The run dump: a BPF task iterator that writes one record per process
 * (rundump_rec.h) with what /proc/PID/schedstat and the few lines of
 * /proc/PID/status that change while a process sleeps would say, for every
 * process in one read. rundump.c keeps it loaded for a session's refreshes:
 * the fd-table cache's test of which processes have not run since their
 * last reading. Like the fd dump it only reads: no map, nothing attached
 * to an event, it runs only while ipctop reads the iterator.
 *
 * The kernel types are declared here, only the fields used, and relocated
 * by name at load time (CO-RE) against the running kernel's BTF. */

#include "bpf_types.h"

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "rundump_rec.h"

/* include/linux/sched.h */
#define PF_KTHREAD 0x00200000

#define CORE __attribute__((preserve_access_index))

/* from <linux/bpf.h> (UAPI, fixed), which needs the target's asm headers */
#define BPF_MAP_TYPE_PERCPU_ARRAY 6

struct seq_file;

struct bpf_iter_meta {
	struct seq_file *seq;
} CORE;

typedef struct {
	unsigned long sig[1];
} sigset_t;

struct sigpending {
	sigset_t signal;
} CORE;

struct signal_struct {
	int nr_threads;
	struct sigpending shared_pending;
} CORE;

struct sigaction {
	void *sa_handler;
} CORE;

struct k_sigaction {
	struct sigaction sa;
} CORE;

struct sighand_struct {
	struct k_sigaction action[64];
} CORE;

struct sched_entity {
	__u64 sum_exec_runtime;
} CORE;

struct sched_info {
	unsigned long pcount;
} CORE;

struct task_struct {
	unsigned int __state;
	unsigned int flags;
	int on_cpu;
	struct sched_entity se;
	struct sched_info sched_info;
	int exit_state;
	int pid, tgid;
	struct task_struct *real_parent;
	__u64 start_time;
	struct signal_struct *signal;
	struct sighand_struct *sighand;
	sigset_t blocked;
	struct sigpending pending;
} CORE;

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
} CORE;

char LICENSE[] SEC("license") = "GPL";

#define NSIG 64
/* the handlers, copied in one read: room for NSIG k_sigactions of up to
 * ACT_MAX bytes each (32 on 64-bit kernels) */
#define ACT_MAX 64
#define ACTS_SIZE (NSIG * ACT_MAX)

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[ACTS_SIZE]);
} acts SEC(".maps");

/* status's SigIgn and SigCgt (fs/proc/array.c collect_sigign_sigcatch):
 * signal i+1 is ignored when its handler is SIG_IGN (1), caught when it
 * is not SIG_DFL (0) either. 0, or -1 when the handlers cannot be read. */
static int handlers(struct sighand_struct *sh, __u64 *ign, __u64 *cgt)
{
	__u32 size = bpf_core_type_size(struct k_sigaction), zero = 0, n = NSIG * size;
	__u32 at = bpf_core_field_offset(struct k_sigaction, sa) +
		   bpf_core_field_offset(struct sigaction, sa_handler);
	char *buf = bpf_map_lookup_elem(&acts, &zero);

	*ign = *cgt = 0;
	if (!buf || !sh || size < 8 || size > ACT_MAX || at > size - 8 || !n || n > ACTS_SIZE ||
	    bpf_probe_read_kernel(buf, n,
				  (char *)sh + bpf_core_field_offset(struct sighand_struct, action)))
		return -1;
	for (__u32 i = 0; i < NSIG; i++) {
		__u32 off = i * size + at;
		__u64 h;

		if (off > ACTS_SIZE - 8)
			return -1;
		h = *(__u64 *)(buf + off);
		if (h == 1)
			*ign |= 1ULL << i;
		else if (h)
			*cgt |= 1ULL << i;
	}
	return 0;
}

SEC("iter/task")
int rundump(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct task_struct *parent;
	struct signal_struct *sig;
	struct rundump_rec r;

	/* the process: its group leader (threads make it unreusable anyway) */
	if (!task || task->pid != task->tgid)
		return 0;
	/* run time and switch count first, then the state: the order the
	 * fd-table cache's argument needs (fdcache.c) */
	r.runtime = task->se.sum_exec_runtime;
	r.pcount = task->sched_info.pcount;
	r.state = task->__state;
	r.exit_state = (__u32)task->exit_state;
	r.on_cpu = bpf_core_field_exists(task->on_cpu) ? (__u32)task->on_cpu : 1;
	r.tgid = (__u32)task->tgid;
	r.start = task->start_time;
	parent = task->real_parent;
	r.ppid = parent ? (__u32)parent->tgid : 0;
	r.sigpnd = task->pending.signal.sig[0];
	sig = task->signal;
	r.shdpnd = sig ? sig->shared_pending.signal.sig[0] : 0;
	r.nr_threads = sig ? sig->nr_threads : 0;
	r.sigblk = task->blocked.sig[0];
	r.sig_ok = sig && handlers(task->sighand, &r.sigign, &r.sigcgt) == 0;
	r.kthread = (task->flags & PF_KTHREAD) != 0;
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
