#!/usr/bin/env python3
"""Process facts, signal sets and blocked-on, live (tests/helpers/mk_blocked)
and from the fixture tree tests/fixtures/procs.

What a user would check: each helper child shows the system call it sleeps
in and the object it waits on (by the object's inode / ipcid / name), that
object lists the child as a waiter and is flagged "waiters"; comm, ppid,
state, user and namespaces match /proc; the signal sets match what the
child arranged and what `grep Sig /proc/PID/status` and `kill -l` say.
"""
import os
import platform
import pwd
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ipclib import *  # noqa: E402,F401,F403

t = Tap()
HELPER = os.path.join(BUILDDIR, "tests", "helpers", "mk_blocked")
FIXTURE = os.path.join(SRCDIR, "tests", "fixtures", "procs")


def kill_l_names():
    """Signal number -> name as bash's `kill -l` prints it with glibc."""
    out = subprocess.run(["bash", "-c", "kill -l"], stdout=subprocess.PIPE, text=True).stdout
    names = {32: "SIG32", 33: "SIG33"}  # kept by glibc: `kill -l` skips them
    toks = out.replace(")", " ").split()
    for num, name in zip(toks[0::2], toks[1::2]):
        names[int(num)] = name
    return names


NAMES = kill_l_names()
NUMBERS = {v: k for k, v in NAMES.items()}


def names_of(mask):
    return [NAMES[n] for n in range(1, 65) if mask & (1 << (n - 1))]


def mask_of(names):
    m = 0
    for n in names:
        m |= 1 << (NUMBERS[n] - 1)
    return m


def status_masks(pid):
    """Sig* lines of /proc/PID/status; SigPnd OR'd over every thread."""
    def sig_lines(path):
        d = {}
        with open(path) as f:
            for line in f:
                if line.startswith(("SigPnd:", "ShdPnd:", "SigBlk:", "SigIgn:", "SigCgt:")):
                    k, v = line.split(":")
                    d[k] = int(v.strip(), 16)
        return d
    d = sig_lines("/proc/%d/status" % pid)
    pnd = d["SigPnd"]
    for tid in os.listdir("/proc/%d/task" % pid):
        pnd |= sig_lines("/proc/%d/task/%s/status" % (pid, tid))["SigPnd"]
    return {"pending": pnd | d["ShdPnd"], "shared_pending": d["ShdPnd"],
            "blocked": d["SigBlk"], "ignored": d["SigIgn"], "caught": d["SigCgt"]}


def check_blocked(doc, info, syscalls, obj_id, obj_check=None):
    role, pid = info["role"], info["pid"]
    p = process(doc, pid)
    if not t.ok(p is not None, "%s: process %d listed" % (role, pid)):
        return
    b = p.get("blocked", {})
    t.ok(b.get("syscall") in syscalls, "%s: asleep in %s" % (role, "/".join(syscalls)),
         "blocked: %r" % (b,))
    if obj_id is None:
        t.ok("object" not in b, "%s: waits on no object" % role, "blocked: %r" % (b,))
        return
    t.eq(b.get("object"), obj_id, "%s: blocked on %s" % (role, obj_id))
    o = find(doc, lambda o: o["id"] == obj_id)
    if not t.ok(o is not None, "%s: object %s in the document" % (role, obj_id)):
        return
    if obj_check:
        obj_check(o)
    w = endpoints_of(o, pid=pid, via="waiter")
    t.ok(len(w) == 1 and w[0].get("role") == "waiter" and "fd" not in w[0],
         "%s: %s lists pid %d as waiter" % (role, obj_id, pid), o.get("endpoints"))
    t.ok("waiters" in o.get("flags", []), "%s: %s flagged waiters" % (role, obj_id),
         o.get("flags"))


def check_fd(o, pid, fd, role):
    t.ok(any(e.get("fd") == fd for e in endpoints_of(o, pid=pid, via="fd")),
         "%s: %s held by pid %d fd %d" % (role, o["id"], pid, fd), o.get("endpoints"))


