"""tools/bench --restarts: how long a crashed console driver takes to come
back. The guest (each architecture asked for, QEMU TCG, 4 cores) runs
`service fault serial N`: RS makes the driver crash in its own code N times,
each time after the last restart answered, and prints for each the time from
the fault it ordered to the restarted driver's first answer to a ping (which
covers the death, the monitors' and PM's notices, the new spawn, the driver's
start and its name's registration). Times are emulated (TCG): compare rows,
not hardware."""

import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import qemu  # noqa: E402

ANSWER = re.compile(r"^rs: serial \(pid \d+\) answering ([\d.]+) ms after its fault$")
RESTARTED = re.compile(r"^rs: serial \(pid \d+\) died: .*; restarted as pid \d+ in (\d+) ms$")


def percentile(values, p):
    """The nearest-rank percentile of values (sorted here)."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, -(-len(s) * p // 100) - 1))
    return s[int(k)]


def guest(arch, crashes, timeout):
    cmd = qemu.command(arch, 4, "tcg",
                       qemu.full_cmdline("", ["service", "fault", "serial", str(crashes)]))
    p = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout)
    lines = [line.strip() for line in p.stdout.splitlines()]
    answers = [float(m.group(1)) for m in map(ANSWER.match, lines) if m]
    spawns = [int(m.group(1)) for m in map(RESTARTED.match, lines) if m]
    return answers, spawns


def main(argv):
    ap = argparse.ArgumentParser(prog="tools/bench --restarts")
    ap.add_argument("--arch", action="append", choices=sorted(qemu.ARCHES),
                    help="guest architecture (again for more; default both)")
    ap.add_argument("--crashes", type=int, default=100, help="crashes of the driver (100)")
    ap.add_argument("--timeout", type=int, default=900, help="seconds per guest (900)")
    args = ap.parse_args(argv)
    arches = args.arch or ["x86_64", "riscv64"]
    results = {arch: guest(arch, args.crashes, args.timeout) for arch in arches}
    print(f"== console driver restarts: {args.crashes} crashes (`service fault serial`), "
          "4 cores, QEMU TCG (emulated time)")
    print("| architecture | restarts seen | fault to answer, p50 | p99 | min | max "
          "| RS's spawn, p50 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    bad = []
    for arch in arches:
        answers, spawns = results[arch]
        if len(answers) != args.crashes:
            bad.append(arch)
        if not answers:
            print(f"| {arch} | 0 | - | - | - | - | - |")
            continue
        print(f"| {arch} | {len(answers)} | {percentile(answers, 50):.1f} ms "
              f"| {percentile(answers, 99):.1f} ms | {min(answers):.1f} ms "
              f"| {max(answers):.1f} ms | {percentile(spawns, 50) if spawns else '-'} ms |")
    if bad:
        print(f"bench: not every crash came back on {', '.join(bad)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
