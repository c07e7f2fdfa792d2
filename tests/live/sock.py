#!/usr/bin/env python3
"""Live test: unix (stream, dgram, seqpacket), tcp (IPv4, IPv6) and udp
sockets held by child processes of tests/helpers/mk_sock, as ipctop --json
reports them from netlink sock_diag, checked against the helper's facts and
against ss. Then the /proc/net fallback on the fixture tree tests/fixtures/sock."""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ipclib import *  # noqa: E402,F401

t = Tap()
helper = os.path.join(BUILDDIR, "tests", "helpers", "mk_sock")
proc, lines = start_helper(t, [helper], ready_lines=7)
info = {d["what"]: d for d in lines}

doc = snapshot("-t", "unix,tcp,udp")
objs = {o["id"]: o for o in doc["objects"]}
t.eq(sorted({o["kind"] for o in doc["objects"]} - {"unix", "tcp", "udp"}), [],
     "-t unix,tcp,udp lists sockets only")


def obj(kind, ino, desc):
    o = objs.get("%s:%d" % (kind, ino))
    t.ok(o is not None, "%s: %s:%d is listed" % (desc, kind, ino))
    return o or {}


def eps(o):
    return [(e["pid"], e["via"], e.get("fd"), e["mode"], e["role"]) for e in o.get("endpoints", [])]


def q(o, key):
    return o.get("queue", {}).get(key)


def backlog(o):
    return o.get("queue", {}).get("backlog", o.get("backlog"))


def peer(o):
    p = o.get("peer")
    return (p["inode"], p["pids"]) if p else None


# ------------------------------------------------------------ unix stream
i = info["ustream"]
path = i["dir"] + "/stream srv.sock"
ls, acc, cl = obj("unix", i["lino"], "listener"), obj("unix", i["aino"], "accepted"), \
    obj("unix", i["cino"], "client")
t.eq((ls.get("kind"), ls.get("path"), ls.get("socktype"), ls.get("state")),
     ("unix", path, "stream", "LISTEN"), "listener: kind, path with a space, type, state")
t.eq(eps(ls), [(i["spid"], "fd", i["lfd"], "rw", "server")], "listener: held by the server, role server")
t.eq((q(ls, "messages"), backlog(ls)), (0, i["backlog"]), "listener: no pending connection, backlog 7")
t.eq((acc.get("path"), acc.get("state")), (path, "ESTABLISHED"),
     "accepted socket: the listener's path, ESTABLISHED")
t.eq(eps(acc), [(i["spid"], "fd", i["afd"], "rw", "server")], "accepted socket: the server's fd, role server")
t.eq(peer(acc), (i["cino"], [i["cpid"]]), "accepted socket: peer is the client's socket and pid")
t.eq(q(acc, "bytes"), i["queued"], "accepted socket: 100 unread bytes queued")
t.ok("path" not in cl, "client socket is unnamed: no path", cl.get("path"))
t.eq(eps(cl), [(i["cpid"], "fd", i["cfd"], "rw", "client")], "client socket: the client's fd, role client")
t.eq(peer(cl), (i["aino"], [i["spid"]]), "client socket: peer is the accepted socket and the server pid")
t.eq(q(cl, "bytes"), 0, "client socket: nothing to read")

# ---------------------------------------------- listener with pending clients
i = info["upending"]
ls = obj("unix", i["lino"], "busy listener")
t.eq((q(ls, "messages"), backlog(ls)), (i["pending"], i["backlog"]),
     "busy listener: 2 pending connections, backlog 5")
for k in ("c1", "c2"):
    c = obj("unix", i[k + "ino"], "pending client " + k)
    t.eq(eps(c), [(i["cpid"], "fd", i[k + "fd"], "rw", "client")], "pending client %s: role client" % k)
    t.eq(peer(c), (i["lino"], [i["spid"]]), "pending client %s: waits on the listener (peer)" % k)

# ------------------------------------------------------- abstract dgram pair
i = info["udgram"]
a, b = obj("unix", i["aino"], "dgram a"), obj("unix", i["bino"], "dgram b")
t.eq((a.get("path"), a.get("socktype"), a.get("state")), (i["aname"], "dgram", "ESTABLISHED"),
     "dgram a: abstract name with '@' for NULs, dgram, connected")
t.eq(b.get("path"), i["bname"], "dgram b: abstract name")
t.eq((peer(a), peer(b)), ((i["bino"], [i["bpid"]]), (i["aino"], [i["apid"]])),
     "dgram pair: each names the other and its pid")
