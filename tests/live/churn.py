#!/usr/bin/env python3
"""The fd-table cache stays exact: processes open, close and pass fds between
refreshes while others sleep (one of the sleepers shares its fd table with a
busy process through clone(CLONE_FILES)); after every round the cached
refresh must list exactly what a cold `ipctop --json` lists for those
processes: the same objects, endpoints (pid, fd, mode, role), peers, queues,
and the same process facts (parent, state, names, signals, blocked-on) —
also of a process that never runs while others signal it, reparent it and
fill the pipes it reads (see tests/bench/churn.c).
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
cached = tap.spawn([os.path.join(BUILDDIR, "tests", "bench", "cached_json")],
                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
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


def cached_refresh():
    cached.stdin.write("refresh\n")
    cached.stdin.flush()
    doc = json.loads(cached.stdout.readline())
    stats = dict(kv.split("=") for kv in cached.stdout.readline().split()[1:])
    return doc, int(stats["reused"]), int(stats["read"])


def cold():
    env = dict(os.environ, IPCTOP_NO_CACHE="1")
    p = subprocess.run([IPCTOP, "--json"], stdout=subprocess.PIPE, env=env, timeout=60,
                       check=True)
    return json.loads(p.stdout)


cached_refresh()  # the first refresh fills the cache
reused_total = 0
for r in range(1, ROUNDS + 1):
    churn.stdin.write("round %d\n" % r)
    churn.stdin.flush()
    tap.eq(churn.stdout.readline().strip(), "ok", "round %d: the processes changed their fds" % r)
    settle()
    doc, reused, nread = cached_refresh()
    reused_total += reused
    cold_doc = cold()
    want = ours(cold_doc)
    got = ours(doc)
    diff = sorted(set(want.items()) ^ set(got.items()))
    tap.ok(got == want, "round %d: cached refresh equals a cold snapshot (%d objects)"
           % (r, len(want)), "\n".join(repr(d) for d in diff[:20]))
    want, got = facts(cold_doc), facts(doc)
    diff = sorted(set(want.items()) ^ set(got.items()))
    tap.ok(got == want, "round %d: the same facts of our %d processes" % (r, len(want)),
           "\n".join(repr(d) for d in diff[:20]))

tap.ok(reused_total > 0, "the cache reused quiet processes' fd tables (%d reuses)" % reused_total)
churn.stdin.close()
cached.stdin.close()
churn.wait(timeout=10)
cached.wait(timeout=10)
