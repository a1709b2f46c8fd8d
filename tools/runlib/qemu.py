"""How each platform is launched in QEMU, and how QEMU's exit status maps back to
the system's. Used by tools/run and by the boot tests.

Exit statuses: on x86_64 the system reports through isa-debug-exit (port 0xf4),
for which QEMU exits with (value << 1) | 1, always odd; a clean ACPI S5 power-off
exits 0. On riscv64 the sifive_test device exits QEMU with the code the system
wrote. run_interactive returns the system's own code: 0 after a clean power-off,
otherwise the value the system reported."""

import os
import subprocess
import sys

import symbolize

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Debian's opensbi package (not the copy QEMU bundles).
OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"


class Arch:
    def __init__(self, name, platform, machine_desc, max_cores, image):
        self.name = name
        self.platform = platform
        self.machine_desc = machine_desc
        self.max_cores = max_cores
        self.image = image  # the CPU driver file QEMU is given

    def kernel(self):
        return f"build/{self.platform}/cpudriver/{self.image}"

    def archive(self):
        return f"build/{self.platform}/boot.cpio"

    def root(self):
        """The root file system image the build makes (tools/mkroot)."""
        return f"build/{self.platform}/root.img"

    def images(self):
        return [self.kernel(), self.archive(), self.root()]


# Debian 12's QEMU 7.2 boots every x86-64 machine up to 255 cores; past that,
# APIC ids pass 254 and need x2APIC, which its TCG lacks. bookworm-backports'
# QEMU (tools/fetch-qemu-x2apic, unpacked, not installed) has it. 256 is the
# kernel's MAX_CORES (cpudriver/include/kernel.h).
XAPIC_MAX_CORES = 255
X2APIC_QEMU = os.path.join(ROOT, ".cache/qemu-x2apic")

ARCHES = {
    "x86_64": Arch("x86_64", "x86_64-qemu", "qemu-system-x86_64 -machine q35", 256, "cpudriver"),
    "riscv64": Arch("riscv64", "riscv64-virt", "qemu-system-riscv64 -machine virt", 128,
                    "cpudriver.elf"),
}


def kvm_problem():
    """Why KVM cannot boot this system here, or None if it can. /dev/kvm must
    open, and be backed by hardware virtualization (kvm_intel or kvm_amd): a
    paravirtual KVM such as PVM (kvm_pvm) runs only guests written for it."""
    try:
        fd = os.open("/dev/kvm", os.O_RDWR)
    except OSError as e:
        return f"/dev/kvm cannot be opened ({e.strerror})"
    os.close(fd)
    if os.path.isdir("/sys/module/kvm_intel") or os.path.isdir("/sys/module/kvm_amd"):
        return None
    if os.path.isdir("/sys/module/kvm_pvm"):
        return "/dev/kvm is PVM (paravirtual KVM), which runs only PVM-aware guests"
    return "/dev/kvm is not backed by kvm_intel or kvm_amd"


def pick_accel(arch, wanted):
    if wanted:
        return wanted
    return "kvm" if arch == "x86_64" and kvm_problem() is None else "tcg"


def encode_arg(arg):
    """Percent-encodes what cannot stand in a run= word: blanks, commas, '%'
    and anything unprintable (the kernel decodes it, cpudriver/options.c)."""
    return "".join(c if c.isprintable() and c not in " ,%\t" else
                   "".join(f"%{b:02X}" for b in c.encode()) for c in arg)


CMDLINE_MAX = 1023  # what the kernel keeps (BOOT_CMDLINE_MAX less its NUL)


def full_cmdline(cmdline, program):
    """A program after -- travels on the kernel command line as run=PROG,ARG,...
    A line the kernel would cut short is refused here, clearly, instead."""
    words = [cmdline] if cmdline else []
    if program:
        words.append("run=" + ",".join(encode_arg(a) for a in program))
    line = " ".join(words)
    if len(line) > CMDLINE_MAX:
        raise SystemExit(f"run: the kernel command line would be {len(line)} characters "
                         f"(blanks, commas and newlines of the program's arguments take 3 each); "
                         f"the kernel takes at most {CMDLINE_MAX}")
    return line


def disk_args(arch, disks, fresh_first=False):
    """Each raw image a virtio block device, disk0 first. On q35 a modern-only
    virtio-blk-pci at a fixed slot (0x10 + i), so the bus finds them in order;
    on RISC-V virt a virtio-mmio device, version 2 (QEMU's default there is the
    legacy version 1, which lib/virtio does not drive). With fresh_first the
    first image is only read: what the system writes to it goes to a
    temporary copy QEMU drops at the end (snapshot=on)."""
    args = []
    for i, path in enumerate(disks):
        fresh = ",snapshot=on" if fresh_first and i == 0 else ""
        args += ["-drive", f"file={os.path.abspath(path)},format=raw,if=none,id=disk{i},"
                 f"cache=directsync{fresh}"]
        if arch == "x86_64":
            args += ["-device", f"virtio-blk-pci,drive=disk{i},disable-legacy=on,"
                     f"addr=0x{0x10 + i:x}"]
        else:
            args += ["-device", f"virtio-blk-device,drive=disk{i}"]
    if disks and arch == "riscv64":
        args += ["-global", "virtio-mmio.force-legacy=false"]
    return args


