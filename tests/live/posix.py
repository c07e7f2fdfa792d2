#!/usr/bin/env python3
"""POSIX shm, named semaphores, POSIX message queues, shared file mappings and
memfds: real objects made by tests/helpers/mk_posix, then a fixture tree
(tests/fixtures/posix) through --root. Checks what a user would: who holds
or maps what, by which fd, the queue depths and limits, the semaphore's
value, the flags — and that looking changed nothing."""
import json
import os
import re
import shutil
import struct
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ipclib import *  # noqa: E402,F401

KINDS = "posix_shm,posix_sem,posix_mq,mmap,memfd"
t = Tap()


def devstr(st):
    return "%d:%d" % (os.major(st.st_dev), os.minor(st.st_dev))


def eps(o):
    """(pid, via, fd, mode, role) of every endpoint, sorted."""
    return sorted((e["pid"], e["via"], e.get("fd"), e.get("mode"), e.get("role"))
                  for e in o.get("endpoints", []))


def live():
    helper = os.path.join(BUILDDIR, "tests", "helpers", "mk_posix")
    proc, lines = start_helper(t, [helper], ready_lines=16)
    h = {d["what"]: d for d in lines}
    me = h["names"]["helper"]
    names = h["names"]

    def cleanup():  # if the helper was killed before its own cleanup
        for p in ("/dev/shm/ipct_shm_%d", "/dev/shm/ipct_del_%d", "/dev/shm/sem.ipct_sem_%d",
                  "/dev/mqueue/ipct_mq_%d", "/dev/mqueue/ipct_mqf_%d", "/tmp/ipct_map_%d"):
            try:
                os.unlink(p % me)
            except FileNotFoundError:
                pass
    t.at_exit(cleanup)

    doc = snapshot("-t", KINDS)
    objs = {o["id"]: o for o in doc["objects"]}
    t.eq(sorted({o["kind"] for o in doc["objects"]} - {"posix_shm", "posix_sem", "posix_mq", "mmap", "memfd"}),
         [], "-t %s lists only those kinds" % KINDS)

    # POSIX shm: one process holds the fd, another maps it
    shm = objs.get("posix_shm:%s" % names["shm"])
    st = os.stat("/dev/shm" + names["shm"])
    if t.ok(shm is not None, "posix_shm %s is listed" % names["shm"], sorted(objs)):
        t.eq((shm["name"], shm["path"], shm["inode"], shm["dev"], shm.get("size"), shm.get("mode")),
             (names["shm"], "/dev/shm" + names["shm"], st.st_ino, devstr(st), 4096, 0o640),
             "its name, path, inode, dev, size and permissions")
        t.eq(eps(shm), sorted([(h["shm_holder"]["pid"], "fd", h["shm_holder"]["fd"], "rw", "holder"),
                               (h["shm_mapper"]["pid"], "map", None, "rw", "mapper")]),
             "its fd holder and its mapper (which closed its fd)")
        t.ok(any(e["comm"] == "pshm_holder" for e in shm["endpoints"]), "endpoint comm is the holder's name")

    # named semaphore: value 3, mapped by its creator (through glibc's
    # temporary name, now deleted) and an opener, matched by inode
    sem = objs.get("posix_sem:%s" % names["sem"])
    st = os.stat("/dev/shm/sem." + names["sem"][1:])
    if t.ok(sem is not None, "posix_sem %s is listed" % names["sem"], sorted(objs)):
        t.eq((sem["name"], sem["path"], sem["inode"], sem.get("value")),
             (names["sem"], "/dev/shm/sem." + names["sem"][1:], st.st_ino, 3),
             "its name, path, inode, and value 3 after three sem_post")
        t.eq(eps(sem), sorted([(h["sem_creator"]["pid"], "map", None, "rw", "mapper"),
                               (h["sem_opener"]["pid"], "map", None, "rw", "mapper")]),
             "creator and opener are its mappers")
        t.ok("deleted" not in sem["flags"] and "waiters" not in sem["flags"], "not deleted, no waiters", sem["flags"])
    ghost = [o["id"] for o in doc["objects"] if o["kind"] == "posix_sem" and "deleted" in o["flags"]
             and any(e["pid"] == h["sem_creator"]["pid"] for e in o["endpoints"])]
    t.eq(ghost, [], "the creator's temporary sem.XXXXXX (deleted) mapping is no deleted object")
    with open("/dev/shm/sem." + names["sem"][1:], "rb") as f:
        t.eq(struct.unpack("<Q", f.read(8))[0] & 0xffffffff, 3, "the semaphore still holds 3 after the scan")

    # message queue: 2 messages (10 + 23 bytes), writer, reader, notifier
    mq = objs.get("posix_mq:%s" % names["mq"])
    st = os.stat("/dev/mqueue" + names["mq"])
    w, r, n = h["mq_writer"], h["mq_reader"], h["mq_notify"]
    if t.ok(mq is not None, "posix_mq %s is listed" % names["mq"], sorted(objs)):
        t.eq((mq["name"], mq["path"], mq["inode"], mq["dev"]),
             (names["mq"], "/dev/mqueue" + names["mq"], st.st_ino, devstr(st)),
             "its name, path (under /dev/mqueue), inode and dev")
        t.eq(mq.get("queue"), {"bytes": 33, "messages": 2, "capacity": 5},
             "queue: 33 bytes (QSIZE) in 2 messages, capacity 5")
        t.eq(mq.get("mq"), {"max_messages": 5, "max_msgsize": 128, "notify_pid": n["pid"]},
             "mq limits from mq_getattr and the notification owner")
        t.eq(eps(mq), sorted([(w["pid"], "fd", w["fd"], "w", "writer"),
                              (r["pid"], "fd", r["fd"], "r", "reader"),
                              (n["pid"], "fd", n["fd"], "r", "reader")]),
             "writer (O_WRONLY), reader and notifier (O_RDONLY) by fd")
        t.ok("full" not in mq["flags"], "2 of 5: not full", mq["flags"])
    with open("/dev/mqueue" + names["mq"]) as f:
        t.ok(f.read().startswith("QSIZE:33 "), "no message consumed by the scan")

    full = objs.get("posix_mq:%s" % names["mqfull"])
    if t.ok(full is not None, "the filled queue is listed"):
        t.ok("full" in full["flags"] and full["queue"].get("messages") == 3
             and full["queue"].get("capacity") == 3, "3 of 3 messages: flag full", full)
        t.eq(eps(full), [(h["mqfull"]["pid"], "fd", h["mqfull"]["fd"], "rw", "holder")],
             "its O_RDWR opener is a holder")

    # a regular file mapped MAP_SHARED by two processes, one also holding an fd
    st = os.stat(names["file"])
    mid = "mmap:%d:%d:%d" % (os.major(st.st_dev), os.minor(st.st_dev), st.st_ino)
    mm = objs.get(mid)
    if t.ok(mm is not None, "mapped file is %s" % mid, sorted(objs)):
        t.eq((mm["path"], mm["inode"], mm.get("size")), (names["file"], st.st_ino, 8192),
             "its path, inode and size")
        t.eq(eps(mm), sorted([(h["map_a"]["pid"], "fd", h["map_a"]["fd"], "rw", "holder"),
                              (h["map_a"]["pid"], "map", None, "rw", "mapper"),
                              (h["map_b"]["pid"], "map", None, "r", "mapper")]),
             "one object: the fd holder and both mappers (rw and r)")

    # memfd: held by fd in the parent, mapped by its child
    mf = objs.get("memfd:%d" % h["memfd_parent"]["ino"])
    if t.ok(mf is not None, "memfd:%d is listed" % h["memfd_parent"]["ino"], sorted(objs)):
        t.eq(mf.get("name"), "ipct mem %d" % me, "its name, with spaces")
        t.eq(eps(mf), sorted([(h["memfd_parent"]["pid"], "fd", h["memfd_parent"]["fd"], "rw", "holder"),
                              (h["memfd_child"]["pid"], "map", None, "rw", "mapper")]),
             "the parent's fd and the child's mapping")

    # shm unlinked while still held and mapped
    d = h["shm_deleted"]
    dl = [o for o in doc["objects"] if o["kind"] == "posix_shm" and o.get("inode") == d["ino"]
          and "deleted" in o["flags"]]
    if t.ok(len(dl) == 1, "the unlinked shm object is listed once, flagged deleted", dl):
        t.ok(dl[0]["id"].startswith("posix_shm:%s(deleted)" % names["del"]) and dl[0]["name"] == names["del"],
             "its id and name keep the name it had", dl[0]["id"])
        t.eq(eps(dl[0]), sorted([(d["pid"], "fd", d["fd"], "rw", "holder"), (d["pid"], "map", None, "rw", "mapper")]),
             "its holder by fd and by mapping")

    # shared anonymous memory inherited over fork
    an = [o for o in doc["objects"] if o["kind"] == "mmap" and o.get("path") == "/dev/zero"
          and {e["pid"] for e in o["endpoints"]} == {h["anon_a"]["pid"], h["anon_b"]["pid"]}]
    t.eq(len(an), 1, "MAP_SHARED|MAP_ANONYMOUS shared over fork: one mmap object, path /dev/zero, both mappers")

    # read-only shared mappings nobody writes (glibc's gconv cache) are no IPC
    ro = [o["id"] for o in doc["objects"] if o["kind"] == "mmap"
          and all(e.get("mode") == "r" for e in o["endpoints"])]
    t.eq(ro, [], "no mmap object that nobody can write")

    # -p narrows to one process and its peers
    doc2 = snapshot("-t", KINDS, "-p", str(h["memfd_child"]["pid"]))
    t.ok(any(o["id"] == "memfd:%d" % h["memfd_parent"]["ino"] for o in doc2["objects"]),
         "-p of the memfd's mapper shows the memfd")

    proc.stdin.close()
    proc.wait(timeout=10)
    t.eq(proc.returncode, 0, "the helper exits cleanly on stdin EOF")
    left = [p for p in ("/dev/shm" + names["shm"], "/dev/shm/sem." + names["sem"][1:],
                        "/dev/mqueue" + names["mq"], "/dev/mqueue" + names["mqfull"], names["file"])
            if os.path.exists(p)]
    t.eq(left, [], "the helper removed every name it made")


