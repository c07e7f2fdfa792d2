"""The live screen through tmux, for python screen tests: a tmux server on a
private socket (-L), killed at exit; the pane's text; keys; and a log of the
raw bytes ipctop writes to its terminal (pipe-pane), taken from the first
byte on because the program waits for the log to be in place."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.environ.get("TOP_SRCDIR", "."), "tests", "live"))
from ipclib import *  # noqa: E402,F401,F403


def have_tmux():
    return shutil.which("tmux") is not None


class Screen:
    """One tmux server; start() runs a command in its only pane."""

    def __init__(self, tap, w=200, h=50):
        self.sock = "ipctop-scr-%d" % os.getpid()
        self.w, self.h = w, h
        self.dir = tempfile.mkdtemp(prefix="ipctop-scr.")
        os.chmod(self.dir, 0o755)
        self.raw = os.path.join(self.dir, "raw")
        tap.at_exit(self.close)

    def tm(self, *args, check=False):
        r = subprocess.run(["tmux", "-L", self.sock] + list(args), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=20)
        if check and r.returncode:
            raise RuntimeError("tmux %s: %s" % (args, r.stderr.decode(errors="replace")))
        return r.stdout.decode("utf-8", "replace")

    def close(self):
        self.tm("kill-server")
        # tmux leaves its socket file behind
        base = os.environ.get("TMUX_TMPDIR") or "/tmp"
        try:
            os.unlink(os.path.join(base, "tmux-%d" % os.getuid(), self.sock))
        except OSError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self, cmd, log_raw=True):
        """Runs cmd (a shell command line) in a fresh w x h pane; it starts
        once pipe-pane logs the pane's output. The pane then shows EXIT=rc."""
        self.tm("kill-server")
        time.sleep(0.2)
        go = os.path.join(self.dir, "go")
        if os.path.exists(go):
            os.unlink(go)
        if os.path.exists(self.raw):
            os.unlink(self.raw)
        line = "while [ ! -e %s ]; do sleep 0.05; done; %s; echo EXIT=$?; sleep 300" % (go, cmd)
        self.tm("-f", "/dev/null", "new-session", "-d", "-x", str(self.w), "-y", str(self.h),
                line, check=True)
        if log_raw:
            self.tm("pipe-pane", "-o", "cat >> %s" % self.raw, check=True)
            time.sleep(0.2)
        open(go, "w").close()

    def text(self):
        return self.tm("capture-pane", "-p")

    def shown(self, t=None):
        """The pane's text without blank lines (for diagnostics)."""
        t = self.text() if t is None else t
        return "\n".join(ln for ln in t.split("\n") if ln.strip())

    def lines(self):
        return self.text().split("\n")

    def raw_bytes(self):
        try:
            with open(self.raw, "rb") as f:
                return f.read()
        except OSError:
            return b""

    def wait_for(self, pattern, timeout=10.0, absent=False):
        """Until the pane shows (or, absent, stops showing) the regex; the
        text at that time, or None."""
        end = time.time() + timeout
        rx = re.compile(pattern, re.M)
        while True:
            t = self.text()
            if bool(rx.search(t)) != absent:
                return t
            if time.time() > end:
                return None
            time.sleep(0.1)

    def keys(self, *keys):
        self.tm("send-keys", *keys)
        time.sleep(0.15)

    def literal(self, s):
        self.tm("send-keys", "-l", s)
        time.sleep(0.15)

    def hex(self, data):
        """Sends raw bytes as if typed (mouse reports, odd keys)."""
        self.tm("send-keys", "-H", *["%02x" % b for b in data])
        time.sleep(0.15)

    def title(self):
        return self.tm("display", "-p", "#{pane_title}").strip()

    def pane_pid(self):
        out = self.tm("display", "-p", "#{pane_pid}").strip()
        return int(out) if out.isdigit() else None

    def expect(self, tap, desc, pattern, timeout=10.0):
        t = self.wait_for(pattern, timeout)
        return tap.ok(t is not None, desc, None if t is not None else self.shown())

    def expect_not(self, tap, desc, pattern, pause=0.6):
        time.sleep(pause)
        t = self.text()
        return tap.ok(not re.search(pattern, t, re.M), desc, self.shown(t))
