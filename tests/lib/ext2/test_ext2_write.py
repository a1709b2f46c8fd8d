"""lib/ext2 writes: sequences of operations on mke2fs images, mirrored on a host
folder. After each run e2fsck -fn must find nothing, and both our reader and
debugfs's rdump must see what the host folder holds."""

import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(__file__))
import ext2img  # noqa: E402

LONG = "y" * 200


def ops_main(deep_offset):
    ops = [
        ("create", "/new"), ("fill", "/new", 0, 100000, 7), ("fill", "/new", 3_000_000, 10, 3),
        ("create", "/deep"), ("fill", "/deep", deep_offset, 5000, 9),
        ("mkdir", "/d"), ("mkdir", "/d/e"), ("create", "/d/e/x"), ("write", "/d/e/x", 0, "hello"),
        ("symlink", "/d/sl", "short"), ("symlink", "/d/ll", LONG), ("link", "/d/e/x", "/d/x2"),
        ("rename", "/d/e/x", "/a/moved"), ("rename", "/d/e", "/a/b/e2"), ("unlink", "/hard"),
        ("truncate", "/big", 70000), ("truncate", "/new", 3000), ("truncate", "/mid", 0),
        ("fill", "/mid", 5, 3, 1), ("rmdir", "/a/b/e2"), ("!rmdir", "/a"),
        ("!rename", "/a", "/a/b/zz"), ("rename", "/sparse", "/many/entry_with_a_longer_name_5"),
        ("mkdir", "/many/sub"), ("rename", "/d", "/many/sub/d"), ("mkdir", "/x"), ("mkdir", "/y"),
        ("create", "/y/f"), ("!rename", "/x", "/y"), ("!rename", "/y/f", "/x"),
        ("mkdir", "/e1"), ("mkdir", "/e2"), ("rename", "/e1", "/e2"), ("chmod", "/new", "600"),
        ("!create", "/new"), ("!mkdir", "/a/b"), ("!unlink", "/a"), ("!rmdir", "/new"),
        ("!link", "/a", "/alink"), ("unlink", "/long"), ("symlink", "/long", "short2"),
    ]
    for i in range(200):
        ops.append(("create", f"/many/n{i}"))
    for i in range(0, 200, 2):
        ops.append(("unlink", f"/many/n{i}"))
    ops += [("mkdir", "/many/later"), ("create", "/many/later/z"), ("fill", "/many/later/z", 0, 9000, 2)]
    return ops


def ops_after():
    return [("truncate", "/deep", 100), ("rmdir", "/x"), ("unlink", "/many/sub/d/x2"),
            ("rename", "/many/later", "/a/later"), ("unlink", "/a/moved"),
            ("fill", "/new", 2000, 5000, 4), ("truncate", "/new", 1_000_000)]


def argv_of(ops):
    argv = []
    for op in ops:
        argv += [str(a) for a in op] + [","]
    return argv[:-1]


def apply_host(root, op):
    """The same operation on a host folder; refused ones change nothing."""
    name, args = op[0], op[1:]
    if name.startswith("!"):
        return
    p = lambda a: os.path.join(root, a.lstrip("/"))  # noqa: E731
    if name == "create":
        open(p(args[0]), "w").close()
        os.chmod(p(args[0]), 0o644)
    elif name == "fill":
        with open(p(args[0]), "r+b") as f:
            f.seek(args[1])
            f.write(ext2img.pattern(args[1], args[2], args[3]))
    elif name == "write":
        with open(p(args[0]), "r+b") as f:
            f.seek(args[1])
            f.write(args[2].encode())
    elif name == "mkdir":
        os.mkdir(p(args[0]))
        os.chmod(p(args[0]), 0o755)
    elif name == "symlink":
        os.symlink(args[1], p(args[0]))
    elif name == "link":
        os.link(p(args[0]), p(args[1]))
    elif name == "rename":
        os.rename(p(args[0]), p(args[1]))
    elif name == "unlink":
        os.unlink(p(args[0]))
    elif name == "rmdir":
        os.rmdir(p(args[0]))
    elif name == "truncate":
        os.truncate(p(args[0]), args[1])
    elif name == "chmod":
        os.chmod(p(args[0]), int(args[1], 8))


def fsck(t, image):
    p = t.run([ext2img.tool(t, "e2fsck"), "-fn", image], timeout=120)
    t.check(p.returncode == 0, f"e2fsck -fn exited {p.returncode}: the image is inconsistent")


def debugfs(t, image, request):
    return t.run([ext2img.tool(t, "debugfs"), "-R", request, image], timeout=60, check_rc=0).stdout


def check_trees(t, image, host):
    want = ext2img.folder_tree(host, owners=False)
    got = ext2img.parse_tree(t.run([ext2img.UTIL, "-r", image, "tree"], timeout=120,
                                   check_rc=0).stdout)
    ext2img.compare(t, got, want)
    out = os.path.join(t.tmp, "rdump")
    shutil.rmtree(out, ignore_errors=True)
    os.mkdir(out)
    debugfs(t, image, f"rdump / {out}")
    dumped = ext2img.folder_tree(out, owners=False, links=False)
    dumped = {p: e for p, e in dumped.items() if not p.startswith("/lost+found")}
    ext2img.compare(t, {p: e for p, e in got.items()}, dumped, keys=("type", "size", "hash",
                                                                      "target"))


