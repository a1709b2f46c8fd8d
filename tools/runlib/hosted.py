"""How the hosted platform is launched: the hosted CPU driver of core 0 is a
program of this machine (build/hosted/cpudriver/arch/hosted/cpudriver), which
starts the other cores and every domain as Linux processes. Its exit status
is the system's own: 0 after a clean power-off, else what the system
reported. The root image is disk0, a fresh copy of the built one unless
--root names one to keep; each --disk follows (disk1, disk2...). See
docs/hosted.md."""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CPUDRIVER = "build/hosted/cpudriver/arch/hosted/cpudriver"
LOADER = "build/hosted/cpudriver/arch/hosted/hostdom"
ARCHIVE = "build/hosted/boot.cpio"
ROOT_IMAGE = "build/hosted/root.img"
# The sanitizer build: the same programs with AddressSanitizer and UBSan.
SAN_ARCHIVE = "build/hosted-san/boot.cpio"
SAN_ROOT_IMAGE = "build/hosted-san/root.img"
MAX_CORES = 256


def images(sanitize=False):
    return [CPUDRIVER, LOADER] + ([SAN_ARCHIVE, SAN_ROOT_IMAGE] if sanitize else
                                 [ARCHIVE, ROOT_IMAGE])


def command(cores, cmdline, archive=None, disks=(), gdb=None):
    cmd = [os.path.join(ROOT, CPUDRIVER), "--cores", str(cores)]
    if gdb:
        cmd += ["--gdb", gdb]
    if cmdline:
        cmd += ["--cmdline", cmdline]
    for disk in disks:
        cmd += ["--disk", os.path.abspath(disk)]
    return cmd + [os.path.join(ROOT, archive or ARCHIVE)]


def fresh_copy(image, folder):
    """A copy of image to write to, holes kept (QEMU's snapshot=on)."""
    copy = os.path.join(folder, "root.img")
    if subprocess.run(["cp", "--sparse=always", image, copy]).returncode != 0:
        shutil.copyfile(image, copy)
    return copy


def run(cores, cmdline, archive=None, root=None, disks=(), quiet=False, dry_run=False,
        gdb=None, sanitize=False):
    """Runs the system on this terminal; returns its exit status. gdb: the
    name of a domain to start stopped, for tools/gdb --pid; sanitize: the
    sanitizer build's archive and root image."""
    archive = archive or (SAN_ARCHIVE if sanitize else ARCHIVE)
    root_image = SAN_ROOT_IMAGE if sanitize else ROOT_IMAGE
    if dry_run:
        print(" ".join(command(cores, cmdline, archive, [root or root_image, *disks], gdb)))
        return 0
    missing = [p for p in images(sanitize) if not os.path.exists(os.path.join(ROOT, p))]
    if missing:
        print(f"run: the hosted platform is not built ({', '.join(missing)})", file=sys.stderr)
        return 3
    if not quiet:
        print(f"run: hosted{', sanitizers on' if sanitize else ''}, {cores} cores as Linux "
              f"processes; stop it with Ctrl-A X", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="hosted-") as folder:
        first = root or fresh_copy(os.path.join(ROOT, root_image), folder)
        system = subprocess.Popen(command(cores, cmdline, archive, [first, *disks], gdb))
        with stopping_on_hangup(system):
            rc = system.wait()
    return rc if rc >= 0 else 128 - rc


@contextlib.contextmanager
def stopping_on_hangup(system):
    """SIGTERM or SIGHUP to this script stops the system too and lets the
    fresh root copy be removed (the default would end only this script)."""
    def stop(signum, _frame):
        if system.poll() is None:
            system.send_signal(signum)
    old = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