t.eq(q(b, "bytes"), i["queued"], "dgram b: next datagram is 33 bytes")
t.eq((eps(a), eps(b)), ([(i["apid"], "fd", i["afd"], "rw", "holder")],
                        [(i["bpid"], "fd", i["bfd"], "rw", "holder")]), "dgram pair: holders")

# ------------------------------------------------------- seqpacket socketpair
i = info["seqpacket"]
a, b = obj("unix", i["aino"], "seqpacket a"), obj("unix", i["bino"], "seqpacket b")
t.eq((a.get("socktype"), a.get("state"), "path" in a), ("seqpacket", "ESTABLISHED", False),
     "socketpair: seqpacket, connected, unnamed")
t.eq((peer(a), peer(b)), ((i["bino"], [i["bpid"]]), (i["aino"], [i["apid"]])),
     "socketpair: peers across the two processes")
t.eq(q(b, "bytes"), i["queued"], "socketpair: 10 bytes queued at b")
t.eq([e[4] for e in eps(a) + eps(b)], ["holder", "holder"], "socketpair: no client/server sides")

# ----------------------------------------------------------------------- tcp
for what, fmt in (("tcp", "127.0.0.1:%d"), ("tcp6", "[::1]:%d")):
    i = info[what]
    if i["skip"]:
        t.skip(what, "no IPv6 loopback")
        continue
    ls, acc, cl = obj("tcp", i["lino"], what + " listener"), obj("tcp", i["aino"], what + " accepted"), \
        obj("tcp", i["cino"], what + " client")
    srv, cli = fmt % i["lport"], fmt % i["cport"]
    t.eq((ls.get("local"), ls.get("remote"), ls.get("state")), (srv, "*", "LISTEN"),
         what + ": listener local address, remote *, LISTEN")
    t.eq((eps(ls), q(ls, "messages"), backlog(ls)),
         ([(i["spid"], "fd", i["lfd"], "rw", "server")], 0, i["backlog"]),
         what + ": listener held by the server, accept queue empty, backlog 9")
    t.eq((acc.get("local"), acc.get("remote"), acc.get("state")), (srv, cli, "ESTABLISHED"),
         what + ": accepted connection addresses")
    t.eq((cl.get("local"), cl.get("remote")), (cli, srv), what + ": client connection addresses")
    t.eq(q(acc, "bytes"), i["queued"], what + ": 1000 unread bytes at the server")
    t.eq((peer(acc), peer(cl)), ((i["cino"], [i["cpid"]]), (i["aino"], [i["spid"]])),
         what + ": both ends on this host name each other")
    t.eq((eps(acc), eps(cl)), ([(i["spid"], "fd", i["afd"], "rw", "server")],
                               [(i["cpid"], "fd", i["cfd"], "rw", "client")]),
         what + ": server and client roles")

# ----------------------------------------------------------------------- udp
i = info["udp"]
r, w = obj("udp", i["rino"], "udp receiver"), obj("udp", i["wino"], "udp sender")
t.eq((r.get("local"), r.get("remote"), r.get("state")), ("127.0.0.1:%d" % i["rport"], "*", "UNCONN"),
     "udp receiver: bound, unconnected")
t.ok((q(r, "bytes") or 0) >= 50, "udp receiver: the queued datagram's buffer memory", r.get("queue"))
t.eq((w.get("local"), w.get("remote"), w.get("state")),
     ("127.0.0.1:%d" % i["wport"], "127.0.0.1:%d" % i["rport"], "ESTABLISHED"), "udp sender: connected")
t.eq((eps(r), eps(w)), ([(i["rpid"], "fd", i["rfd"], "rw", "holder")],
                        [(i["wpid"], "fd", i["wfd"], "rw", "holder")]), "udp: holders")

# ------------------------------------------------------ the same numbers as ss
ss = shutil.which("ss") or (os.path.exists("/usr/sbin/ss") and "/usr/sbin/ss")
if not ss:
    t.skip("queues agree with ss", "ss not installed")