def hexdev(st):
    return "%02x:%02x" % (os.major(st.st_dev), os.minor(st.st_dev))


def fixture():
    tmp = tempfile.mkdtemp(prefix="ipctop-posix.")
    t.at_exit(lambda: shutil.rmtree(tmp, ignore_errors=True))
    root = os.path.join(tmp, "posix")
    shutil.copytree(os.path.join(SRCDIR, "tests", "fixtures", "posix"), root, symlinks=True)

    # maps lines need the inodes the copy got: fill the templates in
    def fill(m):
        st = os.stat(root + m.group(2))
        return hexdev(st) if m.group(1) == "DEV" else str(st.st_ino)
    for pid in os.listdir(os.path.join(root, "proc")):
        tpl = os.path.join(root, "proc", pid, "maps.in")
        if os.path.exists(tpl):
            with open(tpl) as f, open(os.path.join(root, "proc", pid, "maps"), "w") as out:
                out.write(re.sub(r"\{(DEV|INO):([^}]*)\}", fill, f.read()))

    p = run_ipctop("--root", root, "--json", "-t", KINDS, check=False)
    t.eq(p.returncode, 0, "ipctop --root on the posix fixture exits 0")
    t.eq(p.stderr, "", "no error messages")
    doc = json.loads(p.stdout_bytes.decode("utf-8"))
    objs = {o["id"]: o for o in doc["objects"]}
    shm_st = os.stat(os.path.join(root, "dev", "shm"))

    o = objs.get("posix_shm:/data")
    st = os.stat(os.path.join(root, "dev/shm/data"))
    if t.ok(o is not None, "fixture: posix_shm:/data", sorted(objs)):
        t.eq((o["inode"], o["dev"], o.get("size")), (st.st_ino, devstr(st), 64), "its inode, dev and size")
        t.eq(eps(o), [(101, "fd", 3, "rw", "holder"), (102, "map", None, "rw", "mapper")],
             "fd holder (mode from fdinfo) and mapper")
    o = objs.get("posix_sem:/lock")
    if t.ok(o is not None, "fixture: posix_sem:/lock"):
        t.eq((o.get("value"), o["flags"]), (2, ["waiters"]), "value 2 and a waiter, decoded from the sem_t bytes")
        t.eq(eps(o), [(102, "map", None, "rw", "mapper")], "mapped through glibc's temporary name, matched by inode")
    t.ok(not any("Xy12Ab" in i for i in objs), "no object for the temporary sem name", sorted(objs))
    o = objs.get("posix_shm:/gone(deleted):987654321")
    if t.ok(o is not None, "fixture: a deleted shm held only by a mapping", sorted(objs)):
        t.eq((o["flags"], o["name"], o["dev"], eps(o)),
             (["deleted"], "/gone", devstr(shm_st), [(102, "map", None, "rw", "mapper")]),
             "flagged deleted, on /dev/shm's device, with its mapper")
    t.ok(not any(i.startswith("posix_shm:/notes") for i in objs), "a directory in /dev/shm is no object")

    o = objs.get("posix_mq:/jobs")
    if t.ok(o is not None, "fixture: posix_mq:/jobs"):
        t.eq(o.get("queue"), {"bytes": 129}, "QSIZE only: no mq_getattr in a fixture, nothing guessed")
        t.eq(o.get("mq"), {"notify_pid": 101}, "the notification owner from NOTIFY_PID")
        t.eq(eps(o), [(101, "fd", 4, "w", "writer"), (102, "fd", 3, "r", "reader")],
             "writer and reader by the fd text \"/jobs\"")
    o = objs.get("posix_mq:/idle")
    t.ok(o is not None and o.get("queue") == {"bytes": 0} and "mq" not in o and not o["endpoints"],
         "an idle queue: 0 bytes, no notification, no holder", o)
    o = objs.get("posix_mq:/broken")
    t.ok(o is not None and "queue" not in o, "a queue whose text is garbage: listed, no depth", o)

    st = os.stat(os.path.join(root, "data/shared.bin"))
    mid = "mmap:%d:%d:%d" % (os.major(st.st_dev), os.minor(st.st_dev), st.st_ino)
    o = objs.get(mid)
    if t.ok(o is not None, "fixture: the shared file mapping %s" % mid, sorted(objs)):
        t.eq((o.get("path"), o.get("size")), ("/data/shared.bin", 128), "its path and size")
        t.eq(eps(o), [(101, "fd", 6, "rw", "holder"), (101, "map", None, "rw", "mapper"),
                      (102, "map", None, "r", "mapper")],
             "one mapper endpoint per process (two ranges), the fd holder; the private mapping ignored")
    o = objs.get("memfd:4242")
    if t.ok(o is not None, "fixture: memfd:4242", sorted(objs)):
        t.eq((o.get("name"), eps(o)), ("fixture buf", [(101, "fd", 5, "rw", "holder"), (102, "map", None, "rw", "mapper")]),
             "its name, the fd holder (inode from fdinfo) and the mapper")
    o = objs.get("mmap:0:1:77")
    t.ok(o is not None and o.get("path") == "/dev/zero" and [e["pid"] for e in o["endpoints"]] == [101, 102],
         "fixture: shared anonymous memory of two processes", o)
    t.ok(not any(x.get("path") == "/usr/lib/locale/gconv.cache" for x in doc["objects"]),
         "a file only mapped read-only is not listed")
    t.ok(not any("SYSV" in (x.get("path") or "") for x in doc["objects"] if x["kind"] == "mmap"),
         "SysV segments are not mmap objects")


live()
fixture()
