"""Boot tests shared by every architecture: define(ARCH, globals()) adds the
cases to a test module. Each boots the real system in QEMU under TCG and reads
its serial console (see tools/testlib/boot.py)."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))

from session_checks import check_interactive_session  # noqa: E402
from testlib.boot import boot, check_cores_online, kvm_or_skip  # noqa: E402

# What each architecture reports for the two faulting domains.
FAULTS = {
    "x86_64": {
        "kaddr": [r"trap: page fault on core 1 in domain fault_kaddr: error 0x5, .*"
                  r"cr2 0xffffffff80100000"],
        "kaddr_killed": "domain fault_kaddr (core 1) killed: page fault",
        "kaddr_addr": "0xffffffff80100000",
        "priv": [r"trap: general protection fault on core 2 in domain fault_priv"],
        "priv_killed": "domain fault_priv (core 2) killed: general protection fault",
    },
    "riscv64": {
        "kaddr": [r"trap: load page fault on core 1 \(hart \d+\) in domain fault_kaddr: "
                  r"scause 0xd, .*stval 0xffffffff80200000"],
        "kaddr_killed": "domain fault_kaddr (core 1) killed: load page fault",
        "kaddr_addr": "0xffffffff80200000",
        "priv": [r"trap: illegal instruction on core 2 \(hart \d+\) in domain fault_priv"],
        "priv_killed": "domain fault_priv (core 2) killed: illegal instruction",
    },
}

PLATFORM = {"x86_64": "x86_64-qemu", "riscv64": "riscv64-virt"}
ARCHIVE = {arch: f"build/{p}/boot.cpio" for arch, p in PLATFORM.items()}
MKBOOTARCHIVE = "build/hosted/tools/mkbootarchive/mkbootarchive"


def source_line(t, path, marker):
    """The number of the line of path (from the root) that holds marker."""
    with open(t.path(path), encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if marker in line:
                return number
    t.fail(f"no {marker!r} in {path}")


def check_frame(t, b, prefix, n, module, function, path, marker):
    """Backtrace frame n, symbolized by tools/run, is function at marker's line."""
    line = source_line(t, path, marker)
    pattern = (rf"^{re.escape(prefix)} bt #{n} 0x[0-9a-f]+ {module}\+0x[0-9a-f]+  "
               rf"{function} \({re.escape(path)}:{line}\)$")
    t.check(b.matching(pattern), f"no frame #{n} naming {function} ({path}:{line})")