else:
    ours = {}
    for o in doc["objects"]:
        if o["kind"] in ("unix", "tcp", "udp"):
            listen = o.get("state") == "LISTEN"
            ours[o["inode"]] = (q(o, "messages") if listen else q(o, "bytes"),
                                backlog(o) if listen else q(o, "tx_bytes"))
    want = {}
    # unix lines end "... LOCAL INODE * PEER"; a path may hold spaces
    for line in subprocess.run([ss, "-xanH"], stdout=subprocess.PIPE, text=True).stdout.splitlines():
        tok = line.split()
        if len(tok) >= 7 and tok[-3].isdigit():
            want[int(tok[-3])] = (int(tok[2]), int(tok[3]))
    for opt in ("-taneH", "-uaneH"):
        for line in subprocess.run([ss, opt], stdout=subprocess.PIPE, text=True).stdout.splitlines():
            m = re.search(r"\bino:(\d+)", line)
            tok = line.split()
            if m and len(tok) > 3:
                want[int(m.group(1))] = (int(tok[1]), int(tok[2]))
    inos = [v for d in info.values() for k, v in d.items() if k.endswith("ino")]
    got = {n: ours.get(n) for n in inos}
    exp = {n: want.get(n) for n in inos}
    t.ok(got == exp and None not in exp.values(), "Recv-Q/Send-Q of every helper socket agree with ss",
         "ours: %r\nss:   %r" % (got, exp))

# ----------------------------------------------------------------- cleanup
proc.stdin.close()
proc.wait(timeout=10)
t.ok(not os.path.exists(info["ustream"]["dir"]), "helper removed its socket files")

# ---------------------------------------------------------- /proc/net fallback
FIXTURE = os.path.join(SRCDIR, "tests", "fixtures", "sock")
fx = snapshot("--root", FIXTURE)
objs = {o["id"]: o for o in fx["objects"]}
ls, acc, cl, bus = (objs.get("unix:%d" % n, {}) for n in (5001, 5002, 5003, 5004))
t.eq((ls.get("path"), ls.get("socktype"), ls.get("state"), eps(ls)),
     ("/run/demo srv.sock", "stream", "LISTEN", [(700, "fd", 3, "rw", "server")]),
     "fixture: unix listener path with a space, state, holder")
t.ok("queue" not in ls and "peer" not in ls and "queue" not in cl,
     "fixture: /proc/net/unix gives no queue and no peer: absent", (ls, cl))
t.eq((acc.get("path"), acc.get("state"), eps(acc)),
     ("/run/demo srv.sock", "ESTABLISHED", [(700, "fd", 4, "rw", "server")]),
     "fixture: accepted socket named like the listener is the server's")
t.eq(("path" in cl, eps(cl)), (False, [(701, "fd", 3, "rw", "holder")]), "fixture: unnamed socket")
t.eq((bus.get("path"), bus.get("socktype"), bus.get("state")), ("@demo@bus", "dgram", "UNCONN"),
     "fixture: abstract dgram socket")
t.ok("unix:5005" not in objs, "fixture: a socket nobody holds is not listed")
if sys.byteorder != "little":
    t.skip("fixture tcp", "the fixture's /proc/net/tcp is little-endian")
else:
    l4, a4, c4, l6, m6, u4 = (objs.get("%s:%d" % k, {}) for k in (
        ("tcp", 6001), ("tcp", 6002), ("tcp", 6003), ("tcp", 6004), ("tcp", 6006), ("udp", 6005)))
    t.eq((l4.get("local"), l4.get("remote"), l4.get("state"), q(l4, "messages"), l4.get("uid")),
         ("127.0.0.1:8080", "*", "LISTEN", 2, 1000), "fixture: tcp listener with 2 waiting connections")
    t.eq((a4.get("remote"), q(a4, "bytes"), peer(a4), eps(a4)),
         ("127.0.0.1:40000", 1000, (6003, [701]), [(700, "fd", 7, "rw", "server")]),
         "fixture: accepted tcp connection, queue, peer, role")
    t.eq((q(c4, "tx_bytes"), peer(c4), eps(c4)), (16, (6002, [700]), [(701, "fd", 4, "rw", "client")]),
         "fixture: tcp client, unacknowledged bytes, peer, role")
    t.eq((l6.get("local"), m6.get("local"), m6.get("remote")),
         ("[::1]:22", "[::ffff:127.0.0.1]:8081", "[::ffff:127.0.0.2]:40960"),
         "fixture: IPv6 and v4-mapped addresses in brackets")
    t.eq((u4.get("local"), u4.get("state"), q(u4, "bytes")), ("0.0.0.0:68", "UNCONN", 768),
         "fixture: udp socket")
    t.eq(sorted(k for k in objs if k.startswith(("tcp:", "udp:"))),
         ["tcp:6001", "tcp:6002", "tcp:6003", "tcp:6004", "tcp:6006", "udp:6005"],
         "fixture: TIME-WAIT and garbage lines skipped, missing udp6 is no error")
