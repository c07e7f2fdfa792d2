#!/usr/bin/env python3
"""SysV IPC probes (sysv_shm, sysv_msg, sysv_sem) against real objects made by
tests/helpers/mk_sysv, cross-checked with ipcs and lsipc, then against the
fixture tree tests/fixtures/sysv (no semctl/msgctl there: those facts absent)."""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ipclib import *  # noqa: E402,F401,F403

KINDS = "sysv_shm,sysv_msg,sysv_sem"
HELPER = os.path.join(BUILDDIR, "tests", "helpers", "mk_sysv")
FIXTURE = os.path.join(SRCDIR, "tests", "fixtures", "sysv")

tap = Tap()


def by_id(doc, oid):
    return find(doc, lambda o: o["id"] == oid)


def eps(obj, via=None, role=None):
    return {(e["pid"], e.get("mode"), e["role"]) for e in obj.get("endpoints", [])
            if (via is None or e["via"] == via) and (role is None or e["role"] == role)}


def pids(obj, via, role=None):
    return {e["pid"] for e in obj.get("endpoints", [])
            if e["via"] == via and (role is None or e["role"] == role)}


def run(argv):
    try:
        return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              timeout=30).stdout
    except FileNotFoundError:
        return ""


def ipcs_table(opt, ncols):
    """Rows of `ipcs OPT` (and `ipcs OPT -p`) by id: the columns after the id."""
    rows = {}
    for line in run(["ipcs"] + opt).splitlines():
        f = line.split()
        if len(f) >= ncols and f[0].startswith("0x"):
            rows[int(f[1])] = f
        elif len(f) >= ncols and f[0].isdigit():
            rows[int(f[0])] = f
    return rows


def ipcs_sem_detail(semid):
    """`ipcs -s -i ID`: [(value, ncount, zcount, pid)] per semaphore."""
    out, rows, body = run(["ipcs", "-s", "-i", str(semid)]), [], False
    for line in out.splitlines():
        f = line.split()
        if f[:2] == ["semnum", "value"]:
            body = True
        elif body and len(f) == 5 and f[0].isdigit():
            rows.append(tuple(int(x) for x in f[1:]))
    return rows


# --------------------------------------------------------------- live objects
helper, lines = start_helper(tap, [HELPER], ready_lines=6)
info = {d["obj"]: d for d in lines}
me = info["shm_att"]["cpid"]  # the helper itself


def cleanup_leftovers():
    """If the helper died without cleaning up, remove exactly its objects."""
    if helper.poll() is None or helper.returncode == 0:
        return
    for opt, name, key in (("-m", "shm_att", "shmid"), ("-m", "shm_orphan", "shmid"),
                           ("-m", "shm_dest", "shmid"), ("-q", "msg_main", "msqid"),
                           ("-q", "msg_full", "msqid"), ("-s", "sem", "semid")):
        subprocess.run(["ipcrm", opt, str(info[name][key])], stderr=subprocess.DEVNULL)


tap.at_exit(cleanup_leftovers)

doc = snapshot("-t", KINDS)
tap.ok(all(o["kind"] in KINDS.split(",") for o in doc["objects"]), "-t keeps only sysv kinds")

# shared memory: a private segment attached by two children
i = info["shm_att"]
o = by_id(doc, "sysv_shm:%d" % i["shmid"])
if tap.ok(o is not None, "shm: private segment listed", doc["objects"]):
    tap.eq((o["key"], o["ipcid"], o["size"], o["nattch"], o["cpid"], o["mode"]),
           (0, i["shmid"], 8192, 2, me, 0o600), "shm: key 0, id, size, nattch 2, cpid, mode")
    tap.eq(eps(o, via="map"), {(i["att_rw"], "rw", "attacher"), (i["att_ro"], "r", "attacher")},
           "shm: both attachers via map, rw and r")
    tap.eq(pids(o, "creator", "creator"), {me}, "shm: creator endpoint is the helper")
    tap.eq({e["comm"] for e in o["endpoints"] if e["via"] == "map"},
           {"sysv-att-rw", "sysv-att-ro"}, "shm: attachers' comm")
    tap.ok("orphan" not in o["flags"] and "dest" not in o["flags"], "shm: attached: no flags",
           o["flags"])

i = info["shm_orphan"]
o = by_id(doc, "sysv_shm:%d" % i["shmid"])
if tap.ok(o is not None, "shm: orphan segment listed"):
    tap.eq((o["key"], o["nattch"], o["cpid"]), (i["key"], 0, i["cpid"]),
           "shm: orphan has its key, nattch 0, the dead creator's pid")
    tap.ok("orphan" in o["flags"] and not o["endpoints"], "shm: orphan flag, no endpoints", o)

i = info["shm_dest"]
o = by_id(doc, "sysv_shm:%d" % i["shmid"])
if tap.ok(o is not None, "shm: removed-but-attached segment listed"):
    tap.ok("dest" in o["flags"] and "orphan" not in o["flags"], "shm: dest flag", o["flags"])
    tap.eq((o["key"], o["nattch"], o["mode"]), (0, 1, 0o640),
           "shm: dest key reads 0 (kernel resets it), nattch 1, mode 640")
    tap.eq(eps(o, via="map"), {(i["att"], "rw", "attacher")},
           "shm: dest attacher found by inode despite the key change")

