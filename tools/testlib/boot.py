"""Boots the real system in QEMU for a test: runs tools/run's launcher with a
wall-clock deadline, collects the serial console line by line, and can stop
as soon as a given line appears. Everything QEMU printed goes to the case's
log, which the runner keeps under build/test-logs/ when the case fails."""

import os
import re
import selectors
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "runlib"))
import qemu  # noqa: E402

ONLINE = re.compile(r"^cpu (\d+): online, kernel data at 0x([0-9a-f]+)-0x([0-9a-f]+)")
SUMMARY = re.compile(r"^boot: (\d+)/(\d+) cores online")


class Boot:
    def __init__(self, rc, lines, stopped_early):
        self.rc = rc  # the system's exit status; None if stopped by the test
        self.lines = lines
        self.stopped_early = stopped_early

    def has(self, text):
        return any(text in line for line in self.lines)

    def matching(self, pattern):
        rx = re.compile(pattern)
        return [m for m in (rx.search(line) for line in self.lines) if m]


def run_argv(t, arch, cores, cmdline, accel="tcg", archive=None, program=None, disks=(),
             root=None, net=False, forwards=(), gdb=None, sanitize=False):
    argv = [sys.executable, os.path.join(t.root, "tools", "runlib", "run.py"), "--quiet",
            "--arch", arch, "--cores", str(cores), "--cmdline", cmdline]
    if arch != "hosted":  # the hosted platform runs on this machine's own cores
        argv += ["--accel", accel]
    if archive:
        argv += ["--archive", archive]
    if root:
        argv += ["--root", root]
    for disk in disks:
        argv += ["--disk", disk]
    if net:
        argv += ["--net"]
    if gdb:  # hosted: the domain that waits for gdb
        argv += ["--gdb", gdb]
    if sanitize:  # hosted: the sanitizer build
        argv += ["--sanitize"]
    for f in forwards:  # (HOST, GUEST) for TCP, or ("udp", HOST, GUEST)
        argv += ["--forward", ":".join(str(x) for x in f)]
    if program:
        argv += ["--"] + list(program)
    t.log("$ " + " ".join(argv))
    return argv


def case_env(t):
    """The environment of a system under test: its temporary files go in the
    case's folder, which the runner removes even when the system had to be
    killed (a kill -9 leaves no time to clean up)."""
    return dict(os.environ, TMPDIR=t.tmp)


def boot(t, arch="x86_64", cores=4, cmdline="poweroff", accel="tcg", timeout=120,
         until=None, archive=None, program=None, disks=(), root=None, net=False, forwards=(),
         sanitize=False):
    """Boots and waits for the system to end, or for a line matching `until`
    (a regex) after which QEMU is stopped. Fails the case past the deadline.
    disks: raw images attached as virtio block devices after the root image
    (disk1 first); root: a root image to boot and write to (default: a fresh
    copy of the built one); net: a virtio network device (QEMU's user
    network), forwards: (host, guest) TCP ports forwarded to it."""
    argv = run_argv(t, arch, cores, cmdline, accel, archive, program, disks, root, net, forwards,
                    sanitize=sanitize)
    proc = subprocess.Popen(argv, cwd=t.root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True, env=case_env(t))
    lines, partial = [], b""
    stop_rx = re.compile(until) if until else None
    deadline = time.monotonic() + timeout
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    stopped = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                t.log("\n".join(lines))
                t.fail(f"no end of boot within {timeout}s ({len(lines)} lines so far)")
            if not sel.select(timeout=min(left, 1.0)):
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            partial += chunk
            *done, partial = partial.split(b"\n")
            for raw in done:
                line = raw.decode(errors="replace").rstrip("\r")
                lines.append(line)
                if stop_rx and stop_rx.search(line):
                    stopped = True
            if stopped:
                break
    finally:
        if proc.poll() is None and (stopped or time.monotonic() >= deadline):
            os.killpg(proc.pid, 9)
        rc = proc.wait(timeout=30)
        sel.close()
        if partial:
            lines.append(partial.decode(errors="replace"))
    t.log("\n".join(lines))
    return Boot(None if stopped else rc, lines, stopped)


