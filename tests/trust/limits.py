#!/usr/bin/env python3
"""Limits: 100,000 fds of 50,000 pipes held by one process (its RLIMIT_NOFILE
raised; where the hard limit cannot be raised, without CAP_SYS_RESOURCE, by as
few processes as the limit allows, each with as many fds as it may have),
another process holding 9,000 unix socket pairs, and a SysV semaphore set
with the maximum number of semaphores (SEMMSL, the first field of
/proc/sys/kernel/sem). ipctop --json and -b must finish and report all of
them; the times are printed (and bounded by LIMITS_MAX_SECONDS, default 120)."""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("TOP_SRCDIR", "."), "tests", "live"))
from ipclib import *  # noqa: E402,F403

NPIPES = int(os.environ.get("LIMITS_PIPES", "50000"))
NPAIRS = int(os.environ.get("LIMITS_PAIRS", "9000"))
MAX_SECONDS = float(os.environ.get("LIMITS_MAX_SECONDS", "120"))

HOLDER = r'''
import ctypes, os, resource, signal, socket, sys
# a SIGTERM (the test's cleanup) must still run the finally below: IPC_RMID
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
kind, n, semmsl = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
want = 2 * n + 64
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
try:
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, max(want, hard)))
except (ValueError, OSError):
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
keep = []
if kind == "pipes":
    for _ in range(n):
        keep.append(os.pipe())
elif kind == "pairs":
    for _ in range(n):
        keep.append(socket.socketpair())
semid = -1
if semmsl:
    libc = ctypes.CDLL(None, use_errno=True)
    semid = libc.semget(0, semmsl, 0o1600)
print("pid=%d fds=%d semid=%d" % (os.getpid(), len(os.listdir("/proc/self/fd")), semid), flush=True)
try:
    sys.stdin.read()
finally:
    if semid >= 0:
        libc.semctl(semid, 0, 0)
'''

def fd_limit():
    """Pipes one process may hold: all of them if the hard limit can be raised."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, max(hard, 2 * NPIPES + 64)))
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        return NPIPES
    except (ValueError, OSError):
        return (hard - 64) // 2


tap = Tap()
semmsl = int(open("/proc/sys/kernel/sem").read().split()[0])
per = fd_limit()
if per < NPIPES:
    print("# RLIMIT_NOFILE hard limit cannot be raised here (no CAP_SYS_RESOURCE): "
          "%d pipes per process" % per, flush=True)
t0 = time.time()
helpers, pipe_pids = [], []
left, first = NPIPES, True
while left > 0:
    n = min(per, left)
    p, i = start_helper(tap, [sys.executable, "-c", HOLDER, "pipes", str(n),
                              str(semmsl if first else 0)])
    helpers.append(p)
    pipe_pids.append(i[0]["pid"])
    if first:
        h = i[0]
    first = False
    left -= n
sp, si = start_helper(tap, [sys.executable, "-c", HOLDER, "pairs", str(NPAIRS), "0"])
helpers.append(sp)
s = si[0]
print("# helpers up in %.1fs: %d pipe holders, pid %d holds %d fds, pid %d holds %d fds, "
      "SEMMSL %d" % (time.time() - t0, len(pipe_pids), h["pid"], h["fds"], s["pid"], s["fds"],
                     semmsl), flush=True)
tap.ok(h["fds"] >= 2 * min(per, NPIPES), "a process holds %d fds" % h["fds"])
tap.ok(h["semid"] >= 0, "a SysV set of SEMMSL=%d semaphores exists" % semmsl)

t0 = time.time()
r = run_ipctop("--json", check=False, timeout=600)
took = time.time() - t0
print("# ipctop --json: %.2fs, %d bytes" % (took, len(r.stdout_bytes)), flush=True)
tap.eq(r.returncode, 0, "ipctop --json finishes (%.1fs), exit 0" % took)
tap.eq(r.stderr, "", "with nothing on stderr")
tap.ok(took < MAX_SECONDS, "within %.0fs" % MAX_SECONDS)
doc = json.loads(r.stdout_bytes.decode("utf-8"))
tap.ok(len(doc["objects"]) >= NPIPES + 2 * NPAIRS,
       "tens of thousands of objects reported (%d)" % len(doc["objects"]))

pids = set(pipe_pids)
pipes_fds = sum(1 for o in doc["objects"] if o["kind"] == "pipe"
                for e in o.get("endpoints", []) if e["pid"] in pids and e.get("fd", 0) > 2)
tap.eq(pipes_fds, 2 * NPIPES, "every one of the %d pipe fds is an endpoint" % (2 * NPIPES))
big = sum(1 for o in doc["objects"] if o["kind"] == "pipe"
          for e in o.get("endpoints", []) if e["pid"] == h["pid"] and e.get("fd", 0) > 2)
tap.eq(big, 2 * min(per, NPIPES), "the biggest holder's pipe fds all appear")
unix_fds = sum(1 for o in doc["objects"] if o["kind"] == "unix"
               for e in o.get("endpoints", []) if e["pid"] == s["pid"])
tap.eq(unix_fds, 2 * NPAIRS, "every socket of the %d pairs is reported" % NPAIRS)
sem = find(doc, lambda o: o["id"] == "sysv_sem:%d" % h["semid"]) or {}
tap.eq(len(sem.get("sems", [])), semmsl, "the SysV set lists all %d semaphores" % semmsl)
tap.ok(all(x.get("value") == 0 for x in sem.get("sems", [])), "each with its value (0)")

t0 = time.time()
r = run_ipctop("-b", "-t", "pipe,sysv_sem", check=False, timeout=600)
took = time.time() - t0
print("# ipctop -b -t pipe,sysv_sem: %.2fs" % took, flush=True)
tap.ok(r.returncode == 0 and r.stdout.count("\n") > NPIPES, "batch lists the %d pipes (%.1fs)"
       % (NPIPES, took), r.stderr)
for p in helpers:
    p.stdin.close()
    p.wait(timeout=60)
