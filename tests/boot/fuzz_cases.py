"""Boot tests of the fuzzers, shared by every architecture: define(ARCH,
globals()) adds them to a test module. sysfuzz calls every system call with
hostile arguments and msgfuzz sends hostile messages to every server and to
its monitor; afterwards the shell, PM, RS and the console must still answer,
and nothing may have crashed (docs/reliability.md, "Fuzzing")."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))

from testlib.boot import boot  # noqa: E402

SYSFUZZ_CALLS = 40000  # about 10 s of calls under TCG on either architecture
# About 10 s of messages under TCG: the monitor logs each refusal, and RISC-V
# goes several times slower than x86-64.
MSGFUZZ_MESSAGES = {"x86_64": 4000, "riscv64": 1000}
LIST_ROW = r"^(serial|pci|virtioblk|fs) +\d+ +\d+ +running +(\d+) "
CRASHES = ("trap:", "panic", "killed", "died")


def check_still_up(t, b):
    """The shell ran what came after the fuzzer, and PM, RS and the console
    driver are still there."""
    t.check(b.rc == 0, f"exit status {b.rc}")
    t.check(b.has("after 0"), "the shell did not go on after the fuzzer (or it failed)")
    for name in ("pm", "rs", "serial", "pci"):
        t.check(b.matching(rf"^ +\d+ +\d+ +\d+ running {name}$"), f"ps does not list {name}")
    crashes = [line for line in b.lines if any(word in line for word in CRASHES)]
    t.check(not crashes, f"something crashed: {crashes[:3]}")


def define(arch, ns):
    def sysfuzz_every_system_call_with_hostile_arguments_leaves_the_system_up(t):
        script = f"sysfuzz 1 {SYSFUZZ_CALLS}; echo after $?; ps"
        b = boot(t, arch, 4, "", program=["sh", "-c", script], timeout=180)
        t.check(b.has(f"sysfuzz: {SYSFUZZ_CALLS} calls, seed 1, 0 unexpected"),
                "sysfuzz did not finish, or some result was unexpected")
        check_still_up(t, b)

    def msgfuzz_hostile_messages_to_every_server_and_the_monitor_crash_nothing(t):
        n = MSGFUZZ_MESSAGES[arch]
        script = f"msgfuzz 1 {n}; echo after $?; service list; ps"
        b = boot(t, arch, 4, "", program=["sh", "-c", script], timeout=180)
        t.check(b.matching(rf"^msgfuzz: {n} messages, seed 1; every service "
                           r"answered afterwards; \d+ cut-offs, 0 unexpected$"),
                "msgfuzz did not finish, a service did not answer, or an answer was unexpected")
        for name in ("pm", "rs", "console", "pci", "disk0", "monitor"):
            t.check(b.matching(rf"^msgfuzz: {name} +[1-9]\d* messages, .*answers now: ok$"),
                    f"{name} got no messages or did not answer afterwards")
        rows = [(m.group(1), int(m.group(2))) for m in b.matching(LIST_ROW)]
        t.check(sorted(rows) == [("fs", 0), ("pci", 0), ("serial", 0), ("virtioblk", 0)],
                f"service list: {rows} (RS restarted something)")
        check_still_up(t, b)

    for fn in (sysfuzz_every_system_call_with_hostile_arguments_leaves_the_system_up,
               msgfuzz_hostile_messages_to_every_server_and_the_monitor_crash_nothing):
        ns["test_" + fn.__name__] = fn
