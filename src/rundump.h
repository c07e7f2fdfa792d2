/* The run dump: the run state of every process in one read of a BPF task
 * iterator (rundump.bpf.c), loaded for a session's refreshes (bpfiter.h);
 * the fd-table cache reads /proc/PID/schedstat and status instead where
 * it cannot be had. Live, as root, in the initial pid namespace only. */
#ifndef IPCTOP_RUNDUMP_H
#define IPCTOP_RUNDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ctx.h"

/* A process as the dump tells it, in the terms of /proc. */
struct rundump_proc {
	pid_t pid, ppid;
	uint64_t runtime, pcount; /* /proc/PID/schedstat's first and third */
	uint64_t start;           /* start time in ns: which process has the pid */
	/* status's SigPnd, ShdPnd, SigBlk, SigIgn, SigCgt, when sig_ok */
	uint64_t sig_pending, sig_shared, sig_blocked, sig_ignored, sig_caught;
	bool sig_ok;
	int nlwp;
	char state; /* status's letter; 0 when not one told apart here */
	bool on_cpu;
	bool kthread; /* a kernel thread: never an fd nor a mapping of its own */
};

struct rundump;
struct bpfiter;

/* The run dump of the loaded programs bi: NULL when there are none or
 * IPCTOP_RUNDUMP=off. rundump_close() leaves bi loaded. */
struct rundump *rundump_open(const struct ipc_ctx *ctx, struct bpfiter *bi);
/* Not turned off (IPCTOP_RUNDUMP=off). */
bool rundump_wanted(void);
/* Every process now, by pid ascending, in *procs (the dump's to keep until
 * the next read or close): their number, or -1 (then read /proc). */
ssize_t rundump_read(struct rundump *rd, const struct rundump_proc **procs);
void rundump_close(struct rundump *rd);

/* The state letter /proc would show for __state and exit_state (fs/proc/
 * array.c task_state_index), for the plain states only: R S D T t Z X,
 * and I (an idle kernel thread); 0 for any other bits set (parked,
 * frozen, ...). */
char rundump_state(uint32_t state, uint32_t exit_state);
/* Turns n bytes of records into procs (by pid ascending, without pid
 * skip): their number, or -1 when the bytes are not whole records. */
ssize_t rundump_parse(const void *buf, size_t n, pid_t skip, struct rundump_proc *procs);

#endif
