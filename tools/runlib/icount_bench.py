"""tools/bench icount: instructions per operation (usr/icount) under QEMU's
-icount shift=0 with single-threaded TCG, where one nanosecond of QEMU's clock
is one guest instruction; the guest reads that count directly (x86: the TSC,
RISC-V: instret), not through the kernel's calibrated clock. Each figure is
the fewest instructions one operation took in ROUNDS tries, less an empty
call's. Boots each architecture twice, and the figures must come out the
same. The boot has no disk: a virtio disk's reads end when the host has done
them, not after a set count of instructions, and that moved every later
count of the operations that involve other cores. So icount comes in a boot
archive of its own (the platform's boot.conf and icount), and the program it
spawns from a file is written to FS's RAM file system first. Nothing here is
a cycle count or a hardware time (DESIGN.md, "Measuring under emulation")."""

import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import qemu  # noqa: E402

LINE = re.compile(r"^icount (\S+) (\d+) (\d+)$")
# Core 5 has no server: the program runs there, its UMP peer on core 4, where
# NET idles (no network device). RISC-V with 8 harts does not boot under
# these options: hart 1 stays in OpenSBI's HSM wait (see performance.md).
CORES = 6
PEER = 4

# Operations on one core: the same count in every run.
LOCAL = [
    ("nops-400", "400 nops (a check of the count itself)"),
    ("sys-core-id", "system call: core id (the cheapest there is)"),
    ("sys-yield", "system call: yield, nothing else to run"),
    ("sys-cap-identify", "system call: cap_identify"),
    ("sys-cap-copy-delete", "system calls: cap_copy + cap_delete"),
    ("sys-frame-copy-map-delete", "system calls: cap_copy + frame_map + cap_delete (unmaps)"),
    ("sys-cap-retype-delete", "system calls: cap_retype of a page + cap_delete"),
    ("ump-send-recv", "UMP send + receive, both ends in one domain"),
    ("lmp-call", "LMP call + reply to a server on the same core (chan_call)"),
]
# Operations that other cores take part in: every core's instructions.
ACROSS = [
    ("ump-call", "UMP call + reply to a server on another core (chan_call)"),
    ("pm-getpid", "getpid (a call to PM, on another core)"),
    ("spawn-archive", "spawn + wait of a program from the boot archive"),
    ("spawn-bin", "spawn + wait of a program from a file (through FS, from its RAM file system)"),
]
ROWS = LOCAL + ACROSS


def archive(arch):
    """The boot archive with icount in it: build/<platform>/icount.cpio, from
    the platform's boot.conf and one more module line."""
    a = qemu.ARCHES[arch]
    build = os.path.join(qemu.ROOT, "build", a.platform)
    conf, out = os.path.join(build, "icount-boot.conf"), os.path.join(build, "icount.cpio")
    with open(os.path.join(qemu.ROOT, "platforms", a.platform, "boot.conf")) as f:
        text = f.read()
    with open(conf, "w") as f:
        f.write(text + f"module icount build/{a.platform}/usr/icount/icount.elf\n")
    tool = os.path.join(qemu.ROOT, "build/hosted/tools/mkbootarchive/mkbootarchive")
    p = subprocess.run([tool, "-o", out, conf], cwd=qemu.ROOT, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"bench: cannot make {out}: {p.stderr.strip()}")
    return out


def command(arch, rounds):
    cmd = qemu.command(arch, CORES, "tcg",
                       qemu.full_cmdline("", ["icount", str(rounds), str(PEER)]),
                       archive=archive(arch), root=False)
    i = cmd.index("tcg")
    # sleep=off: while every core waits, QEMU's clock jumps to the next timer
    # instead of following the host's, which would make the counts vary.
    cmd[i:i + 1] = ["tcg,thread=single", "-icount", "shift=0,sleep=off"]
    return cmd


def run(arch, rounds, timeout=600):
    """The system's exit status and {operation: fewest instructions}."""
    return qemu.run_collecting(arch, command(arch, rounds), LINE, timeout)


def main(argv):
    ap = argparse.ArgumentParser(prog="tools/bench icount")
    ap.add_argument("--arch", choices=sorted(qemu.ARCHES), action="append",
                    help="one architecture (again for more; default: both)")
    ap.add_argument("--rounds", type=int, default=200)
    args = ap.parse_args(argv)
    arches = args.arch or sorted(qemu.ARCHES, reverse=True)  # x86_64 first
    runs = {}
    for arch in arches:
        runs[arch] = []
        for n in (1, 2):
            status, found = run(arch, args.rounds)
            if status != 0 or len(found) != len(ROWS):
                print(f"bench: {arch} run {n} ended with status {status} and {len(found)} of "
                      f"{len(ROWS)} results", file=sys.stderr)
                return 1
            runs[arch].append(found)
    print(f"== guest instructions (not cycles) under QEMU TCG -icount shift=0,sleep=off, "
          f"single-threaded; {CORES} cores, the program on core 5; the fewest of "
          f"{args.rounds} tries (spawns: {max(args.rounds // 10, 1)}), an empty call's taken off")
    for title, rows in (("On one core", LOCAL),
                        ("With other cores (every core's instructions while it ran)", ACROSS)):
        print(f"\n{title}")
        print("| operation | " + " | ".join(arches) + " |")
        print("|---|" + "---:|" * len(arches))
        for key, what in rows:
            print(f"| {what} | " + " | ".join(
                f"{runs[a][0][key]:,}" if runs[a][0][key] == runs[a][1][key] else
                f"{runs[a][0][key]:,} or {runs[a][1][key]:,}" for a in arches) + " |")
    differ = [f"{a} {key}: {runs[a][0][key]:,} and {runs[a][1][key]:,}" for a in arches
              for key, _ in ROWS if runs[a][0][key] != runs[a][1][key]]
    print("\ntwo runs of each: " + ("the same figures" if not differ else
                                    "different figures: " + "; ".join(differ)))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
