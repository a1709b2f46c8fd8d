"""Boot tests of channels whose other end dies, shared by every architecture:
define(ARCH, globals()) adds them to a test module. A domain waiting on a
channel whose peer is killed gets ERR_DEAD, and so does everything it tries
on that channel after; a client of the redial library does not notice its
server's crash and restart."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))

from testlib.boot import boot  # noqa: E402

CASES = [(kind, where) for kind in ("send", "recv", "call")
         for where in ("this core", "another core")]
CASES += [("lmp", "this core"), ("server", "this core"), ("server", "another core")]


def define(arch, ns):
    def a_wait_with_a_deadline_on_a_silent_server_times_out_then_sees_it_die(t):
        # The server takes the request and answers nothing: the wait ends at
        # its deadline (300 ms on) with ERR_TIMEDOUT, and after the server is
        # killed, the UMP channel's wait ends with ERR_DEAD.
        b = boot(t, arch, 2, "", program=["silentpeer"], timeout=240)
        for kind, core, after in (("LMP", 0, r"\(LMP: not asked\)"), ("UMP", 1, "peer is dead")):
            m = b.matching(rf"^silentpeer: {kind}, server on core {core}: timed out after (\d+) "
                           rf"ms, then {after}: ok$")
            t.check(m and 300 <= int(m[0].group(1)) < 5300,
                    f"{kind}: {b.matching(f'^silentpeer: {kind}.*')}")
        t.check(b.rc == 0, f"exit status {b.rc}")

    def a_domain_waiting_on_a_killed_peer_gets_err_dead(t):
        b = boot(t, arch, 2, "", program=["deadpeer"], timeout=240)
        for kind, where in CASES:
            t.check(b.matching(rf"^deadpeer: {kind}, peer on core \d+ \({where}\): "
                               r"ERR_DEAD while waiting, and at once after$"),
                    f"{kind} with the peer on {where}: no ERR_DEAD")
        t.check(b.has("deadpeer: 0 failed"), "a case failed")
        t.check(not b.has("cannot hang up"), "a monitor could not hang up a dead end")
        t.check(b.rc == 0, f"exit status {b.rc}")

    def a_server_pings_crashes_for_its_parent_only_and_redial_hides_its_restart(t):
        # SRV_PING and SRV_FAULT, which the skeleton answers for every server;
        # a client of the redial library calls through a crash and a respawn.
        b = boot(t, arch, 4, "", program=["crash_probe"], timeout=240)
        t.check(not b.has("crash_probe: FAIL"), "a check failed")
        t.check(b.matching(r"^domain pingsrv \(core 1\) killed: (store )?page fault$"),
                "pingsrv did not crash with a page fault")
        t.check(b.matching(r"^crash_probe: redial client: (\d+) pings, \1 answered right, "
                           r"[1-9]\d* redials$"), "the redial client lost pings")
        t.check(b.has("crash_probe: 13/13 checks passed"), "the probe did not finish")
        t.check(b.rc == 0, f"exit status {b.rc}")

    for fn in (a_wait_with_a_deadline_on_a_silent_server_times_out_then_sees_it_die,
               a_domain_waiting_on_a_killed_peer_gets_err_dead,
               a_server_pings_crashes_for_its_parent_only_and_redial_hides_its_restart):
        ns["test_" + fn.__name__] = fn
