"""The utilities that change a tree (usr/mkdir, rmdir, touch, ln, mv, rm, cp,
sync): each run on a scratch tree, and the tree looked at afterwards."""

import os
import stat as st
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from fileutils import expect, run, ours, tree  # noqa: E402


def read(path):
    with open(path, "rb") as f:
        return f.read()


def test_mkdir_makes_directories_and_with_p_their_parents(t):
    d = tree(t)
    expect(t, "mkdir", ["a", "b"], d, 0, out="")
    t.check(os.path.isdir(os.path.join(d, "a")) and os.path.isdir(os.path.join(d, "b")), "a, b")
    expect(t, "mkdir", ["a", "c"], d, 1, err="mkdir: a: File exists")
    t.check(os.path.isdir(os.path.join(d, "c")), "c made after a failed")
    expect(t, "mkdir", ["x/y"], d, 1, err="mkdir: x/y: No such file or directory")
    expect(t, "mkdir", ["-p", "x/y/z", "a/q/"], d, 0)
    t.check(os.path.isdir(os.path.join(d, "x/y/z")) and os.path.isdir(os.path.join(d, "a/q")),
            "-p made parents")
    expect(t, "mkdir", ["-p", "x/y", "sub", "/"], d, 0)
    expect(t, "mkdir", ["-p", "hello.txt/q"], d, 1, err="mkdir: hello.txt/q: ")
    expect(t, "mkdir", ["-p", os.path.join(d, "abs//path")], "/", 0)
    t.check(os.path.isdir(os.path.join(d, "abs/path")), "an absolute path with //")
    expect(t, "mkdir", [], d, 2)


def test_rmdir_removes_only_empty_directories(t):
    d = tree(t)
    os.mkdir(os.path.join(d, "e1"))
    os.mkdir(os.path.join(d, "e2"))
    expect(t, "rmdir", ["e1", "e2"], d, 0)
    t.check(not os.path.exists(os.path.join(d, "e1")), "e1 removed")
    expect(t, "rmdir", ["sub"], d, 1, err="rmdir: sub: Directory not empty")
    expect(t, "rmdir", ["hello.txt"], d, 1, err="rmdir: hello.txt: Not a directory")
    expect(t, "rmdir", ["missing"], d, 1, err="rmdir: missing: No such file or directory")
    expect(t, "rmdir", [], d, 2)


def test_touch_creates_files_and_sets_times_to_now(t):
    d = tree(t)
    old = time.time() - 100_000
    os.utime(os.path.join(d, "hello.txt"), (old, old))
    before = read(os.path.join(d, "hello.txt"))
    expect(t, "touch", ["hello.txt", "new"], d, 0)
    s = os.stat(os.path.join(d, "hello.txt"))
    t.check(abs(s.st_mtime - time.time()) < 60 and abs(s.st_atime - time.time()) < 60,
            "times set to now")
    t.check(read(os.path.join(d, "hello.txt")) == before, "contents kept")
    t.check(read(os.path.join(d, "new")) == b"", "new file is empty")
    expect(t, "touch", ["-c", "notmade"], d, 0)
    t.check(not os.path.exists(os.path.join(d, "notmade")), "-c makes nothing")
    expect(t, "touch", ["nodir/f"], d, 1, err="touch: nodir/f: No such file or directory")
    expect(t, "touch", [], d, 2)


