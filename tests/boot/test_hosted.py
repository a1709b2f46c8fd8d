"""The hosted platform: the same x86-64 programs, every domain a Linux process
of this machine, no QEMU (docs/hosted.md). Real cores and real times, so these
cases take about a second each."""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))

import fs_cases  # noqa: E402
import rs_cases  # noqa: E402
from session_checks import check_interactive_session  # noqa: E402
from testlib.boot import Session, boot, check_cores_online  # noqa: E402

ARCH = "hosted"

# FS on ext2 images that are files here, judged by Linux, e2fsck and debugfs
# as on QEMU.
fs_cases.define(ARCH, globals())


def test_boots_every_core_and_powers_off(t):
    b = boot(t, ARCH, 8, "poweroff", timeout=60)
    t.check(b.rc == 0, f"exit status {b.rc}, expected 0 after power-off")
    check_cores_online(t, b, 8)
    t.check(len(b.matching(r"^monitor \d+: up, 7 peers$")) == 8, "not every monitor came up")


def test_a_program_runs_and_its_status_is_the_systems(t):
    b = boot(t, ARCH, 4, "", program=["echo", "hello", "from", "Linux"], timeout=60)
    t.check(b.rc == 0, f"exit status {b.rc}, expected echo's 0")
    t.check(b.matching(r"^hello from Linux$"), "echo's line is missing")
    b = boot(t, ARCH, 4, "", program=["false"], timeout=60)
    t.check(b.rc == 1, f"exit status {b.rc}, expected false's 1")


def test_programs_run_on_every_core_with_the_c_library(t):
    script = "@0 hellolibc; @1 hellolibc; @2 hellolibc; @3 hellolibc; cores"
    b = boot(t, ARCH, 4, "", program=["sh", "-c", script], timeout=60)
    t.check(b.rc == 0, f"exit status {b.rc}")
    t.check(len(b.matching(r"^hellolibc: sqrt\(2\) = 1\.414214$")) == 4,
            "hellolibc did not finish on every core")
    t.check(len(b.matching(r"^core \d: monitor")) == 4, "cores did not list every core")


def test_a_crashing_program_is_reported_and_the_rest_goes_on(t):
    # fault_kaddr stores to a kernel address; its process gets Linux's
    # SIGSEGV, and the kernel, asked where that page is, ends the domain.
    script = "@2 fault_kaddr; echo after $?; @1 true; echo next $?"
    b = boot(t, ARCH, 4, "", program=["sh", "-c", script], timeout=60)
    t.check(b.rc == 0, f"exit status {b.rc}")
    t.check(b.matching(r"^trap: page fault on core 2 in domain fault_kaddr: rip 0x[0-9a-f]+, "
                       r"address 0xffff[0-9a-f]+$"), "no page fault report")
    t.check(b.matching(r"^domain fault_kaddr \(core 2\) killed: page fault$"),
            "the kernel did not end the domain")
    t.check(b.has("after 139") and b.has("next 0"), "the shell did not go on after the crash")


def test_a_privileged_instruction_ends_only_its_domain(t):
    b = boot(t, ARCH, 2, "", program=["sh", "-c", "fault_priv; echo after $?"], timeout=60)
    t.check(b.matching(r"^domain fault_priv \(core \d\) killed: protection fault$"),
            "the privileged instruction was not reported as a protection fault")
    t.check(b.has("after 139"), "the shell did not go on")


def test_the_loader_is_left_only_the_linux_calls_it_needs(t):
    """A program that jumps into its loader's code would reach Linux
    directly; the loader's seccomp filter (cpudriver/arch/hosted/confine.c)
    ends it instead. --check-confinement makes a call the loader never does
    once the filter is on."""
    loader = os.path.join(t.root, "build", "hosted", "cpudriver", "arch", "hosted", "hostdom")
    p = subprocess.run([loader, "--check-confinement"], capture_output=True, timeout=30)
    t.check(b"hostdom: the loader's own calls pass the filter" in p.stderr,
            f"the loader's own calls did not pass: {p.stderr!r}, status {p.returncode}")
    t.check(p.returncode == -31, f"not ended by SIGSYS: status {p.returncode}")


def test_interactive_session_at_the_terminal(t):
    check_interactive_session(t, ARCH)


def test_console_lines_survive_fifty_crashes_of_its_driver(t):
    rs_cases.check_console_survives_fifty_crashes(t, ARCH, timeout=120)


def test_gdb_attaches_to_a_domain_before_its_first_instruction(t):
    # tools/run --arch hosted --gdb echo: echo's process waits for gdb, which
    # stops it at a breakpoint in its main, with the program's own symbols,
    # and lets it go on when it detaches.
    s = Session(t, ARCH, 4, program=["echo", "after", "gdb"], gdb="echo", timeout=120)
    m = s.expect(r"^hosted: domain echo \(core \d\) is process (\d+), waiting for gdb before "
                 r"its first instruction; attach with: tools/gdb --pid (\d+) --domain echo$")
    t.check(m.group(1) == m.group(2), "two different processes named")
    r = subprocess.run([os.path.join(t.root, "tools", "gdb"), "--pid", m.group(1), "--domain",
                        "echo", "--", "-batch", "-ex", "break echo.c:main", "-ex", "continue",
                        "-ex", "bt", "-ex", "detach"],
                       cwd=t.root, capture_output=True, text=True, timeout=60)
    t.log(r.stdout + r.stderr)
    t.check(re.search(r"^Breakpoint 1, main \(argc=3, argv=0x[0-9a-f]+\) at usr/echo/echo.c:\d+$",
                      r.stdout, re.M), "gdb did not stop at echo's main")
    t.check(re.search(r"^#1 +0x[0-9a-f]+ in __crt_start .* at lib/sys/start.c:\d+$", r.stdout,
                      re.M), "no backtrace through the C runtime")
    s.expect(r"^after gdb$")
    t.check(s.close() == 0, "the system did not end with echo's status")


