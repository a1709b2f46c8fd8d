"""The device-tree reader against the real trees QEMU's virt machine makes,
cross-checked with dtc (an independent reader), and against damaged copies:
every damage is refused or read without a stray access (the reader runs under
AddressSanitizer in tools/dtinfo), never a crash."""

import os
import random
import re
import subprocess

DTINFO = "build/host-test/tools/dtinfo/dtinfo"
FUZZER = "build/host-fuzz/tests/lib/dt/dt_fuzz"
SAN_ENV = dict(os.environ, ASAN_OPTIONS="exitcode=86", UBSAN_OPTIONS="exitcode=87")


def dump_tree(t, harts=8, extra=()):
    path = os.path.join(t.tmp, f"virt{harts}.dtb")
    t.run(["qemu-system-riscv64", "-machine", f"virt,dumpdtb={path}", "-smp", str(harts),
           "-m", "512M", "-nographic"] + list(extra), timeout=60)
    t.check(os.path.exists(path), "QEMU did not dump its device tree")
    return path


def dtinfo(t, path):
    p = subprocess.run([os.path.join(t.root, DTINFO), path], capture_output=True, text=True,
                       env=SAN_ENV, timeout=30)
    return p.returncode, p.stdout + p.stderr


def test_reads_qemus_tree_as_dtc_does(t):
    kernel = os.path.join(t.tmp, "k")
    initrd = os.path.join(t.tmp, "initrd")
    with open(kernel, "wb") as f:
        f.write(b"\0" * 4096)
    with open(initrd, "wb") as f:
        f.write(b"x" * 12345)
    path = dump_tree(t, 8, ["-kernel", kernel, "-initrd", initrd, "-append", "poweroff spawn=x@1"])
    rc, out = dtinfo(t, path)
    t.log(out)
    t.check(rc == 0, f"dtinfo refused QEMU's own tree: {out}")
    dts = t.run(["dtc", "-I", "dtb", "-O", "dts", path], check_rc=0).stdout
    want_harts = sorted(int(h, 16) for h in re.findall(r"cpu@([0-9a-f]+) {", dts))
    got = re.search(r"^harts (\d+):(.*)$", out, re.M)
    t.check(got and sorted(int(x) for x in got.group(2).split()) == want_harts,
            f"harts differ from dtc's: {want_harts}")
    tb = int(re.search(r"timebase-frequency = <(0x[0-9a-f]+)>", dts).group(1), 16)
    t.check(f"timebase {tb}" in out, "timebase differs from dtc's")
    t.check("memory 0x80000000 0x20000000" in out, "memory range differs")
    t.check("uart 0x10000000" in out and "test 0x100000" in out and "plic 0xc000000" in out,
            "devices not found")
    t.check("bootargs poweroff spawn=x@1" in out, "bootargs differ")
    uart_irq = re.search(r"serial@10000000 {[^}]*?interrupts = <(0x[0-9a-f]+)>", dts, re.S)
    t.check(uart_irq and f"uart irq {int(uart_irq.group(1), 16)}" in out,
            "the UART's interrupt differs from dtc's")
    # QEMU's virt PLIC lists an M-mode and an S-mode context per hart, in order.
    want = " ".join(f"{h}={2 * i + 1}" for i, h in enumerate(want_harts))
    t.check(f"plic s-contexts: {want}" in out, f"PLIC S-mode contexts differ: want {want}")
    m = re.search(r"^initrd (0x[0-9a-f]+) (0x[0-9a-f]+)$", out, re.M)
    t.check(m and int(m.group(2), 16) - int(m.group(1), 16) == 12345, "initrd range wrong")


def test_reads_trees_of_many_sizes(t):
    for harts in (1, 3, 16):
        rc, out = dtinfo(t, dump_tree(t, harts))
        t.check(rc == 0 and f"harts {harts}:" in out, f"{harts} harts: {out}")


def test_damaged_trees_are_refused_not_crashed_on(t):
    path = dump_tree(t, 4)
    with open(path, "rb") as f:
        good = f.read()
    good = good[: int.from_bytes(good[4:8], "big")]  # QEMU pads the dump: keep the tree
    cases = {"empty": b"", "bad magic": b"\0\0\0\0" + good[4:]}
    # Offsets of the structure block and the reservation map, one byte off:
    # libfdt would read their words unaligned (the fuzzer found the first).
    for name, at in (("structure block misaligned", 8), ("reservations misaligned", 16)):
        moved = (int.from_bytes(good[at:at + 4], "big") + 1).to_bytes(4, "big")
        cases[name] = good[:at] + moved + good[at + 4:]
    for cut in (1, 39, 40, 100, len(good) // 2, len(good) - 1):
        cases[f"truncated to {cut}"] = good[:cut]
    rng = random.Random(1234)
    for i in range(150):
        damaged = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        cases[f"flipped bytes #{i}"] = bytes(damaged)
    refused = []
    for name, data in cases.items():
        bad = os.path.join(t.tmp, "bad.dtb")
        with open(bad, "wb") as f:
            f.write(data)
        rc, out = dtinfo(t, bad)
        t.check(rc in (0, 1), f"{name}: dtinfo crashed (status {rc}): {out[-500:]}")
        if rc == 1:
            refused.append(name)
            t.check(out.startswith("error "), f"{name}: no clear error: {out}")
    t.log(f"{len(refused)} of {len(cases)} damaged trees refused")
    obvious = [n for n in cases if not n.startswith("flipped")]
    missed = [n for n in obvious if n not in refused]
    t.check(not missed, f"these broken trees were accepted: {missed}")


def test_device_tree_reader_survives_fuzzing(t):
    corpus = os.path.join(t.tmp, "corpus")
    os.mkdir(corpus)
    for harts in (1, 2):
        with open(dump_tree(t, harts), "rb") as f, open(os.path.join(corpus, str(harts)), "wb") as g:
            g.write(f.read())
    t.run([FUZZER, "-max_total_time=10", corpus], timeout=90, check_rc=0)


test_device_tree_reader_survives_fuzzing.timeout = 120


def test_finds_the_pcie_bridge_and_every_virtio_mmio_slot(t):
    rc, out = dtinfo(t, dump_tree(t, 2))
    t.log(out)
    t.check(rc == 0, f"dtinfo refused QEMU's own tree: {out}")
    t.check("pcie 0x30000000 0x10000000 buses 0-255" in out, "the PCIe host bridge is missing")
    slots = re.findall(r"^virtio-mmio 0x([0-9a-f]+) 0x1000 irq (\d+)$", out, re.M)
    t.check([(int(b, 16), int(i)) for b, i in slots] ==
            [(0x10001000 + 0x1000 * k, 1 + k) for k in range(8)],
            f"virtio-mmio slots not all found in address order: {slots}")
