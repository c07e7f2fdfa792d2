"""Shared helpers for live tests: TAP output, running ipctop, reading its JSON.

Every test script prints TAP (1..N, ok/not ok) so automake's tap-driver and
.ci/run count each case. Tests start their own processes and end only those,
by pid, whatever happens (see Tap.cleanup / atexit).
"""
import atexit
import json
import os
import pwd
import signal
import subprocess
import sys
import time

IPCTOP = os.environ.get("IPCTOP", os.path.join(os.path.dirname(__file__), "..", "..", "src", "ipctop"))
IPCDEMO = os.environ.get("IPCDEMO", os.path.join(os.path.dirname(__file__), "..", "..", "src", "demo", "ipcdemo"))
BUILDDIR = os.environ.get("TOP_BUILDDIR", os.path.join(os.path.dirname(__file__), "..", ".."))


def _built_with_bpf():
    try:
        with open(os.path.join(BUILDDIR, "config.h")) as f:
            return "#define HAVE_BPF 1" in f.read()
    except OSError:
        return False


# configure found clang, bpftool and libbpf: the fd and run dumps are built in
HAVE_BPF = _built_with_bpf()
SRCDIR = os.environ.get("TOP_SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))


class Tap:
    """Collects test cases; prints the plan at the end (TAP allows a trailing plan)."""

    def __init__(self):
        self.n = 0
        self.failed = 0
        self._procs = []
        self._cleanups = []
        atexit.register(self._finish)

    def ok(self, cond, desc, diag=None):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, desc), flush=True)
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, desc), flush=True)
            if diag is not None:
                for line in str(diag).splitlines()[:40]:
                    print("# " + line, flush=True)
        return cond

    def eq(self, got, want, desc):
        return self.ok(got == want, desc, "got:  %r\nwant: %r" % (got, want))

    def skip(self, desc, reason):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, desc, reason), flush=True)

    def spawn(self, argv, **kw):
        """Starts a process that is killed (by pid) at exit."""
        p = subprocess.Popen(argv, **kw)
        self._procs.append(p)
        return p

    def at_exit(self, fn):
        self._cleanups.append(fn)

    def _finish(self):
        for p in self._procs:
            if p.poll() is None:
                try:
                    p.send_signal(signal.SIGTERM)
                    p.wait(timeout=5)
                except Exception:
                    try:
                        p.kill()
                        p.wait(timeout=5)
                    except Exception:
                        pass
        for fn in reversed(self._cleanups):
            try:
                fn()
            except Exception as e:  # cleanup must not hide results
                print("# cleanup failed: %r" % (e,), flush=True)
        print("1..%d" % self.n, flush=True)
        sys.stdout.flush()
        if self.failed:
            os._exit(1)


def run_ipctop(*args, timeout=60, check=True):
    """Runs ipctop with args; returns CompletedProcess (text, bytes kept in .stdout_bytes)."""
    p = subprocess.run([IPCTOP] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    p.stdout_bytes = p.stdout
    p.stdout = p.stdout.decode("utf-8", "replace")
    p.stderr = p.stderr.decode("utf-8", "replace")
    if check and p.returncode != 0:
        raise RuntimeError("ipctop %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr))
    return p


def snapshot(*args):
    """One JSON snapshot (ipctop --json [args]) parsed with a real JSON parser."""
    p = run_ipctop("--json", *args)
    return json.loads(p.stdout_bytes.decode("utf-8"))


def objects(doc, kind=None):
    return [o for o in doc["objects"] if kind is None or o["kind"] == kind]


def find(doc, pred):
    for o in doc["objects"]:
        if pred(o):
            return o
    return None


def endpoints_of(obj, pid=None, via=None):
    return [e for e in obj.get("endpoints", [])
            if (pid is None or e["pid"] == pid) and (via is None or e["via"] == via)]


def process(doc, pid):
    for p in doc["processes"]:
        if p["pid"] == pid:
            return p
    return None


def wait_for(fn, timeout=10.0, step=0.1):
    """Polls fn() until it returns a truthy value or the timeout passes."""
    end = time.time() + timeout
    while True:
        v = fn()
        if v or time.time() > end:
            return v
        time.sleep(step)


def fd_inode(pid, fd):
    """The inode a process's fd points at ("pipe:[123]" -> 123)."""
    t = os.readlink("/proc/%d/fd/%d" % (pid, fd))
    return int(t[t.index("[") + 1:t.index("]")]) if "[" in t else os.stat("/proc/%d/fd/%d" % (pid, fd)).st_ino


def start_helper(tap, argv, ready_lines=1):
    """Starts a tests/helpers program that prints ready lines ("key=value ...") on stdout
    then waits until stdin closes or it is signalled. Returns (proc, [dict per line])."""
    p = tap.spawn(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    info = []
    for _ in range(ready_lines):
        line = p.stdout.readline()
        if not line:
            raise RuntimeError("helper %s exited early" % argv)
        d = {}
        for tok in line.split():
            if "=" in tok:
                k, v = tok.split("=", 1)
                d[k] = int(v) if v.lstrip("-").isdigit() else v
        info.append(d)
    return p, info


TEST_USER = "ipctop-test"


def test_user(tap):
    """The unprivileged user tests switch to (root only): created if missing, as a
    system user without home or shell, and removed at exit if it was created."""
    try:
        return pwd.getpwnam(TEST_USER)
    except KeyError:
        pass
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                    TEST_USER], check=True)
    tap.at_exit(lambda: subprocess.run(["userdel", TEST_USER], check=False))
    return pwd.getpwnam(TEST_USER)