def live():
    helper, lines = start_helper(t, [HELPER], ready_lines=9)
    info = {d["role"]: d for d in lines}
    doc = snapshot()

    r = info["read"]
    check_blocked(doc, r, ["read"], "pipe:%d" % r["ino"],
                  lambda o: (t.eq(o.get("inode"), r["ino"], "read: pipe inode"),
                             check_fd(o, r["pid"], r["fd"], "read")))
    m = info["msgrcv"]
    check_blocked(doc, m, ["msgrcv"], "sysv_msg:%d" % m["msqid"],
                  lambda o: t.eq(o.get("ipcid"), m["msqid"], "msgrcv: queue ipcid"))
    s = info["semop"]
    check_blocked(doc, s, ["semop", "semtimedop"], "sysv_sem:%d" % s["semid"],
                  lambda o: t.eq(o.get("ipcid"), s["semid"], "semop: set ipcid"))
    q = info["mq"]
    if q.get("skip"):
        t.skip("mq: asleep in mq_timedreceive", "no /dev/mqueue")
    else:
        check_blocked(doc, q, ["mq_timedreceive"], "posix_mq:%s" % q["name"],
                      lambda o: (t.eq(o.get("name"), q["name"], "mq: queue name"),
                                 check_fd(o, q["pid"], q["fd"], "mq")))
    a = info["accept"]
    check_blocked(doc, a, ["accept", "accept4"], "unix:%d" % a["ino"],
                  lambda o: (t.eq(o.get("state"), "LISTEN", "accept: socket listens"),
                             check_fd(o, a["pid"], a["fd"], "accept")))
    check_blocked(doc, info["sigwait"], ["rt_sigtimedwait"], None)
    check_blocked(doc, info["thread"], ["pause"], None)
    check_blocked(doc, info["pause"], ["pause"], None)
    e = info["sem"]
    check_blocked(doc, e, ["futex"], "posix_sem:%s" % e["name"],
                  lambda o: t.eq(o.get("name"), e["name"], "sem: semaphore name"))

    # signal sets the children arranged
    def sig(role):
        return process(doc, info[role]["pid"]).get("signals", {})
    w = sig("sigwait")
    t.ok("SIGUSR1" in w.get("pending", []) and "SIGUSR1" in w.get("shared_pending", []),
         "sigwait: SIGUSR1 pending process-wide", w)
    # while in sigtimedwait the kernel unblocks the awaited set (SIGUSR2) for the wait
    t.ok("SIGUSR1" in w.get("blocked", []), "sigwait: SIGUSR1 blocked", w)
    th = sig("thread")
    t.ok("SIGUSR2" in th.get("pending", []) and "SIGUSR2" not in th.get("shared_pending", []),
         "thread: SIGUSR2 pending in one thread only", th)
    t.ok("SIGUSR2" in th.get("blocked", []), "thread: SIGUSR2 blocked", th)
    ps_ = sig("pause")
    t.ok("SIGUSR2" in ps_.get("ignored", []), "pause: SIGUSR2 ignored", ps_)
    t.ok("SIGTERM" in ps_.get("caught", []), "pause: SIGTERM caught", ps_)
    t.ok(ps_.get("pending") == [] and ps_.get("blocked") == [], "pause: nothing pending/blocked", ps_)

    # every child against /proc and ps
    user = pwd.getpwuid(os.geteuid()).pw_name
    pids = [d["pid"] for d in lines if "pid" in d]
    ps = subprocess.run(["ps", "-o", "pid=,stat=,wchan:20=,comm=", "-p", ",".join(map(str, pids))],
                        stdout=subprocess.PIPE, text=True).stdout
    psinfo = {int(l.split()[0]): l.split() for l in ps.splitlines() if l.strip()}
    print("# " + ps.replace("\n", "\n# ").rstrip("# "))
    for d in lines:
        if "pid" not in d:
            continue
        pid, role = d["pid"], d["role"]
        p = process(doc, pid)
        if p is None:
            continue
        t.eq(p.get("comm"), "blk_" + role, "%s: comm" % role)
        t.eq(p.get("ppid"), helper.pid, "%s: ppid is the helper" % role)
        t.eq(p.get("user"), user, "%s: user" % role)
        t.eq(p.get("state"), "S", "%s: state" % role)
        ns = {k: os.stat("/proc/%d/ns/%s" % (pid, k)).st_ino for k in ("ipc", "net", "mnt")}
        t.eq(p.get("ns"), ns, "%s: namespaces" % role)
        pi = psinfo.get(pid, [])
        t.ok(len(pi) == 4 and pi[1][0] == p.get("state") and pi[3] == p.get("comm")
             and pi[2] != "-", "%s: ps agrees (stat, comm, asleep in a wchan)" % role, pi)
        want = status_masks(pid)
        got = {k: mask_of(v) for k, v in p.get("signals", {}).items()}
        t.eq(got, want, "%s: signal sets match /proc/%d/status" % (role, pid))
        t.eq(p.get("signals", {}).get("pending"), names_of(want["pending"]),
             "%s: pending named as kill -l does" % role)

    helper.stdin.close()
    helper.wait(timeout=10)