class Session:
    """A booted system whose serial console (QEMU's stdio) the test types
    into, as a user at the terminal would: it waits for what the system prints
    (with a deadline) before it types the next thing."""

    def __init__(self, t, arch="x86_64", cores=4, cmdline="", accel="tcg", timeout=180,
                 program=None, disks=(), root=None, net=False, forwards=(), gdb=None):
        self.t = t
        argv = run_argv(t, arch, cores, cmdline, accel, program=program, disks=disks, root=root,
                        net=net, forwards=forwards, gdb=gdb)
        self.proc = subprocess.Popen(argv, cwd=t.root,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True,
                                     env=case_env(t))
        self.deadline = time.monotonic() + timeout
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.proc.stdout, selectors.EVENT_READ)
        self.text = ""  # everything printed so far, without carriage returns
        self.pos = 0  # where the next expect starts looking
        self.ended = False

    def _read(self, until):
        """Reads what is there, waiting until `until` at most; False at the end."""
        left = min(until, self.deadline) - time.monotonic()
        if left <= 0 or not self.sel.select(timeout=min(left, 1.0)):
            return True
        chunk = os.read(self.proc.stdout.fileno(), 65536)
        if not chunk:
            self.ended = True
            return False
        self.text += chunk.decode(errors="replace").replace("\r", "")
        return True

    def expect(self, pattern, timeout=60, fail=True):
        """Waits for pattern (a multi-line regex) in what comes after the last
        match; returns the match, or fails the case (None if fail is False)."""
        rx = re.compile(pattern, re.M)
        until = time.monotonic() + timeout
        while True:
            m = rx.search(self.text, self.pos)
            if m:
                self.pos = m.end()
                return m
            if time.monotonic() >= min(until, self.deadline) or not self._read(until):
                break
        if fail:
            self.close()
            self.t.fail(f"no {pattern!r} within {timeout}s; the console ended with: "
                        f"{self.text[-300:]!r}")
        return None

    def send(self, text):
        self.t.log(f">>> {text!r}")
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def kill(self):
        """Ends QEMU at once, as a power cut ends a machine."""
        os.killpg(self.proc.pid, 9)
        self.proc.wait(timeout=30)
        self.sel.close()
        self.ended = True
        self.t.log(self.text)

    def close(self, timeout=60):
        """Waits for the system to end (killing it past timeout); its status."""
        until = time.monotonic() + timeout
        while not self.ended and time.monotonic() < until:
            self._read(until)
        if self.proc.poll() is None and not self.ended:
            os.killpg(self.proc.pid, 9)
        rc = self.proc.wait(timeout=30)
        self.sel.close()
        self.t.log(self.text)
        return rc if self.ended else None


def check_cores_online(t, b, cores):
    """N 'online' lines, one per core, whose kernel data ranges are disjoint,
    and the summary line saying all N are online."""
    online = b.matching(ONLINE.pattern)
    ids = sorted(int(m.group(1)) for m in online)
    t.check(ids == list(range(cores)), f"cores online: {ids}, expected 0..{cores - 1}")
    ranges = sorted((int(m.group(2), 16), int(m.group(3), 16)) for m in online)
    for (s1, e1), (s2, e2) in zip(ranges, ranges[1:]):
        t.check(s1 <= e1 and e1 < s2 <= e2,
                f"kernel data ranges overlap: 0x{s1:x}-0x{e1:x} and 0x{s2:x}-0x{e2:x}")
    t.check(b.has(f"boot: {cores}/{cores} cores online"),
            f"no 'boot: {cores}/{cores} cores online' line")


def kvm_or_skip(t):
    problem = qemu.kvm_problem()
    if problem:
        t.skip(f"KVM unavailable: {problem}")
