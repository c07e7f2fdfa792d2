#!/usr/bin/env python3
"""Races: mk_churn creates and destroys pipes, unix socket pairs, SysV and
POSIX objects and short-lived processes as fast as it can while ipctop
refreshes at its fastest (-d 0.05, NDJSON). ipctop must not crash, must say
nothing on stderr (what went away is skipped silently), and every endpoint it
reports for a churn object must be a hold mk_churn logged: the same pid and fd
for an fd endpoint, a pid that touched the object for the others."""
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.environ.get("TOP_SRCDIR", "."), "tests", "live"))
from ipclib import *  # noqa: E402,F403

REFRESHES = int(os.environ.get("CHURN_REFRESHES", "20"))
def is_churn(o, ids, pid):
    """An object of this mk_churn (not of another running at the same time)."""
    if o["kind"].startswith("sysv_"):
        return (o.get("key", 0) & 0xffffff00) == 0x1c000000 | ((pid & 0xffff) << 8)
    if o["kind"] in ("posix_shm", "posix_mq", "posix_sem"):
        return (o.get("name") or "").startswith("/ipctop-churn.%d." % pid)
    return o["id"] in ids


def load_log(path):
    fds, touch = set(), set()
    ids = set()
    with open(path) as f:
        for line in f:
            t = line.split()
            if len(t) == 4 and t[0] == "fd":
                fds.add((t[1], int(t[2]), int(t[3])))
                ids.add(t[1])
            elif len(t) == 3 and t[0] == "pid":
                touch.add((t[1], int(t[2])))
                ids.add(t[1])
    # any hold by fd is also a touch (a pipe's mapping never is, but a
    # posix_shm's fd holder may be named as its mapper too)
    touch |= {(i, p) for (i, p, _) in fds}
    return fds, touch, ids


def check_docs(lines, fds, touch, ids, pid):
    """Returns (documents, churn objects seen, churn endpoints checked, problems)."""
    ndocs = nobj = nep = 0
    bad = []
    for ln in lines:
        if not ln.strip():
            continue
        doc = json.loads(ln)
        ndocs += 1
        for o in doc["objects"]:
            if not is_churn(o, ids, pid):
                continue
            nobj += 1
            # an unlinked POSIX object still mapped is "posix_shm:/NAME(deleted):INO"
            oid = o["kind"] + ":" + o["name"] if o["kind"].startswith("posix_") else o["id"]
            for e in o.get("endpoints", []):
                nep += 1
                if e["via"] == "fd":
                    ok = (oid, e["pid"], e["fd"]) in fds
                else:
                    ok = (oid, e["pid"]) in touch
                if not ok and len(bad) < 20:
                    bad.append("refresh %d: %s endpoint %r was never a holder" % (ndocs, o["id"], e))
    return ndocs, nobj, nep, bad


if __name__ == "__main__":
    tap = Tap()
    tmp = tempfile.mkdtemp(prefix="ipctop-churn.")
    log = os.path.join(tmp, "churn.log")
    tap.at_exit(lambda: (os.path.exists(log) and os.unlink(log), os.rmdir(tmp)))
    helper = os.path.join(BUILDDIR, "tests", "trust", "mk_churn")
    h, info = start_helper(tap, [helper, log], ready_lines=1)

    t0 = time.time()
    r = run_ipctop("--json", "-d", "0.05", "-n", str(REFRESHES), check=False, timeout=600)
    took = time.time() - t0
    h.stdin.close()
    h.wait(timeout=30)
    tap.eq(h.returncode, 0, "mk_churn ran and cleaned up")
    tap.eq(r.returncode, 0, "ipctop refreshing %d times at -d 0.05 over churn exits 0 (%.1fs)"
           % (REFRESHES, took))
    tap.eq(r.stderr, "", "nothing on stderr for objects and processes that went away")
    fds, touch, ids = load_log(log)
    try:
        ndocs, nobj, nep, bad = check_docs(r.stdout.splitlines(), fds, touch, ids, info[0]["pid"])
        tap.eq(ndocs, REFRESHES, "one valid JSON document per refresh")
    except ValueError as e:
        ndocs, nobj, nep, bad = 0, 0, 0, []
        tap.ok(False, "one valid JSON document per refresh", e)
    tap.ok(nobj > REFRESHES and nep > 0, "churn objects were seen (%d objects, %d endpoints, "
           "%d holds logged)" % (nobj, nep, len(fds) + len(touch)))
    tap.ok(not bad, "every endpoint of a churn object was really a holder", "\n".join(bad))
    left = [n for n in os.listdir("/dev/shm") if "ipctop-churn.%d." % info[0]["pid"] in n]
    tap.eq(left, [], "mk_churn left nothing in /dev/shm")
