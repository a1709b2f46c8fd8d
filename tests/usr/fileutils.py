"""Helpers shared by the tests of the file utilities (usr/*): the sanitized host
builds (tests/usr/Hakefile), a small tree to run them in, and a way to run one
of ours beside the host's GNU tool and compare what they print and return."""

import os
import random
import subprocess

BUILD = "build/host-test/tests/usr"
# A sanitizer report gets an exit status of its own, which no comparison takes
# for a tool's; the C locale makes GNU sort and count bytes as ours do.
ENV = dict(os.environ, LC_ALL="C", ASAN_OPTIONS="exitcode=86", UBSAN_OPTIONS="exitcode=87")


def ours(t, name):
    path = t.path(BUILD, name)
    t.check(os.path.exists(path), f"{path} is not built (run ninja)")
    return path


def run(t, argv, cwd, input=None):
    """Runs argv in cwd; returns (status, stdout bytes, stderr text)."""
    t.log(f"$ (cd {cwd} && {' '.join(argv)})")
    p = subprocess.run(argv, cwd=cwd, input=input, capture_output=True, timeout=30, env=ENV)
    err = p.stderr.decode(errors="replace")
    out = p.stdout.decode(errors="replace")
    t.log((out if len(out) < 2000 else out[:2000] + "...\n") + err + f"[exit {p.returncode}]")
    t.check(p.returncode not in (86, 87) and "Sanitizer" not in err and
            "runtime error" not in err, f"{argv[0]}: a sanitizer report")
    return p.returncode, p.stdout, err


def same(t, name, args, cwd, theirs=None, input=None, norm=None):
    """Runs our NAME and the host's (argv `theirs`, or NAME with the same args)
    and fails unless both exit alike and print the same (after norm)."""
    a = run(t, [ours(t, name)] + args, cwd, input)
    b = run(t, theirs or [name] + args, cwd, input)
    out_a, out_b = (norm(a[1]), norm(b[1])) if norm else (a[1], b[1])
    t.check(out_a == out_b, f"{name} {' '.join(args)}: printed\n{a[1]!r}\nnot\n{b[1]!r}")
    t.check(a[0] == b[0], f"{name} {' '.join(args)}: exited {a[0]}, not {b[0]}")
    return a


def expect(t, name, args, cwd, rc, out=None, err=None, input=None):
    """Runs our NAME; fails unless it exits rc, prints out (if given) and says
    something containing err (if given) on standard error."""
    code, stdout, stderr = run(t, [ours(t, name)] + args, cwd, input)
    t.check(code == rc, f"{name} {' '.join(args)}: exited {code}, not {rc}")
    if out is not None:
        want = out.encode() if isinstance(out, str) else out
        t.check(stdout == want, f"{name} {' '.join(args)}: printed\n{stdout!r}\nnot\n{want!r}")
    if err is not None:
        t.check(err in stderr, f"{name} {' '.join(args)}: said {stderr!r}, not {err!r}")
    return stdout


def tree(t):
    """A small tree under t.tmp/tree: text files (one without its last newline,
    one empty, one of 25 lines), binary data, a dot file, nested folders, a
    symbolic link to a file, to a folder and to nowhere, and a hard link."""
    root = os.path.join(t.tmp, "tree")
    os.makedirs(os.path.join(root, "sub", "deeper"))
    os.makedirs(os.path.join(root, "sub", ".dotdir"))
    rnd = random.Random(7)
    files = {
        "hello.txt": b"hello world\nsecond  line\twith tab\n\nthe end\n",
        "nonl.txt": b"no newline at the end",
        "empty": b"",
        ".hidden": b"a dot file\n",
        "lines.txt": b"".join(b"line %d of %s\n" % (i, b"many words " * (i % 4))
                              for i in range(1, 26)),
        "bin.dat": bytes(rnd.randrange(256) for _ in range(1000)),
        "big.dat": rnd.randbytes(200_000),
        "sub/a.c": b"int main(void) { return 0; }\n",
        "sub/b.h": b"#define B 1\n",
        "sub/deeper/x.txt": b"deep\n",
        "sub/.dotdir/y": b"hidden below\n",
    }
    for name, data in files.items():
        with open(os.path.join(root, name), "wb") as f:
            f.write(data)
    os.chmod(os.path.join(root, "sub", "b.h"), 0o640)
    os.symlink("../hello.txt", os.path.join(root, "sub", "link"))
    os.symlink("sub", os.path.join(root, "dirlink"))
    os.symlink("nowhere", os.path.join(root, "dangling"))
    os.link(os.path.join(root, "hello.txt"), os.path.join(root, "hard.txt"))
    return root
