#!/usr/bin/env python3
"""Live test: the fd dump (a BPF iterator, src/fddump.c) reports what /proc
reports. Processes holding every kind of fd (pipes, one with more buffers
queued than the iterator sums, a FIFO, sockets, an eventfd, a memfd, a
deleted file, a name full of escapes and a newline) are scanned cold twice,
with IPCTOP_FDDUMP=on and =off; the objects must be the same, and the dump
must really have been used. Root only, where ipctop was built with BPF."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ipclib import *  # noqa: E402,F401

t = Tap()


# a process holding one of each; prints its facts as JSON, sleeps until stdin closes
HOLDER = r'''
import fcntl, json, os, socket, sys
d = sys.argv[1]
facts = {"pid": os.getpid()}
r, w = os.pipe(); os.write(w, b"x" * 100)
facts["pipe"] = [r, w]
br, bw = os.pipe()
fcntl.fcntl(bw, 1031, 1 << 20)                    # F_SETPIPE_SZ: 256 slots
for _ in range(25):                               # 25 pages queued (> 16)
    os.write(bw, b"y" * 4096)
facts["bigpipe"] = [br, bw]
fifo = os.path.join(d, "fifo \x1b[31mred\nline two")   # escapes and a newline
os.mkfifo(fifo)
fr = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
fw = os.open(fifo, os.O_WRONLY)
os.write(fw, b"z" * 10)
facts["fifo"] = [fr, fw]
facts["fifo_path"] = fifo
gone = os.path.join(d, "gone")                    # a FIFO unlinked while open
os.mkfifo(gone)
gr = os.open(gone, os.O_RDONLY | os.O_NONBLOCK)
gw = os.open(gone, os.O_WRONLY)
os.unlink(gone)
facts["gone"] = [gr, gw]
a, b = socket.socketpair(); a.send(b"hello")
facts["socketpair"] = [a.fileno(), b.fileno()]
l = socket.socket(socket.AF_UNIX); l.bind(os.path.join(d, "sock")); l.listen(1)
facts["listener"] = l.fileno()
facts["eventfd"] = os.eventfd(3)
print(json.dumps(facts), flush=True)
sys.stdin.read()
'''


def scan(setting, pids, prefix=(), **extra_env):
    """A cold snapshot of pids; returns (document, processes dumped, other stderr lines)."""
    env = dict(os.environ, IPCTOP_FDDUMP=setting, IPCTOP_TIMING="1", **extra_env)
    p = subprocess.run(list(prefix) + [IPCTOP, "--json", "-n", "1", "-p", ",".join(map(str, pids))],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=60)
    if p.returncode != 0:
        raise RuntimeError("ipctop failed (%d): %s" % (p.returncode, p.stderr.decode()))
    lines = p.stderr.decode().splitlines()
    timing = [l for l in lines if l.startswith("ipctop timing")]
    dumped = 0
    for tok in (timing[-1].split() if timing else []):
        if tok.startswith("dumped="):
            dumped = int(tok[7:])
    return json.loads(p.stdout.decode("utf-8")), dumped, [l for l in lines if l not in timing]


def comparable(doc, pids):
    """Objects of our processes, endpoints sorted, without what moves by itself."""
    out = {}
    for o in doc["objects"]:
        if not any(e["pid"] in pids for e in o.get("endpoints", [])):
            continue
        o = dict(o)
        o["endpoints"] = sorted(o.get("endpoints", []), key=lambda e: json.dumps(e, sort_keys=True))
        out[o["id"]] = o
    return out


if os.geteuid() != 0:
    t.skip("the fd dump matches /proc", "needs root (the dump is root only)")
elif not HAVE_BPF:
    t.skip("the fd dump matches /proc", "ipctop was built without BPF (clang, bpftool, libbpf)")
elif not os.path.exists("/sys/kernel/btf/vmlinux"):
    t.skip("the fd dump matches /proc", "the kernel has no BTF (/sys/kernel/btf/vmlinux)")
else:
    tmp = tempfile.TemporaryDirectory(prefix="ipctop-fddump-")
    t.at_exit(tmp.cleanup)
    holder = t.spawn([sys.executable, "-c", HOLDER, tmp.name], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, text=True)
    facts = json.loads(holder.stdout.readline())
    helper = os.path.join(BUILDDIR, "tests", "helpers", "mk_pipe")
    _, (info,) = start_helper(t, [helper])
    pids = [facts["pid"]] + [info[k] for k in ("writer", "reader", "fifo_reader", "fifo_writer",
                                               "efd_one", "efd_two", "lonely")]

    on, dumped, _ = scan("on", pids)
    off, dumped_off, _ = scan("off", pids)
    t.ok(dumped > 0, "IPCTOP_FDDUMP=on: the fds came from the dump (dumped=%d)" % dumped)
    t.eq(dumped_off, 0, "IPCTOP_FDDUMP=off: no process from the dump")
    a, b = comparable(on, pids), comparable(off, pids)
    t.eq(sorted(a), sorted(b), "the same objects by id, dump and /proc")
    diff = [k for k in a if k in b and a[k] != b[k]]
    t.ok(not diff, "every object the same in both: endpoints, modes, queues, flags, paths",
         "\n".join("%s\n dump:  %s\n /proc: %s" % (k, json.dumps(a[k], sort_keys=True),
                                                  json.dumps(b[k], sort_keys=True))
                   for k in diff[:4]))

    # a single snapshot loads the dump through its light skeleton (relocated
    # by the kernel); libbpf's skeleton, used where the kernel refuses that
    # loader, must dump the same
    heavy, dumped_heavy, _ = scan("on", pids, IPCTOP_BPF_LIGHT="off")
    t.ok(dumped_heavy > 0, "IPCTOP_BPF_LIGHT=off: the fds came from the dump (dumped=%d)"
         % dumped_heavy)
    t.eq(comparable(heavy, pids), a, "libbpf's skeleton dumps what the light one does")

    # a session (-n 2) loads both programs, through the light skeleton of the
    # two or through libbpf's: the second refresh takes facts from the run
    # dump either way, and lists the same objects
    def session(**env):
        e = dict(os.environ, IPCTOP_TIMING="1", **env)
        p = subprocess.run([IPCTOP, "--json", "-n", "2", "-d", "0.3", "-p",
                            ",".join(map(str, pids))], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=e, timeout=60)
        timing = [l for l in p.stderr.decode().splitlines() if l.startswith("ipctop timing")]
        facts = 0
        for tok in (timing[-1].split() if timing else []):
            if tok.startswith("procs_dumped="):
                facts = int(tok[len("procs_dumped="):])
        docs = p.stdout.decode("utf-8").splitlines()
        return p.returncode, (json.loads(docs[-1]) if docs else None), facts
    rc_l, light, facts_l = session()
    rc_h, heavier, facts_h = session(IPCTOP_BPF_LIGHT="off")
    t.eq((rc_l, rc_h), (0, 0), "a session through either skeleton exits 0")
    t.ok(facts_l > 0 and facts_h > 0, "a session's second refresh uses the run dump through "
         "either skeleton (processes: %d light, %d libbpf)" % (facts_l, facts_h))
    if light and heavier:
        t.eq(comparable(light, pids), comparable(heavier, pids),
             "a session lists the same objects through either skeleton")

    # the namespaces of the processes the dump lists come from it, not from
    # three stat() calls each: the same inodes as /proc/PID/ns shows
    def namespaces(doc):
        return {p["pid"]: p.get("ns") for p in doc["processes"] if p["pid"] in pids}
    ns_on, ns_off = namespaces(on), namespaces(off)
    t.eq(sorted(ns_on), sorted(pids), "dump: every process listed")
    t.ok(all(ns_on.values()), "dump: every process has its namespaces", ns_on)
    t.eq(ns_on, ns_off, "dump: the namespaces are those /proc/PID/ns names")

    # root without CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN: the program cannot be
    # loaded; ipctop must read /proc instead, silently (libbpf's messages kept off)
    if shutil.which("setpriv"):
        nocap, dumped_nocap, noise = scan("on", pids, ["setpriv", "--bounding-set",
                                                       "-bpf,-perfmon,-sys_admin"])
        t.eq(dumped_nocap, 0, "without the capabilities to load BPF: no process from the dump")
        t.eq(noise, [], "without them: nothing on stderr (libbpf's messages are not shown)")
        t.eq(comparable(nocap, pids), b, "without them: the same objects, read through /proc")
    else:
        for d in ("no dump", "nothing on stderr", "the same objects"):
            t.skip("without the capabilities to load BPF: " + d, "setpriv (util-linux) is missing")

    # the dump's queue sums are used, not read again through pidfd_getfd: only
    # the pipe with more buffers than the iterator sums needs one
    if shutil.which("strace"):
        calls = {}
        for setting in ("on", "off"):
            log = os.path.join(tmp.name, "strace." + setting)
            # (LeakSanitizer, in the sanitizer build, cannot run under ptrace)
            scan(setting, pids, ["strace", "-f", "-qq", "-e", "trace=pidfd_getfd", "-o", log],
                 ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
            with open(log) as f:
                calls[setting] = sum("pidfd_getfd(" in line for line in f)
        t.ok(calls["on"] + 4 <= calls["off"],
             "dump: pipe queues taken from it (pidfd_getfd calls: %d with the dump, %d without)"
             % (calls["on"], calls["off"]))
    else:
        t.skip("dump: pipe queues taken from it", "strace is not installed")

    # what the dump replaces is not done besides: no stat() of our processes'
    # /proc/PID/ns (the dump has them); and the light skeleton is what loads
    # it (libbpf's would read the kernel's BTF), libbpf's only when told
    if shutil.which("strace"):
        def traced(setting, **env):
            log = os.path.join(tmp.name, "strace.files." + setting)
            scan("on", pids, ["strace", "-f", "-qq", "-e", "trace=openat,newfstatat,statx",
                              "-o", log],
                 ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0", **env)
            with open(log) as f:
                return f.read()
        light_log, heavy_log = traced("light"), traced("heavy", IPCTOP_BPF_LIGHT="off")
        ns_stats = [l for l in light_log.splitlines()
                    if any("proc/%d/ns/" % p in l for p in pids)]
        t.eq(ns_stats, [], "dump: no stat() of our processes' /proc/PID/ns")
        t.ok("btf/vmlinux" not in light_log,
             "the light skeleton loads the dump without reading the kernel's BTF")
        t.ok("btf/vmlinux" in heavy_log,
             "IPCTOP_BPF_LIGHT=off: libbpf's skeleton reads the kernel's BTF")
    else:
        for d in ("no stat() of /proc/PID/ns", "light skeleton", "libbpf's skeleton"):
            t.skip("dump: " + d, "strace is not installed")

    me = facts["pid"]

    def mine(doc, kind, fd):
        for o in doc["objects"]:
            if o["kind"] == kind and any(e["pid"] == me and e.get("fd") == fd
                                         for e in o.get("endpoints", [])):
                return o
        return None

    o = mine(on, "pipe", facts["pipe"][0])
    if t.ok(o is not None, "dump: the pipe is found"):
        t.eq(o.get("queue", {}).get("bytes"), 100, "dump: 100 bytes queued in the pipe")
        t.eq(sorted((e["fd"], e["mode"]) for e in o["endpoints"]),
             sorted([(facts["pipe"][0], "r"), (facts["pipe"][1], "w")]), "dump: its ends and modes")
    o = mine(on, "pipe", facts["bigpipe"][0])
    if t.ok(o is not None, "dump: the pipe with 25 buffers queued is found"):
        t.eq(o.get("queue", {}).get("bytes"), 25 * 4096,
             "dump: its 102400 bytes (more buffers than the iterator sums: read by FIONREAD)")
        t.eq(o.get("queue", {}).get("capacity"), 1 << 20, "dump: its capacity of 1 MiB")
    o = mine(on, "fifo", facts["fifo"][0])
    if t.ok(o is not None, "dump: the FIFO is found"):
        t.eq(o.get("queue", {}).get("bytes"), 10, "dump: 10 bytes queued in the FIFO")
        t.eq(o.get("path"), facts["fifo_path"], "dump: its path, escape and newline kept exactly")
    o = mine(on, "fifo", facts["gone"][0])
    if t.ok(o is not None, "dump: the unlinked FIFO is found"):
        t.ok("deleted" in o.get("flags", []) and not o.get("path", "").endswith("(deleted)"),
             "dump: flagged deleted, the suffix off its path", o)
    o = mine(on, "eventfd", facts["eventfd"])
    if t.ok(o is not None, "dump: the eventfd is found"):
        t.eq(o.get("count"), 3, "dump: the eventfd counter")
