"""Boot tests of capabilities and memory, shared by every architecture:
define(ARCH, globals()) adds them to a test module. A misuse of capabilities
gets an error and nothing else notices; RAM comes on demand and goes back."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))

from testlib.boot import boot  # noqa: E402

# memhog runs back to back; fewer where TCG is slower (RISC-V).
MEMHOG_RUNS = {"x86_64": 600, "riscv64": 200}


def free_of_all(b):
    """The machine's free KiB in each `free` table, in order."""
    return [int(m.group(1)) for m in b.matching(r"^ all +\d+ +\d+ +(\d+)$")]


def define(arch, ns):
    def capability_misuse_gets_errors_and_the_console_still_works(t):
        b = boot(t, arch, 4, "", program=["sh", "-c", "capmisuse; echo capmisuse said $?; ps"])
        t.check(not b.has("capmisuse: FAIL"), "a misuse was not refused as it should be")
        t.check(b.matching(r"^capmisuse: (\d+)/\1 checks passed; the console still works$"),
                "capmisuse did not finish through the console")
        t.check(b.has("capmisuse said 0"), "its status was not 0")
        t.check(b.matching(r"^ +\d+ +\d+ +0 running serial$"), "the console driver is gone")
        t.check(b.rc == 0, f"exit status {b.rc}")

    def memhog_gets_ram_on_demand_and_gives_it_back(t):
        script = "memhog 2; free; memhog 224 5; free; memhog 4096; echo too much said $?; free"
        b = boot(t, arch, 4, "", program=["sh", "-c", script], timeout=240)
        t.check(b.matching(r"^memhog: 229376 KiB in \d+ blocks written, checked and freed$"),
                "224 MiB were not allocated, written and checked")
        m = b.matching(r"^memhog: malloc returned NULL after (\d+) KiB of 4194304 KiB")
        t.check(m, "asking for more than the machine has did not end in a NULL from malloc")
        free = free_of_all(b)
        # Whatever core it runs on, it gets nearly all the machine's free memory:
        # chunks another core borrowed for the 256 MiB went back to monitor 0.
        t.check(m and free and int(m[0].group(1)) > free[0] * 9 // 10,
                f"malloc gave out only {m[0].group(1) if m else '?'} of {free[:1]} KiB")
        t.check(b.has("too much said 1"), "memhog did not exit 1 when out of memory")
        t.check(len(free) == 3 and free[0] == free[1] == free[2],
                f"free memory before and after differs: {free}")
        t.check(b.rc == 0, f"exit status {b.rc}")

    def memhog_many_times_leaves_free_memory_as_it_was(t):
        n = MEMHOG_RUNS[arch]
        # The first spawnmany before the first count: PM keeps a frame as large
        # as the largest program it started, and FS's table of clients grows
        # once; what is measured is what each of the n runs leaves behind.
        script = f"memhog 2; spawnmany 2 memhog 1; free; spawnmany {n} memhog ~4; free"
        b = boot(t, arch, 4, "", program=["sh", "-c", script], timeout=540)
        t.check(b.has(f"spawnmany: {n} spawned on 4 cores, {n} reaped, 0 failed"),
                "a memhog failed")
        free = free_of_all(b)
        t.check(len(free) == 2 and free[0] == free[1],
                f"free memory before and after differs: {free}")

    def capability_space_grows_to_65536_slots_and_no_further(t):
        b = boot(t, arch, 4, "", program=["sh", "-c", "free; capfill; echo capfill said $?; free"])
        t.check(b.matching(r"^capfill: \d+ copies held, the space full at 65536 slots \(no space\)$"),
                "the capability space did not grow to its full size")
        t.check(b.has("capfill: all deleted; the frame stays"), "deleting the copies went wrong")
        t.check(b.has("capfill said 0"), "capfill failed")
        free = free_of_all(b)
        t.check(len(free) == 2 and free[0] == free[1],
                f"the CNodes' memory did not come back: {free}")

    def sixty_four_cores_boot_to_the_shell(t):
        # Capability slots and monitor memory once ran out at about 60 cores.
        b = boot(t, arch, 64, "", program=["sh", "-c", "@63 echo hello from core 63; free"],
                 timeout=240)
        t.check(b.has("boot: 64/64 cores online"), "not every core came up")
        t.check(b.has("hello from core 63"), "the last core ran nothing")
        t.check(len(b.matching(r"^ +\d+ +\d+ +\d+ +\d+$")) == 64, "free did not list 64 cores")
        t.check(b.rc == 0, f"exit status {b.rc}")

    def frame_on_three_cores_is_unmapped_everywhere_by_a_revoke_at_its_owner(t):
        b = boot(t, arch, 4, "", program=["sh", "-c", "@1 sharetest; echo sharetest said $?"])
        t.check(b.matching(r"^sharetest: frame of export \d+ mapped on cores 1 2 3$"),
                "the frame was not mapped on three cores")
        t.check(b.has("sharetest: revoke at the owner: ok"), "the revoke failed")
        faults = {int(m.group(1)) for m in b.matching(
            r"^trap: (?:\w+ )?page fault on core (\d+)\b.*in domain sharetest")}
        t.check(faults == {1, 2, 3}, f"touching it faulted on cores {sorted(faults)}, not 1 2 3")
        t.check(b.has("sharetest: 3 of 3 importers faulted touching it; importing it again: "
                      "no such entry"), "an importer kept the frame, or the export stayed")
        t.check(b.has("sharetest said 0"), "sharetest failed")

    def forty_processes_on_one_core(t):
        # A core once had room for 32 domains; now its table grows.
        script = "\n".join(["@3 sleep 2 &"] * 40 + ["cores", "wait; echo waited $?"])
        b = boot(t, arch, 4, "", program=["sh", "-c", script])
        m = b.matching(r"^core 3: monitor, (.*)$")
        t.check(m and m[0].group(1).count("sleep (") == 40, "40 sleeps did not run on core 3")
        t.check(b.has("waited 0"), "they did not all end")
        t.check(b.rc == 0, f"exit status {b.rc}")

    def eighty_processes_are_pms_clients_at_once(t):
        # PM's table of clients once held 48; now it grows.
        b = boot(t, arch, 4, "", program=["pmclients", "80"], timeout=180)
        t.check(b.has("pmclients: 80 of 80 processes talked to PM at once"),
                "PM did not answer them all")
        t.check(not b.has("a client refused"), "PM refused a client")
        t.check(b.rc == 0, f"exit status {b.rc}")

    for fn in (capability_misuse_gets_errors_and_the_console_still_works,
               eighty_processes_are_pms_clients_at_once,
               forty_processes_on_one_core,
               frame_on_three_cores_is_unmapped_everywhere_by_a_revoke_at_its_owner,
               sixty_four_cores_boot_to_the_shell,
               capability_space_grows_to_65536_slots_and_no_further,
               memhog_gets_ram_on_demand_and_gives_it_back,
               memhog_many_times_leaves_free_memory_as_it_was):
        ns["test_" + fn.__name__] = fn
