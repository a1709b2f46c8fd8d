"""testlib — what a Python test case in tests/ gets: a context `t` with a scratch
folder, a log kept for failures, and helpers to run commands with deadlines.

A test module is any tests/**/test_*.py; each function named test_* in it is one
case, called with a Context. A case passes by returning, fails by raising
(t.fail, t.check or any exception), and is skipped by raising Skip."""

import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Skip(Exception):
    """Raised by a case that cannot run here; the reason is printed."""


class Failure(AssertionError):
    pass


class Context:
    def __init__(self, name, tmpdir):
        self.name = name
        self.root = ROOT
        self.tmp = tmpdir
        self.lines = []

    def log(self, text):
        self.lines.append(text.rstrip("\n"))

    def fail(self, message):
        raise Failure(message)

    def check(self, cond, message):
        if not cond:
            raise Failure(message)

    def skip(self, why):
        raise Skip(why)

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def run(self, argv, timeout=60, cwd=None, input=None, check_rc=None, env=None):
        """Runs argv with a wall-clock deadline; its output goes to the log.
        With check_rc set, a different exit status fails the case."""
        self.log(f"$ {' '.join(argv)}")
        try:
            p = subprocess.run(argv, cwd=cwd or self.root, input=input, capture_output=True,
                               text=True, timeout=timeout, env=env, errors="replace")
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"")
            self.log(out.decode(errors="replace") if isinstance(out, bytes) else out)
            raise Failure(f"{argv[0]} still running after {timeout}s") from None
        if p.stdout:
            self.log(p.stdout)
        if p.stderr:
            self.log(p.stderr)
        if check_rc is not None and p.returncode != check_rc:
            raise Failure(f"{' '.join(argv)} exited {p.returncode}, expected {check_rc}")
        return p
