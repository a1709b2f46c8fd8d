"""Boot tests of the monitors at scale, shared by every architecture:
define(ARCH, globals()) adds them to a test module. Each name has one owner
however cores race for it; many domains on many cores hammering the name
service and remote spawns all get their answers; a domain that asks for
channel after channel is stopped at its limit without starving its core; and
the most cores the kernel takes boot (256 on x86-64, in x2APIC mode under the
QEMU tools/fetch-qemu-x2apic unpacks; 128 harts on RISC-V, OpenSBI 1.1's limit)."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))

from testlib.boot import boot, check_cores_online  # noqa: E402

MOST_CORES = {"x86_64": 256, "riscv64": 128}


def define(arch, ns):
    def two_cores_racing_for_a_name_leave_it_one_owner(t):
        b = boot(t, arch, 4, "", program=["nameclash", "40"], timeout=240)
        t.check(b.has("nameclash: 40 of 40 rounds had exactly one winner"),
                "a name had two owners, or none")
        t.check(b.rc == 0, f"exit status {b.rc}")

    def a_core_caches_where_a_name_is_served_until_its_server_ends(t):
        # The lookup that waited for the server made the cache's entry: the
        # next ten take it from there, and the channels work (answered from
        # core 1). Once the server is killed, the entry goes with it.
        b = boot(t, arch, 4, "", program=["namecache", "10"], timeout=240)
        t.check(b.has("namecache: 10 lookups of a name on core 1: 0 asked its home, 10 from the "
                      "cache"), f"not from the cache: {b.matching('^namecache: .*')}")
        t.check(b.has("namecache: after the server ended: no such entry, then no such entry, 0 "
                      "from the cache"), f"a stale entry: {b.matching('^namecache: .*')}")
        t.check(not b.has("FAIL"), f"{b.matching('FAIL.*')}")
        t.check(b.rc == 0, f"exit status {b.rc}")

    def a_flood_of_names_and_spawns_from_sixteen_cores_loses_nothing(t):
        b = boot(t, arch, 16, "", program=["nsflood", "48", "3"], timeout=400)
        t.check(b.has("nsflood: 48 children x 3 rounds on 16 cores: 0 wrong answers, none lost"),
                "a request got a wrong answer or was lost")
        t.check(not b.has("dropped"), "a monitor dropped a message")
        t.check(b.rc == 0, f"exit status {b.rc}")

    def a_domain_hogging_channels_is_stopped_at_its_limit_and_its_core_goes_on(t):
        # On core 0, whose monitor also serves everyone's RAM, and on core 2,
        # whose monitor was born with 512 KiB: 1024 channels are 4 MiB of pages,
        # made by the client's monitor. The console driver then has a thousand
        # clients, and must still answer ps and the shell promptly.
        b = boot(t, arch, 4, "", program=["sh", "-c", "@0 chanhog console 3000; echo hog0 $?; "
                                          "@2 chanhog console 1100; echo hog2 $?"], timeout=300)
        hogs = b.matching(r"^chanhog: (\d+) opened, (\d+) over the limit of 1024, 0 other errors$")
        t.check(len(hogs) == 2, f"the hogs said: {b.matching('^chanhog: .*')}")
        for hog, (core, count) in zip(hogs, ((0, 3000), (2, 1100))):
            opened, over = int(hog.group(1)), int(hog.group(2))
            t.check(1000 <= opened <= 1024 and opened + over == count,
                    f"hog on core {core}: {opened} opened, {over} over the limit")
            t.check(b.has(f"hog{core} 0"), f"the hog on core {core} failed")
        t.check(len(b.matching(r"^chanhog: ps beside the hog ran$")) == 2,
                "ps could not run beside a hog")
        # 1978 refusals on core 0: 20 lines at once, then 5 a second, the rest counted.
        refusals = b.matching(r"^monitor 0: name service: request 257 from domain \d+ refused")
        t.check(0 < len(refusals) <= 300, f"{len(refusals)} refusal lines from monitor 0")
        unsaid = sum(int(m.group(1)) for m in
                     b.matching(r"^monitor 0: (\d+) more refusals not shown$"))
        t.check(unsaid >= 1000, f"only {unsaid} refusals of monitor 0 counted, not said")
        t.check(not b.has("out of memory"), "a monitor ran out of memory")
        t.check(b.rc == 0, f"exit status {b.rc}")

    def scalebench_counts_the_messages_of_a_broadcast_exactly(t):
        b = boot(t, arch, 8, "", program=["scalebench", "2"], timeout=300)
        t.check(b.has("scale: done"), "scalebench did not finish")
        t.check(not b.matching(r"^scalebench: "), f"it said: {b.matching('^scalebench: .*')}")
        # 8 cores: 7 BCASTs and 7 ACKs either way. Unicast: 2 hops, 7 sends by
        # the root. A tree of degree 2 over ranks 0..7 is 3 deep: 6 hops, 2 sends.
        t.check(b.matching(r"^scale: bcast mode=unicast reps=20 mean_us=\d+ messages=14 rounds=2 "
                           r"root_sends=7$"), "unicast counts")
        t.check(b.matching(r"^scale: bcast mode=tree reps=20 mean_us=\d+ messages=14 rounds=6 "
                           r"root_sends=2$"), "tree counts")
        t.check(b.matching(r"^scale: boot up_ms=\d+ monitors_kib=[1-9]\d*$"), "no boot figures")
        t.check(len(b.matching(r"^scale: name op=(register|lookup) reps=20 mean_us=\d+ "
                               r"messages=\d+$")) == 2, "no name figures")
        t.check(b.matching(r"^scale: spawn reps=3 mean_us=\d+ messages=\d+$"), "no spawn figure")
        t.check(b.rc == 0, f"exit status {b.rc}")

    def the_most_cores_boot_and_the_last_one_runs_a_program(t):
        n = MOST_CORES[arch]
        # free on core 3 makes its monitor (FS's) dial every other one: more
        # channels than its first capability space and RAM hold.
        b = boot(t, arch, n, "", program=["sh", "-c", f"@{n - 1} echo hello from core {n - 1}; @3 free"],
                 timeout=600)
        t.check(b.has(f"boot: {n}/{n} cores online"), "not every core came up")
        if arch == "x86_64":  # APIC ids past 254 are reached in x2APIC mode only
            t.check(b.has(f"boot: {n} cores in the ACPI MADT; x2APIC;"), "not in x2APIC mode")
        check_cores_online(t, b, n)
        t.check(len(b.matching(rf"^monitor \d+: up, {n - 1} peers$")) == n,
                "not every monitor came up")
        t.check(b.has(f"hello from core {n - 1}"), "the last core ran nothing")
        t.check(len(b.matching(r"^ +\d+ +\d+ +\d+ +\d+$")) == n, f"free did not list {n} cores")
        t.check(not b.matching(r"cannot grow|dropped"), f"a monitor fell short: {b.matching('cannot grow|dropped')}")
        t.check(b.rc == 0, f"exit status {b.rc}")

    for fn in (two_cores_racing_for_a_name_leave_it_one_owner,
               a_core_caches_where_a_name_is_served_until_its_server_ends,
               a_flood_of_names_and_spawns_from_sixteen_cores_loses_nothing,
               a_domain_hogging_channels_is_stopped_at_its_limit_and_its_core_goes_on,
               scalebench_counts_the_messages_of_a_broadcast_exactly,
               the_most_cores_boot_and_the_last_one_runs_a_program):
        ns["test_" + fn.__name__] = fn
