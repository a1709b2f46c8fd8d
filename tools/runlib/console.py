"""A booted system driven through its serial console, for the tools that
type commands into it and read what it prints (tools/bench --net,
tools/faultinject): QEMU started by tools/runlib/run.py in a session of its
own, its output read without blocking, each wait for a pattern with a
deadline. The test suite has its own (tools/testlib/boot.py's Session),
which also logs into a case."""

import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Console:
    def __init__(self, arch, cores=4, disks=(), forwards=(), net=False):
        argv = [sys.executable, os.path.join(ROOT, "tools", "runlib", "run.py"), "--quiet",
                "--arch", arch, "--cores", str(cores)]
        for d in disks:
            argv += ["--disk", d]
        if net:
            argv += ["--net"]
        for f in forwards:
            argv += ["--forward", ":".join(str(x) for x in f)]
        self.p = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        os.set_blocking(self.p.stdout.fileno(), False)
        self.text = ""
        self.pos = 0
        self.ended = False

    def read(self):
        """What QEMU printed meanwhile; False once it has ended."""
        try:
            chunk = os.read(self.p.stdout.fileno(), 65536)
        except BlockingIOError:
            return True
        if not chunk:
            self.ended = True
            return False
        self.text += chunk.decode(errors="replace").replace("\r", "")
        return True

    def expect(self, pattern, timeout=180):
        """The match of pattern after the last one, or None at the deadline
        (or once QEMU ended)."""
        rx = re.compile(pattern, re.M)
        until = time.monotonic() + timeout
        while True:
            m = rx.search(self.text, self.pos)
            if m:
                self.pos = m.end()
                return m
            if time.monotonic() >= until or self.ended:
                return None
            before = len(self.text)
            if self.read() and len(self.text) == before:
                time.sleep(0.02)

    def send(self, text):
        try:
            self.p.stdin.write(text.encode())
            self.p.stdin.flush()
        except BrokenPipeError:
            self.ended = True

    def close(self, timeout=30):
        """Asks the shell to end the system; kills QEMU past timeout."""
        if not self.ended:
            self.send("exit\n")
        try:
            self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self):
        try:
            os.killpg(self.p.pid, 9)
        except ProcessLookupError:
            pass
        self.p.wait(timeout=30)
        self.ended = True
