#!/usr/bin/env python3
"""Live test: pipes, a FIFO and an eventfd held by different processes, as
ipctop --json and ipctop -b report them."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ipclib import *  # noqa: E402,F401

t = Tap()
helper = os.path.join(BUILDDIR, "tests", "helpers", "mk_pipe")
proc, (info,) = start_helper(t, [helper])
root = os.geteuid() == 0

pids = [info[k] for k in ("writer", "reader", "fifo_reader", "fifo_writer", "efd_one", "efd_two", "lonely")]
doc = snapshot("-p", ",".join(map(str, pids)))
ino = int(info["pipe"][6:-1])

o = find(doc, lambda o: o["id"] == "pipe:%d" % ino)
if t.ok(o is not None, "the pipe is listed by its inode", [x["id"] for x in doc["objects"]]):
    t.eq(o["kind"], "pipe", "pipe kind")
    t.eq(o["inode"], ino, "pipe inode")
    w = endpoints_of(o, info["writer"], "fd")
    r = endpoints_of(o, info["reader"], "fd")
    t.eq([(e["fd"], e["mode"], e["role"], e["comm"]) for e in w],
         [(info["writer_fd"], "w", "writer", "pipe-writer")], "the writer end: pid, fd, mode, comm")
    t.eq([(e["fd"], e["mode"], e["role"], e["comm"]) for e in r],
         [(info["reader_fd"], "r", "reader", "pipe-reader")], "the reader end: pid, fd, mode, comm")
    if root:
        t.eq(o.get("queue", {}).get("bytes"), 100, "100 unread bytes queued in the pipe")
        t.eq(o.get("queue", {}).get("capacity"), 65536, "pipe capacity 64 KiB")
    else:
        t.skip("queue depth", "needs root")
        t.skip("pipe capacity", "needs root")
    t.eq(o["flags"], [], "a pipe with both ends has no flags")
    t.ok(":" in o.get("dev", ""), "pipefs device as maj:min", o.get("dev"))

o = find(doc, lambda o: o["kind"] == "fifo" and o.get("path") == info["fifo"])
if t.ok(o is not None, "the FIFO is listed by its path"):
    t.eq(o["inode"], info["fifo_ino"], "FIFO inode")
    modes = sorted((e["pid"], e["mode"]) for e in o["endpoints"] if e["via"] == "fd")
    t.eq(modes, sorted([(info["fifo_reader"], "r"), (info["fifo_writer"], "w")]),
         "FIFO reader and writer processes with their modes")
    if root:
        t.eq(o.get("queue", {}).get("bytes"), 10, "10 bytes queued in the FIFO")
    else:
        t.skip("FIFO depth", "needs root")

o = find(doc, lambda o: o["kind"] == "eventfd" and
         {e["pid"] for e in o["endpoints"]} == {info["efd_one"], info["efd_two"]})
if t.ok(o is not None, "one eventfd object held by both processes"):
    t.eq(o.get("count"), 7, "eventfd counter from fdinfo")
    t.ok(isinstance(o.get("eventfd_id"), int), "eventfd id present")
    t.eq(sorted(e["fd"] for e in o["endpoints"]), [info["efd_fd"]] * 2, "both hold it as the same fd number")

o = find(doc, lambda o: o["kind"] == "pipe" and endpoints_of(o, info["lonely"]))
if t.ok(o is not None, "the pipe without a reader is listed"):
    t.eq(o["flags"], ["no_reader"], "flag no_reader")
    t.eq([(e["fd"], e["mode"]) for e in o["endpoints"]], [(info["lonely_wfd"], "w")], "its only end is the write end")

# the processes themselves
p = process(doc, info["writer"])
t.ok(p is not None and p["comm"] == "pipe-writer" and p["ppid"] == proc.pid,
     "process list has the writer with its parent", p)

# -t narrows kinds, -p narrows processes
doc2 = snapshot("-t", "eventfd", "-p", str(info["efd_one"]))
t.eq(sorted({o["kind"] for o in doc2["objects"]}), ["eventfd"], "-t eventfd lists only eventfds")
t.ok(all(endpoints_of(o, info["efd_one"]) for o in doc2["objects"]), "-p keeps only that process's objects")

# batch text shows the same pipe row with both ends named
b = run_ipctop("-b", "-w", "400", "-p", "%d,%d" % (info["writer"], info["reader"])).stdout
row = [l for l in b.splitlines() if l.startswith("pipe ") and ("%d pipe-writer[%d" % (info["writer"], info["writer_fd"])) in l]
t.ok(len(row) == 1 and ("%d pipe-reader[%dr]" % (info["reader"], info["reader_fd"])) in row[0],
     "batch row names the writer and the reader", b)
if root:
    t.ok(len(row) == 1 and "100B/64K" in row[0], "batch row shows 100B queued of 64K", row)
else:
    t.skip("batch queue", "needs root")

proc.stdin.close()
proc.wait(timeout=10)
t.ok(not os.path.exists(info["fifo"]), "helper removed its FIFO")