def net_args(arch, forwards):
    """One virtio network device on QEMU's user network, cut off from the
    world (restrict=on): the guest reaches only QEMU's own gateway (DHCP at
    10.0.2.2), and each forward (HOSTPORT, GUESTPORT), or (PROTO, HOSTPORT,
    GUESTPORT) with PROTO "tcp" or "udp", brings TCP connections (or UDP
    datagrams) to 127.0.0.1:HOSTPORT on the host to GUESTPORT on the guest. Modern-only
    on q35 at slot 0x13: past the three disks' slots (0x10-0x12), and with an
    INTx line of its own (q35 gives slots with the same number mod 4 the same
    line, and a line has one driver); version 2 virtio-mmio on RISC-V."""
    netdev = "user,id=net0,restrict=on" + "".join(
        ",hostfwd={}:127.0.0.1:{}-:{}".format(*(f if len(f) == 3 else ("tcp", *f)))
        for f in forwards)
    if arch == "x86_64":
        dev = "virtio-net-pci,netdev=net0,disable-legacy=on,romfile=,addr=0x13"
        return ["-netdev", netdev, "-device", dev]
    return ["-netdev", netdev, "-device", "virtio-net-device,netdev=net0",
            "-global", "virtio-mmio.force-legacy=false"]


def memory_mib(cores):
    """768 MiB, or 6 MiB a core and 256 MiB besides when that is more: each
    core's CPU driver keeps a quarter of the memory past the boot archive,
    divided between the cores (at least 4 MiB, at most 32 MiB), for the
    domains it starts, beside its kernel data and its monitor's RAM
    (cpudriver/core.c)."""
    return max(768, 6 * cores + 256)


def x86_emulator(cores):
    """The QEMU that boots this many x86-64 cores: Debian 12's own up to 255,
    else the unpacked backport with its own firmware, option ROMs and modules
    first (through env, so every caller's Popen takes the command as it is)."""
    if cores <= XAPIC_MAX_CORES:
        return ["qemu-system-x86_64"]
    binary = os.path.join(X2APIC_QEMU, "usr/bin/qemu-system-x86_64")
    if not os.access(binary, os.X_OK):
        raise SystemExit(f"run: {cores} x86-64 cores need x2APIC, which Debian 12's QEMU 7.2 "
                         f"lacks under TCG; tools/setup fetches a QEMU that has it "
                         f"({binary} is missing)")
    modules = os.path.join(X2APIC_QEMU, "usr/lib/x86_64-linux-gnu/qemu")
    return ["env", f"QEMU_MODULE_DIR={modules}", binary,
            "-L", os.path.join(X2APIC_QEMU, "usr/share/qemu"), "-L", "/usr/share/qemu"]


def command(arch, cores, accel, cmdline, archive=None, disks=(), root=None, net=False,
            forwards=()):
    """root: the root image to boot and keep changes in; None: a fresh copy
    of the built one; False: no root disk (the first of disks is disk0).
    net, forwards: a network device on QEMU's user network (net_args)."""
    a = ARCHES[arch]
    kernel = os.path.join(ROOT, a.kernel())
    archive = os.path.join(ROOT, archive or a.archive())
    fresh = root is None
    if root is not False:
        disks = [root or os.path.join(ROOT, a.root())] + list(disks)
    common = ["-smp", str(cores), "-m", f"{memory_mib(cores)}M", "-nographic", "-no-reboot",
              "-kernel", kernel, "-initrd", archive, "-append", cmdline]
    nic = net_args(arch, forwards) if net or forwards else ["-nic", "none"]
    if arch == "x86_64":
        cpu = ["-cpu", "host"] if accel == "kvm" else ["-cpu", "max"]
        return x86_emulator(cores) + ["-machine", "q35", "-accel", accel] + cpu + common + [
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"] + nic + disk_args(
            arch, disks, fresh)
    # The disks first: virt fills its virtio-mmio slots in this order, from the top.
    return ["qemu-system-riscv64", "-machine", "virt", "-accel", "tcg",
            "-bios", OPENSBI] + common + disk_args(arch, disks, fresh) + nic


def system_status(arch, qemu_status):
    """The system's exit status from QEMU's."""
    # Status 1 would mean a reported 0, which the system never writes that way
    # (success is a power-off): it is QEMU's own failure and stays a failure.
    if arch == "x86_64" and qemu_status % 2 == 1 and qemu_status != 1:
        return qemu_status >> 1  # isa-debug-exit: (value << 1) | 1
    return qemu_status


def run_collecting(arch, cmd, line, timeout=600):
    """Runs a guest benchmark to its end: the system's exit status, and
    {name: number} from each output line that the regex line matches (its
    first group the name, its second the number)."""
    p = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout)
    found = {}
    for text in p.stdout.splitlines():
        m = line.match(text.strip())
        if m:
            found[m.group(1)] = int(m.group(2))
    return system_status(arch, p.returncode), found


def run_interactive(arch, cmd):
    """QEMU on this terminal: it reads our input; its output comes through
    here, where backtrace lines get their function, file and line."""
    sym = symbolize.Symbolizer(arch)
    notes = symbolize.Annotator(sym.describe)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    out = sys.stdout.buffer
    try:
        while chunk := os.read(proc.stdout.fileno(), 65536):
            out.write(notes.feed(chunk))
            out.flush()
        out.write(notes.flush())
        out.flush()
    except BrokenPipeError:  # whoever read our output is gone
        proc.kill()
    finally:
        sym.close()
    return system_status(arch, proc.wait())
