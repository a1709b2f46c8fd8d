"""tools/run: boots a platform image in QEMU with a wall-clock-free console on
stdio, and turns QEMU's exit status into the system's own (see qemu.py)."""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import qemu  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def parse(argv):
    program = []
    if "--" in argv:
        i = argv.index("--")
        argv, program = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(
        prog="tools/run", description="Build and boot the system in QEMU.",
        epilog="Anything after -- is a program to run instead of the shell.")
    ap.add_argument("--arch", choices=sorted(qemu.ARCHES), default="x86_64")
    ap.add_argument("--cores", type=int, default=4, help="number of cores (default 4)")
    ap.add_argument("--accel", choices=["kvm", "tcg"],
                    help="default: kvm where /dev/kvm works (x86_64 only), else tcg")
    ap.add_argument("--cmdline", default="", help="kernel command line")
    ap.add_argument("--archive", help="boot archive to use instead of the built one")
    ap.add_argument("--quiet", action="store_true", help="do not say what is being booted")
    ap.add_argument("--dry-run", action="store_true", help="print the QEMU command, boot nothing")
    args = ap.parse_args(argv)
    if not 1 <= args.cores <= qemu.ARCHES[args.arch].max_cores:
        ap.error(f"--cores must be 1..{qemu.ARCHES[args.arch].max_cores} for {args.arch}")
    args.program = program
    return args


def main(argv):
    args = parse(argv)
    arch = qemu.ARCHES[args.arch]
    accel = qemu.pick_accel(args.arch, args.accel)
    cmd = qemu.command(args.arch, args.cores, accel,
                       qemu.full_cmdline(args.cmdline, args.program), args.archive)
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    images = [arch.kernel(), args.archive or arch.archive()]
    missing = [p for p in images if not os.path.exists(os.path.join(ROOT, p))]
    if missing:
        print(f"run: no bootable image for {args.arch} yet ({', '.join(missing)} is not built).",
              file=sys.stderr)
        print(f"run: once the CPU driver exists, this boots {args.cores} cores of "
              f"{arch.machine_desc} under {accel}, with the serial console on this terminal.",
              file=sys.stderr)
        return 3
    if not args.quiet:
        why = ""
        if accel == "tcg" and args.arch == "x86_64" and not args.accel:
            why = f" (not kvm: {qemu.kvm_problem()})"
        print(f"run: {args.arch}, {args.cores} cores, {accel}{why}; quit QEMU with Ctrl-A X",
              file=sys.stderr)
    return qemu.run_interactive(args.arch, cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
