#!/usr/bin/env python3
"""Fixture trees through --root: the whole program reads fake /proc files;
its JSON and batch output are checked for what a user would look at."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ipclib import *  # noqa: E402,F401

t = Tap()
tmp = tempfile.mkdtemp(prefix="ipctop-fixture.")
t.at_exit(lambda: shutil.rmtree(tmp, ignore_errors=True))

# a copy, so the test can add what git cannot store (a FIFO)
core = os.path.join(tmp, "core")
shutil.copytree(os.path.join(SRCDIR, "tests", "fixtures", "core"), core, symlinks=True)
os.makedirs(os.path.join(core, "tmp"))
os.mkfifo(os.path.join(core, "tmp", "jobs fifo"))
os.symlink("/tmp/jobs fifo", os.path.join(core, "proc", "300", "fd", "5"))
with open(os.path.join(core, "proc", "300", "fdinfo", "5"), "w") as f:
    f.write("pos:\t0\nflags:\t01\n")

p = run_ipctop("--root", core, "--json", check=False)
t.eq(p.returncode, 0, "ipctop --root on the core fixture exits 0")
t.eq(p.stderr, "", "no error messages for malformed or vanished entries")
raw = p.stdout_bytes
doc = json.loads(raw.decode("utf-8"))
objs = {o["id"]: o for o in doc["objects"]}
procs = {q["pid"]: q for q in doc["processes"]}

t.eq(doc["host"], "fixture-host", "host name read from the tree")
o = objs.get("pipe:5000")
if t.ok(o is not None, "pipe 5000 grouped from three processes' fds", sorted(objs)):
    t.eq([(e["pid"], e["fd"], e["mode"], e["role"]) for e in o["endpoints"]],
         [(100, 3, "w", "writer"), (200, 0, "r", "reader"), (600, 9, "r", "reader")],
         "its endpoints: pid, fd, mode from fdinfo flags, role")
    t.ok("queue" not in o, "no queue depth in a fixture (never guessed)", o.get("queue"))
    t.eq(o["flags"], [], "both ends present: no flags")
o = objs.get("pipe:6000")
t.ok(o is not None and o["flags"] == ["no_reader"], "pipe 6000 has no reader", o)
o = objs.get("eventfd:9")
t.ok(o is not None and o.get("count") == 42 and sorted(x["pid"] for x in o["endpoints"]) == [100, 200],
     "eventfd 9: counter 0x2a and both holders", o)
f = [o for o in doc["objects"] if o["kind"] == "fifo"]
t.ok(len(f) == 1 and f[0].get("path") == "/tmp/jobs fifo" and f[0]["endpoints"][0]["pid"] == 300
     and f[0]["endpoints"][0]["mode"] == "w", "FIFO found by stat in the tree, with its writer", f)
t.ok(not any("notanumber" in i for i in objs), "malformed fd links are skipped", sorted(objs))
evil = procs.get(600)
if t.ok(evil is not None, "the process with a hostile name is listed"):
    t.eq(evil.get("comm"), "\x1b[31mevil\\xff\"x", "its comm: ESC kept (JSON-escaped), the bad byte as \\xNN")
    t.ok(b"\x1b" not in raw and b"\xff" not in raw, "no raw ESC or invalid byte in the JSON text")
    sig = evil.get("signals", {})
    t.eq((sig.get("shared_pending"), sig.get("blocked"), sig.get("ignored"), sig.get("caught")),
         (["SIGUSR1"], ["SIGUSR1"], ["SIGPIPE"], ["SIGINT", "SIGTERM"]), "signal masks decoded to names")
t.eq((procs.get(100, {}).get("comm"), procs.get(100, {}).get("ppid")), ("writer", 1), "process facts from the tree")

b = run_ipctop("--root", core, "-b", "-w", "300", check=False)
t.eq(b.returncode, 0, "batch on the fixture exits 0")
t.ok(b"\x1b" not in b.stdout_bytes, "batch text holds no raw ESC byte")
row = [l for l in b.stdout.splitlines() if l.startswith("pipe ") and "pipe:5000" in l]
t.ok(len(row) == 1 and "100 writer[3w]" in row[0] and "200 reader[0r]" in row[0] and "\\e[31mevil\\xff" in row[0],
     "batch row of pipe 5000 names its ends, the hostile name escaped", b.stdout)

# a tree that is only garbage: messages or nothing, never a crash
junk = os.path.join(tmp, "junk")
os.makedirs(os.path.join(junk, "proc", "12", "fd"))
for name in ("status", "stat", "cmdline", "maps", "syscall"):
    with open(os.path.join(junk, "proc", "12", name), "wb") as fh:
        fh.write(os.urandom(300))
os.makedirs(os.path.join(junk, "proc", "sysvipc"))
for name in ("shm", "msg", "sem"):
    with open(os.path.join(junk, "proc", "sysvipc", name), "wb") as fh:
        fh.write(b"key shmid\n" + os.urandom(200))
os.makedirs(os.path.join(junk, "proc", "net"))
for name in ("unix", "tcp", "udp", "tcp6", "udp6"):
    with open(os.path.join(junk, "proc", "net", name), "wb") as fh:
        fh.write(os.urandom(200))
p = run_ipctop("--root", junk, "--json", check=False)
t.ok(p.returncode in (0, 1) and p.returncode >= 0, "a garbage tree does not crash ipctop", p.returncode)
if p.returncode == 0:
    try:
        json.loads(p.stdout_bytes.decode("utf-8"))
        t.ok(True, "and its JSON is still valid")
    except ValueError as e:
        t.ok(False, "and its JSON is still valid", e)
