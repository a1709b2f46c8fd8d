"""tools/bench scaling without QEMU: scalebench's lines as the console shows
them (other output around and before them) for 1, 2 and 4 cores go through
the parser and the page writer, whose tables, plots and reading must carry
the figures."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools", "runlib"))

import scaling_bench  # noqa: E402

DEGREE = 4


def guest_output(n):
    """What the console of an n-core boot shows; each figure is made from n."""
    levels = scaling_bench.levels(DEGREE, n)
    return "\n".join([
        "monitor 0: up",
        f"scale: cores={n} degree={DEGREE}",
        f"scale: boot up_ms={1000 + 37 * n} monitors_kib={700 * n + 12 * n * (n - 1)}",
        "serial: ready",
        f"scale: bcast mode=unicast reps=50 mean_us={50 * n + 11} messages={2 * (n - 1)} "
        f"rounds={2 if n > 1 else 0} root_sends={n - 1}",
        f"[pm] scale: bcast mode=tree reps=50 mean_us={40 * n + 7} messages={2 * (n - 1)} "
        f"rounds={2 * levels} root_sends={min(DEGREE, n - 1)}",
        f"scale: name op=register reps=20 mean_us={123 + n} messages=2",
        f"scale: name op=lookup reps=20 mean_us={77 + n} messages=2",
        f"scale: spawn reps=5 mean_us={900 * n + 5} messages={4 * n}",
        "scale: done",
        "init: powering off",
    ]) + "\n"


def runs_of(outputs):
    return [{"cores": n, "records": scaling_bench.parse(text),
             "problem": scaling_bench.judge(n, scaling_bench.parse(text), None)}
            for n, text in outputs]


def plots_can_be_drawn():
    return subprocess.run([scaling_bench.PLOT_PYTHON, "-c", "import matplotlib"],
                          capture_output=True).returncode == 0


def test_every_line_is_read_even_after_other_output(t):
    records = scaling_bench.parse(guest_output(4))
    want = {
        "header": {"cores": 4, "degree": 4},
        "boot": {"up_ms": 1148, "monitors_kib": 2944},
        "bcast/unicast": {"reps": 50, "mean_us": 211, "messages": 6, "rounds": 2,
                          "root_sends": 3},
        "bcast/tree": {"reps": 50, "mean_us": 167, "messages": 6, "rounds": 2, "root_sends": 3},
        "name/register": {"reps": 20, "mean_us": 127, "messages": 2},
        "name/lookup": {"reps": 20, "mean_us": 81, "messages": 2},
        "spawn": {"reps": 5, "mean_us": 3605, "messages": 16},
        "done": {},
    }
    t.check(records == want, f"parsed {records}")


def test_a_boot_without_its_last_line_or_with_other_cores_is_incomplete(t):
    cut = guest_output(2).replace("scale: done", "")
    t.check(scaling_bench.judge(2, scaling_bench.parse(cut), None) == "no 'scale: done' line",
            "a boot without 'scale: done' passed")
    t.check(scaling_bench.judge(4, scaling_bench.parse(guest_output(2)), None) ==
            "the guest reported cores=2", "a boot with the wrong count of cores passed")
    garbled = "scale: spawn reps=5 mean_us=12x messages=3\n"
    t.check("spawn" not in scaling_bench.parse(garbled), "a garbled line was read")


def test_core_counts_double_up_to_the_limit(t):
    t.check(scaling_bench.core_counts("x86_64", 64) == [1, 2, 4, 8, 16, 32, 64],
            str(scaling_bench.core_counts("x86_64", 64)))
    t.check(scaling_bench.core_counts("riscv64", 1000)[-2:] == [64, 128],
            str(scaling_bench.core_counts("riscv64", 1000)))
    t.check(scaling_bench.core_counts("x86_64", 300)[-2:] == [128, 256],
            str(scaling_bench.core_counts("x86_64", 300)))


def test_the_page_holds_the_tables_plots_and_reading(t):
    results = {"x86_64": runs_of([(n, guest_output(n)) for n in (1, 2, 4)])}
    doc = os.path.join(t.tmp, "docs", "scaling.md")
    img_dir = os.path.join(t.tmp, "docs", "img")
    plots = plots_can_be_drawn()
    scaling_bench.write_doc(doc, img_dir, "tools/bench scaling --max-cores 4", "a test host",
                            DEGREE, results, plots=plots)
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    t.log(text)
    rows = ["| 4 | 1,148 | 2,944 | 736.0 |",
            "| 4 | 211 | 167 | 6 | 6 | 2 | 2 | 3 | 3 |",
            "| 2 | 125 | 79 | 2 | 2 |",
            "| 4 | 3,605 | 16 |",
            "tools/bench scaling --max-cores 4",
            "## Beside Barrelfish"]
    for row in rows:
        t.check(row in text, f"the page lacks {row!r}")
    reading = " ".join(text.split("## Reading the results", 1)[1].split())  # unwrapped
    for said in ("At 4 cores", "The tree was 1.3 times as fast",
                 "Tree rounds follow twice the depth of a tree of degree 4 over N cores",
                 "Unicast root sends follow N-1", "at 4 cores"):
        t.check(said in reading, f"the reading lacks {said!r}")
    if not plots:
        t.log("no plots: Debian's python3 has no matplotlib")
        return
    for plot in ("boot", "bcast", "counts", "names", "spawn"):
        name = f"scaling-x86_64-{plot}.png"
        t.check(f"](img/{name})" in text, f"the page does not show {name}")
        t.check(os.path.getsize(os.path.join(img_dir, name)) > 0, f"{name} is empty")


def test_a_slower_tree_counts_off_the_rule_and_missing_boots_are_said(t):
    outputs = [(n, guest_output(n)) for n in (1, 2)]
    slower_tree = guest_output(4).replace("mode=tree reps=50 mean_us=167 messages=6 rounds=2",
                                          "mode=tree reps=50 mean_us=400 messages=6 rounds=3")
    outputs.append((4, slower_tree))
    runs = runs_of(outputs) + [{"cores": 8, "records": {},
                                "problem": "still running after 348 s"}]
    text = scaling_bench.document("tools/bench scaling", "today", DEGREE, {"riscv64": runs},
                                  set(), "img", 2)
    unwrapped = " ".join(text.split())
    t.check("Tree rounds do not all follow twice the depth of a tree of degree 4 over N cores: "
            "3 at 4 cores against 2" in unwrapped,
            "a tree round count off the rule was not named")
    t.check("The tree was not clearly faster" in unwrapped, "a slower tree was not said to be")
    t.check("| 8 | - | - | - |" in text, "a failed boot's row does not show it missing")
    t.check("8 cores: still running after 348 s" in text, "the failed boot is not named")
