"""tools/bench hosted: the hosted platform's costs in real nanoseconds, beside
what Linux itself takes for the nearest thing, measured in the same run on the
same machine (tests/bench/linux_baseline). The system runs icount (usr/icount:
on the hosted platform its clock is CLOCK_MONOTONIC, so its figures are
nanoseconds) with its UMP peer on core 1, which is pinned to the other host
CPU, and fsbench's 4 KiB reads. Each figure is the fewest nanoseconds of one
operation and the mean of ROUNDS. Nothing here is asserted by the suite."""

import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import hosted  # noqa: E402

ROOT = hosted.ROOT
BASELINE = "build/hosted/tests/bench/linux_baseline"
ICOUNT = re.compile(r"^icount (\S+) (\d+) (\d+)\r?$")
LINUX = re.compile(r"^linux (\S+) (\d+) (\d+)$")
FSREAD = re.compile(r"^fsbench scale drbl 1 clients (\d+) ops (\d+) ns")

# (what, the system's figure, Linux's figure to put beside it)
ROWS = [
    ("system call (core id / getppid)", "sys-core-id", "syscall"),
    ("LMP call + reply, same core (pipe, futex round trip on one CPU)", "lmp-call",
     "pipe-rtt-cpu0 futex-rtt-cpu0"),
    ("UMP call + reply, core 0 to core 1 on two host CPUs (pipe, futex across CPUs)",
     "ump-call", "pipe-rtt-cpu1 futex-rtt-cpu1"),
    ("UMP send + receive, both ends in one domain", "ump-send-recv", ""),
    ("getpid: a call to PM on another core", "pm-getpid", ""),
    ("spawn + wait, program from the boot archive (fork + exec + wait)", "spawn-archive",
     "fork-exec"),
    ("spawn + wait, program from /bin through FS (fork + exec + wait)", "spawn-bin",
     "fork-exec"),
    ("read 4 KiB of a file through FS (pread from the page cache)", "fs-read-4k", "read-4k"),
]


LABEL = {"syscall": "getppid", "pipe-rtt-cpu0": "pipe", "futex-rtt-cpu0": "futex",
         "pipe-rtt-cpu1": "pipe", "futex-rtt-cpu1": "futex", "fork-exec": "fork+exec",
         "read-4k": "pread"}


def run_linux(rounds):
    out = subprocess.run([os.path.join(ROOT, BASELINE), str(rounds)], capture_output=True,
                         text=True, check=True).stdout
    return {m.group(1): (int(m.group(2)), int(m.group(3)))
            for m in map(LINUX.match, out.splitlines()) if m}


def run_hosted(rounds, reads):
    script = f"@0 icount {rounds} 1; @0 fsbench scale /tmp drbl 1 {reads}"
    cmd = [sys.executable, os.path.join(ROOT, "tools", "runlib", "run.py"), "--quiet",
           "--arch", "hosted", "--cores", "4", "--", "sh", "-c", script]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600).stdout
    got = {m.group(1): (int(m.group(2)), int(m.group(3)))
           for m in map(ICOUNT.match, out.splitlines()) if m}
    for line in out.splitlines():
        m = FSREAD.match(line.strip())
        if m:
            per = int(m.group(2)) // int(m.group(1))
            got["fs-read-4k"] = (per, per)  # one client's mean: no minimum is kept
    if "lmp-call" not in got:
        sys.exit("bench: the hosted run printed no figures:\n" + out[-3000:])
    return got


def cell(fig):
    return "-" if fig is None else f"{fig[0]:,} / {fig[1]:,}"


def main(argv):
    ap = argparse.ArgumentParser(prog="tools/bench hosted")
    ap.add_argument("--rounds", type=int, default=2000)
    ap.add_argument("--reads", type=int, default=5000)
    args = ap.parse_args(argv)
    linux = run_linux(args.rounds)
    system = run_hosted(args.rounds, args.reads)
    print(f"hosted platform and Linux on this machine, {os.cpu_count()} host CPUs, real "
          f"nanoseconds (fewest / mean of {args.rounds}; spawns a tenth of that)\n")
    print("| operation | hosted | Linux |")
    print("|---|---:|---:|")
    for what, mine, theirs in ROWS:
        base = "; ".join(f"{LABEL[k]} {cell(linux.get(k))}" for k in theirs.split())
        base = base or "-"
        print(f"| {what} | {cell(system.get(mine))} | {base} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
