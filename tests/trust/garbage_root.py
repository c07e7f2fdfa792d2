#!/usr/bin/env python3
"""Malformed input through --root: each fixture tree of tests/fixtures in turn,
copied, then damaged at random (files truncated, filled with garbage, bytes flipped,
emptied, removed, made huge, turned into directories, fd links aimed at
garbage). ipctop --json and -b over each damaged tree must end normally (exit
0, or 1 with a message), never by a signal or a sanitizer report, and print
valid JSON when they succeed. The seed is printed for a failing trial."""
import json
import os
import random
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ.get("TOP_SRCDIR", "."), "tests", "live"))
from ipclib import *  # noqa: E402,F403

TRIALS = int(os.environ.get("GARBAGE_TRIALS", "200"))
SEED = int(os.environ.get("GARBAGE_SEED", "20251121"))

tap = Tap()
tmp = tempfile.mkdtemp(prefix="ipctop-garbage.")
tap.at_exit(lambda: shutil.rmtree(tmp, ignore_errors=True))

fixtures = os.path.join(SRCDIR, "tests", "fixtures")
bases = [os.path.join(fixtures, n) for n in sorted(os.listdir(fixtures))]
base = bases[0]


def entries(root):
    files, links, dirs = [], [], []
    for d, dn, fn in os.walk(root):
        for n in fn:
            p = os.path.join(d, n)
            (links if os.path.islink(p) else files).append(p)
        for n in dn:
            p = os.path.join(d, n)
            (links if os.path.islink(p) else dirs).append(p)
    return files, links, dirs


def garbage(rng, n):
    pick = rng.random()
    if pick < 0.3:
        return bytes(rng.randrange(256) for _ in range(n))
    if pick < 0.6:  # plausible tokens in a wrong order
        toks = [b"0", b"-1", b"18446744073709551616", b"99999999999999999999999", b"0x",
                b":", b"[", b"]", b"(", b")", b"\t", b"\n", b" ", b"key", b"Name:", b"SigPnd:",
                b"ffffffffffffffffff", b"pipe:[", b"socket:[", b"\x00", b"\xff", b"-"]
        return b"".join(rng.choice(toks) for _ in range(n // 3 + 1))
    return b"\n".join(b" " * rng.randrange(300) for _ in range(rng.randrange(1, 20)))


def damage(rng, root):
    files, links, dirs = entries(root)
    what = rng.randrange(9)
    if what == 0 and files:      # truncate
        p = rng.choice(files)
        size = os.path.getsize(p)
        os.truncate(p, rng.randrange(size + 1) if size else 0)
    elif what == 1 and files:    # garbage
        with open(rng.choice(files), "wb") as f:
            f.write(garbage(rng, rng.randrange(1, 400)))
    elif what == 2 and files:    # flip bytes
        p = rng.choice(files)
        b = bytearray(open(p, "rb").read())
        for _ in range(rng.randrange(1, 8)):
            if b:
                b[rng.randrange(len(b))] = rng.randrange(256)
        open(p, "wb").write(bytes(b))
    elif what == 3 and files:    # empty
        open(rng.choice(files), "wb").close()
    elif what == 4 and files:    # remove
        os.unlink(rng.choice(files))
    elif what == 5 and files:    # huge: one long line, or many lines
        with open(rng.choice(files), "ab") as f:
            f.write(b"9" * 200000 if rng.random() < 0.5 else b"1 2 3 4 5 6 7 8 9\n" * 20000)
    elif what == 6 and files:    # a directory where a file is expected
        p = rng.choice(files)
        os.unlink(p)
        os.mkdir(p)
    elif what == 7 and links:    # an fd aimed at garbage
        p = rng.choice(links)
        os.unlink(p)
        os.symlink(rng.choice(["pipe:[", "pipe:[99999999999999999999]", "socket:[-1]",
                               "anon_inode:", "", "/", "x" * 4000, "pipe:[1]x",
                               "/dev/shm/../../etc", "memfd:\x1b[2J (deleted)"]) or "e", p)
    elif what == 8 and dirs:     # a file where a directory is expected
        p = rng.choice(dirs)
        shutil.rmtree(p)
        open(p, "wb").write(garbage(rng, 50))


def crashed(r):
    return r.returncode < 0 or r.returncode > 2 or "Sanitizer" in r.stderr or \
        "runtime error" in r.stderr


rng = random.Random(SEED)
bad = []
for trial in range(TRIALS):
    seed = rng.randrange(1 << 30)
    t = os.path.join(tmp, "t%d" % trial)
    shutil.copytree(bases[trial % len(bases)], t, symlinks=True)
    r2 = random.Random(seed)
    for _ in range(r2.randrange(1, 12)):
        damage(r2, t)
    for args in (("--json",), ("-b",)):
        r = run_ipctop("--root", t, *args, check=False, timeout=120)
        why = None
        if crashed(r):
            why = "exit %d: %s" % (r.returncode, r.stderr[-1500:])
        elif r.returncode != 0 and not r.stderr.strip():
            why = "exit %d without a message" % r.returncode
        elif r.returncode == 0 and args == ("--json",):
            try:
                json.loads(r.stdout_bytes.decode("utf-8"))
            except ValueError as e:
                why = "invalid JSON: %s" % e
        if why:
            bad.append("trial %d (GARBAGE_SEED=%d, tree seed %d) %s: %s" % (
                trial, SEED, seed, " ".join(args), why))
    shutil.rmtree(t, ignore_errors=True)
tap.ok(not bad, "%d damaged fixture trees: no crash, valid JSON, a message on failure" % TRIALS,
       "\n".join(bad))

# trees that are not trees at all
empty = os.path.join(tmp, "empty")
os.mkdir(empty)
for what, root in (("an empty directory", empty), ("a missing directory", empty + "/none"),
                   ("a regular file", os.path.join(SRCDIR, "tests", "trust", "hostile.py"))):
    r = run_ipctop("--root", root, "--json", check=False)
    tap.ok(r.returncode != 0 and not crashed(r) and r.stderr.startswith("ipctop:"),
           "--root on %s: a message and a failure exit (%d)" % (what, r.returncode), r.stderr)
proc_only = os.path.join(tmp, "proconly")
os.makedirs(os.path.join(proc_only, "proc"))
r = run_ipctop("--root", proc_only, "--json", check=False)
ok = r.returncode == 0 and not crashed(r)
if ok:
    doc = json.loads(r.stdout_bytes.decode("utf-8"))
    ok = doc["objects"] == [] and doc["processes"] == []
tap.ok(ok, "--root with an empty /proc: an empty snapshot", r.stderr)