def define(arch, ns):
    def boots_with(cores, accel="tcg"):
        def case(t):
            if accel == "kvm":
                kvm_or_skip(t)
            b = boot(t, arch, cores, "poweroff", accel=accel)
            t.check(b.rc == 0, f"exit status {b.rc}, expected 0 after power-off")
            check_cores_online(t, b, cores)
            t.check(len(b.matching(r"^monitor \d+: up")) == cores, "not every monitor came up")
        return case

    for cores in (1, 2, 4, 8, 16):
        ns[f"test_boot_{cores}_cores"] = boots_with(cores)

    def user_faults_end_only_that_domain(t):
        b = boot(t, arch, 4, "poweroff spawn=fault_kaddr@1 spawn=fault_priv@2")
        t.check(b.rc == 0, f"exit status {b.rc}: the system did not power off cleanly")
        f = FAULTS[arch]
        for pattern in f["kaddr"] + f["priv"]:
            t.check(b.matching(pattern), f"no report matching {pattern}")
        t.check(b.has(f["kaddr_killed"]) and b.has(f["priv_killed"]), "a domain was not ended")
        t.check(not b.has("was not stopped"), "a faulting domain kept running")
        check_cores_online(t, b, 4)

    def preemption_lets_the_monitor_run_beside_a_spinning_domain(t):
        b = boot(t, arch, 2, "poweroff spawn=spinner@1")
        t.check(b.rc == 0, f"exit status {b.rc}")
        order = [line[:13] for line in b.lines
                 if line.startswith("monitor 1: up") or line.startswith("spinner: done")]
        t.check(order == ["monitor 1: up", "spinner: done"],
                f"the monitor did not run while the spinner computed: {order}")

    def floating_point_state_stays_with_its_domain(t):
        b = boot(t, arch, 2, "poweroff spawn=fpmix@1 spawn=fpmix@1 spawn=fpmix@1")
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(len(b.matching(r"^fpmix: k=\d+ ok$")) == 3, "a sum came out wrong (or missing)")
        t.check(not b.has("WRONG SUM"), "floating-point registers leaked between domains")

    def console_lines_from_eight_cores_never_interleave(t):
        b = boot(t, arch, 8, "poweroff")
        t.check(b.rc == 0, f"exit status {b.rc}")
        start = next(i for i, line in enumerate(b.lines) if "boot: multikernel" in line)
        known = re.compile(r"^(boot: |cpu \d+: online, kernel data at |monitor \d+: up, \d+ peers$)")
        bad = [line for line in b.lines[start + 1:] if line and not known.match(line)]
        t.check(not bad, f"garbled or unexpected console lines: {bad[:3]}")

    def mesh(cores, options=""):
        def case(t):
            b = boot(t, arch, cores, "poweroff monping" + options)
            t.check(b.rc == 0, f"exit status {b.rc}")
            for k in range(cores):
                t.check(b.has(f"monitor {k}: up, {cores - 1} peers"), f"monitor {k} not meshed")
                t.check(b.has(f"monitor {k}: ping: {cores - 1} peers answered 10 pings each, "
                              "in order"), f"monitor {k}: pings lost or out of order")
            check_cores_online(t, b, cores)
        return case

    ns["test_monitors_mesh_and_ping_all_pairs_on_4_cores"] = mesh(4)
    ns["test_monitors_mesh_and_ping_all_pairs_on_8_cores"] = mesh(8)
    # Boot trees of degree 2 and 1 (a chain, 11 deep): membership comes down
    # them, and every pair's channel is made by its lower core, the news of it
    # carried along the tree.
    ns["test_monitors_boot_as_a_binary_tree_and_ping_all_pairs_on_16_cores"] = mesh(
        16, " mondegree=2")
    ns["test_monitors_boot_as_a_chain_and_ping_all_pairs_on_12_cores"] = mesh(12, " mondegree=1")

    def a_bad_tree_degree_is_named_and_the_default_kept(t):
        b = boot(t, arch, 6, "poweroff monping mondegree=0")
        t.check(b.has("monitor 0: mondegree must be 1..64; the tree keeps degree 4"),
                "the bad degree was not named")
        t.check(b.rc == 0, f"exit status {b.rc}")
        check_cores_online(t, b, 6)
        t.check(len(b.matching(r"^monitor \d+: ping: 5 peers answered 10 pings each, in order$"))
                == 6, "pings lost on the default tree")

    ns["test_a_bad_tree_degree_is_named_and_the_default_kept"] = \
        a_bad_tree_degree_is_named_and_the_default_kept

    def garbage_to_monitors_is_refused_and_pings_still_work(t):
        b = boot(t, arch, 4, "poweroff mongarbage monping")
        t.check(b.rc == 0, f"exit status {b.rc}")
        m = b.matching(r"^monitor 1: garbage: (\d+)/(\d+) messages refused with the right errors "
                       r"\((\d+) kinds to each of 3 peers\)$")
        t.check(m and m[0].group(1) == m[0].group(2) == str(3 * int(m[0].group(3))),
                "not every malformed message got the right error reply")
        t.check(not b.has("garbage: FAIL"), "a malformed message got the wrong error")
        t.check(b.has("monitor 0: bad message type 999 from core 1: no such operation"),
                "no log line")
        for k in range(4):
            t.check(b.has(f"monitor {k}: ping: 3 peers answered 10 pings each, in order"),
                    f"monitor {k} did not pass the ping test after the garbage")
        check_cores_online(t, b, 4)

    def every_bad_message_between_monitors_is_refused_by_its_row(t):
        # Each type too short, types past the last, each checked row's fields
        # out of range: every one gets MON_ERROR with the right error, in order,
        # and the monitors go on (the pings after it).
        b = boot(t, arch, 2, "poweroff mongarbage monping")
        t.check(b.rc == 0, f"exit status {b.rc}")
        m = b.matching(r"^monitor 1: garbage: (\d+)/(\d+) messages refused with the right errors "
                       r"\((\d+) kinds to each of 1 peers\)$")
        t.check(m and m[0].group(1) == m[0].group(2) == m[0].group(3) and int(m[0].group(3)) > 40,
                "not every malformed message got the right error reply")
        t.check(not b.has("garbage: FAIL"), "a malformed message got the wrong error")
        t.check(b.has("monitor 0: bad message type 33 from core 1: no such operation"),
                "a type past the last (MON__COUNT) was not refused")
        for k in range(2):
            t.check(b.has(f"monitor {k}: ping: 1 peers answered 10 pings each, in order"),
                    f"monitor {k} did not answer pings after the garbage")

    def bad_requests_to_a_monitor_get_errors(t):
        b = boot(t, arch, 2, "poweroff spawn=ns_probe@1 spawn=ns_probe@0")
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(not b.has("ns_probe: FAIL"), "a bad request got the wrong answer")
        t.check(len(b.matching(r"^ns_probe: 47/47 checks passed$")) == 2,
                "a probe did not finish")
        t.check(b.has("domain ns_probe (core 1) exited with status 0"), "the probe failed")
        check_cores_online(t, b, 2)

    def capabilities_refuse_what_was_not_given(t):
        b = boot(t, arch, 2, "poweroff spawn=cap_probe@1")
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(not b.has("cap_probe: FAIL"), "a capability check went wrong")
        t.check(b.has("cap_probe: 39/39 checks passed"), "the probe did not finish")
        check_cores_online(t, b, 2)

    def all_pairs(cores):
        def case(t):
            spawns = " ".join(f"spawn=pingsrv@{k} spawn=pingcli@{k}" for k in range(cores))
            b = boot(t, arch, cores, "poweroff " + spawns)
            t.check(b.rc == 0, f"exit status {b.rc}")
            for k in range(cores):
                line = (f"pingcli {k}: {cores}/{cores} servers answered 20 pings each, in order "
                        f"(1 by LMP, {cores - 1} by UMP)")
                t.check(b.has(line), f"core {k}'s client did not reach every server in order")
            check_cores_online(t, b, cores)
        return case

    ns["test_domains_on_every_core_ping_all_pairs_by_name_on_4_cores"] = all_pairs(4)
    ns["test_domains_on_every_core_ping_all_pairs_by_name_on_8_cores"] = all_pairs(8)

    def monitors_make_device_and_irq_capabilities(t):
        b = boot(t, arch, 1, "poweroff moncaps")
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(not b.has("monitor 0: caps: FAIL"), "a device capability check went wrong")
        t.check(b.has("monitor 0: caps: 9/9 checks passed"), "the probe did not finish")

    def run_program_and_exit_with_its_status(t):
        b = boot(t, arch, 4, "", program=["echo", "hello", "big world,", "100%"])
        t.check(b.rc == 0, f"exit status {b.rc}, expected echo's 0")
        t.check(b.has("hello big world, 100%"), "echo's output is missing or mangled")
        b = boot(t, arch, 4, "", program=["false"])
        t.check(b.rc == 1, f"exit status {b.rc}, expected false's 1")
        b = boot(t, arch, 2, "", program=["hellolibc", "7"])
        t.check(b.rc == 7, f"exit status {b.rc}, expected the 7 it was given")
        t.check(b.has('hellolibc: argc=2, sorted 0..20010, "fmt|   42|ab  |z"'),
                "the newlib program's output is missing or wrong")
        t.check(b.has("hellolibc: sqrt(2) = 1.414214"), "floating point through libm is wrong")
        b = boot(t, arch, 2, "", program=["nosuch"])
        t.check(b.rc == 127, f"exit status {b.rc}, expected 127 for a missing program")
        t.check(b.has("init: cannot start nosuch: No such file or directory"), "no clear error")

    def lines_prints_numbered_lines_and_refuses_bad_usage(t):
        script = ("lines 3 x=; lines 2; lines 2 p 1; lines; lines 4z; lines -1; lines 1 a b; "
                  "lines 1 a 1 c")
        b = boot(t, arch, 2, "", program=["sh", "-c", script])
        t.check(b.rc == 2, f"exit status {b.rc}, expected 2 from the last bad usage")
        t.check([x for x in b.lines if x.startswith("x=")] == ["x=1", "x=2", "x=3"],
                "the lines with a prefix are wrong")
        t.check(b.has("line 1") and b.has("line 2") and not b.has("line 3"),
                "the lines with the default prefix are wrong")
        t.check([x for x in b.lines if x in ("p1", "p2")] == ["p1", "p2"], "paused lines wrong")
        got = sum(1 for x in b.lines if x.endswith("usage: lines N [PREFIX [PAUSE_MS]]"))
        t.check(got == 5, f"{got} usage messages for 5 bad usages")

    def spawn_service_starts_domains_on_every_core(t):
        b = boot(t, arch, 4, "poweroff spawn=spawner@0")
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(not b.has("spawner: FAIL"), "a spawn check went wrong")
        t.check(b.has("spawner: 7/7 checks passed"), "the spawner did not finish")
        for k in range(4):
            t.check(b.has(f"hello: running on core {k}"), f"no hello on core {k}")

    def channel_benchmark_runs(t):
        """The benchmark (tools/bench --guest) must keep working; its figures are
        not checked here."""
        spawns = " ".join(f"spawn=benchsrv@{k} spawn=benchcli@{k}" for k in range(2))
        b = boot(t, arch, 2, "poweroff " + spawns)
        t.check(b.rc == 0, f"exit status {b.rc}")
        for pair, kind in (("0->0", "lmp"), ("0->1", "ump"), ("1->0", "ump"), ("1->1", "lmp")):
            t.check(b.matching(rf"^bench {pair} {kind} \d+ \d+ \d+ \d+$"), f"no {pair} result")

    def local_message_passing_through_the_name_service(t):
        b = boot(t, arch, 2, "poweroff spawn=lmp_server@1 spawn=lmp_client@1")
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(not b.has("lmp_client: FAIL"), "a message-passing check went wrong")
        t.check(b.has("lmp_client: 16/16 checks passed"), "the client did not finish")
        t.check(b.has("domain lmp_server (core 1) exited with status 0"), "server did not quit")
        check_cores_online(t, b, 2)

    def bad_system_calls_get_errors(t):
        b = boot(t, arch, 2, "poweroff spawn=syscall_probe@1")
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(not b.has("syscall_probe: FAIL"), "a bad system call got the wrong answer")
        t.check(b.has("syscall_probe: 31/31 checks passed"), "the probe did not finish its checks")
        t.check(b.has("domain syscall_probe (core 1) exited with status 0"), "probe failed")
        check_cores_online(t, b, 2)

    def an_alarm_wakes_its_domain_once_at_its_time(t):
        b = boot(t, arch, 2, "poweroff spawn=alarm_probe@1")
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(not b.has("alarm_probe: FAIL"), "an alarm came early, late, twice or not at all")
        t.check(b.has("alarm_probe: 10/10 checks passed"), "the probe did not finish its checks")
        t.check(b.has("domain alarm_probe (core 1) exited with status 0"), "probe failed")

    def panic_on_another_core_stops_the_system_with_failure(t):
        b = boot(t, arch, 4, "poweroff panic=2")
        t.check(b.rc == 101, f"exit status {b.rc}, expected 101 (kernel panic)")
        t.check(b.has("PANIC on core 2: requested on the kernel command line"), "no report")
        t.check(b.has("boot: core 2 panicked; stopping the system"), "boot core did not stop")
        check_frame(t, b, "panic:", 1, "cpudriver", "kernel_main", "cpudriver/core.c",
                    'panic("requested on the kernel command line')

    def panic_on_the_boot_core_stops_the_system_with_failure(t):
        b = boot(t, arch, 2, "poweroff panic=0")
        t.check(b.rc == 101, f"exit status {b.rc}, expected 101 (kernel panic)")
        t.check(b.has("PANIC on core 0: requested"), "no panic report")
        t.check(b.matching(r"^panic: bt #0 0x[0-9a-f]+ cpudriver\+0x[0-9a-f]+  "
                           r"panic \(cpudriver/console\.c:\d+\)$"), "frame #0 is not panic")
        check_frame(t, b, "panic:", 1, "cpudriver", "kernel_main", "cpudriver/core.c",
                    'panic("requested on the kernel command line')

    def without_poweroff_the_system_stays_up(t):
        """Without init (init=none) nothing ends the system: it idles until QEMU
        is stopped, here once the monitors have been up a while."""
        b = boot(t, arch, 2, "init=none monping", until=r"^monitor \d: ping: 1 peers answered")
        t.check(b.stopped_early, f"the system ended by itself (status {b.rc})")

    def damaged_archive(t, damage, expect):
        with open(t.path(ARCHIVE[arch]), "rb") as f:
            data = damage(bytearray(f.read()))
        bad = os.path.join(t.tmp, "bad.cpio")
        with open(bad, "wb") as f:
            f.write(data)
        b = boot(t, arch, 1, "poweroff", archive=bad)
        t.check(b.rc == 103, f"exit status {b.rc}, expected 103 (bad boot archive)")
        t.check(b.has(expect), f"no '{expect}' line")

    def corrupt_boot_archive_is_refused_clearly(t):
        def damage(d):
            d[0:6] = b"999999"
            return d
        damaged_archive(t, damage, "boot: the boot archive is unusable: bad magic at offset 0x0")

    def truncated_boot_archive_is_refused_clearly(t):
        damaged_archive(t, lambda d: d[: len(d) // 2], "boot: the boot archive is unusable:")

    def unknown_kernel_option_is_reported_not_fatal(t):
        b = boot(t, arch, 1, "poweroff frobnicate")
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(b.has("boot: unknown kernel option 'frobnicate' ignored"), "not reported")

    def archive_with_many_more_programs_runs_the_last_one(t):
        # The platform's configuration and 40 more programs (copies of echo and
        # true), the last two under the longest names allowed (31 characters):
        # no table of modules, in the tools, the kernel, init, PM or the
        # monitors, may be full, and no name may be cut short on its way.
        platform = PLATFORM[arch]
        with open(t.path("platforms", platform, "boot.conf")) as f:
            conf = f.read()
        base = len(re.findall(r"^module ", conf, re.M))
        last_true, last_echo = "a_copy_of_true_with_a_long_name", "the_last_program_in_the_archive"
        extra = [(f"extra{i:02d}", "echo") for i in range(38)]
        extra += [(last_true, "true"), (last_echo, "echo")]
        conf += "".join(f"module {name} build/{platform}/usr/{prog}/{prog}.elf\n"
                        for name, prog in extra)
        modules = len(re.findall(r"^module ", conf, re.M))
        t.check(modules == base + 40 and len(last_echo) == len(last_true) == 31, "a wrong test")
        conf_path, archive = os.path.join(t.tmp, "boot.conf"), os.path.join(t.tmp, "boot.cpio")
        with open(conf_path, "w") as f:
            f.write(conf)
        t.run([t.path(MKBOOTARCHIVE), "-o", archive, conf_path], check_rc=0)
        # More spawn= options than the kernel once had room for (16).
        b = boot(t, arch, 2, " ".join([f"spawn={last_true}@1"] * 17), archive=archive,
                 program=[last_echo, "from", "module", str(modules)])
        t.check(b.rc == 0, f"exit status {b.rc}, expected echo's 0")
        # The archive's entries: the modules and boot.conf.
        t.check(b.matching(rf"^boot: boot archive of \d+ bytes with {modules + 1} entries$"),
                "the kernel did not count every module")
        t.check(len(b.matching(f"^domain {last_true} \\(core 1\\) exited with status 0$")) == 17,
                "the kernel did not start the long-named module 17 times, or cut its name")
        t.check(b.matching(rf"^from module {modules}$"), "the last program did not run")

    def interrupt_line_reaches_a_driver_on_another_core(t):
        # Without the console driver the UART's line is free: irq_probe binds it
        # on core 2, then 3, then 0, each time routed by core 0's CPU driver
        # (the only one that touches the shared interrupt controller; any other
        # that reached for the I/O APIC would panic), and gets its interrupt.
        platform = PLATFORM[arch]
        with open(t.path("platforms", platform, "boot.conf")) as f:
            conf = "".join(line for line in f if not line.startswith("module serial "))
        conf_path, archive = os.path.join(t.tmp, "boot.conf"), os.path.join(t.tmp, "boot.cpio")
        with open(conf_path, "w") as f:
            f.write(conf)
        t.run([t.path(MKBOOTARCHIVE), "-o", archive, conf_path], check_rc=0)
        b = boot(t, arch, 4, "", archive=archive,
                 program=["sh", "-c", "@2 irq_probe; @3 irq_probe; @0 irq_probe"])
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(not b.has("PANIC"), "a CPU driver panicked")
        for core in (2, 3, 0):
            t.check(b.matching(rf"^irq_probe: line \d+ interrupted core {core}, and was let go$"),
                    f"the interrupt did not reach the driver on core {core}")
        # With the console driver up, the line is routed to core 0: refused elsewhere.
        b = boot(t, arch, 4, "", program=["sh", "-c", "@2 irq_probe; echo status $?"])
        refused = r"^monitor 2: routing line \d+ for domain \d+ refused: permission denied$"
        t.check(b.matching(refused), "a second core got a line another core's driver has")
        t.check(b.has("status 1") and b.rc == 0, f"exit status {b.rc}")
        t.check(not b.has("PANIC"), "a CPU driver panicked")

    def shell_runs_background_jobs_on_other_cores(t):
        script = "@3 sleep 30 &; ps; cores; kill $!; wait; echo waited $?"
        b = boot(t, arch, 4, "", program=["sh", "-c", script])
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(b.matching(r"^\[\d+\] sleep$"), "the background job was not announced")
        t.check(b.matching(r"^ +\d+ +\d+ +3 running sleep$"), "ps does not show sleep on core 3")
        t.check(b.matching(r"^ +1 +0 +0 running init$"), "ps does not show init on core 0")
        t.check(b.matching(r"^ +2 +1 +1 running pm$"), "ps does not show PM on core 1")
        t.check(b.matching(r"^core 3: monitor, .*sleep \(\d+\)"), "cores does not show sleep")
        t.check(b.matching(r"^sh: sleep \(pid \d+\) killed by signal 15 \(Terminated\)$"),
                "wait did not report the signal")
        t.check(b.has("waited 143"), "$? after wait is not 128 + SIGTERM")

    def crashing_process_is_reported_and_the_rest_goes_on(t):
        b = boot(t, arch, 4, "", program=["sh", "-c", "@2 badptr; echo after $?; @1 true; echo $?"])
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(b.matching(r"^sh: badptr \(pid \d+\) killed by signal 11 \(Segmentation fault\)$"),
                "the shell did not report the crash as a signal")
        t.check(b.has("after 139"), "$? is not 128 + SIGSEGV")
        t.check(b.matching(r"^0$"), "the next program did not run")

    def interactive_shell_over_the_serial_console(t):
        check_interactive_session(t, arch)

    def crash_report_is_whole_before_power_off(t):
        # The kernel's report goes through the console driver; init powers off
        # at once, but only after the driver has written everything out.
        b = boot(t, arch, 4, "", program=["badptr"])
        # 139 = 128 + SIGSEGV; QEMU's x86 exit device carries 7 bits of it.
        want = 139 if arch == "riscv64" else 139 & 0x7f
        t.check(b.rc == want, f"exit status {b.rc}, expected {want}")
        t.check(b.matching(r"^trap: .* in domain badptr"), "no trap report")
        last = {"x86_64": r"^trap:   code at rip:( [0-9a-f]{2}){8}$",
                "riscv64": r"^trap:   t4 +[0-9a-f]{16} t5 +[0-9a-f]{16} t6 +[0-9a-f]{16}$"}
        t.check(b.matching(last[arch]), "the report was cut short")
        # Its backtrace, symbolized by tools/run: the bad store, then main's caller.
        check_frame(t, b, "trap:  ", 0, "badptr", "main", "tests/domains/badptr.c",
                    "the bad store")
        check_frame(t, b, "trap:  ", 1, "badptr", "__crt_start", "lib/sys/start.c",
                    "main(argc, argv, envp)")

    def chanbench_from_the_shell(t):
        b = boot(t, arch, 4, "", program=["sh", "-c", "@2 chanbench -n 200 0 2; chanbench 9"])
        t.check(b.rc == 2, f"exit status {b.rc}, expected 2 from the bad core number")
        t.check(b.has("chanbench: from core 2, 200 round trips each"), "no header")
        t.check(b.matching(r"^ +0  ump +\d+ +\d+ +\d+$"), "no UMP row to core 0")
        t.check(b.matching(r"^ +2  lmp +\d+ +\d+ +-$"), "no LMP row to its own core")
        t.check(b.has("chanbench: 9: not a core (0..3)"), "a bad core was not refused")

    def bad_requests_to_the_console_get_errors(t):
        b = boot(t, arch, 4, "", program=["sh", "-c", "@0 cons_probe"])
        t.check(not b.has("cons_probe: FAIL"), "a request got the wrong answer")
        t.check(b.has("cons_probe: the driver still writes"), "the driver stopped writing")
        t.check(b.has("cons_probe: the driver writes from a grant"), "a write from a grant is lost")
        # A write sent again with the last number it wrote is not written
        # twice, on the same channel or another of the same process; any other
        # number, and none, is written.
        for line, n in (("cons_probe: number 7, written once", 1),
                        ("cons_probe: number 11, written once", 1),
                        ("cons_probe: an older number is written", 1),
                        ("cons_probe: no number, each written", 2)):
            got = sum(1 for x in b.lines if x == line)
            t.check(got == n, f"{line!r} came out {got} times, not {n}")
        t.check(b.has("cons_probe: 32/32 checks passed"), "the probe did not finish")
        t.check(b.rc == 0, f"exit status {b.rc}")

    def long_console_write_comes_out_whole(t):
        # One write() of 160 lines (10 KB) while another core prints through
        # the kernel, a line a millisecond: the kernel's lines come before or
        # after it, never inside.
        b = boot(t, arch, 4, "", program=["sh", "-c",
                                          "@1 cons_probe klines 500 &; @0 cons_probe; wait"])
        t.check(b.rc == 0, f"exit status {b.rc}")
        start = next((i for i, line in enumerate(b.lines) if "cons_probe: long 000" in line), None)
        t.check(start is not None, "the long write did not come out")
        fill = "abcdefghijklmnopqrstuvwxyz".ljust(41)
        want = [f"cons_probe: long {k:03d} {fill}|" for k in range(160)]
        got = b.lines[start:start + 160] if start is not None else []
        bad = [line for line, w in zip(got, want) if line != w]
        t.check(len(got) == 160 and not bad, f"the long write was broken: {bad[:3]}")
        t.check(b.has("cons_probe: kernel line 499") or b.has("lines lost (log full)"),
                "the kernel's lines did not come")
        t.check(b.has("cons_probe: 32/32 checks passed"), "the probe did not finish")

    def without_a_console_driver_programs_write_through_the_kernel(t):
        # Started by the kernel option, before init: no CONSOLE in its environment.
        b = boot(t, arch, 2, "poweroff spawn=hellolibc@1")
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(b.has("hellolibc: sqrt(2) = 1.414214"), "its output did not come through")
        t.check(not b.has("serial: console on"), "a console driver was started")

    def console_keeps_a_quiet_live_client_among_many_short_ones(t):
        # The inner shell writes once, then waits while 60 short-lived echo
        # processes pass through the console driver's table of clients; the
        # inner shell must keep its channel and write again.
        echoes = "; ".join(f"echo e{i}" for i in range(60))
        script = f"@2 sh -c '@3 sleep 8 &; wait' &; {echoes}; wait; echo all done"
        b = boot(t, arch, 4, "", program=["sh", "-c", script])
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(b.has("e59"), "the echoes did not all run")
        t.check(b.matching(r"^\[\d+\] sleep done, status 0$"),
                "the quiet shell could not write again")
        t.check(b.has("all done"), "the script did not finish")

    def names_of_ended_servers_are_withdrawn(t):
        # Each chanbench run registers a name on every core for its servers;
        # 12 runs are 48 names, more than a monitor's table holds at once.
        b = boot(t, arch, 4, "", program=["sh", "-c", "; ".join(["chanbench -n 10"] * 12)])
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(len(b.matching(r"^chanbench: from core")) == 12, "not every run started")
        t.check(len(b.matching(r"^ +\d  (ump|lmp) +\d+")) == 48, "a server was not reached")
        t.check(not b.has("cannot"), "a run could not start or reach its servers")

    def channel_pages_of_ended_processes_are_used_again(t):
        # Every echo talks to the console over a channel whose page its core's
        # monitor makes; once an echo ends and the driver lets go, the page is
        # zeroed and used for a later channel (before this, each process cost
        # its monitor a page for good, and about 1000 exhausted them).
        b = boot(t, arch, 4, "", program=["sh", "-c", "spawnmany 200 echo; @1 cores"])
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(b.has("spawnmany: 200 spawned on 4 cores, 200 reaped, 0 failed"), "spawns failed")
        m = b.matching(r"^monitor 1: channel pages: (\d+) open, (\d+) closing, (\d+) free, "
                       r"(\d+) reused$")
        t.check(m and int(m[0].group(4)) > 0, "no channel page was used again")
        t.check(not b.has("out of memory"), "a monitor ran out of memory")

    def hundred_processes_leave_an_empty_table(t):
        b = boot(t, arch, 4, "", program=["spawnmany", "100"])
        t.check(b.rc == 0, f"exit status {b.rc}")
        # The table: init, PM, RS, the console driver, the bus driver, the root
        # disk's driver, FS, NET and spawnmany.
        t.check(b.matching(r"^spawnmany: 100 spawned on 4 cores, 100 reaped, 0 failed, "
                           r"0 children left, 9 processes in the table, wait says no children$"),
                "processes were lost or leaked")

    def a_shell_may_not_kill_a_driver_and_still_powers_off(t):
        # init is pid 1, PM 2, RS 3, and RS starts the console driver first: 4.
        script = ("kill 4; echo status $?; kill -KILL 3; kill -KILL 2; @2 sleep 30 &; kill $!; "
                  "wait; ps")
        b = boot(t, arch, 4, "", program=["sh", "-c", script])
        t.check(b.matching(r"^kill: 4: not permitted \(a process may signal only its descendants\)$"),
                "killing the console driver was not refused")
        t.check(b.has("status 1"), "kill did not fail")
        t.check(b.matching(r"^kill: 3: not permitted"), "killing RS was not refused")
        t.check(b.matching(r"^kill: 2: not permitted"), "killing PM was not refused")
        t.check(b.matching(r"^sh: sleep \(pid \d+\) killed by signal 15 \(Terminated\)$"),
                "the shell could not kill its own job")
        t.check(b.matching(r"^ +4 +3 +0 running serial$"), "the console driver is gone")
        t.check(b.rc == 0, f"exit status {b.rc}: no clean power-off")

    def bad_requests_to_pm_get_their_errors(t):
        b = boot(t, arch, 4, "", program=["pm_probe"])
        t.check(not b.has("pm_probe: FAIL"), "a request got the wrong answer")
        t.check(b.has("pm_probe: 46/46 checks passed"), "the probe did not finish")
        # The fault's cause and address as PM's wait tells them to the parent.
        t.check(b.has(f"pm_probe: fault_kaddr ended by page fault at {FAULTS[arch]['kaddr_addr']}"
                      ", signal 11"), "the wait did not say how the child faulted")
        t.check(b.rc == 0, f"exit status {b.rc}")

    for fn in (garbage_to_monitors_is_refused_and_pings_still_work,
               lines_prints_numbered_lines_and_refuses_bad_usage,
               every_bad_message_between_monitors_is_refused_by_its_row,
               bad_requests_to_a_monitor_get_errors,
               capabilities_refuse_what_was_not_given,
               local_message_passing_through_the_name_service, channel_benchmark_runs,
               spawn_service_starts_domains_on_every_core,
               monitors_make_device_and_irq_capabilities, run_program_and_exit_with_its_status,
               user_faults_end_only_that_domain,
               preemption_lets_the_monitor_run_beside_a_spinning_domain,
               console_lines_from_eight_cores_never_interleave, bad_system_calls_get_errors,
               an_alarm_wakes_its_domain_once_at_its_time,
               floating_point_state_stays_with_its_domain,
               panic_on_another_core_stops_the_system_with_failure,
               panic_on_the_boot_core_stops_the_system_with_failure,
               without_poweroff_the_system_stays_up, corrupt_boot_archive_is_refused_clearly,
               truncated_boot_archive_is_refused_clearly,
               archive_with_many_more_programs_runs_the_last_one,
               interrupt_line_reaches_a_driver_on_another_core,
               unknown_kernel_option_is_reported_not_fatal,
               shell_runs_background_jobs_on_other_cores,
               interactive_shell_over_the_serial_console,
               crash_report_is_whole_before_power_off, chanbench_from_the_shell,
               bad_requests_to_the_console_get_errors, long_console_write_comes_out_whole,
               without_a_console_driver_programs_write_through_the_kernel,
               console_keeps_a_quiet_live_client_among_many_short_ones,
               names_of_ended_servers_are_withdrawn,
               channel_pages_of_ended_processes_are_used_again,
               crashing_process_is_reported_and_the_rest_goes_on,
               hundred_processes_leave_an_empty_table, bad_requests_to_pm_get_their_errors,
               a_shell_may_not_kill_a_driver_and_still_powers_off):
        ns["test_" + fn.__name__] = fn
