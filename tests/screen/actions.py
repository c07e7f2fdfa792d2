#!/usr/bin/env python3
"""Actions on the live screen, with real objects and processes: F9/k (signal
the holders) and d (remove an orphan). Signalling a pipe held by two
processes asks first and lists exactly both; No leaves them alive, Yes ends
exactly those two (bystanders holding another pipe live on). d is refused
while a holder remains (a SysV segment attached, a queue with a blocked
receiver, a POSIX shm with an fd open); an orphan (SysV shm whose creator
exited, POSIX shm, POSIX mq) is removed only after a Yes, and only it. As
an unprivileged user (ipctop-test, created when absent and then removed),
d on root's orphans and F9 on root's processes are refused and change
nothing. Root parts are skipped when not root."""
import ctypes
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from screenlib import *  # noqa: E402,F403

libc = ctypes.CDLL(None, use_errno=True)
TAG = "ipctop-act-%d" % os.getpid()
BASE = 0x1c700000 | ((os.getpid() & 0xfff) << 4)
K_SHM_HELD, K_MSQ_HELD, K_SHM_ORPHAN, K_SHM_ROOT = BASE + 1, BASE + 2, BASE + 3, BASE + 4
IPC_CREAT, IPC_EXCL, IPC_RMID = 0o1000, 0o2000, 0

# a process with a comm of its own; what it holds depends on argv
HOLD = r'''
import ctypes, os, signal, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.prctl(15, ctypes.c_char_p(sys.argv[1].encode()), 0, 0, 0)
what = sys.argv[2] if len(sys.argv) > 2 else ""
if what == "shm":        # attach a SysV segment and stay
    libc.shmat.restype = ctypes.c_void_p
    sid = libc.shmget(int(sys.argv[3]), 4096, 0o1600)
    libc.shmat(sid, None, 0)
    print(sid, flush=True)
elif what == "msq":      # block in msgrcv on a SysV queue
    qid = libc.msgget(int(sys.argv[3]), 0o1600)
    print(qid, flush=True)
    buf = ctypes.create_string_buffer(64)
    libc.msgrcv(qid, buf, 32, 0, 0)
elif what == "pshm":     # hold a POSIX shm open
    fd = os.open("/dev/shm/" + sys.argv[3], os.O_CREAT | os.O_RDWR, 0o600)
    print(fd, flush=True)
elif what == "orphan":   # create a SysV segment, exit
    print(libc.shmget(int(sys.argv[3]), 4096, 0o1000 | 0o2000 | int(sys.argv[4], 8)), flush=True)
    sys.exit(0)
while True:
    signal.pause()
'''

tap = Tap()
if not have_tmux():
    tap.skip("actions on the screen", "tmux is not installed")
    sys.exit(0)


def hold(name, *args, **kw):
    kw.setdefault("stdin", subprocess.DEVNULL)
    kw.setdefault("stdout", subprocess.DEVNULL)
    kw.setdefault("stderr", subprocess.DEVNULL)
    return tap.spawn([sys.executable, "-c", HOLD, name] + [str(a) for a in args], **kw)


def hold_line(name, *args):
    p = hold(name, *args, stdout=subprocess.PIPE, text=True)
    return p, int(p.stdout.readline().strip() or -1)


def alive(p):
    return p.poll() is None


def sysv_ids(kind):
    """Ids in /proc/sysvipc/shm or msg."""
    ids = set()
    with open("/proc/sysvipc/" + kind) as f:
        next(f)
        for ln in f:
            ids.add(int(ln.split()[1]))
    return ids


def rm_sysv(kind, i):
    if i >= 0:
        (libc.shmctl if kind == "shm" else libc.msgctl)(i, IPC_RMID, None)


def comms_ready(procs, timeout=10):
    """Until each process has set its comm (python starts slowly)."""
    def ok():
        for p, name in procs:
            try:
                if open("/proc/%d/comm" % p.pid).read().strip() != name:
                    return False
            except OSError:
                return False
        return True
    return wait_for(ok, timeout)