def write_sequence(t, block, inode, deep_offset, size="32M"):
    host = os.path.join(t.tmp, "staging")
    ext2img.staging(host, big=300_000)
    image = os.path.join(t.tmp, "fs.img")
    ext2img.mkfs(t, host, image, block=block, inode=inode, size=size)
    ops = ops_main(deep_offset)
    t.run([ext2img.UTIL, image] + argv_of(ops), timeout=300, check_rc=0)
    fsck(t, image)
    stat = debugfs(t, image, "stat /deep")
    t.check(f"Size: {deep_offset + 5000}" in stat, "debugfs sees another size for /deep")
    got = debugfs(t, image, "stat /new")
    t.check("Mode:  0600" in got and "Links: 1" in got, "debugfs sees another mode for /new")
    got = debugfs(t, image, "stat /many/sub/d/ll")
    t.check("Size: 200" in got, "debugfs sees another size for the long link")
    t.check(debugfs(t, image, "cat /many/sub/d/x2") == "hello", "debugfs reads other contents")
    for op in ops:
        apply_host(host, op)
    os.truncate(os.path.join(host, "deep"), 100)  # the host copy need not hold the whole of it
    after = ops_after()
    t.run([ext2img.UTIL, "-c", "8", image] + argv_of(after), timeout=300, check_rc=0)
    fsck(t, image)
    for op in after:
        apply_host(host, op)
    check_trees(t, image, host)


def test_write_sequence_1k_blocks_passes_e2fsck(t):
    write_sequence(t, 1024, 128, 70_000_000)  # /deep reaches the triple indirect block


def test_write_sequence_4k_blocks_passes_e2fsck(t):
    write_sequence(t, 4096, 256, 4_500_000_000)  # /deep is larger than 4 GiB


def test_chown_and_utimes_reach_the_inode(t):
    src = os.path.join(t.tmp, "staging")
    os.mkdir(src)
    image = os.path.join(t.tmp, "fs.img")
    ext2img.mkfs(t, src, image, size="4M")
    t.run([ext2img.UTIL, image, "create", "/f", ",", "chown", "/f", "100000", "70000", ",",
           "utimes", "/f", "1000", "2000"], check_rc=0)
    fsck(t, image)
    got = debugfs(t, image, "stat /f")
    t.check("User: 100000" in got and "Group: 70000" in got, "owners other than set")
    t.check("mtime: 0x000007d0" in got and "atime: 0x000003e8" in got, "times other than set")


def test_read_only_mount_refuses_writes(t):
    src = os.path.join(t.tmp, "staging")
    os.mkdir(src)
    open(os.path.join(src, "f"), "w").close()
    image = os.path.join(t.tmp, "fs.img")
    ext2img.mkfs(t, src, image, size="4M")
    before = open(image, "rb").read()
    p = t.run([ext2img.UTIL, "-r", image, "!create", "/g", ",", "!fill", "/f", "0", "10", "1",
               ",", "!unlink", "/f", ",", "!mkdir", "/d"], check_rc=0)
    t.check(p.stdout.count("read-only file system") == 4, "a write on a read-only mount")
    t.check(open(image, "rb").read() == before, "the image changed")


def test_full_file_system_says_no_space_and_stays_consistent(t):
    src = os.path.join(t.tmp, "staging")
    os.mkdir(src)
    image = os.path.join(t.tmp, "fs.img")
    ext2img.mkfs(t, src, image, size="1M")
    p = t.run([ext2img.UTIL, image, "create", "/f", ",", "!fill", "/f", "0", "2000000", "1"],
              check_rc=0)
    t.check("no free blocks" in p.stdout, p.stdout)
    fsck(t, image)


def test_write_sequence_64k_blocks_passes_e2fsck(t):
    # records as long as a whole 64 KiB block; one inode per block, so a larger image
    write_sequence(t, 65536, 256, 4_500_000_000, size="128M")


def test_indexed_directory_changes_pass_e2fsck(t):
    host = os.path.join(t.tmp, "staging")
    ext2img.staging(host, big=1000)
    image = os.path.join(t.tmp, "fs.img")
    ext2img.mkfs(t, host, image)
    p = t.run([ext2img.tool(t, "e2fsck"), "-fyD", image], timeout=60)  # builds hash indexes
    t.check(p.returncode in (0, 1), f"e2fsck -fyD exited {p.returncode}")
    t.check("Flags: 0x1000" in debugfs(t, image, "stat /many"), "/many has no hash index")
    ops = [("create", "/many/new"), ("unlink", "/many/entry_with_a_longer_name_7"),
           ("rename", "/many/entry_with_a_longer_name_8", "/many/zz")]
    ops += [("create", f"/many/more_{i}") for i in range(100)]
    t.run([ext2img.UTIL, image] + argv_of(ops), timeout=60, check_rc=0)
    fsck(t, image)
    for op in ops:
        apply_host(host, op)
    check_trees(t, image, host)


def test_unlinking_device_nodes_frees_no_blocks(t):
    # A device keeps its number in i_block[0]; read as a block map, 1:3 is block 259.
    src = os.path.join(t.tmp, "staging")
    ext2img.staging(src, big=1000)
    image = os.path.join(t.tmp, "fs.img")
    ext2img.mkfs(t, src, image)
    t.run([ext2img.tool(t, "debugfs"), "-w", "-f", "-", image], check_rc=0,
          input="cd /\nmknod cdev c 1 3\nmknod bdev b 8 0\nmknod fifo p\n")
    fsck(t, image)
    p = t.run([ext2img.UTIL, image, "!cat", "/cdev", ",", "unlink", "/cdev", ",", "unlink",
               "/bdev", ",", "unlink", "/fifo"], check_rc=0)
    t.check("only files and directories have contents to read" in p.stdout, p.stdout)
    fsck(t, image)
