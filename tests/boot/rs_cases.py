"""Boot tests of the reincarnation server (RS), shared by every architecture:
define(ARCH, globals()) adds them to a test module. RS starts the drivers and
servers of the service table and keeps them alive: a service that crashes is
started again, one that crashes at start is given up after growing delays,
one that stops answering its heartbeats is ended and started again, and RS
itself is restarted by init and takes its services back."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))

from testlib.boot import boot  # noqa: E402

LIST_ROW = r"^{name} +(\d+|-) +(\d+|-) +(running|waiting|stopped|gave up) +(\d+) "


def row(b, name):
    """The `service list` rows of name: (pid, core, state, restarts)."""
    return [(m.group(1), m.group(2), m.group(3), int(m.group(4)))
            for m in b.matching(LIST_ROW.format(name=re.escape(name)))]


def check_console_survives_fifty_crashes(t, arch, timeout=600):
    """2,000 numbered lines from a writer on core 2 while RS crashes the
    console driver 50 times: every line exactly once, in order."""
    # The writer on core 2 pauses 2 ms between lines, so that the 50
    # crashes (each `service fault` returns once the driver answers again)
    # fall among its 2,000 writes.
    script = "@2 lines 2000 n 2 &; service fault serial 50; wait; service list"
    b = boot(t, arch, 4, "", program=["sh", "-c", script], timeout=timeout)
    t.check(b.rc == 0, f"exit status {b.rc}")
    numbers = [int(line[1:]) for line in b.lines if re.fullmatch(r"n\d+", line)]
    t.check(numbers == list(range(1, 2001)),
            f"{len(numbers)} numbered lines, lost or doubled or out of order: "
            f"first wrong at {next((i for i, n in enumerate(numbers) if n != i + 1), '?')}")
    crashes = b.matching(r"^rs: serial \(pid \d+\) died: page fault at 0x[0-9a-f]+; "
                         r"restarted as pid \d+ in \d+ ms$")
    t.check(len(crashes) == 50, f"{len(crashes)} restarts of the driver, not 50")
    first = next((i for i, line in enumerate(b.lines) if line == "n1"), None)
    last = next((i for i, line in enumerate(b.lines) if line == "n2000"), None)
    during = [i for i, line in enumerate(b.lines)
              if first is not None and last is not None and first < i < last
              and line.startswith("rs: serial (pid ")]
    t.check(len(during) >= 10, f"only {len(during)} restart lines fell among the writes")
    serial = row(b, "serial")
    t.check(serial and serial[-1][2:] == ("running", 50), f"service list says {serial}")


def define(arch, ns):
    def rs_starts_the_service_table_and_service_list_shows_it(t):
        b = boot(t, arch, 4, "", program=["sh", "-c", "service list; ps"])
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(b.matching(r"^rs: up on core 1, 10 services$"), "RS did not say it was up")
        rs = b.matching(r"^ +(\d+) +1 +1 running rs$")
        t.check(rs, "RS is not init's child on core 1")
        serial = row(b, "serial")
        t.check(serial and serial[0][1:] == ("0", "running", 0), f"serial: {serial}")
        pci = row(b, "pci")
        t.check(pci and pci[0][1:] == ("2", "running", 0), f"pci: {pci}")
        fs = row(b, "fs")
        t.check(fs and fs[0][1:] == ("3", "running", 0), f"fs: {fs}")
        root = row(b, "virtioblk")
        t.check(root and root[0][1:] == ("2", "running", 0), f"the root's driver: {root}")
        net = row(b, "net")  # core 4 is not online: core 0
        t.check(net and net[0][1:] == ("0", "running", 0), f"net: {net}")
        t.check(b.matching(r"^virtionet +- +- +stopped +0 +- +exited with status 0, "),
                "the network driver without a device did not end cleanly")
        t.check(b.matching(r"^virtioblk1 +- +- +stopped +0 +- +exited with status 0, "),
                "the block driver without a disk did not end cleanly")
        t.check(b.matching(r"^rs: virtioblk1 \(pid \d+\) exited with status 0; its work is done$"),
                "no line for the driver that had nothing to do")
        if rs and serial:
            t.check(b.matching(rf"^ +{serial[0][0]} +{rs[0].group(1)} +0 running serial$"),
                    "the console driver is not RS's child")

    def a_service_that_crashes_at_start_is_given_up_after_growing_delays(t):
        script = "service up fault_kaddr limit=3 backoff=40; sleep 60"
        b = boot(t, arch, 4, "", program=["sh", "-c", script], until=r"given up$", timeout=180)
        waits = [(int(m.group(1)), int(m.group(2))) for m in b.matching(
            r"^rs: fault_kaddr \(pid \d+\) died: [a-z ]+ at 0x[0-9a-f]+; "
            r"restarting in (\d+) ms \((\d) of 3\)$")]
        t.check(waits == [(40, 1), (80, 2), (160, 3)], f"the delays did not grow: {waits}")
        t.check(len(b.matching(r"^rs: fault_kaddr restarted as pid \d+ after its backoff$")) == 3,
                "not restarted after each delay")
        t.check(b.matching(r"^rs: fault_kaddr \(pid \d+\) died: [a-z ]+ at 0x[0-9a-f]+; "
                           r"4 deaths in a row before it was ready: given up$"),
                "not given up after its limit")

    def a_service_that_stops_answering_heartbeats_is_restarted(t):
        script = "service up hbtest heartbeat=200; sleep 60"
        b = boot(t, arch, 4, "", program=["sh", "-c", script], timeout=180,
                 until=r"^rs: hbtest \(pid \d+\) answering [\d.]+ ms after RS heard of its death$")
        t.check(b.has("hbtest: an order from a service to stop serial: permission denied"),
                "RS took an order from a service")
        silent = b.matching(r"^rs: hbtest \(pid (\d+)\) silent for (\d+) ms "
                            r"\(2 heartbeats missed\): ending it$")
        t.check(silent, "RS did not notice the silence")
        # Two periods from the ping that went unanswered, and RS's 10 ms tick.
        t.check(silent and int(silent[0].group(2)) <= 2 * 200 + 100,
                f"not ended within two periods: {silent[0].group(2) if silent else '?'} ms")
        t.check(b.matching(r"^rs: hbtest \(pid \d+\) died: killed by signal 9 for missed "
                           r"heartbeats; restarted as pid \d+ in \d+ ms$"),
                "not restarted after it was ended")

    def rs_killed_is_restarted_by_init_and_adopts_its_services(t):
        script = "service list; service fault rs; service list"
        b = boot(t, arch, 4, "", program=["sh", "-c", script], timeout=180)
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(b.matching(r"^init: rs \(pid \d+\) killed by signal 11; restarted as pid \d+$"),
                "init did not restart RS")
        t.check(b.matching(r"^rs: adopted 5 running services$"), "the services were not adopted")
        for name in ("serial", "pci", "virtioblk", "fs", "net"):
            rows = row(b, name)
            t.check(len(rows) == 2 and rows[0][:3] == rows[1][:3] and rows[1][2] == "running",
                    f"{name} is not the same running service after RS came back: {rows}")

    def console_lines_survive_fifty_crashes_of_its_driver(t):
        check_console_survives_fifty_crashes(t, arch)

    def the_service_utility_says_what_went_wrong(t):
        script = ("service; service frob x; service stop nosuch; service up nosuch; "
                  "service up serial; service fault serial 0; service up hbtest core=x; "
                  "service start serial; service fault irq_probe; service stop virtioblk1; "
                  "echo stopped $?")
        b = boot(t, arch, 4, "", program=["sh", "-c", script])
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(len(b.matching(r"^usage: service list")) == 4, "bad usages were not refused")
        for line in ("service: stop nosuch: no such service",
                     "service: up nosuch: no such module in the boot archive",
                     "service: up serial: already a service",
                     "service: start serial: already running",
                     "service: fault irq_probe: not running",
                     "stopped 0"):
            t.check(b.has(line), f"no line {line!r}")

    for fn in (rs_starts_the_service_table_and_service_list_shows_it,
               the_service_utility_says_what_went_wrong,
               console_lines_survive_fifty_crashes_of_its_driver,
               a_service_that_crashes_at_start_is_given_up_after_growing_delays,
               a_service_that_stops_answering_heartbeats_is_restarted,
               rs_killed_is_restarted_by_init_and_adopts_its_services):
        ns["test_" + fn.__name__] = fn