scr = Screen(tap, 160, 40)

# --- the processes and objects --------------------------------------------
r, w = os.pipe()
writer = hold("act-writer", stdout=w)
reader = hold("act-reader", stdin=r)
os.close(r)
os.close(w)
r, w = os.pipe()
by_w = hold("act-by-w", stdout=w)
by_r = hold("act-by-r", stdin=r)
os.close(r)
os.close(w)
comms_ready([(writer, "act-writer"), (reader, "act-reader"), (by_w, "act-by-w"),
             (by_r, "act-by-r")])

shm_holder, shm_held = hold_line("act-shm", "shm", K_SHM_HELD)
tap.at_exit(lambda: rm_sysv("shm", shm_held))
msq_holder, msq_held = hold_line("act-msq", "msq", K_MSQ_HELD)
tap.at_exit(lambda: rm_sysv("msg", msq_held))
pshm_held = TAG + "-held"
pshm_holder, _ = hold_line("act-pshm", "pshm", pshm_held)
tap.at_exit(lambda: os.path.exists("/dev/shm/" + pshm_held) and os.unlink("/dev/shm/" + pshm_held))
o = subprocess.run([sys.executable, "-c", HOLD, "act-orphan", "orphan", str(K_SHM_ORPHAN), "600"],
                   stdout=subprocess.PIPE, text=True, check=True)
shm_orphan = int(o.stdout)
tap.at_exit(lambda: rm_sysv("shm", shm_orphan))
pshm_orphan = TAG + "-orphan"
os.close(os.open("/dev/shm/" + pshm_orphan, os.O_CREAT | os.O_RDWR, 0o600))
tap.at_exit(lambda: os.path.exists("/dev/shm/" + pshm_orphan) and
            os.unlink("/dev/shm/" + pshm_orphan))
mq_orphan = "/" + TAG + "-mq"
have_mq = os.path.isdir("/dev/mqueue") and os.path.ismount("/dev/mqueue")
if have_mq:
    librt = ctypes.CDLL("librt.so.1", use_errno=True)
    attr = (ctypes.c_long * 8)(0, 1, 16, 0)
    q = librt.mq_open(ctypes.c_char_p(mq_orphan.encode()), ctypes.c_int(os.O_CREAT | os.O_RDWR),
                      ctypes.c_int(0o600), ctypes.byref(attr))
    have_mq = q >= 0
    if have_mq:
        librt.mq_close(q)
        tap.at_exit(lambda: librt.mq_unlink(ctypes.c_char_p(mq_orphan.encode())))
bystanders = [by_w, by_r, shm_holder, msq_holder, pshm_holder]


def everyone_else_alive(desc):
    tap.ok(all(alive(p) for p in bystanders), desc,
           [(p.pid, p.poll()) for p in bystanders])


def select(text):
    """Search for text and leave the selection on the first match."""
    scr.keys("/")
    scr.literal(text)
    scr.keys("Enter")


def filter_to(text):
    scr.keys("Escape")
    scr.keys("\\")
    scr.literal(text)
    scr.keys("Enter")


scr.start("env LANG=C.UTF-8 %s -d 0.5" % IPCTOP)
scr.wait_for(r"objects", 20)
select("act-writer")  # on a busy machine the pipe may be pages down
scr.expect(tap, "the screen shows the test's pipe", r"act-writer → \d+ act-reader", 20)

# --- F9/k on the pipe: asks, lists both holders, No sends nothing ----------
select("act-writer")
scr.keys("k")
scr.expect(tap, "k asks which signal", "Send which signal")
scr.keys("Enter")
t = scr.wait_for(r"Send \S*TERM to 2 processes", 5)
box = t or scr.shown()
tap.ok(t is not None, "the confirmation names the signal and 2 processes", box)
tap.ok(re.search(r"%d +act-writer" % writer.pid, box) and
       re.search(r"%d +act-reader" % reader.pid, box),
       "it lists the writer and the reader with pid and comm", box)
