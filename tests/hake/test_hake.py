"""hake writes a deterministic build.ninja, keeps it current, and explains bad Hakefiles."""

import os
import shutil
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "hake"))

import hake  # noqa: E402
import hakefile  # noqa: E402


def test_committed_build_ninja_is_current(t):
    t.run(["python3", "hake/hake.py", "--check"], check_rc=0)


def test_output_is_deterministic_and_position_independent(t):
    _, first = hake.load(t.root)
    _, second = hake.load(t.root)
    t.check(first == second, "two runs gave different build.ninja text")
    copy = os.path.join(t.tmp, "elsewhere")
    shutil.copytree(t.root, copy, ignore=shutil.ignore_patterns("build", ".cache", ".git"))
    _, moved = hake.load(copy)
    t.check(moved == first, "build.ninja depends on where the tree is")
    t.check(t.root not in first, "build.ninja holds an absolute path")


def test_unknown_rule_names_its_line(t):
    try:
        hakefile.parse("library(name='a', srcs=[])\nprogram(name='b')\n", "x", "x/Hakefile")
    except hakefile.HakefileError as e:
        t.check("x/Hakefile:2" in str(e) and "program" in str(e), f"unclear error: {e}")
        return
    t.fail("an unknown rule was accepted")


def test_non_literal_argument_is_refused(t):
    try:
        hakefile.parse("library(name='a', srcs=open('x'))\n", "x", "x/Hakefile")
    except hakefile.HakefileError as e:
        t.check("literal" in str(e), f"unclear error: {e}")
        return
    t.fail("a Hakefile ran code")


def test_missing_library_is_reported(t):
    tree = make_tree(t, 'host_tool(name="tool", srcs=["tool.c"], libs=["nosuch"])\n')
    p = t.run(["python3", "hake/hake.py"], cwd=tree)
    t.check(p.returncode == 1 and "no library named 'nosuch'" in p.stderr,
            "a missing library was not reported by name")


def test_touching_a_hakefile_makes_ninja_regenerate(t):
    tree = make_tree(t, 'host_tool(name="tool", srcs=["tool.c"])\n')
    t.run(["python3", "hake/hake.py"], cwd=tree, check_rc=0)
    t.run(["ninja"], cwd=tree, check_rc=0)
    t.check(os.path.exists(os.path.join(tree, "build/hosted/app/tool")), "tool not built")
    # A second tool appears in the Hakefile: plain ninja must notice and build it.
    hf = os.path.join(tree, "app", "Hakefile")
    with open(hf, "a") as f:
        f.write('host_tool(name="tool2", srcs=["tool.c"])\n')
    # Make the edit unmistakably newer than build.ninja without waiting.
    past = time.time() - 10
    os.utime(os.path.join(tree, "build.ninja"), (past, past))
    os.utime(hf, (past + 5, past + 5))
    p = t.run(["ninja"], cwd=tree, check_rc=0)
    t.check("HAKE build.ninja" in p.stdout, "ninja did not regenerate build.ninja")
    t.check(os.path.exists(os.path.join(tree, "build/hosted/app/tool2")), "tool2 not built")


def test_new_hakefile_in_new_folder_is_picked_up(t):
    tree = make_tree(t, 'host_tool(name="tool", srcs=["tool.c"])\n')
    t.run(["python3", "hake/hake.py"], cwd=tree, check_rc=0)
    t.run(["ninja"], cwd=tree, check_rc=0)
    os.makedirs(os.path.join(tree, "app", "sub"))
    shutil.copy(os.path.join(tree, "app", "tool.c"), os.path.join(tree, "app", "sub"))
    with open(os.path.join(tree, "app", "sub", "Hakefile"), "w") as f:
        f.write('host_tool(name="subtool", srcs=["tool.c"])\n')
    t.run(["ninja"], cwd=tree, check_rc=0)
    t.check(os.path.exists(os.path.join(tree, "build/hosted/app/sub/subtool")),
            "the new folder's Hakefile was not read")


def make_tree(t, hakefile_text):
    """A minimal project: hake, its include folder, and one app folder."""
    tree = os.path.join(t.tmp, "tree")
    shutil.copytree(os.path.join(t.root, "hake"), os.path.join(tree, "hake"),
                    ignore=shutil.ignore_patterns("__pycache__"))
    os.makedirs(os.path.join(tree, "lib", "include"))
    os.makedirs(os.path.join(tree, "app"))
    with open(os.path.join(tree, "app", "tool.c"), "w") as f:
        f.write("int main(void) { return 0; }\n")
    with open(os.path.join(tree, "app", "Hakefile"), "w") as f:
        f.write(hakefile_text)
    return tree


def test_a_derived_platform_builds_only_what_its_configuration_names(t):
    # platforms/hosted-san derives its boot configuration from hosted's: the
    # programs it names are built for it (with the derived paths), nothing
    # else is, and the generated configuration is the original with those
    # paths made over.
    _, text = hake.load(t.root)
    built = {line.split()[1].rstrip(":") for line in text.splitlines()
             if line.startswith("build build/hosted-san/") and line.split()[1].endswith(".elf:")}
    with open(os.path.join(t.root, "platforms", "hosted", "boot.conf"), encoding="utf-8") as f:
        named = {w[2].replace("build/x86_64-qemu/", "build/hosted-san/")
                 for w in (line.split("#", 1)[0].split() for line in f)
                 if w[:1] in (["module"], ["program"]) and len(w) == 3}
    t.check(built == named, f"built but not named: {sorted(built - named)[:5]}; "
                            f"named but not built: {sorted(named - built)[:5]}")
    t.check("build/hosted-san/servers/net/net.elf" not in built, "NET is built, unnamed")
    t.check("build build/hosted-san/boot.conf: derive platforms/hosted/boot.conf" in text,
            "the derived configuration has no rule")
    out = os.path.join(t.tmp, "boot.conf")
    rule = next(line for line in text.splitlines() if line.startswith("rule derive"))
    command = text.splitlines()[text.splitlines().index(rule) + 1].split("=", 1)[1].strip()
    command = command.replace("$from", "build/x86_64-qemu/").replace("$to", "build/hosted-san/")
    command = command.replace("$in", "platforms/hosted/boot.conf").replace("$out", out)
    t.run(["sh", "-c", command], cwd=t.root, check_rc=0)
    with open(out, encoding="utf-8") as f:
        derived = {w[2] for w in (line.split("#", 1)[0].split() for line in f)
                   if w[:1] in (["module"], ["program"]) and len(w) == 3}
    t.check(derived == named, "the generated configuration names other files")
