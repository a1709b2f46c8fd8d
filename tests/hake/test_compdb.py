"""The compilation database hake has the build write (build/compile_commands.json):
every C file of the tree is in it with the flags ninja really compiles it with,
and clangd, reading it, finds no error in a CPU-driver file, a monitor file or
a program, cross-compiled as they are."""

import json
import os
import shlex

COMPDB = "build/compile_commands.json"
# One of each kind; the RISC-V trap handler and the newlib program check that
# cross-compilation flags and newlib's headers come through.
CLANGD_FILES = ["cpudriver/core.c", "cpudriver/arch/riscv64/trap.c", "monitor/monitor.c",
                "usr/hellolibc/hellolibc.c"]


def load(t):
    path = t.path(COMPDB)
    t.check(os.path.exists(path), f"{COMPDB} was not built")
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def test_every_c_file_has_the_flags_ninja_uses(t):
    entries = load(t)
    t.check(all(e["directory"] == t.root for e in entries), "an entry has another directory")
    files = {e["file"] for e in entries}
    tracked = t.run(["git", "ls-files", "*.c"], check_rc=0).stdout.split()
    missing = [f for f in tracked if f not in files]
    t.check(not missing, f"C files without an entry: {missing[:10]}")
    for e in entries:
        if e["file"] != "cpudriver/arch/riscv64/trap.c":
            continue
        ninja = t.run(["ninja", "-t", "commands", "-s", e["output"]], check_rc=0).stdout.split()
        i = ninja.index("-MD")
        del ninja[i:i + 3]  # -MD -MF FILE: ninja's own dependency file
        t.check(ninja == e["arguments"], f"flags differ:\n{shlex.join(ninja)}\n"
                f"{shlex.join(e['arguments'])}")
        return
    t.fail("no entry for the RISC-V trap handler")


def test_clangd_finds_no_errors(t):
    load(t)
    for path in CLANGD_FILES:
        p = t.run(["clangd", f"--check={path}"], timeout=60)
        out = p.stderr
        t.check(f"Loaded compilation database from {t.path(COMPDB)}" in out,
                f"clangd did not read {COMPDB} for {path}")
        t.check(p.returncode == 0 and "All checks completed, 0 errors" in out,
                f"clangd found errors in {path} (exit {p.returncode})")
