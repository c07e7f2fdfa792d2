#!/usr/bin/env python3
"""Live test: a recording (ipctop --json -d 0.3 -n 3 > FILE) of the pipes of
tests/helpers/mk_pipe played back with --replay: the same JSON line for line,
batch tables, -n/-p/-d, and clear errors (exit 2, the line named) for bad files."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ipclib import *  # noqa: E402,F401

t = Tap()
tmp = tempfile.mkdtemp(prefix="ipctop-replay.")
t.at_exit(lambda: shutil.rmtree(tmp, ignore_errors=True))
helper = os.path.join(BUILDDIR, "tests", "helpers", "mk_pipe")
proc, (info,) = start_helper(t, [helper])
pids = [info[k] for k in ("writer", "reader", "fifo_reader", "fifo_writer", "efd_one", "efd_two", "lonely")]
ino = int(info["pipe"][6:-1])


def path(name):
    return os.path.join(tmp, name)


def write(name, data):
    with open(path(name), "wb") as f:
        f.write(data)
    return path(name)


# the recording: three refreshes of the helper's processes, one JSON a line
rec = run_ipctop("--json", "-d", "0.3", "-n", "3", "-p", ",".join(map(str, pids))).stdout_bytes
write("rec.ndjson", rec)
lines = rec.splitlines(keepends=True)
t.eq(len(lines), 3, "the recording holds three documents, one a line")
docs = [json.loads(l) for l in lines]
t.ok(any(o["id"] == "pipe:%d" % ino for o in docs[0]["objects"]), "the helper's pipe is recorded")

p = run_ipctop("--replay", path("rec.ndjson"), "--json", check=False)
out = p.stdout_bytes.splitlines(keepends=True)
wired = p.returncode == 0 and len(out) == 3 and json.loads(out[0]).get("time") == docs[0]["time"]
WHY = "replay not wired in main.c"


def case(desc, fn):
    if wired:
        fn(desc)
    else:
        t.skip(desc, WHY)


case("--replay --json gives back the recording line for line",
     lambda d: t.eq(p.stdout_bytes, rec, d))
case("--replay --json exits 0 with nothing on stderr",
     lambda d: t.ok(p.returncode == 0 and p.stderr == "", d, p.stderr))


def batch(d):
    b = run_ipctop("--replay", path("rec.ndjson"), "-b", "-w", "400").stdout
    t.eq(b.count("\nKIND "), 3, d + ": a table per recorded refresh")
    row = [l for l in b.splitlines() if l.startswith("pipe ") and
           ("%d pipe-writer[%d" % (info["writer"], info["writer_fd"])) in l]
    t.ok(len(row) == 3 and ("%d pipe-reader[%dr]" % (info["reader"], info["reader_fd"])) in row[0],
         d + ": the pipe row names the writer and the reader", b[:3000])


if wired:
    batch("--replay -b")
else:
    t.skip("--replay -b: a table per recorded refresh", WHY)
    t.skip("--replay -b: the pipe row names the writer and the reader", WHY)


def first_only(d):
    q = run_ipctop("--replay", path("rec.ndjson"), "--json", "-n", "1")
    t.eq(q.stdout_bytes, lines[0], d)


case("-n 1 plays the first refresh only", first_only)


def filtered(d):
    q = run_ipctop("--replay", path("rec.ndjson"), "--json", "-n", "1", "-p", str(info["efd_one"]))
    doc = json.loads(q.stdout_bytes)
    t.ok(doc["objects"] and all(endpoints_of(o, info["efd_one"]) for o in doc["objects"]) and
         [o for o in doc["objects"] if o["kind"] == "eventfd"], d, [o["id"] for o in doc["objects"]])


case("-p filters the replayed objects as it filters live ones", filtered)


def paced(d):
    start = time.time()
    q = run_ipctop("--replay", path("rec.ndjson"), "--json", "-d", "0.5")
    took = time.time() - start
    t.ok(q.stdout_bytes == rec and took >= 1.0, d, "took %.2fs" % took)


case("-d 0.5 waits between replayed refreshes", paced)


def fast(d):
    start = time.time()
    q = run_ipctop("--replay", path("rec.ndjson"), "-b")
    took = time.time() - start
    t.ok(took < 1.0 and q.stdout.count("\nKIND ") == 3, d, "took %.2fs" % took)


case("without -d the replay does not wait", fast)

# bad files: exit 2 and a message that names the file and the line
bad = {
    "garbage": (lines[0] + b"this is not json\n" + lines[1], "line 2: "),
    # cut after a comma: a cut inside a string or an escape is another error
    "truncated": (lines[0] + lines[1][:lines[1].rindex(b",", 0, len(lines[1]) // 2) + 1],
                  "line 2: unexpected end of input"),
    "schema": (b'{"schema":7,"time":1}\n', "line 1: not an ipctop schema 1 document"),
    "kind": (lines[0].replace(b'"kind":"pipe"', b'"kind":"wormhole"', 1), "unknown kind 'wormhole'"),
    "empty": (b"", "no snapshots in "),
    "binary": (bytes(range(256)) * 4, "line 1: "),
}
for name, (data, msg) in sorted(bad.items()):
    f = write(name, data)

    def check(d, f=f, msg=msg, name=name):
        q = run_ipctop("--replay", f, "--json", check=False)
        t.ok(q.returncode == 2 and msg in q.stderr and f in q.stderr and "Traceback" not in q.stderr,
             d, "rc=%d stderr=%r" % (q.returncode, q.stderr))
        if name == "garbage":
            t.eq(q.stdout_bytes, lines[0], "the snapshots before the bad line are printed")

    case("the %s file: exit 2 and a message naming the problem" % name, check)
    if name == "garbage" and not wired:
        t.skip("the snapshots before the bad line are printed", WHY)

p = run_ipctop("--replay", path("missing.ndjson"), "-b", check=False)
case("a missing file: exit 2, cannot open",
     lambda d: t.ok(p.returncode == 2 and "cannot open" in p.stderr, d, p.stderr))

# the whole system, unfiltered, round trips too
full = run_ipctop("--json", "-d", "0.3", "-n", "2", timeout=120).stdout_bytes
write("full.ndjson", full)
case("an unfiltered recording of the whole system round trips",
     lambda d: t.ok(run_ipctop("--replay", path("full.ndjson"), "--json", timeout=120).stdout_bytes == full,
                    d))

# fixture trees (hostile names, invalid UTF-8) round trip
for fx in ("core", "procs", "sock", "sysv", "posix"):
    root = os.path.join(SRCDIR, "tests", "fixtures", fx)
    if not os.path.isdir(root):
        continue
    one = run_ipctop("--root", root, "--json", check=False).stdout_bytes
    f = write("fx-%s.ndjson" % fx, one)
    case("fixture %s: replay gives back the same document" % fx,
         lambda d, f=f, one=one: t.eq(run_ipctop("--replay", f, "--json").stdout_bytes, one, d))

proc.stdin.close()
proc.wait(timeout=10)
