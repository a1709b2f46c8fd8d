"""tools/bench --guest: boots the system with the channel benchmark on every
core (usr/bench: a server and a client per core) and prints its results as
tables: round trip and one-way latency for every pair of cores (LMP on the
diagonal, UMP elsewhere) and UMP stream throughput."""

import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import qemu  # noqa: E402

LINE = re.compile(r"^bench (\d+)->(\d+) (lmp|ump) (\d+) (\d+) (\d+) (\d+)")


def run(arch, cores, timeout):
    spawns = " ".join(f"spawn=benchsrv@{k} spawn=benchcli@{k}" for k in range(cores))
    cmd = qemu.command(arch, cores, "tcg", "poweroff " + spawns)
    p = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout)
    results = {}
    for line in p.stdout.splitlines():
        m = LINE.match(line.strip())
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            results[(a, b)] = [m.group(3)] + [int(x) for x in m.group(4, 5, 6, 7)]
    return qemu.system_status(arch, p.returncode), results


def table(title, cores, results, index, unit):
    print(f"\n{title}")
    print("| from \\ to | " + " | ".join(f"core {b}" for b in range(cores)) + " |")
    print("|---|" + "---:|" * cores)
    for a in range(cores):
        cells = []
        for b in range(cores):
            r = results.get((a, b))
            cells.append("-" if r is None or r[index] == 0 else f"{r[index]:,} {unit}")
        print(f"| core {a} | " + " | ".join(cells) + " |")


def main(argv):
    ap = argparse.ArgumentParser(prog="tools/bench --guest")
    ap.add_argument("--arch", choices=sorted(qemu.ARCHES), default="x86_64")
    ap.add_argument("--cores", type=int, default=4)
    args = ap.parse_args(argv)
    status, results = run(args.arch, args.cores, 600)
    print(f"== guest: {args.arch}, {args.cores} cores, QEMU TCG (emulated: compare the entries "
          "with each other, not with hardware)")
    if status != 0 or len(results) != args.cores * args.cores:
        print(f"bench: the guest run ended with status {status} and {len(results)} of "
              f"{args.cores * args.cores} results", file=sys.stderr)
        return 1
    table("Round trip of a 64-byte message (LMP call/reply on the diagonal, UMP elsewhere)",
          args.cores, results, 1, "ns")
    table("One-way latency (the counter every core shares)", args.cores, results, 3, "ns")
    table("UMP stream throughput, 16-slot ring", args.cores, results, 4, "msg/s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
