"""tools/test's output: [k/N] on each case's line, the slowest cases, and the
summary line last (CI and the docs read that line)."""

import re


def test_progress_slowest_and_summary_last(t):
    p = t.run(["python3", "tools/testlib/runner.py", "unit/lib/msg/"], timeout=120, check_rc=0)
    lines = p.stdout.splitlines()
    cases = [line for line in lines if re.match(r"^\[ *\d+/\d+\] (PASS|FAIL|SKIP) ", line)]
    t.check(len(cases) >= 3, f"too few case lines: {lines}")
    n = len(cases)
    counts = [int(re.match(r"^\[ *(\d+)/(\d+)\]", line).group(1)) for line in cases]
    t.check(counts == list(range(1, n + 1)), f"k does not count 1..{n}: {counts}")
    t.check(all(f"/{n}] " in line for line in cases), "N is not the number of cases")
    head = lines.index(f"slowest {min(10, n)}:")
    slow = [float(re.match(r"^ +([\d.]+)s \S+$", line).group(1))
            for line in lines[head + 1:head + 1 + min(10, n)]]
    t.check(slow == sorted(slow, reverse=True), f"not slowest first: {slow}")
    t.check(lines[-1] == f"{n} passed, 0 failed", f"the last line is {lines[-1]!r}")
