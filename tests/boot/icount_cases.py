"""Boot tests of the instruction counts (tools/bench icount, usr/icount),
shared by both architectures (define(ARCH, globals())): one boot under
QEMU's -icount, as the benchmark boots it, with few rounds; its figures must
be counts of instructions, and those of one core stand in the order their
paths imply; a second boot gives every figure again, those of the operations
across cores too."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools", "runlib"))

import icount_bench  # noqa: E402
import qemu  # noqa: E402

# 400 nops between two reads of the count; QEMU's x86 count gives one more
# on this path, every time.
NOPS = {"x86_64": 401, "riscv64": 400}
SYSCALLS = ["sys-yield", "sys-cap-identify", "sys-cap-copy-delete",
            "sys-frame-copy-map-delete", "sys-cap-retype-delete"]


def define(arch, ns):
    def figures(t):
        p = t.run(icount_bench.command(arch, 10), timeout=120)
        status = qemu.system_status(arch, p.returncode)
        t.check(status == 0, f"exit status {status}")
        got = {}
        for line in p.stdout.splitlines():
            m = icount_bench.LINE.match(line.strip())
            if m:
                got[m.group(1)] = int(m.group(2))
        return got

    def icount_bench_counts_instructions_in_the_order_of_the_paths(t):
        got = figures(t)
        missing = [key for key, _ in icount_bench.ROWS if key not in got]
        t.check(not missing, f"no figure for {missing}")
        t.check(got["nops-400"] == NOPS[arch],
                f"400 nops counted {got['nops-400']}, not {NOPS[arch]}: not instructions")
        null = got["sys-core-id"]
        t.check(0 < got["ump-send-recv"] < null,
                f"a UMP send and receive (no kernel) took {got['ump-send-recv']}, the cheapest "
                f"system call {null}")
        for key in SYSCALLS:
            t.check(got[key] >= null, f"{key} took {got[key]}, less than the cheapest call {null}")
        t.check(got["lmp-call"] > 2 * null,
                f"an LMP call and reply (two kernel entries) took {got['lmp-call']}, the "
                f"cheapest system call {null}")
        # With other cores the fewest can be a lucky turn of the cores (a UMP
        # call once counted less than an LMP call on RISC-V): only not nothing.
        for key, _ in icount_bench.ACROSS:
            t.check(got[key] > 0, f"{key} counted nothing")
        again = figures(t)
        differ = {key: (got[key], again.get(key)) for key in got if again.get(key) != got[key]}
        t.check(not differ, f"a second boot counted otherwise: {differ}")

    for fn in (icount_bench_counts_instructions_in_the_order_of_the_paths,):
        ns["test_" + fn.__name__] = fn
