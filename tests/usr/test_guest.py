"""The file utilities in the real system, on both architectures: one shell
script runs them on an ext2 disk the host made (at /mnt) and on the RAM file
system (/tmp), and every line they must print is looked for, in order."""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "boot"))
from fs_cases import make_image  # noqa: E402
from testlib.boot import boot  # noqa: E402

FILES = {
    "h": b"hello world\nsecond line\n",
    "d/l": b"".join(b"line %d\n" % i for i in range(1, 13)),
    "b": bytes(range(40)),
}

# Short names: the script travels on the kernel's command line, which cuts it
# short on x86_64 somewhere past 700 bytes (the "end" line checks it came whole).
SCRIPT = "; ".join([
    "cat /mnt/h", "wc /mnt/h", "head -n 2 /mnt/d/l", "tail -n 1 /mnt/d/l",
    "grep -c line /mnt/d/l", "grep zzz /mnt/h", "echo grep $?", "od /mnt/b",
    "mkdir -p /tmp/u/a/b", "cp /mnt/h /tmp/u/copy", "cmp /mnt/h /tmp/u/copy", "echo cmp $?",
    "cmp /mnt/h /mnt/d/l", "cp -r /mnt/d /tmp/u/d", "ln -s copy /tmp/u/link",
    "ln /tmp/u/copy /tmp/u/hard", "touch /tmp/u/empty", "ls /tmp/u",
    "ls -l /tmp/u/copy /tmp/u/link /tmp/u/empty", "find /tmp/u -name l", "find /tmp/u -type l",
    "cat /tmp/u/link", "echo cat $?", "mv /tmp/u/copy /tmp/u/moved", "stat /tmp/u/moved",
    "cat /tmp/u/link", "echo cat $?", "rm /tmp/u/hard", "rmdir /tmp/u/a/b", "rm -r /tmp/u/d",
    "ls -a /tmp/u", "rm /tmp/u", "echo rm $?", "du -s /mnt/d", "df /mnt", "sync", "echo end",
])


def expected():
    """Regular expressions for the lines the script prints, in order."""
    od = subprocess.run(["od", "-A", "x", "-t", "x1", "-v"], input=FILES["b"],
                        capture_output=True, check=True).stdout.decode().splitlines()
    lit = [re.escape(x) for x in (
        ["hello world", "second line", "2 4 24 /mnt/h", "line 1", "line 2", "line 12",
         "12", "grep 1"] + od + ["cmp 0", "/mnt/h /mnt/d/l differ: byte 1, line 1",
                                 "a", "copy", "d", "empty", "hard", "link"])]
    return lit + [
        r"-rw[-rwx]{7} 2 \d+ \d+ 24 /tmp/u/copy", r"-rw[-rwx]{7} 1 \d+ \d+ 0 /tmp/u/empty",
        r"l[-rwx]{9} 1 \d+ \d+ 4 /tmp/u/link -> copy", re.escape("/tmp/u/d/l"),
        re.escape("/tmp/u/link"), "hello world", "second line", "cat 0",
        re.escape("File: /tmp/u/moved"), r"Size: 24 Blocks: \d+", r"Links: 2 Inode: \d+",
        r"Uid: \d+ Gid: \d+", r"Mode: 0[0-7]{3} -rw[-rwx]{7}", "Type: regular file",
        # The link names "copy", which has moved away.
        "cat: /tmp/u/link: No such file or directory", "cat 1", r"\.", r"\.\.", "a",
        "empty", "link", "moved", "rm: /tmp/u: Is a directory", "rm 1", r"\d+\s+/mnt/d",
        "Filesystem 1K-blocks Used Available Use% Mounted-on",
        r"[0-9a-f]+ \d+ \d+ \d+ \d+% /mnt", "end"]


def run_script(t, arch):
    image = make_image(t, "files.img", FILES)
    b = boot(t, arch, 2, "", program=["sh", "-c", SCRIPT], disks=[image], timeout=240)
    want, at = expected(), 0
    for line in b.lines:
        if at < len(want) and re.fullmatch(want[at], line.rstrip()):
            at += 1
    t.check(at == len(want), f"{arch}: no line matching {want[at] if at < len(want) else ''!r} "
            f"after the {at} lines before it")
    t.check(b.rc == 0, f"{arch}: exit status {b.rc}")


def test_utilities_run_on_ext2_and_the_ram_file_system_x86_64(t):
    run_script(t, "x86_64")


def test_utilities_run_on_ext2_and_the_ram_file_system_riscv64(t):
    run_script(t, "riscv64")