inside = "\n".join(m.group(1) for m in re.finditer(r"│ (.*?) *│", box))
tap.ok(inside and "act-by-" not in inside and len(re.findall(r"^\d+ ", inside, re.M)) == 2,
       "it lists no other process", inside)
tap.ok("y/N" in box, "it asks y/N", box)
scr.keys("n")
scr.expect(tap, "No: 'No signal sent'", "No signal sent")
time.sleep(0.3)
tap.ok(alive(writer) and alive(reader), "after No both holders are alive")
scr.keys("F9")
scr.expect(tap, "F9 asks too", "Send which signal")
scr.keys("Escape")
scr.expect_not(tap, "Esc on the menu asks nothing more", r"Send \S*TERM to")
tap.ok(alive(writer) and alive(reader), "after Esc both holders are alive")

# --- Yes: exactly those two end --------------------------------------------
select("act-writer")
scr.keys("F9")
scr.wait_for("Send which signal", 5)
scr.keys("Enter")
scr.wait_for(r"y/N", 5)
scr.keys("y")
scr.expect(tap, "Yes: 'Signal sent to 2 processes'", "Signal sent to 2 processes")
for p, name in ((writer, "writer"), (reader, "reader")):
    try:
        p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
    tap.eq(p.returncode, -15, "the %s ended by SIGTERM" % name)
everyone_else_alive("every other process (another pipe's ends, other holders) lives on")
t = scr.wait_for(r"act-writer", 8, absent=True)
tap.ok(t is not None, "the killed pipe leaves the screen (after 'gone')", scr.shown())


# --- d refused while held ----------------------------------------------------
def refused(filt, row, desc, still):
    filter_to(filt)
    t = scr.wait_for("^" + row, 8)
    if not tap.ok(t is not None, "%s: its row is shown" % desc, scr.shown()):
        return
    scr.keys("d")
    t = scr.wait_for("Refused", 5)
    tap.ok(t is not None and "Remove this object?" not in t, "%s: d is refused, nothing asked" %
           desc, t or scr.shown())
    scr.keys("y")
    time.sleep(0.5)
    tap.ok(still(), "%s: it still exists" % desc)


refused("0x%08x" % K_SHM_HELD, "shm ", "a SysV segment attached by a process",
        lambda: shm_held in sysv_ids("shm"))
refused("0x%08x" % K_MSQ_HELD, "msq ", "a SysV queue with a receiver blocked on it",
        lambda: msq_held in sysv_ids("msg"))
refused(pshm_held, "pshm ", "a POSIX shm with an fd open",
        lambda: os.path.exists("/dev/shm/" + pshm_held))
everyone_else_alive("the holders live on")


# --- d on orphans: No keeps, Yes removes only it -------------------------------
def orphan(filt, row, desc, exists):
    filter_to(filt)
    t = scr.wait_for("^" + row, 8)
    if not tap.ok(t is not None, "%s: its row is shown" % desc, scr.shown()):
        return
    scr.keys("d")
    t = scr.wait_for(r"Remove it\? y/N", 5)
    tap.ok(t is not None and "Remove this object?" in t, "%s: d asks first" % desc,
           t or scr.shown())
    scr.keys("n")
    scr.expect(tap, "%s: No says 'Nothing removed'" % desc, "Nothing removed")
    tap.ok(exists(), "%s: after No it still exists" % desc)
    scr.keys("d")
    scr.wait_for(r"Remove it\? y/N", 5)
    scr.keys("y")
    scr.expect(tap, "%s: Yes says 'Removed'" % desc, "Removed; it disappears")
    tap.ok(not exists(), "%s: after Yes it is gone" % desc)


orphan("0x%08x" % K_SHM_ORPHAN, "shm ", "an orphan SysV segment (creator exited)",
       lambda: shm_orphan in sysv_ids("shm"))