# message queues
i = info["msg_main"]
o = by_id(doc, "sysv_msg:%d" % i["msqid"])
with open("/proc/sys/kernel/msgmnb") as f:
    msgmnb = int(f.read())
if tap.ok(o is not None, "msg: queue listed"):
    q = o.get("queue", {})
    tap.eq((o["key"], o["ipcid"], q.get("messages"), q.get("bytes")),
           (i["key"], i["msqid"], 2, 50), "msg: negative key, id, 2 messages, 50 bytes")
    tap.eq(q.get("capacity"), msgmnb, "msg: capacity is msg_qbytes (msgmnb default)")
    tap.eq((o["lspid"], o["lrpid"], o["mode"]), (i["lspid"], i["lrpid"], 0o620),
           "msg: lspid, lrpid, mode")
    tap.eq((pids(o, "lastop", "last_sender"), pids(o, "lastop", "last_receiver")),
           ({i["lspid"]}, {i["lrpid"]}), "msg: last sender and receiver endpoints")
    tap.ok("full" not in o["flags"], "msg: not full", o["flags"])

i = info["msg_full"]
o = by_id(doc, "sysv_msg:%d" % i["msqid"])
if tap.ok(o is not None, "msg: full queue listed"):
    q = o.get("queue", {})
    tap.eq((q.get("bytes"), q.get("messages"), q.get("capacity")), (100, 2, 100),
           "msg: full queue bytes, messages, capacity 100")
    tap.ok("full" in o["flags"], "msg: full flag", o["flags"])

# semaphores
i = info["sem"]
o = by_id(doc, "sysv_sem:%d" % i["semid"])
if tap.ok(o is not None, "sem: set listed"):
    sems = o.get("sems", [])
    tap.eq((o["key"], o["ipcid"], len(sems)), (i["key"], i["semid"], 3), "sem: key, id, nsems")
    tap.eq([s.get("value") for s in sems], [1, 0, 5], "sem: values 1 0 5")
    tap.eq([(s.get("ncnt"), s.get("zcnt")) for s in sems], [(0, 0), (1, 0), (0, 1)],
           "sem: ncnt 1 on sem 1, zcnt 1 on sem 2")
    want_pids = [int(x) for x in i["pids"].split(",")]
    tap.eq([s.get("pid") for s in sems], want_pids, "sem: last semop pid of each semaphore")
    tap.eq(pids(o, "lastop", "holder"), set(want_pids), "sem: lastop endpoints")
    tap.ok("waiters" in o["flags"], "sem: waiters flag", o["flags"])

# ------------------------------------------------------- ipcs / lsipc agree
shm_rows = ipcs_table(["-m"], 6)      # key shmid owner perms bytes nattch [status]
shm_pids = ipcs_table(["-m", "-p"], 4)  # shmid owner cpid lpid
for name in ("shm_att", "shm_orphan", "shm_dest"):
    sid = info[name]["shmid"]
    o, r, p = by_id(doc, "sysv_shm:%d" % sid), shm_rows.get(sid), shm_pids.get(sid)
    tap.ok(o is not None and r is not None and p is not None
           and (int(r[4]), int(r[5]), "dest" in r[6:], int(p[2]), int(p[3]))
           == (o["size"], o["nattch"], "dest" in o["flags"], o["cpid"], o["lpid"]),
           "ipcs -m agrees on %s (bytes, nattch, dest, cpid, lpid)" % name, (o, r, p))

msg_rows = ipcs_table(["-q"], 6)      # key msqid owner perms used-bytes messages
msg_pids = ipcs_table(["-q", "-p"], 4)  # msqid owner lspid lrpid
for name in ("msg_main", "msg_full"):
    mid = info[name]["msqid"]
    o, r, p = by_id(doc, "sysv_msg:%d" % mid), msg_rows.get(mid), msg_pids.get(mid)
    tap.ok(o is not None and r is not None and p is not None
           and (int(r[4]), int(r[5]), int(p[2]), int(p[3]))
           == (o["queue"]["bytes"], o["queue"]["messages"], o["lspid"], o["lrpid"]),
           "ipcs -q agrees on %s (bytes, messages, lspid, lrpid)" % name, (o, r, p))

sid = info["sem"]["semid"]
o, r = by_id(doc, "sysv_sem:%d" % sid), ipcs_table(["-s"], 5).get(sid)
tap.ok(o is not None and r is not None and int(r[4]) == len(o.get("sems", [])),
       "ipcs -s agrees on nsems", (o, r))
tap.eq([(s["value"], s["ncnt"], s["zcnt"], s["pid"]) for s in (o or {}).get("sems", [])],
       ipcs_sem_detail(sid), "ipcs -s -i agrees on value, ncount, zcount, pid")

