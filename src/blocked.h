/* Blocked-on: for every process asleep in an IPC system call, which call and
 * on which object (from /proc/PID/syscall, the fd table's endpoints and, for
 * futexes, the process's shared mappings). Waiters become endpoints
 * (via waiter, role waiter) and flag their object FLAG_WAITERS. */
#ifndef IPCTOP_BLOCKED_H
#define IPCTOP_BLOCKED_H

#include <stdbool.h>
#include <stdint.h>

#include "ctx.h"
#include "model.h"

/* Runs after every probe: sets blocked_syscall, blocked_object, syscall_nr
 * and syscall_args of sleeping processes ('S', 'D'). A /proc/PID/syscall we
 * may not read (ptrace access) is skipped silently. */
void blocked_resolve(const struct ipc_ctx *ctx, struct snapshot *snap);

/* Parses /proc/PID/syscall: "NR 0xA1 ... 0xA6 0xSP 0xPC" (args in hex),
 * "-1 0xSP 0xPC" (blocked, not in a system call) or "running". *nr is -1
 * for the last two, args then zero. False if malformed or truncated. */
bool blocked_parse_syscall(const char *text, long *nr, uint64_t args[6]);

/* The name of an IPC system call we resolve ("msgrcv", "accept4"), by this
 * build's numbers; NULL for any other call. */
const char *blocked_syscall_name(long nr);

#endif
