#!/usr/bin/env python3
"""Terminal injection on the live screen: real objects whose names hold
escape sequences (an OSC that sets the terminal title, a clear-screen CSI, a
C1 CSI), control bytes, a newline, invalid UTF-8 and very long names -- a
process's comm, two FIFOs, a unix socket path, a /dev/shm name, and a FIFO
created while the screen runs (an event). ipctop runs in tmux limited to the
holders' pids; every byte it writes to the terminal is logged (pipe-pane).
Checked: the objects list, the detail of each object, the processes view,
the graph and the events show the names escaped; the pane title is not
changed; the screen is not cleared or garbled; and none of the injected
sequences or invalid bytes is in the raw byte stream."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from screenlib import *  # noqa: E402,F403

COMM = b"\x1b]0;PWNED\x07"                                   # 10 bytes
FIFO = b"X\x1b[2J\xff\xc2\x9b7m\x1b]2;PWNED\x07"
LONG = b"L" * 180 + b"\x1b[2JZ\xfeend"
SOCK = b"s\nX\x1b[2J"
SHM = b"ipctop-scr-X\x1b[2J\xff\x1b]0;PWNED\x07"
NEW = b"N\x1b]0;PWNED\x07new\xff"

HOLDER = r'''
import ctypes, os, signal, socket, sys
libc = ctypes.CDLL(None, use_errno=True)
d, fifo, long_, sock, shm, new, comm = [os.fsencode(a) for a in sys.argv[1:8]]
libc.prctl(15, ctypes.c_char_p(comm), 0, 0, 0)          # PR_SET_NAME
os.mkfifo(os.path.join(d, fifo))
f1 = os.open(os.path.join(d, fifo), os.O_RDWR)
os.write(f1, b"queued")
os.mkfifo(os.path.join(d, long_))
f2 = os.open(os.path.join(d, long_), os.O_RDWR)
s1 = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s1.bind(os.path.join(d, sock)); s1.listen(1)
sfd = os.open(b"/dev/shm/" + shm, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
child = os.fork()
if child == 0:
    libc.prctl(1, 9, 0, 0, 0)                             # PR_SET_PDEATHSIG SIGKILL
    while True:
        signal.pause()
print("pid=%d child=%d fifo_ino=%d long_ino=%d sock_ino=%d" % (
    os.getpid(), child, os.fstat(f1).st_ino, os.fstat(f2).st_ino,
    os.fstat(s1.fileno()).st_ino), flush=True)
f3 = None
try:
    for line in sys.stdin:
        if line.strip() == "more" and f3 is None:
            os.mkfifo(os.path.join(d, new))
            f3 = os.open(os.path.join(d, new), os.O_RDWR)
            print("more ino=%d" % os.fstat(f3).st_ino, flush=True)
finally:
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)
    for n in (fifo, long_, sock) + ((new,) if f3 is not None else ()):
        os.unlink(os.path.join(d, n))
    os.unlink(b"/dev/shm/" + shm)
'''


def text_form(b):
    """escape_text (src/escape.h) of these names: \\e, \\n, \\xNN."""
    out = []
    for ch in b.decode("utf-8", "surrogateescape"):
        cp = ord(ch)
        if 0xdc80 <= cp <= 0xdcff:
            out.append("\\x%02x" % (cp - 0xdc00))
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif cp == 0x1b:
            out.append("\\e")
        elif cp < 0x20 or cp == 0x7f:
            out.append("\\x%02x" % cp)
        elif 0x80 <= cp < 0xa0:
            out.append("".join("\\x%02x" % c for c in ch.encode()))
        else:
            out.append(ch)
    return "".join(out)


def raw_controls(text):
    """A character of the pane text a terminal would act on, or None."""
    for i, ch in enumerate(text):
        cp = ord(ch)
        if (cp < 0x20 and ch != "\n") or cp == 0x7f or 0x80 <= cp < 0xa0 or cp == 0xfffd:
            return "U+%04x at %d: %r" % (cp, i, text[max(0, i - 30):i + 10])
    return None


tap = Tap()
if not have_tmux():
    tap.skip("hostile names on the screen", "tmux is not installed")
    sys.exit(0)

d = tempfile.mkdtemp(prefix="ipctop-scrhostile.")
tap.at_exit(lambda: shutil.rmtree(d, ignore_errors=True))
scr = Screen(tap, 200, 50)
p, info = start_helper(tap, [sys.executable, "-c", HOLDER, d.encode(), FIFO, LONG, SOCK, SHM,
                             NEW, COMM])
h = info[0]
pids = "%d,%d" % (h["pid"], h["child"])
ecomm = text_form(COMM)
efifo = text_form(FIFO)
eshm = text_form(b"/" + SHM)
esock = text_form(SOCK)

scr.start("env LANG=C.UTF-8 TERM=screen %s -d 0.5 -p %s" % (IPCTOP, pids))
scr.expect(tap, "the rows of the hostile objects are shown", r"^pshm .*\n(.*\n)*^unix |^unix ")
t = scr.wait_for(r"^fifo .*X\\e\[2J", 10) or scr.text()
title = scr.title()
tap.ok("PWNED" not in title, "the pane title is not changed by a name (%r)" % title)
lines = t.rstrip("\n").split("\n")
tap.ok(lines[0].startswith("ipctop ") and "F10Quit" in t.rstrip("\n").split("\n")[-1],
       "the header and the key bar are in place (nothing cleared or scrolled)", t)
tap.ok(raw_controls(t) is None, "the pane holds no control character", raw_controls(t))
tap.ok(ecomm in t, "the comm is shown escaped: %s" % ecomm, t)
tap.ok(re.search(r"^fifo .*" + re.escape(efifo[6:]) + " ", t, re.M) is not None,
       "the FIFO path is shown escaped (CSI, 0xff, C1 as text)", t)
tap.ok(re.search(r"^pshm .*" + re.escape(eshm[:20]), t, re.M) is not None,
       "the /dev/shm name is shown escaped", t)
tap.ok(re.search(r"^unix .*" + re.escape(esock), t, re.M) is not None,
       "the unix socket path with a newline stays on one row: %s" % esock, t)
tap.ok(re.search(r"^fifo .*…L+\\e\[2JZ\\xfeend ", t, re.M) is not None,
       "the 200-byte FIFO path is cut in the middle and keeps its escaped end", t)
rows = [ln for ln in lines[5:-1] if ln.strip()]
tap.ok(rows and all(re.match(r"^(fifo|pshm|unix|pipe|mmap|memfd) ", ln) for ln in rows),
       "every line under the titles is a row of its own (no name spilled a line)", t)


def detail(search, want, desc):
    scr.keys("/")
    scr.literal(search)
    scr.keys("Enter")
    scr.keys("Enter")
    t = scr.wait_for(re.escape(want), 5)
    tap.ok(t is not None and raw_controls(t) is None, desc, t or scr.text())
    scr.keys("Escape")
    scr.wait_for("^KIND", 5)


detail("]2;PWNED", "path           " + d + "/" + efifo,
       "the FIFO's detail shows its full path escaped")
detail("]2;PWNED", "%-7d %-16s" % (h["pid"], ecomm),
       "the detail's endpoints show the holder's comm escaped")
detail("ipctop-scr-X", "name           " + eshm, "the shm's detail shows its name escaped")
detail("s\\nX", "path           " + d + "/" + esock,
       "the socket's detail shows its path escaped, on one line")
detail("LLLLLLLL", "path           " + d + "/LLLL", "the long FIFO's detail starts its path")

scr.keys("p")
t = scr.wait_for(r"^ *%d +%s" % (h["pid"], re.escape(ecomm)), 5)
tap.ok(t is not None and raw_controls(t) is None,
       "the processes view shows the comm escaped", t or scr.text())
scr.keys("F5")
t = scr.wait_for(r"[|│] *\\e\]0;PWNED", 5)
tap.ok(t is not None and raw_controls(t) is None,
       "the graph's process boxes show the comm escaped", t or scr.text())
scr.keys("o")

p.stdin.write("more\n")
p.stdin.flush()
more = p.stdout.readline().split()
tap.eq(more[:1], ["more"], "a FIFO with a hostile name is created live")
new_ino = more[1].split("=")[1] if len(more) > 1 else "?"
scr.keys("e")
t = scr.wait_for(r"created +fifo +created fifo:%s \(%d %s" % (new_ino, h["pid"], re.escape(ecomm)),
                 8)
tap.ok(t is not None and raw_controls(t) is None,
       "the events view shows its creation by the holder, comm escaped", t or scr.text())
scr.keys("o")
t = scr.wait_for(r"^fifo .*" + re.escape(text_form(NEW)), 5)
tap.ok(t is not None, "the new FIFO's row shows its name escaped", t or scr.text())

scr.keys("q")
scr.expect(tap, "q quits with status 0", "^EXIT=0")
title = scr.title()
tap.ok("PWNED" not in title, "the pane title is still not changed at the end (%r)" % title)

raw = scr.raw_bytes()
tap.ok(len(raw) > 10000, "the terminal's raw byte stream was logged (%d bytes)" % len(raw))
for what, seq in (("an OSC (title) sequence", b"\x1b]"), ("the BEL that ends it", b"PWNED\x07"),
                  ("the clear-screen from a name", b"X\x1b[2J"),
                  ("the CSI in the long name", b"\x1b[2JZ"), ("a raw 0xff byte", b"\xff"),
                  ("a raw 0xfe byte", b"\xfe"), ("a C1 CSI (0xc2 0x9b)", b"\xc2\x9b"),
                  ("the newline of the socket name", b"s\nX")):
    i = raw.find(seq)
    tap.ok(i < 0, "the raw output holds no %s" % what,
           None if i < 0 else repr(raw[max(0, i - 40):i + 40]))

p.stdin.close()
p.wait(timeout=10)
tap.eq(p.returncode, 0, "the holder cleaned up")
