"""x86-64 boots (q35, TCG): the shared boot cases, and KVM where it can run."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import blk_cases  # noqa: E402
import boot_cases  # noqa: E402
import channel_cases  # noqa: E402
import device_cases  # noqa: E402
import fault_cases  # noqa: E402
import fs_cases  # noqa: E402
import fuzz_cases  # noqa: E402
import icount_cases  # noqa: E402
import memory_cases  # noqa: E402
import monitor_cases  # noqa: E402
import net_cases  # noqa: E402
import root_cases  # noqa: E402
import rs_cases  # noqa: E402
import shell_cases  # noqa: E402
import sock_cases  # noqa: E402

boot_cases.define("x86_64", globals())
channel_cases.define("x86_64", globals())
memory_cases.define("x86_64", globals())
device_cases.define("x86_64", globals())
blk_cases.define("x86_64", globals())
rs_cases.define("x86_64", globals())
monitor_cases.define("x86_64", globals())
fuzz_cases.define("x86_64", globals())
fs_cases.define("x86_64", globals())
net_cases.define("x86_64", globals())
sock_cases.define("x86_64", globals())
fault_cases.define("x86_64", globals())
root_cases.define("x86_64", globals())
shell_cases.define("x86_64", globals())
icount_cases.define("x86_64", globals())


def test_boot_4_cores_kvm(t):
    from testlib.boot import boot, check_cores_online, kvm_or_skip
    kvm_or_skip(t)
    b = boot(t, "x86_64", 4, "poweroff", accel="kvm")
    t.check(b.rc == 0, f"exit status {b.rc}")
    check_cores_online(t, b, 4)
