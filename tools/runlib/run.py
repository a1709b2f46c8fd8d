"""tools/run: boots a platform image in QEMU with a wall-clock-free console on
stdio, and turns QEMU's exit status into the system's own (see qemu.py)."""

import argparse
import os
import shlex
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import debugger  # noqa: E402
import hosted  # noqa: E402
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
    ap.add_argument("--arch", choices=sorted(qemu.ARCHES) + ["hosted"], default="x86_64",
                    help="hosted: every domain a Linux process on this machine, no QEMU "
                         "(docs/hosted.md)")
    ap.add_argument("--cores", type=int, default=4, help="number of cores (default 4)")
    ap.add_argument("--accel", choices=["kvm", "tcg"],
                    help="default: kvm where /dev/kvm works (x86_64 only), else tcg")
    ap.add_argument("--cmdline", default="", help="kernel command line")
    ap.add_argument("--archive", help="boot archive to use instead of the built one")
    ap.add_argument("--root", metavar="FILE",
                    help="boot from this root image and keep what the system writes to it "
                         "(default: a fresh copy of the built one each run)")
    ap.add_argument("--disk", action="append", default=[], metavar="FILE",
                    help="attach a raw disk image after the root (again for more: disk1 is "
                         "mounted at /mnt, the others with mount)")
    ap.add_argument("--net", action="store_true",
                    help="attach a virtio network device on QEMU's user network (restrict=on)")
    ap.add_argument("--forward", action="append", default=[],
                    metavar="[udp:]HOSTPORT:GUESTPORT",
                    help="forward TCP (or UDP, with udp:) from 127.0.0.1:HOSTPORT to the "
                         "guest's GUESTPORT (again for more; implies --net)")
    ap.add_argument("--sanitize", action="store_true",
                    help="hosted: boot the sanitizer build (AddressSanitizer and UBSan in every "
                         "domain, build/hosted-san)")
    ap.add_argument("--quiet", action="store_true", help="do not say what is being booted")
    ap.add_argument("--dry-run", action="store_true", help="print the QEMU command, boot nothing")
    ap.add_argument("--gdb", nargs="?", const=True, default=False, metavar="NAME",
                    help="start stopped, with gdb's stub on a free local port (see tools/gdb); "
                         "hosted: --gdb NAME starts domain NAME stopped, for tools/gdb --pid")
    args = ap.parse_args(argv)
    max_cores = hosted.MAX_CORES if args.arch == "hosted" else qemu.ARCHES[args.arch].max_cores
    if not 1 <= args.cores <= max_cores:
        ap.error(f"--cores must be 1..{max_cores} for {args.arch}")
    if args.arch == "hosted":
        unsupported = [o for o, v in (("--accel", args.accel), ("--net", args.net),
                                      ("--forward", args.forward)) if v]
        if unsupported:
            ap.error(f"{', '.join(unsupported)}: not on the hosted platform yet (docs/hosted.md)")
        if args.gdb is True:
            ap.error("--gdb NAME: on the hosted platform, the domain gdb attaches to")
    elif args.sanitize:
        ap.error("--sanitize: only with --arch hosted")
    elif args.gdb not in (True, False):
        ap.error(f"--gdb {args.gdb}: under QEMU, --gdb takes no name (tools/gdb --domain NAME "
                 "picks the domains)")
    for disk in args.disk:
        if not os.path.isfile(disk):
            ap.error(f"--disk {disk}: no such file")
    if args.root is not None and not os.path.isfile(args.root):
        ap.error(f"--root {args.root}: no such file")
    args.forwards = []
    for f in args.forward:
        ports = f.split(":")
        proto = ports.pop(0) if ports and ports[0] in ("tcp", "udp") else "tcp"
        if len(ports) != 2 or not all(p.isdigit() and 0 < int(p) < 65536 for p in ports):
            ap.error(f"--forward {f}: [udp:]HOSTPORT:GUESTPORT, each 1..65535")
        args.forwards.append((proto, int(ports[0]), int(ports[1])))
    args.program = program
    return args


def free_port():
    """A local TCP port nobody listens on now (QEMU takes it a moment later)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def announce_gdb(arch, port):
    """Printed even with --quiet: without it nobody can attach."""
    print(f"run: QEMU waits before the first instruction, gdb's stub on 127.0.0.1:{port}; "
          f"attach from another terminal with\n  {shlex.join(debugger.attach_argv(arch, port))}\n"
          f"run: or tools/gdb [--domain NAME], the same with a domain's symbols",
          file=sys.stderr, flush=True)


def main(argv):
    args = parse(argv)
    if args.arch == "hosted":
        return hosted.run(args.cores, qemu.full_cmdline(args.cmdline, args.program),
                          args.archive, args.root, args.disk, args.quiet, args.dry_run,
                          gdb=args.gdb or None, sanitize=args.sanitize)
    arch = qemu.ARCHES[args.arch]
    # Under TCG QEMU matches breakpoints by address, with no write to guest
    # memory, so they work before the kernel has mapped itself.
    accel = "tcg" if args.gdb and not args.accel else qemu.pick_accel(args.arch, args.accel)
    cmd = qemu.command(args.arch, args.cores, accel,
                       qemu.full_cmdline(args.cmdline, args.program), args.archive, args.disk,
                       args.root, args.net, args.forwards)
    port = free_port() if args.gdb else None
    if port:
        cmd += ["-gdb", f"tcp:127.0.0.1:{port}", "-S"]
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    images = [arch.kernel(), args.archive or arch.archive(), args.root or arch.root()]
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
            why = " (for gdb)" if args.gdb else f" (not kvm: {qemu.kvm_problem()})"
        print(f"run: {args.arch}, {args.cores} cores, {accel}{why}; quit QEMU with Ctrl-A X",
              file=sys.stderr)
        if args.arch == "x86_64" and args.cores > qemu.XAPIC_MAX_CORES:
            print(f"run: past {qemu.XAPIC_MAX_CORES} cores: bookworm-backports' QEMU, for "
                  f"x2APIC ({qemu.X2APIC_QEMU}; it warns that 7.2's modules are not its own)",
                  file=sys.stderr)
    if port:
        debugger.remember(args.arch, port)
        announce_gdb(args.arch, port)
    return qemu.run_interactive(args.arch, cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