try:
    ls = json.loads(run(["lsipc", "-m", "--json", "-o", "ID,NATTCH,STATUS"]))
    ls = {int(r["id"]): r for r in ls["sharedmemory"]}
    dest = ls.get(info["shm_dest"]["shmid"], {})
    tap.ok(int(dest.get("nattch", -1)) == 1 and "dest" in (dest.get("status") or ""),
           "lsipc -m agrees: dest segment, 1 attached", dest)
except (ValueError, KeyError) as e:
    tap.skip("lsipc -m agrees", "lsipc output unusable: %r" % (e,))

# the helper cleans up after itself
helper.stdin.close()
tap.eq(helper.wait(timeout=10), 0, "mk_sysv exits cleanly on stdin EOF")
after = snapshot("-t", KINDS)
tap.ok(not any(by_id(after, oid) for oid in
               ["sysv_shm:%d" % info[n]["shmid"] for n in ("shm_att", "shm_orphan", "shm_dest")]
               + ["sysv_msg:%d" % info[n]["msqid"] for n in ("msg_main", "msg_full")]
               + ["sysv_sem:%d" % info["sem"]["semid"]]),
       "every helper object is gone afterwards")

# ----------------------------------------------------------------- fixture
fx = snapshot("--root", FIXTURE, "-t", KINDS)
shm_ids = sorted(o["ipcid"] for o in objects(fx, "sysv_shm"))
tap.eq(shm_ids, [32768, 32769, 65538, 98307],
       "fixture: shm segments parsed, garbage and truncated lines skipped")
o = by_id(fx, "sysv_shm:32768")
if tap.ok(o is not None, "fixture: attached segment"):
    tap.eq(eps(o, via="map"), {(4101, "rw", "attacher"), (4102, "r", "attacher")},
           "fixture: attachers from proc/PID/maps (decoy /SYSV names ignored)")
    tap.eq(pids(o, "creator"), {4100}, "fixture: creator endpoint")
    tap.eq({e["comm"] for e in o["endpoints"]}, {"shmowner", "viewer", "viewer-ro"},
           "fixture: endpoint comms from the fixture's processes")
o = by_id(fx, "sysv_shm:32769")
tap.ok(o is not None and o["flags"] == ["orphan"] and not o["endpoints"],
       "fixture: segment of a gone creator is orphan", o)
o = by_id(fx, "sysv_shm:65538")
tap.ok(o is not None and "dest" in o["flags"] and eps(o, via="map") == {(4103, "rw", "attacher")},
       "fixture: dest segment with its attacher (old key in the maps name)", o)
o = by_id(fx, "sysv_shm:98307")
tap.ok(o is not None and o["key"] == -559038737 and "orphan" not in o["flags"]
       and pids(o, "creator") == {4100}, "fixture: unattached segment of a live creator", o)
o = by_id(fx, "sysv_msg:0")
if tap.ok(o is not None, "fixture: queue"):
    tap.eq((o["key"], o["queue"].get("bytes"), o["queue"].get("messages")), (-1, 50, 2),
           "fixture: queue key, bytes, messages")
    tap.ok("capacity" not in o["queue"] and "full" not in o["flags"],
           "fixture: no msgctl, so no capacity and no full flag", o)
    tap.eq((pids(o, "lastop", "last_sender"), pids(o, "lastop", "last_receiver")),
           ({4104}, {4105}), "fixture: last sender and receiver endpoints")
o = by_id(fx, "sysv_msg:32769")
tap.ok(o is not None and o["lspid"] == 4999 and not o["endpoints"],
       "fixture: a gone last sender is a fact, not an endpoint", o)
o = by_id(fx, "sysv_sem:3")
tap.ok(o is not None and o["key"] == -2023406815 and "sems" not in o and not o["endpoints"],
       "fixture: semaphore set without semctl values", o)

# ------------------------------------------------------- IPC namespaces
# Segment ids are per IPC namespace and every namespace's segments live on one
# internal mount, so a process in another namespace maps "/SYSV..." files whose
# inode numbers collide with our shmids. Two fresh namespaces both start at 0.
if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("ipcmk"):
    tap.skip("another IPC namespace's attachers are not ours", "needs root, unshare, ipcmk")
else:
    nsb, nsb_lines = start_helper(tap, ["unshare", "--ipc", HELPER], ready_lines=6)
    b = nsb_lines[0]
    p = subprocess.run(["unshare", "--ipc", "sh", "-c",
                        'ipcmk -M 4096 >/dev/null && exec "$0" --json -t sysv_shm', IPCTOP],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    try:
        nsa = json.loads(p.stdout.decode("utf-8"))
        o = by_id(nsa, "sysv_shm:%d" % b["shmid"])
    except ValueError:
        nsa, o = None, None
    tap.ok(b["shmid"] == 0 and o is not None and not pids(o, "map")
           and "orphan" in o["flags"],
           "another IPC namespace's attachers of shmid 0 are not ours", (b, o, p.stderr))
    nsb.stdin.close()
    tap.eq(nsb.wait(timeout=10), 0, "mk_sysv in its own IPC namespace exits cleanly")
