"""Boot tests of FS, shared by the architectures (define(ARCH, globals())):
the POSIX file calls on the RAM file system and on ext2 (fs_probe), files the
host put into an image with mke2fs -d read the same in the guest, e2fsck
passes on every image the guest wrote, and a corrupt image is refused at
mount with its reason while FS goes on serving."""

import errno
import os
import random
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))

from testlib.boot import Session, boot  # noqa: E402


def make_image(t, name, files, size="8M", block=1024):
    """An ext2 image made by mke2fs -d from files ({path: bytes})."""
    stage = os.path.join(t.tmp, name + ".d")
    for path, data in files.items():
        full = os.path.join(stage, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(data)
    os.makedirs(stage, exist_ok=True)
    image = os.path.join(t.tmp, name)
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-b", str(block), "-d", stage, image,
                    size], check=True, capture_output=True)
    return image


def fsck_passes(t, image):
    r = subprocess.run(["e2fsck", "-fn", image], capture_output=True, text=True)
    t.check(r.returncode == 0, f"e2fsck -fn: status {r.returncode}\n{r.stdout}{r.stderr}")


def probe_passed(t, b):
    m = b.matching(r"^fs_probe: (\d+) checks, (\d+) failed")
    t.check(len(m) == 1 and int(m[0].group(1)) >= 70 and m[0].group(2) == "0",
            "fs_probe did not pass: " + "; ".join(x.group(0) for x in b.matching(r"FAIL.*")))


def data(seed, i, n):
    """What fsops writes in operation i (tests/domains/fsops.c: data)."""
    x = (seed ^ ((i * 2654435761) & 0xffffffff)) | 1
    out = bytearray(n)
    for k in range(n):
        x ^= (x << 13) & 0xffffffff
        x ^= x >> 17
        x ^= (x << 5) & 0xffffffff
        out[k] = x & 0xff
    return bytes(out)


def replay_one(root, seed, words):
    """One logged operation done on a Linux folder: its result as fsops says it."""
    i, op, args = int(words[0]), words[1], words[2:]
    p = [os.path.join(root, a) for a in args]
    try:
        if op in ("create", "write"):
            off, n = (0, int(args[1])) if op == "create" else (int(args[1]), int(args[2]))
            flags = os.O_WRONLY | (os.O_CREAT | os.O_TRUNC if op == "create" else 0)
            fd = os.open(p[0], flags, 0o644)
            try:
                os.pwrite(fd, data(seed, i, n), off)
            finally:
                os.close(fd)
        elif op == "truncate":
            os.truncate(p[0], int(args[1]))
        elif op == "rename":
            os.rename(p[0], p[1])
        elif op == "link":
            os.link(p[0], p[1], follow_symlinks=False)
        elif op == "symlink":
            os.symlink(args[0], p[1])
        elif op == "unlink":
            os.unlink(p[0])
        elif op == "mkdir":
            os.mkdir(p[0], 0o755)
        elif op == "rmdir":
            os.rmdir(p[0])
        else:
            raise ValueError(op)
        return "0"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))


