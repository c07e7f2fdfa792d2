/* One record of the run dump, as the BPF program (rundump.bpf.c) writes it
 * and rundump.c reads it: a process's run state and the facts of it that
 * others may change while it sleeps. Shared by both sides, so it uses only
 * the kernel's fixed-width types. */
#ifndef IPCTOP_RUNDUMP_REC_H
#define IPCTOP_RUNDUMP_REC_H

struct rundump_rec {
	__u32 tgid;       /* its pid in the initial pid namespace */
	__u32 ppid;       /* real_parent's tgid, as status's PPid (0: none) */
	__u64 runtime;    /* se.sum_exec_runtime: schedstat's first field, ns */
	__u64 pcount;     /* sched_info.pcount: schedstat's third field */
	__u64 start;      /* start_time (ns since boot): which process has the pid */
	__u64 sigpnd;     /* pending.signal: status's SigPnd */
	__u64 shdpnd;     /* signal->shared_pending.signal: status's ShdPnd */
	__u64 sigblk;     /* blocked: status's SigBlk */
	__u64 sigign;     /* handlers SIG_IGN: status's SigIgn */
	__u64 sigcgt;     /* handlers neither SIG_IGN nor SIG_DFL: status's SigCgt */
	__u32 state;      /* __state */
	__u32 exit_state; /* exit_state */
	__s32 nr_threads; /* signal->nr_threads: status's Threads */
	__u32 on_cpu;     /* on a CPU at the moment it was read */
	__u32 sig_ok;     /* the five signal sets are read (it has handlers) */
	__u32 kthread;    /* a kernel thread (PF_KTHREAD): no fds, no memory map */
};

#endif