def test_ln_makes_hard_and_symbolic_links(t):
    d = tree(t)
    expect(t, "ln", ["hello.txt", "h2"], d, 0)
    t.check(os.stat(os.path.join(d, "h2")).st_ino == os.stat(os.path.join(d, "hello.txt")).st_ino,
            "a hard link shares the inode")
    expect(t, "ln", ["-s", "no/such/target", "s1"], d, 0)
    t.check(os.readlink(os.path.join(d, "s1")) == "no/such/target", "symlink text")
    expect(t, "ln", ["-s", "../empty", "nonl.txt", "sub/deeper"], d, 0)
    t.check(os.readlink(os.path.join(d, "sub/deeper/empty")) == "../empty", "into a directory")
    t.check(os.readlink(os.path.join(d, "sub/deeper/nonl.txt")) == "nonl.txt", "second source")
    expect(t, "ln", ["empty", "h2"], d, 1, err="File exists")
    expect(t, "ln", ["-f", "empty", "h2"], d, 0)
    t.check(read(os.path.join(d, "h2")) == b"", "-f replaced h2")
    expect(t, "ln", ["missing", "m2"], d, 1, err="No such file or directory")
    expect(t, "ln", ["empty", "nonl.txt", "hello.txt"], d, 1, err="Not a directory")
    expect(t, "ln", ["empty"], d, 2)


def test_mv_renames_and_moves_into_directories(t):
    d = tree(t)
    data = read(os.path.join(d, "hello.txt"))
    expect(t, "mv", ["hello.txt", "renamed"], d, 0)
    t.check(read(os.path.join(d, "renamed")) == data and
            not os.path.exists(os.path.join(d, "hello.txt")), "renamed")
    expect(t, "mv", ["renamed", "nonl.txt", "sub/deeper"], d, 0)
    t.check(os.path.exists(os.path.join(d, "sub/deeper/renamed")) and
            os.path.exists(os.path.join(d, "sub/deeper/nonl.txt")), "moved into a directory")
    expect(t, "mv", ["sub", "moved/"], d, 0)
    t.check(os.path.exists(os.path.join(d, "moved/deeper/x.txt")), "a directory renamed")
    expect(t, "mv", ["dangling", "moved/"], d, 0)
    t.check(os.readlink(os.path.join(d, "moved/dangling")) == "nowhere", "a link moved as a link")
    expect(t, "mv", ["missing", "x"], d, 1, err="mv: missing -> x: No such file or directory")
    expect(t, "mv", ["empty", "lines.txt", "bin.dat"], d, 1, err="Not a directory")
    expect(t, "mv", ["empty"], d, 2)
    # Another file system, if there is one to hand: no copying, just EXDEV.
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK) and os.stat(shm).st_dev != os.stat(d).st_dev:
        expect(t, "mv", ["empty", shm], d, 1, err="Invalid cross-device link")
        t.check(os.path.exists(os.path.join(d, "empty")), "empty left in place")


def test_rm_removes_files_and_with_r_trees_without_following_links(t):
    d = tree(t)
    expect(t, "rm", ["empty", "nonl.txt"], d, 0)
    t.check(not os.path.exists(os.path.join(d, "empty")), "empty removed")
    expect(t, "rm", ["sub"], d, 1, err="rm: sub: Is a directory")
    expect(t, "rm", ["missing", "lines.txt"], d, 1, err="rm: missing: No such file or directory")
    t.check(not os.path.exists(os.path.join(d, "lines.txt")), "lines.txt removed after an error")
    expect(t, "rm", ["-f", "missing"], d, 0, out="")
    run(t, [ours(t, "rm"), "-f"], d)
    expect(t, "rm", [], d, 2)
    # dirlink points at sub: rm -r of the link removes the link, not sub.
    expect(t, "rm", ["-r", "dirlink", "dangling"], d, 0)
    t.check(os.path.isdir(os.path.join(d, "sub")) and not os.path.lexists(
        os.path.join(d, "dirlink")), "the link, not its target")
    os.symlink(os.path.join(d, "sub"), os.path.join(d, "big.dat.dir"))
    os.mkdir(os.path.join(d, "victim"))
    os.symlink(os.path.join(d, "sub"), os.path.join(d, "victim", "tosub"))
    expect(t, "rm", ["-r", "victim"], d, 0)
    t.check(os.path.exists(os.path.join(d, "sub/deeper/x.txt")), "rm -r followed a link")
    expect(t, "rm", ["-r", "sub/"], d, 0)
    t.check(not os.path.lexists(os.path.join(d, "sub")), "sub removed with its dot files")
    expect(t, "rm", ["-r", "."], d, 1, err="refusing")
    expect(t, "rm", ["-rf", "x/.."], d, 1, err="refusing")
    t.check(os.path.exists(os.path.join(d, "hello.txt")), "rm -r . removed nothing")


