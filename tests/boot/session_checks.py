"""What a user at the console does, as checks a boot test of any platform
runs: QEMU's serial console or the hosted platform's terminal."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "tools"))

from testlib.boot import Session  # noqa: E402


def interrupt_until(s, name):
    """Types Ctrl-C until the shell reports that it ended program name: one
    typed before the program runs reaches no one (the shell gets an empty line
    and prompts again, so a prompt may stand before the report)."""
    report = rf"(?:^|\$ )sh: {name} \(pid \d+\) killed by signal 2 \(Interrupt\)$"
    for _ in range(30):
        s.send("\x03")
        if s.expect(report, timeout=2, fail=False):
            return
    s.expect(report, timeout=1)


def check_interactive_session(t, arch):
    """A user at the console: a background job on a core, ps, kill, wait,
    Ctrl-C to the foreground program and to a shell in the shell, the line
    discipline's echo and backspace, and exit with a status."""
    s = Session(t, arch, 4)
    s.expect(r"^serial: console on .*; the kernel's lines come through here now$")
    prompt = r"^\$ "
    # Drivers started beside the shell may print before its prompt.
    s.expect(r"^sh: type help for the commands\n(?:.*\n)*?" + prompt)
    s.send("@3 sleep 30 &\n")
    pid = s.expect(r"^\[(\d+)\] sleep$").group(1)
    s.expect(prompt)
    s.send("ps\n")
    s.expect(r"^ +\d+ +\d+ +0 running serial$")  # the table is in pid order
    s.expect(rf"^ +{pid} +\d+ +3 running sleep$")
    s.expect(prompt)
    s.send(f"kill {pid}\n")
    s.expect(prompt)
    s.send("wait; echo status $?\n")
    s.expect(rf"^sh: sleep \(pid {pid}\) killed by signal 15 \(Terminated\)$")
    s.expect(r"^status 143$")
    s.expect(prompt)
    # Ctrl-C reaches the foreground program (again, until it is running).
    s.send("@2 sleep 100\n")
    interrupt_until(s, "sleep")
    s.expect(prompt)
    # A shell in the shell reads the console too; killed in the middle of
    # its read, it must not swallow the next line.
    s.send("sh\n")
    s.expect(r"(?:^|\$ )sh: type help for the commands$")
    interrupt_until(s, "sh")
    s.expect(prompt)
    s.send("echo outer $?\n")
    s.expect(r"(?:^|\$ )outer 130$")
    s.expect(prompt)
    # The line discipline echoes, and backspace edits before the shell sees it.
    # (A Ctrl-C that came before sleep ran gave the shell an empty line, so
    # a prompt may stand before the output.)
    s.send("echo abX\x7fc\n")
    s.expect(r"echo abX\x08 \x08c$")
    s.expect(r"(?:^|\$ )abc$")
    s.expect(prompt)
    s.send("exit 7\n")
    s.expect(r"^init: the shell ended \(status 7\); powering off$")
    rc = s.close()
    t.check(rc == 7, f"exit status {rc}, expected the shell's 7")
