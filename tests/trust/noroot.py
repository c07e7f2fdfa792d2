#!/usr/bin/env python3
"""No root: ipctop run as an unprivileged user (ipctop-test, created with
useradd when absent and removed at the end only then). The user's own pipe
between two of its processes appears with both holders; root's processes are
listed, marked hidden and counted in hidden.processes; root's pipe and root's
SysV semaphore values (mode 0600) are not guessed: absent, or exactly right.
Skipped, with the reason, when the test does not run as root."""
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.environ.get("TOP_SRCDIR", "."), "tests", "live"))
from ipclib import *  # noqa: E402,F403

USER = TEST_USER
tap = Tap()
if os.geteuid() != 0:
    tap.skip("ipctop as an unprivileged user", "needs root to create a user and switch to it")
    sys.exit(0)
runas = shutil.which("runuser") or shutil.which("setpriv")
if not runas or not shutil.which("useradd"):
    tap.skip("ipctop as an unprivileged user", "runuser/useradd not installed")
    sys.exit(0)

pw = test_user(tap)


def as_user(argv):
    if os.path.basename(runas) == "runuser":
        return [runas, "-u", USER, "--"] + argv
    return [runas, "--reuid=%d" % pw.pw_uid, "--regid=%d" % pw.pw_gid, "--clear-groups"] + argv


# a copy of ipctop the user can reach whatever the build directory's modes
tmp = tempfile.mkdtemp(prefix="ipctop-noroot.")
tap.at_exit(lambda: shutil.rmtree(tmp, ignore_errors=True))
os.chmod(tmp, 0o755)
ipctop = os.path.join(tmp, "ipctop")
shutil.copy(IPCTOP, ipctop)
os.chmod(ipctop, 0o755)

# the user's pipe: a writer that queued 5 bytes, a reader that never reads
sh = tap.spawn(as_user(["/bin/sh", "-c", "(printf hello; exec sleep 600) | sleep 600"]),
               stdin=subprocess.DEVNULL)


def user_pipe():
    """(inode, writer pid, reader pid) once both sleeps run as the user."""
    ends = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            st = os.stat("/proc/" + d)
            if st.st_uid != pw.pw_uid or open("/proc/%s/comm" % d).read().strip() != "sleep":
                continue
            for fd in (0, 1):
                t = os.readlink("/proc/%s/fd/%d" % (d, fd))
                if t.startswith("pipe:"):
                    ends.setdefault(t, {})[fd] = int(d)
        except OSError:
            continue
    for t, e in ends.items():
        if 0 in e and 1 in e:
            return int(t[6:-1]), e[1], e[0]
    return None


found = wait_for(user_pipe, timeout=10)
if not found:
    tap.ok(False, "the user's pipe between two sleeps is up")
    sys.exit(1)
ino, writer, reader = found
tap.at_exit(lambda: [os.kill(p, signal.SIGKILL) for p in (writer, reader)
                     if os.path.exists("/proc/%d" % p)])

# root's objects: a pipe this test holds, a SysV semaphore set of mode 0600
rfd, wfd = os.pipe()
os.write(wfd, b"rootdata")
root_ino = os.fstat(rfd).st_ino
sem = subprocess.run([sys.executable, "-c", r'''
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
sid = libc.semget(0, 2, 0o1600)        # IPC_PRIVATE, IPC_CREAT|0600
class arg(ctypes.Union):
    _fields_ = [("val", ctypes.c_int), ("buf", ctypes.c_void_p)]
libc.semctl(sid, 0, 16, arg(val=3))    # SETVAL 3
print(sid)'''], stdout=subprocess.PIPE, text=True, check=True)
semid = int(sem.stdout)


def rm_sem():
    import ctypes
    ctypes.CDLL(None).semctl(semid, 0, 0)   # IPC_RMID


tap.at_exit(rm_sem)

r = subprocess.run(as_user([ipctop, "--json"]), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                   timeout=120)
tap.eq(r.returncode, 0, "ipctop --json as %s exits 0" % USER)
tap.eq(r.stderr.decode(errors="replace"), "", "and prints no error for what it may not read")
doc = json.loads(r.stdout.decode("utf-8"))
tap.eq(doc.get("root"), False, "the document says it ran without full privileges")

root_pids = []
for d in os.listdir("/proc"):
    try:
        if d.isdigit() and os.stat("/proc/" + d).st_uid == 0 and \
                os.listdir("/proc/%s/fd" % d) is not None:
            root_pids.append(int(d))
    except OSError:
        pass
hidden = doc.get("hidden", {}).get("processes", 0)
tap.ok(hidden >= len(root_pids) * 0.8, "hidden.processes counts root's processes (%d hidden, "
       "%d root processes with fds)" % (hidden, len(root_pids)))
me = process(doc, os.getpid())
tap.ok(me is not None and me.get("hidden") is True and me.get("comm"),
       "root's process (this test) is listed, with its comm, marked hidden", me)

p = find(doc, lambda o: o["id"] == "pipe:%d" % ino)
eps = sorted((e["pid"], e.get("fd"), e.get("mode")) for e in endpoints_of(p or {}, via="fd"))
tap.eq(eps, sorted([(writer, 1, "w"), (reader, 0, "r")]),
       "the user's own pipe: both holders, fds and modes")
q = (p or {}).get("queue", {}).get("bytes")
tap.ok(q is None or q == 5, "its queue depth is absent or exactly the 5 bytes queued (%r)" % q)

rp = find(doc, lambda o: o["id"] == "pipe:%d" % root_ino)
tap.ok(rp is None or not [e for e in rp.get("endpoints", []) if e["pid"] == os.getpid()],
       "root's pipe is not attributed to root's process (its fds are unreadable)", rp)
s = find(doc, lambda o: o["id"] == "sysv_sem:%d" % semid)
vals = [x.get("value") for x in (s or {}).get("sems", [])]
tap.ok(s is not None, "root's SysV semaphore set is listed (from /proc/sysvipc)")
tap.ok(all(v is None or v == 3 for v in vals), "its values are absent or exactly right "
       "(semctl GETALL is refused to others): %r" % vals)

r = subprocess.run(as_user([ipctop, "-b"]), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                   timeout=120)
head = r.stdout.decode("utf-8", "replace").split("\n")[0]
tap.ok(r.returncode == 0 and "hidden" in head, "batch says how many processes are hidden", head)
os.close(rfd)
os.close(wfd)
