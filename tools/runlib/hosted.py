"""How the hosted platform is launched: the hosted CPU driver of core 0 is a
program of this machine (build/hosted/cpudriver/arch/hosted/cpudriver), which
starts the other cores and every domain as Linux processes. Its exit status
is the system's own: 0 after a clean power-off, else what the system
reported. See docs/hosted.md."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CPUDRIVER = "build/hosted/cpudriver/arch/hosted/cpudriver"
LOADER = "build/hosted/cpudriver/arch/hosted/hostdom"
ARCHIVE = "build/hosted/boot.cpio"
MAX_CORES = 256


def images():
    return [CPUDRIVER, LOADER, ARCHIVE]


def command(cores, cmdline, archive=None):
    cmd = [os.path.join(ROOT, CPUDRIVER), "--cores", str(cores)]
    if cmdline:
        cmd += ["--cmdline", cmdline]
    return cmd + [os.path.join(ROOT, archive or ARCHIVE)]


def run(cores, cmdline, archive=None, quiet=False, dry_run=False):
    """Runs the system on this terminal; returns its exit status."""
    cmd = command(cores, cmdline, archive)
    if dry_run:
        print(" ".join(cmd))
        return 0
    missing = [p for p in images() if not os.path.exists(os.path.join(ROOT, p))]
    if missing:
        print(f"run: the hosted platform is not built ({', '.join(missing)})", file=sys.stderr)
        return 3
    if not quiet:
        print(f"run: hosted, {cores} cores as Linux processes; stop it with Ctrl-A X",
              file=sys.stderr, flush=True)
    os.execv(cmd[0], cmd)