def fixture():
    if platform.machine() != "x86_64":
        t.skip("fixture: read blocked on pipe:123", "fixture syscall numbers are x86_64")
        return
    doc = snapshot("--root", FIXTURE)
    r = process(doc, 100)
    t.ok(r is not None, "fixture: process 100 listed")
    if r is None:
        return
    t.eq(r.get("blocked"), {"syscall": "read", "object": "pipe:123"},
         "fixture: 100 asleep in read on pipe:123")
    t.eq((r.get("comm"), r.get("cmdline"), r.get("ppid"), r.get("state"), r.get("user")),
         ("fx-reader", "fx-reader --wait", 1, "S", "root"), "fixture: 100 facts")
    t.eq(r.get("ns"), {"ipc": 4026531839, "net": 4026531833, "mnt": 4026531832},
         "fixture: 100 namespaces")
    t.eq(r.get("signals"), {"pending": [], "shared_pending": [], "blocked": [],
                            "ignored": ["SIGPIPE"], "caught": ["SIGINT", "SIGTERM"]},
         "fixture: 100 signals")
    o = find(doc, lambda o: o["id"] == "pipe:123")
    t.ok(o is not None and "waiters" in o.get("flags", [])
         and endpoints_of(o, pid=100, via="waiter"), "fixture: pipe:123 has waiter 100", o)

    w = process(doc, 101) or {}
    t.eq(w.get("blocked"), {"syscall": "pause"}, "fixture: 101 asleep in pause, no object")
    t.eq(w.get("signals"), {"pending": ["SIGUSR1", "SIGUSR2"], "shared_pending": ["SIGUSR1"],
                            "blocked": ["SIGUSR1", "SIGUSR2"], "ignored": [],
                            "caught": ["SIGRTMIN+1"]},
         "fixture: 101 signals (SIGUSR2 pending in thread 102 only)")

    k = process(doc, 200) or {}
    t.eq((k.get("comm"), k.get("state"), k.get("ppid")), ("kworker/0:1-events", "I", 2),
         "fixture: kernel thread facts")
    t.ok("cmdline" not in k and "ns" not in k and "blocked" not in k,
         "fixture: kernel thread has no cmdline, ns, blocked", k)
    t.eq(len(k.get("signals", {}).get("ignored", [])), 64, "fixture: kernel thread ignores all 64")

    z = process(doc, 300) or {}
    try:
        want_user = pwd.getpwuid(12345).pw_name
    except KeyError:
        want_user = "12345"
    t.eq((z.get("comm"), z.get("state"), z.get("ppid"), z.get("user")),
         ("bad\x1b[31m\nname\\xff", "D", 100, want_user),
         "fixture: status-only process (Name unescaped, raw bytes kept)")
    t.ok("cmdline" not in z and "blocked" not in z, "fixture: 300 without cmdline/syscall", z)


live()
fixture()
