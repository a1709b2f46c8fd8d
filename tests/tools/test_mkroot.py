"""tools/mkroot makes the root image from a boot configuration's program
lines and a tree: e2fsck passes on it and debugfs (tools nobody here wrote)
finds every program in /bin, stripped and executable, beside the tree."""

import os
import shutil
import subprocess

TOOL = "tools/mkroot"


def debugfs(t, image, request):
    return t.run(["debugfs", "-R", request, image], check_rc=0).stdout


def test_programs_and_the_tree_land_where_the_system_looks(t):
    elf = t.path("build", "x86_64-qemu", "usr", "echo", "echo.elf")
    tree = os.path.join(t.tmp, "tree")
    os.makedirs(os.path.join(tree, "etc"))
    with open(os.path.join(tree, "etc", "motd"), "w") as f:
        f.write("hello\n")
    conf = os.path.join(t.tmp, "boot.conf")
    with open(conf, "w") as f:
        f.write(f"module monitor x\nprogram echo {elf}\nprogram say {elf}  # twice, two names\n")
    image = os.path.join(t.tmp, "root.img")
    t.run([TOOL, image, conf, tree], check_rc=0)
    fsck = t.run(["e2fsck", "-fn", image])
    t.check(fsck.returncode == 0, f"e2fsck -fn: {fsck.stdout}")
    names = [line.split("/")[5] for line in debugfs(t, image, "ls -p /bin").splitlines()
             if line.count("/") >= 6]
    t.check(sorted(n for n in names if n not in (".", "..")) == ["echo", "say"],
            f"/bin holds {names}")
    top = [line.split("/")[5] for line in debugfs(t, image, "ls -p /").splitlines()
           if line.count("/") >= 6]
    for folder in ("bin", "etc", "home", "tmp", "mnt"):
        t.check(folder in top, f"no /{folder}: {top}")
    t.check(debugfs(t, image, "cat /etc/motd") == "hello\n", "/etc/motd is not the tree's")
    out = os.path.join(t.tmp, "echo.out")
    t.run(["debugfs", "-R", f"dump /bin/echo {out}", image], check_rc=0)
    syms = t.run(["llvm-nm", out])
    t.check("no symbols" in syms.stdout + syms.stderr, "the program was not stripped")
    want = subprocess.run(["llvm-strip", "--strip-all", "-o", "-", elf], capture_output=True,
                          check=True).stdout
    with open(out, "rb") as f:
        t.check(f.read() == want, "/bin/echo is not the build's program, stripped")
    stat = debugfs(t, image, "stat /bin/echo")
    t.check("Mode:  0755" in stat, f"/bin/echo is not executable: {stat[:200]}")
    t.check("Mode:  01777" in debugfs(t, image, "stat /tmp"), "/tmp is not 1777")


def test_a_bad_program_line_is_refused_with_its_line(t):
    tree = os.path.join(t.tmp, "tree")
    os.makedirs(tree)
    conf = os.path.join(t.tmp, "boot.conf")
    for text, why in (("program a x\nprogram a y\n", "boot.conf:2: program a named twice"),
                      ("\nprogram a/b x\n", "boot.conf:2: program NAME PATH")):
        with open(conf, "w") as f:
            f.write(text)
        p = t.run([TOOL, os.path.join(t.tmp, "r.img"), conf, tree])
        t.check(p.returncode != 0 and why in p.stderr, f"{text!r}: {p.stderr}")
    t.check(not os.path.exists(os.path.join(t.tmp, "r.img")), "a refused image was left")
    shutil.rmtree(tree)
