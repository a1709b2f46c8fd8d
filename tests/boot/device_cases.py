"""Boot tests of devices, shared by every architecture: define(ARCH, globals())
adds them to a test module. The bus driver finds the disks given to QEMU and
the PCI Express host bridge, and `devices` lists them."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))

from testlib.boot import boot  # noqa: E402

# What `devices` prints for disk0 (the root image), disk1 and disk2, and for
# the host bridge.
LISTING = {
    "x86_64": [r"^00:10\.0 1af4:1042 \[0100\] .*: virtio block, INTA$",
               r"^00:11\.0 1af4:1042 \[0100\] .*: virtio block, INTA$",
               r"^00:12\.0 1af4:1042 \[0100\] .*: virtio block, INTA$",
               r"^00:00\.0 8086:29c0 \[0600\] host bridge$"],
    "riscv64": [r"^mmio@10008000 virtio block, version 2, irq 8$",
                r"^mmio@10007000 virtio block, version 2, irq 7$",
                r"^mmio@10006000 virtio block, version 2, irq 6$",
                r"^00:00\.0 1b36:0008 \[0600\] host bridge$"],
}


def make_disks(t, sizes):
    paths = []
    for i, size in enumerate(sizes):
        path = os.path.join(t.tmp, f"disk{i}.img")
        with open(path, "wb") as f:
            f.truncate(size)
        paths.append(path)
    return paths


def define(arch, ns):
    def devices_lists_the_disks_and_the_host_bridge(t):
        disks = make_disks(t, [1 << 20, 2 << 20])
        b = boot(t, arch, 2, "", program=["devices"], disks=disks)
        t.check(b.rc == 0, f"exit status {b.rc}")
        for pattern in LISTING[arch]:
            t.check(b.matching(pattern), f"no line matching {pattern}")
        blocks = [line for line in b.lines if "virtio block" in line]
        t.check(len(blocks) == 3 and b.matching(LISTING[arch][0])[0].string == blocks[0],
                f"disk0 is not listed first: {blocks}")

    ns["test_devices_lists_the_disks_and_the_host_bridge"] = \
        devices_lists_the_disks_and_the_host_bridge