def linux_tree(root):
    """What fsops lists, for a Linux folder: path -> (type, size, links, crc)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            st = os.lstat(full)
            if os.path.islink(full):
                out[rel] = ("link", st.st_size, st.st_nlink,
                            zlib.crc32(os.readlink(full).encode()))
            elif os.path.isdir(full):
                out[rel] = ("dir", 0, st.st_nlink, 0)
            else:
                out[rel] = ("file", st.st_size, st.st_nlink, zlib.crc32(open(full, "rb").read()))
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
    return out


def same_contents(t, left, right):
    """Whether two folders hold the same names, types, sizes, contents and link targets."""
    a, b = linux_tree(left), linux_tree(right)
    if set(a) != set(b):
        t.check(False, f"names differ: only in the image {sorted(set(a) - set(b))}, "
                       f"only on Linux {sorted(set(b) - set(a))}")
        return
    for rel in a:
        ta, tb = a[rel], b[rel]
        t.check(ta[0] == tb[0] and ta[1] == tb[1] and ta[3] == tb[3],
                f"{rel}: image {ta}, Linux {tb}")


def define(arch, ns):
    def posix_calls_work_on_the_ram_file_system(t):
        b = boot(t, arch, 4, "", program=["fs_probe", "/tmp"])
        t.check(b.rc == 0, f"exit status {b.rc}")
        probe_passed(t, b)

    def host_files_read_the_same_and_the_calls_work_on_ext2(t):
        rng = random.Random(7)
        files = {"hello.txt": b"hello from the host\n", "sub/big.bin": rng.randbytes(300000),
                 "sub/deeper/empty": b""}
        image = make_image(t, "probe.img", files)
        script = "; ".join(f"fs_probe sum /mnt/{p}" for p in files) + "; fs_probe /mnt"
        b = boot(t, arch, 4, "", program=["sh", "-c", script], disks=[image])
        t.check(b.has("fs: disk1 (ext2, 8192 blocks of 1024 bytes) mounted at /mnt"),
                "FS did not say it mounted disk1")
        for p, data in files.items():
            want = f"fs_probe: sum /mnt/{p} {len(data)} {zlib.crc32(data):08x}"
            t.check(b.has(want), f"not in the output: {want}")
        probe_passed(t, b)
        fsck_passes(t, image)

    def a_corrupt_image_is_refused_with_its_reason(t):
        image = make_image(t, "bad.img", {"f": b"x"})
        with open(image, "r+b") as f:
            f.seek(1024 + 56)
            f.write(b"\x00\x00")  # the superblock's magic
        b = boot(t, arch, 4, "", program=["fs_probe", "/tmp"], disks=[image])
        t.check(b.has("fs: disk1: not mounted: bad superblock magic"),
                "FS did not say why it refused the image")
        probe_passed(t, b)


    def a_random_workload_gives_what_linux_gives(t):
        seed, count = int(os.environ.get("FSOPS_SEED", "20261202")), 2000
        image = make_image(t, "ops.img", {}, size="32M")
        b = boot(t, arch, 4, "", program=["fsops", str(seed), str(count), "/mnt/w"], disks=[image],
                 timeout=400)
        t.check(b.rc == 0 and b.has("fsops: done"), f"fsops did not finish: status {b.rc}")
        linux = os.path.join(t.tmp, "linux")
        os.mkdir(linux)
        ops = [m.group(1).split() for m in b.matching(r"^fsops: (\d+ \w+ .*) = \S+$")]
        results = [m.group(1) for m in b.matching(r"^fsops: \d+ \w+ .* = (\S+)$")]
        t.check(len(ops) == count, f"{len(ops)} operations logged, not {count}")
        differ = []
        for words, got in zip(ops, results):
            want = replay_one(linux, seed, words)
            if want != got:
                differ.append(f"{' '.join(words)}: guest {got}, Linux {want}")
        t.check(not differ, f"{len(differ)} results differ from Linux's: " + "; ".join(differ[:8]))
        tree = {}
        for m in b.matching(r"^fsops: tree (\S+) (\w+) (\d+) (\d+) ([0-9a-f]{8})$"):
            tree[m.group(1)] = (m.group(2), int(m.group(3)), int(m.group(4)), int(m.group(5), 16))
        want = linux_tree(linux)
        t.check(tree == want, "the guest's tree differs from Linux's: " + "; ".join(
            f"{k}: guest {tree.get(k)}, Linux {want.get(k)}"
            for k in sorted(set(tree) | set(want)) if tree.get(k) != want.get(k))[:2000])
        fsck_passes(t, image)
        dump = os.path.join(t.tmp, "dump")
        os.mkdir(dump)
        r = subprocess.run(["debugfs", "-R", f"rdump /w {dump}", image], capture_output=True,
                           text=True)
        t.check(r.returncode == 0, f"debugfs rdump: {r.stderr}")
        same_contents(t, os.path.join(dump, "w"), linux)


    def a_crash_keeps_every_synced_file(t):
        image = make_image(t, "crash.img", {}, size="32M")
        s = Session(t, arch, 4, "", program=["fscrash", "/mnt/c"], disks=[image], timeout=300)
        synced = {}
        want = random.Random().randint(5, 25)  # the kill comes at a random moment
        while len(synced) < want:
            m = s.expect(r"^fscrash: (?:synced (s\d+) (\d+) ([0-9a-f]{8})|.*)\n", timeout=120)
            t.check(m.group(1) is not None, f"fscrash failed: {m.group(0)}")
            if m.group(1) is None:
                s.kill()
                return
            synced[m.group(1)] = (int(m.group(2)), int(m.group(3), 16))
        s.kill()
        r = subprocess.run(["e2fsck", "-fy", image], capture_output=True, text=True)
        t.check(r.returncode in (0, 1), f"e2fsck -fy could not repair: status {r.returncode}\n"
                                        f"{r.stdout[-2000:]}")
        fsck_passes(t, image)
        for name, (size, crc) in synced.items():
            got = subprocess.run(["debugfs", "-R", f"cat /c/{name}", image],
                                 capture_output=True).stdout
            t.check(len(got) == size and zlib.crc32(got) == crc,
                    f"{name}: {len(got)} bytes on the disk, {size} were synced")


    def a_restarted_fs_serves_the_disk_again(t):
        image = make_image(t, "restart.img", {"kept.txt": b"kept across a restart\n"})
        script = ("fs_probe sum /mnt/kept.txt; service fault fs; "
                  "fs_probe sum /mnt/kept.txt; fs_probe sum /mnt/kept.txt; service list")
        b = boot(t, arch, 4, "", program=["sh", "-c", script], disks=[image])
        want = f"{zlib.crc32(b'kept across a restart' + bytes([10])):08x}"
        sums = [m.group(1) for m in b.matching(r"^fs_probe: sum /mnt/kept.txt 22 ([0-9a-f]{8})$")]
        t.check(len(sums) >= 2 and sums[0] == sums[-1] == want,
                f"the file did not read the same after FS was restarted: {sums}")
        t.check(b.matching(r"^rs: fs \(pid \d+\) .*restart"), "RS did not restart FS")
        fsck_passes(t, image)


    def the_shell_writes_files_that_e2fsck_and_debugfs_accept(t):
        image = make_image(t, "sh.img", {})
        script = "echo hello > /mnt/new.txt; mkdir /mnt/d; cp /mnt/new.txt /mnt/d/copy; sync"
        b = boot(t, arch, 4, "", program=["sh", "-c", script], disks=[image])
        t.check(b.rc == 0, f"exit status {b.rc}")
        fsck_passes(t, image)
        r = subprocess.run(["debugfs", "-R", "cat /d/copy", image], capture_output=True)
        t.check(r.stdout == b"hello\n", f"debugfs cat /d/copy: {r.stdout!r}")

    def host_files_read_the_same_through_cat_cmp_and_wc(t):
        rng = random.Random(11)
        big = rng.randbytes(200000)
        files = {"hello.txt": b"hello from the host\n", "sub/big.bin": big, "sub/same.bin": big,
                 "sub/other.bin": big[:-1] + bytes([big[-1] ^ 1])}
        image = make_image(t, "read.img", files)
        script = ("cat /mnt/hello.txt; wc -c /mnt/sub/big.bin; "
                  "cmp /mnt/sub/big.bin /mnt/sub/same.bin; echo same $?; "
                  "cmp /mnt/sub/big.bin /mnt/sub/other.bin; echo other $?")
        b = boot(t, arch, 4, "", program=["sh", "-c", script], disks=[image])
        t.check(b.matching(r"(?:^|\$ )hello from the host$"), "cat did not print the file")
        t.check(b.matching(r"^ *200000 /mnt/sub/big.bin$"), "wc -c did not count 200000 bytes")
        t.check(b.has("same 0"), "cmp found a difference between identical files")
        t.check(b.matching(r"differ: (?:byte|char) 200000, line \d+") and b.has("other 1"),
                "cmp did not find the last byte's difference")

    def pipelines_across_four_cores_count_what_python_counts(t):
        rng = random.Random(5)
        words = ["".join(rng.choice("abcdefxq") for _ in range(rng.randint(1, 8)))
                 for _ in range(3000)]
        text = "\n".join(words) + "\n"
        image = make_image(t, "words.img", {"words": text.encode(),
                                           **{f"dir/f{i}": b"" for i in range(37)}})
        with open(t.path("platforms", "rootfs", "etc", "motd")) as f:
            motd_x = sum("x" in line for line in f)
        script = ("@0 cat /mnt/words | @1 grep a | @2 grep -v q | @3 wc -l; "
                  "cd /mnt/dir; ls | wc -l; "
                  "cat /etc/motd | grep -c x > /tmp/n; cat /tmp/n")
        b = boot(t, arch, 4, "", program=["sh", "-c", script], disks=[image])
        t.check(b.rc == 0, f"exit status {b.rc}")
        want = sum(1 for w in words if "a" in w and "q" not in w)
        counts = [m.group(1) for m in b.matching(r"(?:^|\$ ) *(\d+)$")]
        t.check(counts[:3] == [str(want), "37", str(motd_x)],
                f"counts {counts[:3]}, want {[want, 37, motd_x]}")


    def mount_and_umount_a_second_disk(t):
        first = make_image(t, "first.img", {"a.txt": b"first\n"})
        second = make_image(t, "second.img", {"x.txt": b"on the second disk\n"})
        script = ("mkdir /tmp/m /tmp/m2; mount disk2 /tmp/m; echo mounted $?; cat /tmp/m/x.txt; "
                  "echo written > /tmp/m/new.txt; mount; "
                  "mount disk2 /tmp/m2; echo twice $?; mount disk1 /tmp/m; echo over $?; "
                  "mount nodisk /tmp/m2; echo bad $?; umount /tmp; echo none $?; "
                  "sleep 2 < /tmp/m/x.txt &; umount /tmp/m; echo busy $?; wait; "
                  "umount /tmp/m; echo unmounted $?; cat /tmp/m/x.txt; echo gone $?; mount")
        b = boot(t, arch, 4, "", program=["sh", "-c", script], disks=[first, second])
        t.check(b.has("mounted 0"), "mount disk2 failed")
        t.check(b.matching(r"(?:^|\$ )on the second disk$"), "the second disk's file did not read")
        t.check(len(b.matching(r"^disk2 on /tmp/m$")) == 1 and
                len(b.matching(r"^disk1 on /mnt$")) == 2 and len(b.matching(r"^disk0 on /$")) == 2
                and len(b.matching(r"^ramfs on /tmp$")) == 2, "mount did not list the mounts")
        refusals = (("twice 1", "a disk mounted twice"),
                    ("over 1", "a mount over a mount"),
                    ("bad 1", "a name that is not a disk"),
                    ("none 1", "umount of a plain directory"),
                    ("busy 1", "umount while a file is open"))
        for word, why in refusals:
            t.check(b.has(word), f"{why} was not refused")
        t.check(b.matching(r"^mount: disk2 on /tmp/m2: Device or resource busy$"),
                "the refusal did not say why")
        t.check(b.has("unmounted 0") and b.has("gone 1"), "umount did not take the disk away")
        t.check(b.rc == 0, f"exit status {b.rc}")
        for image in (first, second):
            fsck_passes(t, image)
        r = subprocess.run(["debugfs", "-R", "cat /new.txt", second], capture_output=True)
        t.check(r.stdout == b"written\n", f"the file written before umount: {r.stdout!r}")

    for f in (posix_calls_work_on_the_ram_file_system,
              mount_and_umount_a_second_disk,
              the_shell_writes_files_that_e2fsck_and_debugfs_accept,
              host_files_read_the_same_through_cat_cmp_and_wc,
              pipelines_across_four_cores_count_what_python_counts,
              a_restarted_fs_serves_the_disk_again,
              a_crash_keeps_every_synced_file,
              a_random_workload_gives_what_linux_gives,
              host_files_read_the_same_and_the_calls_work_on_ext2,
              a_corrupt_image_is_refused_with_its_reason):
        ns["test_fs_" + f.__name__] = f
