"""tools/bench --caps: what capabilities and memory cost inside the system
(usr/capbench). Boots twice: under plain TCG, whose clock gives emulated
nanoseconds, and under TCG with -icount shift=0 (one nanosecond per guest
instruction, single-threaded: the same count from run to run), and prints both
side by side. Neither is a hardware time (DESIGN.md, "Measuring under
emulation")."""

import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import qemu  # noqa: E402

LINE = re.compile(r"^capbench (\S+) (\d+)")

ROWS = [
    ("monitor-call", "a call to this core's monitor, answered at once (the baseline)"),
    ("page-request", "one page: NS_RAM to the monitor, a RAM capability back"),
    ("page-retype-map-touch", "one page: retype into a frame, map it, first write"),
    ("page-total", "one page, asked for and mapped"),
    ("page-give-back", "one page: delete frame and RAM (memory free in the pool again)"),
    ("revoke-1", "revoke with 1 descendant"),
    ("revoke-10", "revoke with 10 descendants"),
    ("revoke-100", "revoke with 100 descendants (two levels)"),
]


def run(arch, icount, rounds):
    cmd = qemu.command(arch, 4, "tcg", qemu.full_cmdline("", ["capbench", str(rounds)]))
    if icount:
        i = cmd.index("tcg")
        cmd[i:i + 1] = ["tcg,thread=single", "-icount", "shift=0"]
    return qemu.run_collecting(arch, cmd, LINE)


def main(argv):
    ap = argparse.ArgumentParser(prog="tools/bench --caps")
    ap.add_argument("--arch", choices=sorted(qemu.ARCHES), default="x86_64")
    ap.add_argument("--rounds", type=int, default=200)
    args = ap.parse_args(argv)
    status_t, timed = run(args.arch, False, args.rounds)
    if status_t != 0 or len(timed) != len(ROWS):
        print(f"bench: capbench ended with status {status_t} and {len(timed)} of {len(ROWS)} "
              "results", file=sys.stderr)
        return 1
    status_i, counted = run(args.arch, True, args.rounds)
    if status_i != 0 or len(counted) != len(ROWS):
        # Seen on RISC-V: under -icount one hart does not start in time.
        print(f"bench: the -icount run ended with status {status_i} and {len(counted)} of "
              f"{len(ROWS)} results; its column stays empty", file=sys.stderr)
        counted = {}
    print(f"== guest: {args.arch}, 4 cores, mean of {args.rounds} rounds; emulated ns under TCG "
          "and guest instructions under -icount shift=0 (all cores' instructions while it ran)")
    print("| operation | emulated ns (TCG) | instructions (icount) |")
    print("|---|---:|---:|")
    for key, what in ROWS:
        count = f"{counted[key]:,}" if key in counted else "-"
        print(f"| {what} | {timed[key]:,} | {count} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
