"""x86-64 boots in QEMU (q35, TCG): every core comes up with its own kernel
data, misbehaving domains are ended alone, bad system calls get errors, and
power-off and panics turn into the right exit status."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))

from testlib.boot import boot, check_cores_online, kvm_or_skip  # noqa: E402

ARCH = "x86_64"


def boots_with(cores, accel="tcg"):
    def case(t):
        if accel == "kvm":
            kvm_or_skip(t)
        b = boot(t, ARCH, cores, "poweroff", accel=accel)
        t.check(b.rc == 0, f"exit status {b.rc}, expected 0 after power-off")
        check_cores_online(t, b, cores)
        t.check(len(b.matching(r"^monitor \d+: up")) == cores, "not every monitor came up")
    return case


test_boot_1_core = boots_with(1)
test_boot_2_cores = boots_with(2)
test_boot_4_cores = boots_with(4)
test_boot_8_cores = boots_with(8)
test_boot_16_cores = boots_with(16)
test_boot_4_cores_kvm = boots_with(4, accel="kvm")


def test_user_faults_end_only_that_domain(t):
    b = boot(t, ARCH, 4, "poweroff spawn=fault_kaddr@1 spawn=fault_priv@2")
    t.check(b.rc == 0, f"exit status {b.rc}: the system did not power off cleanly")
    t.check(b.has("trap: page fault on core 1 in domain fault_kaddr: error 0x5")
            and b.has("cr2 0xffffffff80100000"), "the page fault was not reported in full")
    t.check(b.has("domain fault_kaddr (core 1) killed: page fault"), "fault_kaddr not killed")
    t.check(b.has("trap: general protection fault on core 2 in domain fault_priv"),
            "the privileged instruction was not reported")
    t.check(b.has("domain fault_priv (core 2) killed: general protection fault"),
            "fault_priv not killed")
    t.check(not b.has("was not stopped"), "a faulting domain kept running")
    check_cores_online(t, b, 4)


def test_preemption_lets_the_monitor_run_beside_a_spinning_domain(t):
    b = boot(t, ARCH, 2, "poweroff spawn=spinner@1")
    t.check(b.rc == 0, f"exit status {b.rc}")
    order = [line[:13] for line in b.lines
             if line == "monitor 1: up" or line.startswith("spinner: done")]
    t.check(order == ["monitor 1: up", "spinner: done"],
            f"the monitor did not run while the spinner computed: {order}")


def test_console_lines_from_eight_cores_never_interleave(t):
    b = boot(t, ARCH, 8, "poweroff")
    t.check(b.rc == 0, f"exit status {b.rc}")
    start = next(i for i, line in enumerate(b.lines) if "boot: multikernel" in line)
    known = re.compile(r"^(boot: |cpu \d+: online, kernel data at |monitor \d+: up$)")
    bad = [line for line in b.lines[start + 1:] if line and not known.match(line)]
    t.check(not bad, f"garbled or unexpected console lines: {bad[:3]}")


def test_bad_system_calls_get_errors(t):
    b = boot(t, ARCH, 2, "poweroff spawn=syscall_probe@1")
    t.check(b.rc == 0, f"exit status {b.rc}")
    t.check(not b.has("syscall_probe: FAIL"), "a bad system call got the wrong answer")
    t.check(b.has("syscall_probe: 9/9 checks passed"), "the probe did not finish its checks")
    t.check(b.has("domain syscall_probe (core 1) exited with status 0"), "probe did not exit 0")
    check_cores_online(t, b, 2)


def test_panic_on_another_core_stops_the_system_with_failure(t):
    b = boot(t, ARCH, 4, "poweroff panic=2")
    t.check(b.rc == 101, f"exit status {b.rc}, expected 101 (kernel panic)")
    t.check(b.has("PANIC on core 2: requested on the kernel command line"), "no panic report")
    t.check(b.has("boot: core 2 panicked; stopping the system"), "boot core did not stop")


def test_panic_on_the_boot_core_stops_the_system_with_failure(t):
    b = boot(t, ARCH, 2, "poweroff panic=0")
    t.check(b.rc == 101, f"exit status {b.rc}, expected 101 (kernel panic)")
    t.check(b.has("PANIC on core 0: requested"), "no panic report")


def test_without_poweroff_the_system_stays_up(t):
    b = boot(t, ARCH, 2, "", until=r"^boot: 2/2 cores online")
    t.check(b.stopped_early, f"the system ended by itself (status {b.rc})")


def test_corrupt_boot_archive_is_refused_clearly(t):
    good = t.path("build", "x86_64-qemu", "boot.cpio")
    with open(good, "rb") as f:
        data = bytearray(f.read())
    data[0:6] = b"999999"
    bad = os.path.join(t.tmp, "bad.cpio")
    with open(bad, "wb") as f:
        f.write(data)
    b = boot(t, ARCH, 1, "poweroff", archive=bad)
    t.check(b.rc == 103, f"exit status {b.rc}, expected 103 (bad boot archive)")
    t.check(b.has("boot: the boot archive is unusable: bad magic at offset 0x0"),
            "the error does not say what is wrong")


def test_truncated_boot_archive_is_refused_clearly(t):
    good = t.path("build", "x86_64-qemu", "boot.cpio")
    with open(good, "rb") as f:
        data = f.read()
    bad = os.path.join(t.tmp, "short.cpio")
    with open(bad, "wb") as f:
        f.write(data[: len(data) // 2])
    b = boot(t, ARCH, 1, "poweroff", archive=bad)
    t.check(b.rc == 103, f"exit status {b.rc}, expected 103 (bad boot archive)")
    t.check(b.has("boot: the boot archive is unusable:"), "no clear error")


def test_unknown_kernel_option_is_reported_not_fatal(t):
    b = boot(t, ARCH, 1, "poweroff frobnicate")
    t.check(b.rc == 0, f"exit status {b.rc}")
    t.check(b.has("boot: unknown kernel option 'frobnicate' ignored"), "option not reported")
