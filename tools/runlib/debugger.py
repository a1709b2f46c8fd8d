"""tools/gdb: gdb-multiarch attached to the QEMU that tools/run --gdb started,
with the CPU driver's symbols, and those of user domains on request. Also the
command line tools/run --gdb prints (attach_argv)."""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import modules  # noqa: E402

ROOT = modules.ROOT
REMOTE = "build/gdb-remote"  # "ARCH PORT" of the last tools/run --gdb
HELPER = "tools/runlib/gdb_domains.py"


def attach_argv(arch, port):
    """gdb-multiarch with the kernel's symbols, connected to QEMU's stub."""
    return ["gdb-multiarch", "-q", modules.kernel_elf(arch),
            "-ex", f"target remote 127.0.0.1:{port}"]


def domain_args(arch, names):
    """Each domain's symbols (at the addresses its ELF file says: domains are
    not relocated), and dbreak to stop only in those domains."""
    files = modules.elf_files(arch)
    args = ["-ex", "set confirm off"]
    for name in names:
        if name not in files or name == modules.KERNEL:
            raise SystemExit(f"gdb: no domain {name!r} in platforms/"
                             f"{modules.PLATFORM[arch]}/boot.conf")
        args += ["-ex", f"add-symbol-file {files[name]}"]
    args += ["-ex", "set confirm on", "-ex", f"source {HELPER}",
             "-ex", "domain " + " ".join(names)]
    return args


def remember(arch, port):
    """Written by tools/run --gdb, so that plain tools/gdb finds it."""
    os.makedirs(os.path.join(ROOT, "build"), exist_ok=True)
    with open(os.path.join(ROOT, REMOTE), "w", encoding="utf-8") as f:
        f.write(f"{arch} {port}\n")


def recalled():
    try:
        with open(os.path.join(ROOT, REMOTE), encoding="utf-8") as f:
            arch, port = f.read().split()
        return arch, int(port)
    except (OSError, ValueError):
        return None, None


def hosted_argv(pid, names):
    """gdb on a hosted domain's process (tools/run --arch hosted --gdb NAME):
    the program's symbols at its own addresses, and the signals its loader
    lives on (a system call is SIGSYS, a page's first touch SIGSEGV, an
    unmapping SIGUSR1) passed on without stopping."""
    files = modules.platform_files("hosted")
    cmd = ["gdb-multiarch", "-q", "-p", str(pid), "-ex", "set confirm off"]
    for name in names:
        if name not in files:
            raise SystemExit(f"gdb: no domain {name!r} in platforms/hosted/boot.conf")
        cmd += ["-ex", f"add-symbol-file {files[name]}"]
    for sig in ("SIGSYS", "SIGSEGV", "SIGUSR1"):
        cmd += ["-ex", f"handle {sig} nostop noprint pass"]
    return cmd + ["-ex", "set confirm on"]


def main(argv):
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(
        prog="tools/gdb", description="Attach gdb-multiarch to the QEMU of tools/run --gdb.",
        epilog="Anything after -- goes to gdb-multiarch (e.g. -batch -ex ...).")
    ap.add_argument("--arch", choices=sorted(modules.PLATFORM),
                    help="default: that of the last tools/run --gdb")
    ap.add_argument("--port", type=int, help="default: that of the last tools/run --gdb")
    ap.add_argument("--domain", action="append", default=[], metavar="NAME",
                    help="add the symbols of domain NAME, and dbreak for it (repeatable)")
    ap.add_argument("--pid", type=int,
                    help="the hosted platform: attach to this domain's process (tools/run "
                         "--arch hosted --gdb NAME prints it)")
    args = ap.parse_args(argv)
    if args.pid is not None:
        os.chdir(ROOT)
        cmd = hosted_argv(args.pid, args.domain)
        os.execvp(cmd[0], cmd + extra)
    arch, port = recalled()
    arch, port = args.arch or arch or "x86_64", args.port or port
    if port is None:
        ap.error(f"no port: start tools/run --gdb first, or give --port ({REMOTE} is missing)")
    cmd = attach_argv(arch, port)
    if args.domain:
        cmd += domain_args(arch, args.domain)
    os.chdir(ROOT)
    os.execvp(cmd[0], cmd + extra)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
