"""Boot tests of the monitors at scale, shared by every architecture:
define(ARCH, globals()) adds them to a test module. Each name has one owner
however cores race for it; many domains on many cores hammering the name
service and remote spawns all get their answers; and the most cores QEMU
gives a machine boot (255 on x86-64 with xAPIC ids, 128 harts on RISC-V)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))

from testlib.boot import boot, check_cores_online  # noqa: E402

MOST_CORES = {"x86_64": 255, "riscv64": 128}


def define(arch, ns):
    def two_cores_racing_for_a_name_leave_it_one_owner(t):
        b = boot(t, arch, 4, "", program=["nameclash", "40"], timeout=240)
        t.check(b.has("nameclash: 40 of 40 rounds had exactly one winner"),
                "a name had two owners, or none")
        t.check(b.rc == 0, f"exit status {b.rc}")

    def a_flood_of_names_and_spawns_from_sixteen_cores_loses_nothing(t):
        b = boot(t, arch, 16, "", program=["nsflood", "48", "3"], timeout=400)
        t.check(b.has("nsflood: 48 children x 3 rounds on 16 cores: 0 wrong answers, none lost"),
                "a request got a wrong answer or was lost")
        t.check(not b.has("dropped"), "a monitor dropped a message")
        t.check(b.rc == 0, f"exit status {b.rc}")

    def the_most_cores_boot_and_the_last_one_runs_a_program(t):
        n = MOST_CORES[arch]
        b = boot(t, arch, n, "", program=["sh", "-c", f"@{n - 1} echo hello from core {n - 1}"],
                 timeout=600)
        t.check(b.has(f"boot: {n}/{n} cores online"), "not every core came up")
        check_cores_online(t, b, n)
        t.check(len(b.matching(rf"^monitor \d+: up, {n - 1} peers$")) == n,
                "not every monitor came up")
        t.check(b.has(f"hello from core {n - 1}"), "the last core ran nothing")
        t.check(b.rc == 0, f"exit status {b.rc}")

    for fn in (two_cores_racing_for_a_name_leave_it_one_owner,
               a_flood_of_names_and_spawns_from_sixteen_cores_loses_nothing,
               the_most_cores_boot_and_the_last_one_runs_a_program):
        ns["test_" + fn.__name__] = fn
