"""Boot tests of the virtio block driver, shared by the architectures that
drive their disks (define(ARCH, globals())): an image of random bytes made
here reads back with the same CRC-32 in the guest, sectors the guest writes
read back the same here, and with no disk the driver says so and ends. The
root image is disk0: the images made here are disk1 and disk2."""

import os
import random
import struct
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))

from testlib.boot import Session, boot  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools", "runlib"))
import qemu  # noqa: E402

SECTORS = 8192  # a 4 MiB image: past one grant (1 MiB) and one request (64 KiB)


def pattern(lba, count, seed):
    """What `blk write DISK LBA COUNT SEED` writes (usr/blk/crc32.c)."""
    out = bytearray()
    for s in range(count):
        x = (seed ^ ((lba + s) * 2654435761)) & 0xffffffff
        for _ in range(128):
            x = (x * 1664525 + 1013904223) & 0xffffffff
            out += struct.pack("<I", x)
    return bytes(out)


def random_image(t, name, sectors):
    path = os.path.join(t.tmp, name)
    rng = random.Random(name)
    with open(path, "wb") as f:
        f.write(rng.randbytes(sectors * 512))
    return path


def define(arch, ns):
    def guest_sums_match_the_host_over_several_ranges(t):
        disk, second = random_image(t, "rand.img", SECTORS), random_image(t, "second.img", 64)
        data = open(disk, "rb").read()
        ranges = [(0, SECTORS), (SECTORS - 1, 1), (100, 300), (2047, 130), (0, 1)]
        script = "blk info disk1; " + "; ".join(f"blk sum disk1 {a} {n}" for a, n in ranges)
        script += "; blk info disk2; blk sum disk2 0 64"
        b = boot(t, arch, 4, "", program=["sh", "-c", script], disks=[disk, second])
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(b.has(f"disk1: {SECTORS} sectors of 512 bytes"), "blk info is wrong")
        t.check(b.has("disk2: 64 sectors of 512 bytes"), "the second disk is not disk2")
        sums = [m.group(0) for m in b.matching(r"^[0-9a-f]{8}$")]
        want = ["%08x" % zlib.crc32(data[a * 512:(a + n) * 512]) for a, n in ranges]
        want.append("%08x" % zlib.crc32(open(second, "rb").read()))
        t.check(sums == want, f"guest sums {sums}, host sums {want}")

    def sectors_written_by_the_guest_read_back_the_same_on_the_host(t):
        disk = random_image(t, "write.img", SECTORS)
        before = open(disk, "rb").read()
        writes = [(SECTORS - 200, 200, 7), (5, 3, 99)]
        script = "; ".join(f"blk write disk1 {a} {n} {s}" for a, n, s in writes)
        b = boot(t, arch, 4, "", program=["sh", "-c", script + "; echo wrote $?"], disks=[disk])
        t.check(b.rc == 0 and b.has("wrote 0"), f"exit status {b.rc}")
        after = bytearray(before)
        for a, n, s in writes:
            after[a * 512:(a + n) * 512] = pattern(a, n, s)
        got = open(disk, "rb").read()
        t.check(got == bytes(after), "the image differs from what the guest wrote")

    def without_a_disk_the_driver_says_so_and_ends(t):
        s = Session(t, arch, 4, "")
        # The shell's prompt may stand before a line (its start comes beside them).
        said = [s.expect(r"(?:^|\$ )virtioblk: (no disk [12])\n").group(1) for _ in range(2)]
        t.check(sorted(said) == ["no disk 1", "no disk 2"], f"the drivers said {said}")
        s.send("exit\n")
        s.expect(r"init: the shell ended \(status 0\); powering off")
        t.check(s.close() == 0, "the system did not power off cleanly")

    def bad_requests_get_errors_and_the_driver_answers_afterwards(t):
        b = boot(t, arch, 2, "", program=["blk_probe"], disks=[random_image(t, "p.img", 256)])
        t.check(not b.has("blk_probe: FAIL"), "a bad request got the wrong answer")
        t.check(b.has("blk_probe: 18/18 checks passed"), "the probe did not finish")
        t.check(b.rc == 0, f"exit status {b.rc}")

    def the_devices_error_comes_back_as_an_error(t):
        """A read-only disk: QEMU's device refuses the write with its error
        status, which reaches the client as ERR_IO."""
        disk = random_image(t, "ro.img", 256)
        cmd = qemu.command(arch, 2, "tcg", qemu.full_cmdline("", ["blk_probe", "write"]),
                           disks=[disk])
        cmd = [c.replace(",cache=directsync", ",cache=directsync,readonly=on")
               if "id=disk1," in c else c for c in cmd]
        p = t.run(cmd, timeout=120)
        t.check("blk_probe: ok a write the device refuses (I/O error)" in p.stdout,
                "the device's error did not come back")
        t.check("blk_probe: 19/19 checks passed" in p.stdout, "the probe did not finish")

    def bench_prints_its_four_figures(t):
        disk = os.path.join(t.tmp, "bench.img")
        with open(disk, "wb") as f:
            f.truncate(4 << 20)
        b = boot(t, arch, 2, "", program=["blk", "bench", "disk1", "2", "32"], disks=[disk])
        t.check(b.rc == 0, f"exit status {b.rc}")
        for what in ("seqwrite", "seqread", "randread qd1", "randread qd16"):
            t.check(b.matching(rf"^blkbench {what} [1-9]\d* (MB/s|IOPS)$"), f"no {what} figure")

    def a_crashed_driver_is_restarted_and_claims_its_disk_again(t):
        disk = random_image(t, "restart.img", SECTORS)
        want = "%08x" % zlib.crc32(open(disk, "rb").read()[:64 * 512])
        script = "blk sum disk1 0 64; service fault virtioblk1; blk sum disk1 0 64; service list"
        b = boot(t, arch, 4, "", program=["sh", "-c", script], disks=[disk])
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(b.matching(r"^rs: virtioblk1 \(pid \d+\) died: page fault at 0x[0-9a-f]+; "
                           r"restarted as pid \d+ in \d+ ms$"), "the driver was not restarted")
        t.check(b.matching(r"^pci: the driver of virtio device type 2 \(domain \d+\) has ended: "
                           r"its claim is released$"), "the bus driver kept the dead driver's claim")
        sums = [m.group(0) for m in b.matching(r"^[0-9a-f]{8}$")]
        t.check(sums == [want, want], f"sums before and after the restart: {sums}, want {want}")
        t.check(b.matching(r"^virtioblk1 +\d+ +2 +running +1 "), "service list does not show it")

    for fn in (guest_sums_match_the_host_over_several_ranges,
               a_crashed_driver_is_restarted_and_claims_its_disk_again,
               bench_prints_its_four_figures,
               sectors_written_by_the_guest_read_back_the_same_on_the_host,
               without_a_disk_the_driver_says_so_and_ends,
               bad_requests_get_errors_and_the_driver_answers_afterwards,
               the_devices_error_comes_back_as_an_error):
        ns["test_blk_" + fn.__name__] = fn
