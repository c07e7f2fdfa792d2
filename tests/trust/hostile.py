#!/usr/bin/env python3
"""Terminal injection: real objects whose names hold escape sequences, control
bytes, newlines, very long names and invalid UTF-8 (a process's comm and
cmdline, a FIFO, unix sockets bound to a path and to an abstract name, a POSIX
shared memory object, a POSIX message queue, a memfd). ipctop --json must stay
valid JSON and give every name back exactly (invalid bytes as \\xNN); the batch
text (-b) must hold no byte a terminal acts on and show every name escaped, on
one line. The holder is a child python process started with hostile argv."""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ.get("TOP_SRCDIR", "."), "tests", "live"))
from ipclib import *  # noqa: E402,F403

# Everything a terminal might act on, and bytes that are not UTF-8.
EVIL = (b"\x1b[2J\x1b]0;pwned\x07\x1b[31mRED\r\n\x08\x7f\xc2\x9b1m\x9b"
        b"\xff\xfe\xe2\x80\xaebidi\xe2\x80\xa8\t\\x41\"'\xc3")
COMM = b"\x1b[5m\n\xff\x07x\\"          # 10 bytes: fits TASK_COMM_LEN
LONG = b"L" * 150 + EVIL                   # a FIFO name of 203 bytes
SOCK = b"s\x1b[1m\n\xffk"                  # sun_path is short: 108 bytes with the dir
ABSTRACT = b"\x00ab\x1b[7m\x00\n\xfe"      # abstract: leading NUL, a NUL inside
SHM = b"ipctop-hostile-" + EVIL            # /dev/shm names: no '/'
MQ = b"/ipctop-hostile-" + EVIL
MEMFD = b"ipctop-" + EVIL
ARG_LONG = b"A" * 5000 + EVIL

HOLDER = r'''
import ctypes, os, socket, sys
libc = ctypes.CDLL(None, use_errno=True)
d, fifo, sock, abstract, shm, mq, memfd, comm = [os.fsencode(a) for a in sys.argv[1:9]]
abstract = abstract.replace(b"@", b"\0")
libc.prctl(15, ctypes.c_char_p(comm), 0, 0, 0)          # PR_SET_NAME
os.mkfifo(os.path.join(d, fifo))
ffd = os.open(os.path.join(d, fifo), os.O_RDWR)
s1 = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s1.bind(os.path.join(d, sock)); s1.listen(1)
s2 = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s2.bind(abstract)
sfd = os.open(b"/dev/shm/" + shm, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
librt = ctypes.CDLL("librt.so.1", use_errno=True)
librt.mq_open.restype = ctypes.c_int
attr = (ctypes.c_long * 8)(0, 1, 16, 0)   # struct mq_attr: small, to fit RLIMIT_MSGQUEUE
qfd = librt.mq_open(ctypes.c_char_p(mq), ctypes.c_int(os.O_CREAT | os.O_EXCL | os.O_RDWR),
                    ctypes.c_int(0o600), ctypes.byref(attr))
mfd = os.memfd_create(os.fsdecode(memfd))
print("pid=%d fifo_ino=%d sock_ino=%d abs_ino=%d mq=%d memfd_fd=%d" % (
    os.getpid(), os.fstat(ffd).st_ino, os.fstat(s1.fileno()).st_ino,
    os.fstat(s2.fileno()).st_ino, qfd, mfd), flush=True)
try:
    sys.stdin.read()
finally:
    os.unlink(os.path.join(d, fifo)); os.unlink(os.path.join(d, sock))
    os.unlink(b"/dev/shm/" + shm)
    if qfd >= 0:
        librt.mq_unlink(ctypes.c_char_p(mq))
'''


def json_form(b):
    """What a name's bytes must be in parsed JSON: valid UTF-8 kept, each
    invalid byte the four characters \\xNN (DESIGN.md, schema 1)."""
    return b.decode("utf-8", "backslashreplace")


def text_form(b):
    """escape_text (src/escape.h) in Python: the batch text of a name."""
    out = []
    i = 0
    while i < len(b):
        for n in (1, 2, 3, 4):
            try:
                ch = b[i:i + n].decode("utf-8")
                break
            except UnicodeDecodeError:
                ch = None
        if ch is None or len(ch) != 1:
            out.append("\\x%02x" % b[i])
            i += 1
            continue
        cp = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch in "\n\t\r":
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}[ch])
        elif cp == 0x1b:
            out.append("\\e")
        elif cp < 0x20 or cp == 0x7f:
            out.append("\\x%02x" % cp)
        elif 0x80 <= cp < 0xa0:
            out.append("".join("\\x%02x" % c for c in b[i:i + n]))
        elif cp in (0x2028, 0x2029) or 0x202a <= cp <= 0x202e or 0x2066 <= cp <= 0x2069:
            out.append("\\u%04x" % cp)
        else:
            out.append(ch)
        i += n
    return "".join(out)


