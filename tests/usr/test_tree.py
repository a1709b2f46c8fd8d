"""The utilities that look at a tree of files (usr/ls, find, du, stat, df):
against GNU's where they print the same, and against what Python's os.lstat
says where the format is ours (ls -l, stat, df)."""

import os
import stat as st
import sys

sys.path.insert(0, os.path.dirname(__file__))
from fileutils import expect, same, tree  # noqa: E402


def sorted_lines(out):
    return sorted(out.splitlines())


def test_ls_lists_sorted_names_like_coreutils(t):
    d = tree(t)
    for args in ([], ["-a"], ["sub"], ["-a", "sub"], ["sub", "hello.txt", "empty"],
                 ["-d", "sub", "hello.txt"], ["-d"], ["dirlink"], ["sub/deeper", "sub"],
                 ["-ad", "sub", "."], ["dangling"], ["sub/"], ["empty", "nonl.txt"]):
        same(t, "ls", args, d)
    expect(t, "ls", ["missing", "empty"], d, 1, out="empty\n",
           err="ls: missing: No such file or directory")
    expect(t, "ls", ["-x"], d, 2)


def long_line(path, name):
    s = os.lstat(path)
    line = f"{st.filemode(s.st_mode)} {s.st_nlink} {s.st_uid} {s.st_gid} {s.st_size} {name}"
    if st.S_ISLNK(s.st_mode):
        line += " -> " + os.readlink(path)
    return line + "\n"


def test_ls_l_prints_mode_links_ids_size_and_link_target(t):
    d = tree(t)
    os.chmod(os.path.join(d, "sub", "a.c"), 0o4751)
    os.chmod(os.path.join(d, "sub", "deeper"), 0o1777)
    names = sorted(os.listdir(os.path.join(d, "sub")))
    want = "".join(long_line(os.path.join(d, "sub", n), n) for n in names if n[0] != ".")
    t.check("-rwsr-x--x" in want and "drwxrwxrwt" in want and "lrwxrwxrwx" in want, want)
    expect(t, "ls", ["-l", "sub"], d, 0, out=want)
    want = "".join(long_line(os.path.join(d, "sub", n), n) for n in [".", ".."] + names)
    expect(t, "ls", ["-la", "sub"], d, 0, out=want)
    want = "".join(long_line(os.path.join(d, n), n) for n in ["dirlink", "hello.txt", "sub"])
    expect(t, "ls", ["-ld", "sub", "hello.txt", "dirlink"], d, 0, out=want)
    t.check(" 2 " in long_line(os.path.join(d, "hello.txt"), "x"), "hard.txt is a second link")


def test_find_walks_the_tree_like_findutils(t):
    d = tree(t)
    for args in ([], ["."], ["sub"], ["sub/"], ["sub", "hello.txt"], ["-name", "*.c"],
                 ["-name", "*"], ["-name", "?.?"], ["-name", "[ab].*"], ["-name", "[!a]*"],
                 ["-name", "*e*"], ["-name", ".*"], ["-type", "f"], ["-type", "d"],
                 ["-type", "l"], [".", "-type", "f", "-name", "*.txt"],
                 ["-name", "sub", "-type", "d"], ["dirlink"], ["dangling", "empty"],
                 ["sub/deeper/x.txt"], ["-name", "x\\.txt"], ["-name", "[a-c]*"]):
        same(t, "find", args, d, norm=sorted_lines)
    same(t, "find", ["missing", "sub"], d, norm=sorted_lines)


def test_find_lists_a_directory_before_its_contents_in_name_order(t):
    d = tree(t)
    out = expect(t, "find", ["sub"], d, 0).decode().splitlines()
    t.check(out == ["sub", "sub/.dotdir", "sub/.dotdir/y", "sub/a.c", "sub/b.h", "sub/deeper",
                    "sub/deeper/x.txt", "sub/link"], f"find printed {out}")
    expect(t, "find", ["sub", "-name"], d, 2)
    expect(t, "find", ["sub", "-type", "x"], d, 2)
    expect(t, "find", ["sub", "-newer", "x"], d, 2)


def test_du_counts_blocks_like_du_k(t):
    d = tree(t)
    for args in ([], ["."], ["sub"], ["sub", "hello.txt", "big.dat"], ["hello.txt", "hard.txt"],
                 ["dirlink"], ["sub/"]):
        same(t, "du", args, d, theirs=["du", "-k"] + args, norm=sorted_lines)
        same(t, "du", ["-s"] + args, d, theirs=["du", "-s", "-k"] + args, norm=sorted_lines)
    same(t, "du", ["-s", "missing", "sub"], d, theirs=["du", "-s", "-k", "missing", "sub"])
    expect(t, "du", ["-x"], d, 2)


def test_stat_describes_files_links_and_directories(t):
    d = tree(t)
    for name, kind in (("hello.txt", "regular file"), ("sub", "directory"),
                       ("dangling", "symbolic link"), ("sub/link", "symbolic link")):
        s = os.lstat(os.path.join(d, name))
        link = " -> " + os.readlink(os.path.join(d, name)) if st.S_ISLNK(s.st_mode) else ""
        want = (f"File: {name}{link}\nSize: {s.st_size} Blocks: {s.st_blocks}\n"
                f"Links: {s.st_nlink} Inode: {s.st_ino}\nUid: {s.st_uid} Gid: {s.st_gid}\n"
                f"Mode: {st.S_IMODE(s.st_mode):04o} {st.filemode(s.st_mode)}\nType: {kind}\n")
        expect(t, "stat", [name], d, 0, out=want)
    two = expect(t, "stat", ["empty", "missing", "sub/b.h"], d, 1,
                 err="stat: missing: No such file or directory").decode()
    t.check(two.count("File: ") == 2 and "Mode: 0640 -rw-r-----\n" in two, two)
    expect(t, "stat", [], d, 2)


def test_df_reports_the_file_system_statvfs_gives(t):
    d = tree(t)
    out = expect(t, "df", [d, "/"], d, 0).decode().splitlines()
    t.check(out[0] == "Filesystem 1K-blocks Used Available Use% Mounted-on", out[0])
    t.check(len(out) == 3 and out[1].endswith(" " + d) and out[2].endswith(" /"), out)
    for line, path in ((out[1], d), (out[2], "/")):
        fsid, total, used, avail, pct, _ = line.split()
        v = os.statvfs(path)
        # Other programs write meanwhile: allow the use to move a little.
        t.check(int(total) == v.f_blocks * v.f_frsize // 1024, f"{line}: total")
        slack = max(1024, int(total) // 100)
        t.check(abs(int(used) - (v.f_blocks - v.f_bfree) * v.f_frsize // 1024) <= slack, line)
        t.check(abs(int(avail) - v.f_bavail * v.f_frsize // 1024) <= slack, line)
        t.check(pct.endswith("%") and 0 <= int(pct[:-1]) <= 100, line)
        u, a = int(used), int(avail)
        t.check(u + a == 0 or int(pct[:-1]) == -(-u * 100 // (u + a)), f"{line}: Use%")
        int(fsid, 16)
    only = expect(t, "df", [], d, 0).decode().splitlines()
    t.check(len(only) == 2 and only[1].endswith(" /"), only)
    expect(t, "df", ["missing"], d, 1, err="df: missing: No such file or directory")
