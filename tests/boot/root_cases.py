"""Boot tests of the root file system, shared by the architectures
(define(ARCH, globals())): the build's root image (tools/mkroot) is disk0 at
/, programs are loaded from its /bin through FS, each run boots a fresh copy
of it unless --root names an image to keep, and a root that does not mount
leaves FS serving a RAM root and the boot archive's programs."""

import hashlib
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))

from testlib.boot import boot  # noqa: E402

from fs_cases import fsck_passes, make_image, probe_passed  # noqa: E402

PLATFORMS = {"x86_64": "x86_64-qemu", "riscv64": "riscv64-virt"}
OTHER = {"x86_64": "riscv64", "riscv64": "x86_64"}


def programs(t, arch):
    """The names boot.conf puts into /bin."""
    with open(os.path.join(t.root, "platforms", PLATFORMS[arch], "boot.conf")) as f:
        return [w[1] for w in (line.split("#", 1)[0].split() for line in f)
                if w[:1] == ["program"]]


def built_root(t, arch):
    return os.path.join(t.root, "build", PLATFORMS[arch], "root.img")


def digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def define(arch, ns):
    def programs_are_loaded_from_bin_and_bad_ones_refused_with_the_reason(t):
        names = programs(t, arch)
        with open(os.path.join(t.root, "platforms", "rootfs", "etc", "motd")) as f:
            motd_x = sum("x" in line for line in f)
        other = os.path.join(t.root, "build", PLATFORMS[OTHER[arch]], "usr", "echo", "echo.elf")
        with open(other, "rb") as f:
            files = {"junk": b"#!/bin/sh\necho not a program\n", "other": f.read()}
        image = make_image(t, "progs.img", files, size="4M")
        subprocess.run(["debugfs", "-w", "-R", "sif /junk mode 0100755", image], check=True,
                       capture_output=True)
        subprocess.run(["debugfs", "-w", "-R", "sif /other mode 0100755", image], check=True,
                       capture_output=True)
        script = ("ls /bin | wc -l; cat /etc/motd | grep -c x; cp /bin/echo /tmp/e; "
                  "/tmp/e from tmp; cd /bin; ./echo from dot; /etc/motd; echo st $?; "
                  "/mnt/junk; echo st $?; /mnt/other; echo st $?; nosuch; echo st $?; "
                  "cp /bin/sleep /tmp/nap; /tmp/nap 2 | ps")
        b = boot(t, arch, 4, "", program=["sh", "-c", script], disks=[image], timeout=180)
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(b.has("fs: disk0 (ext2, ") and b.has("blocks of 4096 bytes) mounted at /"),
                "FS did not mount the root image at /")
        t.check(b.matching(rf"^{len(names)}$"), f"/bin does not hold the {len(names)} programs")
        t.check(b.matching(rf"^{motd_x}$"), "/etc/motd is not the tree's")
        t.check(b.matching(r"^from tmp$") and b.matching(r"^from dot$"),
                "a program copied to /tmp, or named ./echo, did not run")
        t.check(b.has("sh: /etc/motd: Permission denied") and b.matching(r"^st 126$"),
                "a file nobody may run was not refused with EACCES")
        t.check(b.has("sh: /mnt/junk: Exec format error"), "a script was not refused: ENOEXEC")
        t.check(b.has("sh: /mnt/other: Exec format error") and
                b.has("spawn: other: built for another machine"),
                "another machine's program was not refused with its reason")
        t.check(b.has("sh: nosuch: not found") and b.matching(r"^st 127$"),
                "a name in no folder of PATH was not 'not found'")
        t.check(b.matching(r"^\s+\d+\s+\d+\s+\d+ running nap$"),
                "ps does not name a program by its file")
        fsck_passes(t, image)

    def each_run_boots_a_fresh_root_and_root_keeps_what_it_wrote(t):
        built = built_root(t, arch)
        before = digest(built)
        b = boot(t, arch, 2, "", program=["sh", "-c", "echo gone > /home/f; sync; cat /home/f"])
        t.check(b.rc == 0 and b.matching(r"^gone$"), "writing to the root failed")
        t.check(digest(built) == before, "a run changed the built root image")
        b = boot(t, arch, 2, "", program=["cat", "/home/f"])
        t.check(b.has("cat: /home/f: No such file or directory"),
                "the next run saw what the last one wrote")
        mine = os.path.join(t.tmp, "root.img")
        shutil.copyfile(built, mine)
        b = boot(t, arch, 2, "", root=mine,
                 program=["sh", "-c", "mkdir /home/u; echo kept > /home/u/f; sync"])
        t.check(b.rc == 0, f"exit status {b.rc}")
        fsck_passes(t, mine)
        r = subprocess.run(["debugfs", "-R", "cat /home/u/f", mine], capture_output=True)
        t.check(r.stdout == b"kept\n", f"debugfs cat /home/u/f: {r.stdout!r}")
        b = boot(t, arch, 2, "", root=mine, program=["cat", "/home/u/f"])
        t.check(b.rc == 0 and b.matching(r"^kept$"), "--root did not keep the file")

    def a_root_that_does_not_mount_leaves_a_ram_root_and_the_boot_archive(t):
        bad = os.path.join(t.tmp, "bad-root.img")
        shutil.copyfile(built_root(t, arch), bad)
        with open(bad, "r+b") as f:
            f.seek(1024 + 56)
            f.write(b"\x00\x00")  # the superblock's magic
        b = boot(t, arch, 2, "", root=bad, program=["fs_probe", "/tmp"])
        t.check(b.has("fs: disk0: not mounted: bad superblock magic"), "FS did not say why")
        t.check(b.has("fs: the root is a RAM file system"), "FS did not say what the root is")
        t.check(b.rc == 0, f"the boot archive's fs_probe failed: status {b.rc}")
        probe_passed(t, b)

    def a_restarted_root_disk_driver_serves_fs_again(t):
        # /bin/grep is read for the first time after the crash: from the disk.
        script = ("cat /etc/motd | wc -l; service fault virtioblk; wc -c /bin/grep; "
                  "echo kept > /home/f; sync; cat /home/f; service list")
        b = boot(t, arch, 4, "", program=["sh", "-c", script], timeout=180)
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(b.matching(r"^rs: virtioblk \(pid \d+\) died: page fault at 0x[0-9a-f]+; "
                           r"restarted as pid \d+ in \d+ ms$"), "the root's driver was not restarted")
        t.check(b.has("fs: disk0: its driver was started again; FS goes on with the new one"),
                "FS did not say it reattached")
        t.check(b.matching(r"^ *\d+ /bin/grep$") and b.matching(r"^kept$"),
                "the root did not read and write after the restart")

    for fn in (programs_are_loaded_from_bin_and_bad_ones_refused_with_the_reason,
               a_restarted_root_disk_driver_serves_fs_again,
               each_run_boots_a_fresh_root_and_root_keeps_what_it_wrote,
               a_root_that_does_not_mount_leaves_a_ram_root_and_the_boot_archive):
        ns["test_root_" + fn.__name__] = fn
