"""Helpers shared by the ext2 tests: a staging tree, images made from it by the
host's mke2fs, and the tree as ext2util prints it or as Python sees a folder."""

import os
import random
import shutil

UTIL = "build/host-test/tests/lib/ext2/ext2util"
FUZZER = "build/host-fuzz/tests/lib/ext2/ext2_fuzz"


def tool(t, name):
    """The e2fsprogs program name; its absence fails the case (tools/setup installs it)."""
    for d in ("", "/usr/sbin/", "/sbin/"):
        path = shutil.which(name) if not d else d + name
        if path and os.access(path, os.X_OK):
            return path
    t.fail(f"{name} is missing: tools/setup installs e2fsprogs")


def staging(root, big=4_500_000):
    """A tree with a file past the direct blocks, one that needs double indirect
    blocks even at 4 KiB, a sparse file, symbolic links, nested folders, a hard
    link and a folder of many entries."""
    rnd = random.Random(1)
    os.makedirs(os.path.join(root, "a", "b", "c"))
    os.makedirs(os.path.join(root, "many"))
    with open(os.path.join(root, "mid"), "wb") as f:
        f.write(rnd.randbytes(20000))
    with open(os.path.join(root, "big"), "wb") as f:
        f.write(rnd.randbytes(big))
    with open(os.path.join(root, "sparse"), "wb") as f:
        f.seek(4_000_000)
        f.write(b"after the hole")
        f.truncate(5_000_000)
    with open(os.path.join(root, "a", "b", "c", "file"), "w") as f:
        f.write("nested\n")
    with open(os.path.join(root, "empty"), "w"):
        pass
    for i in range(300):
        with open(os.path.join(root, "many", f"entry_with_a_longer_name_{i}"), "w") as f:
            f.write(str(i))
    os.symlink("mid", os.path.join(root, "short"))
    os.symlink("t" * 100, os.path.join(root, "long"))
    os.link(os.path.join(root, "mid"), os.path.join(root, "hard"))
    os.chmod(os.path.join(root, "a", "b"), 0o750)
    os.chmod(os.path.join(root, "empty"), 0o600)


def mkfs(t, src, image, block=1024, inode=128, size="32M"):
    t.run([tool(t, "mke2fs"), "-q", "-F", "-t", "ext2", "-b", str(block), "-I", str(inode),
           "-d", src, image, size], check_rc=0)


def fnv(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return f"{h:016x}"


def pattern(off, length, seed):
    """The bytes ext2util's fill writes."""
    return bytes((p * 131 + seed) % 251 for p in range(off, off + length))


def parse_tree(text):
    """ext2util's lines as {path: {field: value}}."""
    tree = {}
    for line in text.splitlines():
        path, _, rest = line.partition(" type=")
        fields = dict(f.split("=", 1) for f in ("type=" + rest).split(" "))
        tree[path] = fields
    return tree


def folder_tree(root, owners=True, links=True):
    """The same fields for a folder on the host."""
    tree = {}
    for dirpath, dirs, files in os.walk(root):
        for name in dirs + files:
            full = os.path.join(dirpath, name)
            st = os.lstat(full)
            path = "/" + os.path.relpath(full, root)
            e = {"mode": f"{st.st_mode & 0o7777:04o}"}
            if owners:
                e.update(uid=str(st.st_uid), gid=str(st.st_gid))
            if os.path.islink(full):
                e.update(type="l", target=os.readlink(full))
            elif os.path.isdir(full):
                subdirs = sum(os.path.isdir(os.path.join(full, n)) and
                              not os.path.islink(os.path.join(full, n)) for n in os.listdir(full))
                e.update(type="d", links=str(2 + subdirs))
            else:
                with open(full, "rb") as f:
                    data = f.read()
                e.update(type="f", size=str(len(data)), hash=fnv(data), links=str(st.st_nlink))
            if not links:
                e.pop("links", None)
            tree[path] = e
    return tree


def compare(t, got, want, keys=None):
    """Fails with the first difference between two trees (lost+found aside)."""
    got = {p: e for p, e in got.items() if not p.startswith("/lost+found")}
    t.check(sorted(got) == sorted(want),
            f"paths differ: only read {sorted(set(got) - set(want))[:5]}, "
            f"only expected {sorted(set(want) - set(got))[:5]}")
    for path, e in want.items():
        for k, v in e.items():
            if keys is None or k in keys:
                t.check(got[path].get(k) == v, f"{path}: {k} is {got[path].get(k)}, expected {v}")