orphan(pshm_orphan, "pshm ", "an orphan POSIX shm",
       lambda: os.path.exists("/dev/shm/" + pshm_orphan))
if have_mq:
    orphan(mq_orphan, "mq ", "an orphan POSIX mq",
           lambda: os.path.exists("/dev/mqueue" + mq_orphan))
else:
    tap.skip("d on an orphan POSIX mq", "no /dev/mqueue")
tap.ok(shm_held in sysv_ids("shm") and msq_held in sysv_ids("msg") and
       os.path.exists("/dev/shm/" + pshm_held), "the held objects are all still there")
everyone_else_alive("and their holders live")
scr.keys("q")
scr.expect(tap, "q quits with status 0", "^EXIT=0")

# --- as an unprivileged user ---------------------------------------------------
USER = TEST_USER
runas = shutil.which("runuser")
if os.geteuid() != 0 or not runas or not shutil.which("useradd"):
    tap.skip("actions as an unprivileged user", "needs root, runuser and useradd")
    sys.exit(0)
pw = test_user(tap)
ipctop = os.path.join(scr.dir, "ipctop")
shutil.copy(IPCTOP, ipctop)
os.chmod(ipctop, 0o755)

root_pshm = TAG + "-root"
fd = os.open("/dev/shm/" + root_pshm, os.O_CREAT | os.O_RDWR, 0o644)
os.fchmod(fd, 0o644)
os.close(fd)
tap.at_exit(lambda: os.path.exists("/dev/shm/" + root_pshm) and os.unlink("/dev/shm/" + root_pshm))
o = subprocess.run([sys.executable, "-c", HOLD, "act-orphan", "orphan", str(K_SHM_ROOT), "644"],
                   stdout=subprocess.PIPE, text=True, check=True)
root_shm = int(o.stdout)
tap.at_exit(lambda: rm_sysv("shm", root_shm))

scr.start("env LANG=C.UTF-8 %s -u %s -- %s -d 0.5" % (runas, USER, ipctop))
scr.expect(tap, "as %s the screen runs" % USER, "F10Quit", 20)
refused(root_pshm, "pshm ", "as %s, root's orphan POSIX shm" % USER,
        lambda: os.path.exists("/dev/shm/" + root_pshm))
refused("0x%08x" % K_SHM_ROOT, "shm ", "as %s, root's orphan SysV segment" % USER,
        lambda: root_shm in sysv_ids("shm"))
scr.keys("Escape")
scr.keys("p")
select("act-shm")
t = scr.wait_for(r"^ *%d +act-shm +root" % shm_holder.pid, 5)
tap.ok(t is not None, "root's process attached to a segment is listed in the processes view",
       scr.shown())
scr.keys("F9")
t = scr.wait_for("Refused: process %d is not yours" % shm_holder.pid, 5)
tap.ok(t is not None and "Send which signal" not in t,
       "F9 on root's process is refused before any question", t or scr.shown())
scr.keys("Enter")
scr.keys("y")
scr.keys("o")
filter_to("0x%08x" % K_SHM_HELD)
scr.wait_for("^shm ", 5)
scr.keys("k")
t = scr.wait_for("Refused: process %d is not yours|No process to signal" % shm_holder.pid, 5)
tap.ok(t is not None and "Send which signal" not in t,
       "k on root's segment (attached by root) is refused before any question",
       t or scr.shown())
scr.keys("Enter")
scr.keys("y")
scr.keys("Escape")
select("act-by-w")
scr.keys("F9")
time.sleep(0.5)
t = scr.text()
tap.ok("Send which signal" not in t, "F9 where root's pipe would be (unseen) asks nothing",
       scr.shown(t))
scr.keys("Enter")
scr.keys("y")
time.sleep(0.3)
everyone_else_alive("root's processes are all alive")
scr.keys("q")
scr.expect(tap, "q quits the user's screen with status 0", "^EXIT=0")
