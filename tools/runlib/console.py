"""A booted system driven through its serial console, for the tools that
type commands into it and read what it prints (tools/bench --net,
tools/faultinject): QEMU started by tools/runlib/run.py in a session of its
own, its output read without blocking, each wait for a pattern with a
deadline. The test suite has its own (tools/testlib/boot.py's Session),
which also logs into a case."""

import os
import re
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Console:
    def __init__(self, arch, cores=4, disks=(), forwards=(), net=False):
        self.cores = cores
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

    def hosted_served(self, cores, timeout=5):
        """The hosted platform only: asks every core's kernel, past the
        console (SIGUSR2 to the boot core's process, cpudriver/arch/hosted/
        alive.c), how many requests it served since the last ask; a dict of
        core to count, without the cores that did not answer in time."""
        try:
            with open(f"/proc/{self.p.pid}/task/{self.p.pid}/children") as f:
                kernel = int(f.read().split()[0])
            os.kill(kernel, signal.SIGUSR2)
        except (OSError, IndexError, ValueError):
            return {}
        counts = {}
        until = time.monotonic() + timeout
        while len(counts) < cores and time.monotonic() < until:
            m = self.expect(r"hosted: core (\d+): (\d+) requests served since the last ask",
                            timeout=max(0.1, until - time.monotonic()))
            if m is None:
                break
            counts[int(m.group(1))] = int(m.group(2))
        return counts

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