def umask():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1], 8) for line in f if line.startswith("Umask:"))


def snapshot(root):
    """Everything under root: relative path -> (type, permissions, contents)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for n in dirnames + filenames:
            p = os.path.join(dirpath, n)
            s = os.lstat(p)
            if st.S_ISLNK(s.st_mode):
                what = ("link", os.readlink(p))
            elif st.S_ISDIR(s.st_mode):
                what = ("dir", st.S_IMODE(s.st_mode))
            else:
                what = ("file", st.S_IMODE(s.st_mode), read(p))
            out[os.path.relpath(p, root)] = what
    return out


def test_cp_copies_files_and_with_r_trees_keeping_links(t):
    d = tree(t)
    expect(t, "cp", ["big.dat", "copy"], d, 0)
    t.check(read(os.path.join(d, "copy")) == read(os.path.join(d, "big.dat")), "contents")
    expect(t, "cp", ["sub/b.h", "hb"], d, 0)
    t.check(st.S_IMODE(os.stat(os.path.join(d, "hb")).st_mode) == 0o640 & ~umask(), "b.h's mode")
    expect(t, "cp", ["nonl.txt", "copy"], d, 0)
    t.check(read(os.path.join(d, "copy")) == b"no newline at the end", "overwritten, truncated")
    expect(t, "cp", ["hello.txt", "empty", "sub/deeper"], d, 0)
    t.check(read(os.path.join(d, "sub/deeper/hello.txt")) == read(os.path.join(d, "hello.txt")),
            "into a directory")
    expect(t, "cp", ["sub/link", "deref"], d, 0)
    t.check(not os.path.islink(os.path.join(d, "deref")), "without -r a link is followed")
    expect(t, "cp", ["hello.txt", "hard.txt"], d, 1, err="are the same file")
    t.check(read(os.path.join(d, "hello.txt")).startswith(b"hello world"), "not truncated")
    expect(t, "cp", ["sub", "subcopy"], d, 1, err="cp: sub: Is a directory")
    expect(t, "cp", ["missing", "x"], d, 1, err="cp: missing: No such file or directory")
    expect(t, "cp", ["empty", "nonl.txt", "hello.txt"], d, 1, err="Not a directory")
    expect(t, "cp", ["empty"], d, 2)

    os.chmod(os.path.join(d, "sub/deeper"), 0o750 & ~umask())  # so that the copy's is the same
    expect(t, "cp", ["-r", "sub", "subcopy"], d, 0)
    t.check(snapshot(os.path.join(d, "sub")) == snapshot(os.path.join(d, "subcopy")),
            "cp -r copied the tree, links as links and modes kept")
    os.mkdir(os.path.join(d, "into"))
    expect(t, "cp", ["-r", "sub", "dirlink", "into"], d, 0)
    t.check(snapshot(os.path.join(d, "sub")) == snapshot(os.path.join(d, "into/sub")), "into/")
    t.check(os.readlink(os.path.join(d, "into/dirlink")) == "sub", "a link operand stays a link")
    # Into itself: the copy must stop, not recurse until the disk is full.
    expect(t, "cp", ["-r", "sub", "sub/inside"], d, 1, err="cannot copy a directory into itself")
    t.check(os.path.exists(os.path.join(d, "sub/inside/deeper/x.txt")) and
            not os.path.exists(os.path.join(d, "sub/inside/inside")), "stopped at itself")


def test_sync_flushes_and_takes_no_arguments(t):
    d = tree(t)
    expect(t, "sync", [], d, 0, out="")
    expect(t, "sync", ["x"], d, 2)
