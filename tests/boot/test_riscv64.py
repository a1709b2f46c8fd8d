"""RISC-V boots (virt, OpenSBI, TCG): the shared boot cases, and boots where
the boot hart is not hart 0."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import blk_cases  # noqa: E402
import boot_cases  # noqa: E402
import channel_cases  # noqa: E402
import device_cases  # noqa: E402
import fault_cases  # noqa: E402
import fs_cases  # noqa: E402
import fuzz_cases  # noqa: E402
import icount_cases  # noqa: E402
import memory_cases  # noqa: E402
import monitor_cases  # noqa: E402
import net_cases  # noqa: E402
import root_cases  # noqa: E402
import rs_cases  # noqa: E402
import shell_cases  # noqa: E402
import sock_cases  # noqa: E402
from testlib.boot import Session, boot, check_cores_online  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools", "runlib"))

boot_cases.define("riscv64", globals())
channel_cases.define("riscv64", globals())
memory_cases.define("riscv64", globals())
device_cases.define("riscv64", globals())
blk_cases.define("riscv64", globals())
rs_cases.define("riscv64", globals())
monitor_cases.define("riscv64", globals())
fuzz_cases.define("riscv64", globals())
fs_cases.define("riscv64", globals())
net_cases.define("riscv64", globals())
sock_cases.define("riscv64", globals())
fault_cases.define("riscv64", globals())
root_cases.define("riscv64", globals())
shell_cases.define("riscv64", globals())
icount_cases.define("riscv64", globals())


def boots_on_hart(hart, cores):
    def case(t):
        b = boot(t, "riscv64", cores, f"poweroff boothart={hart}")
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(b.has(f"(boot hart {hart})"), f"hart {hart} did not boot")
        t.check(b.has(f"cpu 0: online, kernel data at") and
                b.matching(rf"^cpu 0: online, .* \(hart {hart}\)$"),
                "logical core 0 is not the boot hart")
        t.check(b.matching(r"^cpu \d+: online, .* \(hart 0\)$"), "hart 0 is not a later core")
        check_cores_online(t, b, cores)
        t.check(not b.has("unknown kernel option"), "boothart= was reported as unknown")
    return case


test_boot_hart_3_of_4 = boots_on_hart(3, 4)
test_boot_hart_7_of_8 = boots_on_hart(7, 8)


def test_console_input_when_the_boot_hart_is_not_hart_0(t):
    """Core 0 claims the UART's interrupt from its own hart's PLIC context
    (hart 3's, from the device tree), not hart 0's."""
    s = Session(t, "riscv64", 4, "boothart=3")
    # Services starting beside the shell may print before its prompt.
    s.expect(r"^sh: type help for the commands\n(?:.*\n)*?\$ ")
    s.send("echo typed on hart 3\n")
    s.expect(r"^typed on hart 3$")
    s.expect(r"^\$ ")
    s.send("exit 4\n")
    rc = s.close()
    t.check(rc == 4, f"exit status {rc}, expected the shell's 4")


def test_malformed_device_tree_stops_the_boot_with_a_clear_message(t):
    """A tree OpenSBI accepts but that has no hart the kernel can use (no
    mmu-type): the CPU driver must say so and exit non-zero, not hang."""
    import qemu
    dtb = os.path.join(t.tmp, "virt.dtb")
    t.run(["qemu-system-riscv64", "-machine", f"virt,dumpdtb={dtb}", "-smp", "2", "-m", "512M"],
          timeout=60)
    dts = t.run(["dtc", "-I", "dtb", "-O", "dts", dtb], check_rc=0).stdout
    bad_dts = os.path.join(t.tmp, "bad.dts")
    with open(bad_dts, "w") as f:
        f.write(dts.replace('mmu-type = "riscv,sv48";', ""))
    bad = os.path.join(t.tmp, "bad.dtb")
    t.run(["dtc", "-I", "dts", "-O", "dtb", "-o", bad, bad_dts], check_rc=0)
    cmd = qemu.command("riscv64", 2, "tcg", "poweroff") + ["-dtb", bad]
    p = t.run(cmd, timeout=60)
    t.check(p.returncode == 1, f"QEMU exited {p.returncode}, expected 1 (failure)")
    t.check("boot: cannot start: no usable cpu in /cpus" in p.stdout, "no clear message")


def test_a_legacy_virtio_mmio_device_is_named_with_the_way_to_version_2(t):
    """QEMU's virt machine makes virtio-mmio version 1 unless told otherwise;
    lib/virtio drives version 2 only, and `devices` says how to get it. No
    root disk here (it needs version 2): `devices` comes in the archive."""
    import qemu
    disk = os.path.join(t.tmp, "legacy.img")
    with open(disk, "wb") as f:
        f.truncate(1 << 20)
    with open(t.path("platforms", "riscv64-virt", "boot.conf")) as f:
        conf = f.read() + "module devices build/riscv64-virt/usr/devices/devices.elf\n"
    conf_path, archive = os.path.join(t.tmp, "boot.conf"), os.path.join(t.tmp, "boot.cpio")
    with open(conf_path, "w") as f:
        f.write(conf)
    t.run([t.path("build/hosted/tools/mkbootarchive/mkbootarchive"), "-o", archive, conf_path],
          check_rc=0)
    cmd = qemu.command("riscv64", 1, "tcg", "run=devices", archive=archive, root=False) + [
        "-drive", f"file={disk},format=raw,if=none,id=d0", "-device", "virtio-blk-device,drive=d0"]
    p = t.run(cmd, timeout=120)
    t.check("mmio@10008000 virtio block, version 1 (legacy, not supported: give QEMU "
            "-global virtio-mmio.force-legacy=false), irq 8" in p.stdout,
            "the legacy device is not named as such")