SANITIZER_REPORT = r"^(?:asan|ubsan): "


def test_the_sanitized_system_runs_the_test_programs_with_no_report(t):
    # Every domain (monitors, servers, drivers, the shell, these programs)
    # built with AddressSanitizer and UBSan (platforms/hosted-san): any
    # report is a line of its own, and fails the case.
    script = ("fs_probe /tmp; pm_probe; fsops 3 300 /tmp/w; cons_probe; hellolibc; "
              "@2 ls -l /bin | wc -l; @3 cat /etc/motd | wc -c; service list; ps; cores")
    b = boot(t, ARCH, 4, "", program=["sh", "-c", script], timeout=180, sanitize=True)
    reports = b.matching(SANITIZER_REPORT + r".*")
    t.check(not reports, "sanitizer reports: " + "; ".join(m.string for m in reports[:5]))
    t.check(b.has("fs_probe: 82 checks, 0 failed"), "fs_probe did not pass")
    t.check(b.has("pm_probe: 46/46 checks passed"), "pm_probe did not pass")
    t.check(b.has("fsops: done"), "fsops did not finish")
    t.check(b.matching(r"^cons_probe: (\d+)/\1 checks passed$"), "cons_probe did not pass")
    t.check(b.matching(r"^hellolibc: sqrt\(2\) = 1\.414214$"), "hellolibc did not finish")
    t.check(b.rc == 0, f"exit status {b.rc}")


def test_a_planted_use_after_free_is_caught(t):
    # uafsrv answers a ping from a record it freed. Built plainly it answers
    # (the bug is invisible); in the sanitizer build the read is reported,
    # at the planted line once symbolized, and the server ends.
    script = "@1 uafsrv &; uafsrv call"
    plain = boot(t, ARCH, 4, "", program=["sh", "-c", script], timeout=60)
    t.check(plain.has("uafsrv call: answered"), "the plain build did not answer")
    b = boot(t, ARCH, 4, "", program=["sh", "-c", script], timeout=60, sanitize=True)
    m = b.matching(r"^asan: use-after-free: load of 8 bytes at 0x[0-9a-f]+ \(byte 0x[0-9a-f]+\) "
                   r"from pc (0x[0-9a-f]+)$")
    t.check(len(m) == 1, "no use-after-free report")
    t.check(b.matching(r"^domain uafsrv \(core 1\) killed: illegal instruction$"),
            "the server did not end after the report")
    t.check(b.has("uafsrv call: peer is dead"), "its client did not hear that it ended")
    elf = os.path.join(t.root, "build", "hosted-san", "tests", "domains", "uafsrv.elf")
    r = subprocess.run(["llvm-symbolizer", "-e", elf, m[0].group(1)], capture_output=True,
                       text=True)
    with open(os.path.join(t.root, "tests", "domains", "uafsrv.c"), encoding="utf-8") as f:
        planted = next(i for i, line in enumerate(f, 1) if "the planted bug" in line)
    t.check(r.stdout.startswith("serve_ping\n") and f"uafsrv.c:{planted}:" in r.stdout,
            f"the report's pc is not the planted line {planted}: {r.stdout!r}")


def test_a_short_campaign_ends_with_no_panic_and_no_system_hang(t):
    """tools/faultinject on the hosted platform: batches of 100 faults into
    the console driver and into a block driver, each batch read from a file
    by the injector (faultinject -f), RS restarting what crashes or hangs,
    and the workload checked end to end."""
    for target in ("serial", "blk"):
        csv_path = os.path.join(t.tmp, f"{target}.csv")
        p = t.run([sys.executable, os.path.join(t.root, "tools", "runlib", "faultinject.py"),
                   "--arch", "hosted", "--target", target, "--faults", "300", "--batch", "100",
                   "--seed", "20261203", "--csv", csv_path], timeout=300)
        m = re.search(r"faultinject: 300 faults \((\d+) activated\), (\d+) crashes restarted, "
                      r"(\d+) hangs restarted, (\d+) workload errors, (\d+) wrong data, "
                      r"(\d+) panics, (\d+) system hangs", p.stdout)
        t.check(m is not None, f"{target}: no summary line for 300 faults")
        t.check(m.group(6) == "0" and m.group(7) == "0",
                f"{target}: {m.group(6)} panics and {m.group(7)} system hangs")
        t.check(int(m.group(2)) + int(m.group(3)) > 0, f"{target}: nothing was restarted")
        t.check(p.returncode == 0, f"{target}: exit status {p.returncode}")


test_a_short_campaign_ends_with_no_panic_and_no_system_hang.timeout = 700