def terminal_safe(text):
    """No C0 but newline, no DEL, no C1, no bidi override or line separator."""
    for ch in text:
        cp = ord(ch)
        if (cp < 0x20 and ch != "\n") or cp == 0x7f or 0x80 <= cp < 0xa0 or \
                cp in (0x2028, 0x2029) or 0x202a <= cp <= 0x202e or 0x2066 <= cp <= 0x2069:
            return "U+%04x at %d" % (cp, text.index(ch))
    return None


tap = Tap()
d = tempfile.mkdtemp(prefix="ipctop-hostile.")
tap.at_exit(lambda: shutil.rmtree(d, ignore_errors=True))

argv = [sys.executable, "-c", HOLDER, d.encode(), LONG, SOCK,
        ABSTRACT.replace(b"\0", b"@"), SHM, MQ, MEMFD, COMM, EVIL, ARG_LONG]
p, info = start_helper(tap, argv)
h = info[0]
pid = h["pid"]

r = run_ipctop("--json", "-p", str(pid), check=False)
tap.eq(r.returncode, 0, "ipctop --json exits 0 over hostile names")
tap.eq(r.stderr, "", "and says nothing on stderr")
try:
    raw = r.stdout_bytes.decode("utf-8")
    tap.ok(True, "the JSON text is valid UTF-8")
except UnicodeDecodeError as e:
    raw = r.stdout_bytes.decode("utf-8", "replace")
    tap.ok(False, "the JSON text is valid UTF-8", e)
try:
    doc = json.loads(raw)
    tap.ok(True, "the JSON document parses")
except ValueError as e:
    doc = {"objects": [], "processes": []}
    tap.ok(False, "the JSON document parses", e)
tap.ok(terminal_safe(raw) is None, "the JSON text holds no raw control byte", terminal_safe(raw))

proc = process(doc, pid) or {}
tap.eq(proc.get("comm"), json_form(COMM), "comm with ESC, newline, BEL, 0xff comes back exactly")
want_cmd = b" ".join([a if isinstance(a, bytes) else os.fsencode(a) for a in argv])
tap.eq(proc.get("cmdline"), json_form(want_cmd),
       "cmdline of %d bytes with escapes and invalid UTF-8 comes back exactly" % len(want_cmd))

fifo = find(doc, lambda o: o["kind"] == "fifo" and o.get("inode") == h["fifo_ino"]) or {}
tap.eq(fifo.get("path"), json_form(d.encode() + b"/" + LONG), "FIFO path of 203 bytes, exact")
tap.ok(endpoints_of(fifo, pid=pid), "the FIFO lists its holder")
us = find(doc, lambda o: o["kind"] == "unix" and o.get("inode") == h["sock_ino"]) or {}
tap.eq(us.get("path"), json_form(d.encode() + b"/" + SOCK), "unix socket path, exact")
ab = find(doc, lambda o: o["kind"] == "unix" and o.get("inode") == h["abs_ino"]) or {}
tap.eq(ab.get("path"), json_form(ABSTRACT.replace(b"\0", b"@")),
       "abstract unix name, NULs as '@', exact")
shm = find(doc, lambda o: o["kind"] == "posix_shm" and o.get("name") == json_form(b"/" + SHM))
tap.ok(shm and endpoints_of(shm, pid=pid), "POSIX shm named with escapes, found with its holder",
       [o.get("name") for o in objects(doc, "posix_shm")])
if h["mq"] >= 0:
    mq = find(doc, lambda o: o["kind"] == "posix_mq" and o.get("name") == json_form(MQ))
    tap.ok(mq and endpoints_of(mq, pid=pid), "POSIX mq named with escapes, found with its holder",
           [o.get("name") for o in objects(doc, "posix_mq")])
else:
    tap.skip("POSIX mq named with escapes", "mq_open failed (no /dev/mqueue?)")
mfd = find(doc, lambda o: o["kind"] == "memfd" and endpoints_of(o, pid=pid))
tap.ok(mfd and json_form(MEMFD) in (mfd.get("name") or "") + (mfd.get("path") or ""),
       "memfd named with escapes, exact", mfd)

# batch text
r = run_ipctop("-b", "-p", str(pid), check=False)
tap.eq(r.returncode, 0, "ipctop -b exits 0 over hostile names")
try:
    text = r.stdout_bytes.decode("utf-8")
    tap.ok(True, "the batch text is valid UTF-8")
except UnicodeDecodeError as e:
    text = r.stdout_bytes.decode("utf-8", "replace")
    tap.ok(False, "the batch text is valid UTF-8", e)
bad = terminal_safe(text)
tap.ok(bad is None, "the batch text holds no byte a terminal acts on", bad)
lines = text.split("\n")
for what, b in (("FIFO path", d.encode() + b"/" + LONG), ("unix path", d.encode() + b"/" + SOCK),
                ("abstract name", ABSTRACT.replace(b"\0", b"@")), ("shm name", b"/" + SHM),
                ("comm", COMM)):
    want = text_form(b)
    n = sum(1 for ln in lines if want in ln)
    tap.ok(n >= 1, "batch shows the %s escaped on one line (%s...)" % (what, want[:40]),
           "\n".join(ln for ln in lines if str(pid) in ln)[:2000])

p.stdin.close()
p.wait(timeout=10)
tap.eq(p.returncode, 0, "the holder cleaned up")
