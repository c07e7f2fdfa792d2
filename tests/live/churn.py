#!/usr/bin/env python3
"""The fd-table cache stays exact: processes open, close and pass fds between
refreshes while others sleep (one of the sleepers shares its fd table with a
busy process through clone(CLONE_FILES)); after every round the cached
refresh must list exactly what a cold `ipctop --json` lists for those
processes: the same objects, endpoints (pid, fd, mode, role), peers, queues,
and the same process facts (parent, state, names, signals, blocked-on) —
also of a process that never runs while others signal it, reparent it and
fill the pipes it reads (see tests/bench/churn.c).
Twice each round: with the run dump (as root, where BPF is built: what runs
and what changed while asleep read by a BPF task iterator) and without it
(IPCTOP_RUNDUMP=off: /proc/PID/schedstat and status).
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ipclib import *  # noqa: E402,F401

ROUNDS = 10

tap = Tap()
churn = tap.spawn([os.path.join(BUILDDIR, "tests", "bench", "churn")], stdin=subprocess.PIPE,
                  stdout=subprocess.PIPE, text=True)
CACHED = os.path.join(BUILDDIR, "tests", "bench", "cached_json")
MODES = ("run dump", "/proc")
cached = {
    "run dump": tap.spawn([CACHED], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True),
    "/proc": tap.spawn([CACHED], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                       env=dict(os.environ, IPCTOP_RUNDUMP="off")),
}
line = churn.stdout.readline()
pids = set(int(x) for x in line.strip().split("=", 1)[1].split(","))


def ours(doc):
    """Objects any of our processes holds, as comparable values."""
    out = {}
    for o in doc["objects"]:
        eps = sorted((e["pid"], e["via"], e.get("fd", -1), e.get("mode", ""), e.get("role", ""))
                     for e in o.get("endpoints", []) if e["pid"] in pids)
        if not eps:
            continue
        peer = o.get("peer", {}).get("inode")
        out[o["id"]] = (o["kind"], tuple(eps), peer, json.dumps(o.get("queue"), sort_keys=True))
    return out


def facts(doc):
    """Process facts of our processes, as comparable values."""
    return {p["pid"]: json.dumps({k: p.get(k) for k in ("ppid", "comm", "cmdline", "user",
                                                       "state", "blocked", "signals")},
                                 sort_keys=True)
            for p in doc["processes"] if p["pid"] in pids}


def settle():
    """Wait until our processes are asleep again: the churn process prints
    "ok" and only then goes back to reading, so a refresh right after could
    catch it running (then both snapshots would not see the same thing)."""
    for _ in range(200):
        states = []
        for pid in pids:
            try:
                with open("/proc/%d/stat" % pid) as f:
                    states.append(f.read().rsplit(")", 1)[1].split()[0])
            except OSError:
                pass
        if all(st not in ("R", "D") for st in states):
            return
        time.sleep(0.01)


def cached_refresh(mode):
    c = cached[mode]
    c.stdin.write("refresh\n")
    c.stdin.flush()
    doc = json.loads(c.stdout.readline())
    stats = dict(kv.split("=") for kv in c.stdout.readline().split()[1:])
    return doc, int(stats["reused"]), int(stats["facts_dumped"])


def cold():
    env = dict(os.environ, IPCTOP_NO_CACHE="1")
    p = subprocess.run([IPCTOP, "--json"], stdout=subprocess.PIPE, env=env, timeout=60,
                       check=True)
    return json.loads(p.stdout)


for mode in MODES:
    cached_refresh(mode)  # the first refresh fills the cache
reused_total = dict.fromkeys(MODES, 0)
dumped_total = dict.fromkeys(MODES, 0)
for r in range(1, ROUNDS + 1):
    churn.stdin.write("round %d\n" % r)
    churn.stdin.flush()
    tap.eq(churn.stdout.readline().strip(), "ok", "round %d: the processes changed their fds" % r)
    settle()
    docs = {}
    for mode in MODES:
        docs[mode], reused, dumped = cached_refresh(mode)
        reused_total[mode] += reused
        dumped_total[mode] += dumped
    cold_doc = cold()
    for mode in MODES:
        want = ours(cold_doc)
        got = ours(docs[mode])
        diff = sorted(set(want.items()) ^ set(got.items()))
        tap.ok(got == want, "round %d, %s: cached refresh equals a cold snapshot (%d objects)"
               % (r, mode, len(want)), "\n".join(repr(d) for d in diff[:20]))
        want, got = facts(cold_doc), facts(docs[mode])
        diff = sorted(set(want.items()) ^ set(got.items()))
        tap.ok(got == want, "round %d, %s: the same facts of our %d processes"
               % (r, mode, len(want)), "\n".join(repr(d) for d in diff[:20]))

for mode in MODES:
    tap.ok(reused_total[mode] > 0, "%s: the cache reused quiet processes' fd tables (%d reuses)"
           % (mode, reused_total[mode]))
tap.eq(dumped_total["/proc"], 0, "IPCTOP_RUNDUMP=off: no facts from the run dump")
if os.geteuid() != 0 or not HAVE_BPF:
    tap.skip("the run dump checked the quiet processes", "needs root and a build with BPF")
else:
    tap.ok(dumped_total["run dump"] > 0, "the run dump checked the quiet processes (%d times)"
           % dumped_total["run dump"])
churn.stdin.close()
for c in cached.values():
    c.stdin.close()
churn.wait(timeout=10)
for c in cached.values():
    c.wait(timeout=10)
