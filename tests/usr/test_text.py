"""The utilities that read text (usr/cat, wc, head, tail, grep, cmp, od), each
run on the same files and standard input as GNU's and compared with it."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from fileutils import expect, same, tree  # noqa: E402

STDIN = b"from standard input\nsecond\nthird line here\n"


def words(out):
    """wc prints POSIX's single blanks, GNU pads columns: compare the words.
    (Only on text: GNU does not let bytes that cannot be printed start a word,
    where POSIX and ours count every run of bytes that are not white space.)"""
    return [line.split() for line in out.splitlines()]


def test_cat_copies_files_and_standard_input_like_coreutils(t):
    d = tree(t)
    same(t, "cat", ["hello.txt", "nonl.txt", "empty", "bin.dat", "big.dat"], d)
    same(t, "cat", [], d, input=STDIN)
    same(t, "cat", ["hello.txt", "-", "nonl.txt"], d, input=STDIN)
    same(t, "cat", ["-u", "lines.txt"], d)
    expect(t, "cat", ["hello.txt", "missing", "nonl.txt"], d, 1,
           out=open(os.path.join(d, "hello.txt"), "rb").read() + b"no newline at the end",
           err="cat: missing: No such file or directory")
    expect(t, "cat", ["sub"], d, 1, err="cat: sub: Is a directory")
    expect(t, "cat", ["-x"], d, 2)


def test_wc_counts_like_coreutils(t):
    d = tree(t)
    for flags in ([], ["-l"], ["-w"], ["-c"], ["-lw"], ["-c", "-l"], ["-wc"]):
        same(t, "wc", flags + ["hello.txt"], d, norm=words)
        same(t, "wc", flags + ["hello.txt", "nonl.txt", "empty", "lines.txt"], d, norm=words)
        same(t, "wc", flags, d, input=STDIN, norm=words)
    same(t, "wc", ["hello.txt", "-"], d, input=STDIN, norm=words)
    same(t, "wc", ["-lc", "bin.dat", "big.dat"], d, norm=words)
    expect(t, "wc", ["-w"], d, 0, out="3\n", input=b"\x01\x02 a\tb\n")
    expect(t, "wc", ["-l", "hello.txt"], d, 0, out="4 hello.txt\n")
    expect(t, "wc", ["-l", "missing", "hello.txt"], d, 1, out="4 hello.txt\n4 total\n",
           err="wc: missing: No such file or directory")
    expect(t, "wc", ["-z"], d, 2)


def test_head_prints_first_lines_like_coreutils(t):
    d = tree(t)
    for flags in ([], ["-n", "0"], ["-n", "1"], ["-n", "100"], ["-n3"]):
        same(t, "head", flags + ["lines.txt"], d)
        same(t, "head", flags + ["nonl.txt"], d)
        same(t, "head", flags + ["hello.txt", "lines.txt", "empty"], d)
        same(t, "head", flags, d, input=STDIN)
        same(t, "head", flags + ["lines.txt", "-"], d, input=STDIN)
    same(t, "head", ["-n", "5", "missing", "hello.txt"], d)
    expect(t, "head", ["-n", "x", "hello.txt"], d, 2)
    expect(t, "head", ["-n", "-3", "hello.txt"], d, 2)


def test_tail_prints_last_lines_like_coreutils(t):
    d = tree(t)
    for flags in ([], ["-n", "0"], ["-n", "1"], ["-n", "100"], ["-n", "+3"], ["-n", "+100"]):
        same(t, "tail", flags + ["lines.txt"], d)
        same(t, "tail", flags + ["nonl.txt"], d)
        same(t, "tail", flags + ["empty"], d)
        if flags != ["-n", "0"]:  # GNU prints not even the headers then
            same(t, "tail", flags + ["hello.txt", "lines.txt", "nonl.txt"], d)
        same(t, "tail", flags, d, input=STDIN)

    same(t, "tail", ["-n", "2", "missing", "hello.txt"], d)
    same(t, "tail", ["-n", "+0", "lines.txt"], d)
    same(t, "tail", ["-n", "3", "-"], d, input=open(os.path.join(d, "big.dat"), "rb").read())
    expect(t, "tail", ["-n", "x"], d, 2)


def test_tail_reads_a_pipe_without_seeking(t):
    d = tree(t)
    ours = os.path.join(t.root, "build/host-test/tests/usr/tail")
    cmd = f"cat lines.txt lines.txt | {ours} -n 4"
    # A pipe cannot seek: a tail that tried would fail or print the wrong lines.
    p = t.run(["sh", "-c", cmd], cwd=d, check_rc=0)
    want = "".join(open(os.path.join(d, "lines.txt")).readlines()[-4:])
    t.check(p.stdout == want, f"printed {p.stdout!r}, not {want!r}")


def test_grep_finds_fixed_strings_like_gnu_grep(t):
    d = tree(t)
    files = ["hello.txt", "lines.txt", "nonl.txt", "empty"]
    for pattern in ("line", "", "zzz", "many words many", "\t"):
        for flags in ([], ["-c"], ["-v"], ["-vc"]):
            if pattern == "" and "-vc" in flags:
                continue  # GNU grep 3.8 prints no count at all when none can be selected
            same(t, "grep", flags + [pattern, "hello.txt"], d, theirs=["grep", "-F"] + flags +
                 [pattern, "hello.txt"])
            same(t, "grep", flags + [pattern] + files, d, theirs=["grep", "-F"] + flags +
                 [pattern] + files)
    for flags in ([], ["-c"], ["-v"]):
        same(t, "grep", flags + ["line"], d, input=STDIN, theirs=["grep", "-F"] + flags + ["line"])
    same(t, "grep", ["-F", "end", "nonl.txt", "-"], d, input=STDIN)
    same(t, "grep", ["line", "missing", "hello.txt"], d, theirs=["grep", "-F", "line",
                                                                  "missing", "hello.txt"])
    expect(t, "grep", ["zzz", "hello.txt"], d, 1, out="")
    expect(t, "grep", ["-cv", "", "hello.txt", "empty"], d, 1, out="hello.txt:0\nempty:0\n")
    expect(t, "grep", ["line", "missing"], d, 2, err="grep: missing: No such file or directory")
    expect(t, "grep", [], d, 2)
    expect(t, "grep", ["-q", "x"], d, 2)


def byte(out):
    """POSIX and GNU cmp in the C locale say "char N"; ours says "byte N"."""
    return out.replace(b" differ: char ", b" differ: byte ")


def test_cmp_finds_the_first_difference(t):
    d = tree(t)
    with open(os.path.join(d, "hello2.txt"), "wb") as f:
        f.write(b"hello world\nsecond  lime\twith tab\n\nthe end\n")
    with open(os.path.join(d, "prefix.txt"), "wb") as f:
        f.write(b"hello world\nsec")
    for a, b in (("hello.txt", "hard.txt"), ("hello.txt", "hello2.txt"),
                 ("hello2.txt", "hello.txt"), ("hello.txt", "prefix.txt"),
                 ("empty", "empty"), ("bin.dat", "big.dat"), ("empty", "nonl.txt")):
        same(t, "cmp", [a, b], d, norm=byte)
        same(t, "cmp", ["-s", a, b], d)
    same(t, "cmp", ["hello.txt", "-"], d, input=open(os.path.join(d, "hello.txt"), "rb").read())
    expect(t, "cmp", ["hello.txt", "hello2.txt"], d, 1,
           out="hello.txt hello2.txt differ: byte 23, line 2\n")
    expect(t, "cmp", ["hello.txt", "prefix.txt"], d, 1, out="",
           err="cmp: EOF on prefix.txt after byte 15\n")
    expect(t, "cmp", ["empty", "hello.txt"], d, 1, err="cmp: EOF on empty after byte 0\n")
    expect(t, "cmp", ["hello.txt", "missing"], d, 2,
           err="cmp: missing: No such file or directory")
    expect(t, "cmp", ["hello.txt"], d, 2)


def test_od_dumps_like_od_A_x_t_x1_v(t):
    d = tree(t)
    with open(os.path.join(d, "zeros"), "wb") as f:
        f.write(bytes(100))  # -v: repeated lines are printed, not folded into "*"
    flags = ["-A", "x", "-t", "x1", "-v"]
    for files in (["bin.dat"], ["empty"], ["hello.txt"], ["zeros"], ["nonl.txt", "bin.dat"],
                  ["big.dat"]):
        same(t, "od", files, d, theirs=["od"] + flags + files)
        same(t, "od", flags + files, d)
    same(t, "od", [], d, input=STDIN, theirs=["od"] + flags)
    same(t, "od", ["hello.txt", "-"], d, input=STDIN, theirs=["od"] + flags + ["hello.txt", "-"])
    expect(t, "od", ["-t", "x2", "hello.txt"], d, 2)
    expect(t, "od", ["missing"], d, 1, out="000000\n", err="od: missing: No such file")
