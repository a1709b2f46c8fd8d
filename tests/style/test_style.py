"""Every C file is laid out as .clang-format says (STYLE.md)."""

import subprocess


def c_files(root):
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard",
                          "*.c", "*.h"], cwd=root, capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_c_files_are_clang_formatted(t):
    files = c_files(t.root)
    t.check(len(files) > 0, "found no C files to check")
    p = t.run(["clang-format", "--dry-run", "--Werror"] + files)
    if p.returncode != 0:
        bad = sorted({line.split(":")[0] for line in p.stderr.splitlines() if "error:" in line})
        t.fail("not clang-formatted (run clang-format -i on them): " + " ".join(bad))
