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


def test_failed_cases_are_named_again_before_the_summary(t):
    """A CI log cut to its tail must still say which cases failed and why."""
    code = ("import sys; sys.path.insert(0, 'tools'); from testlib import runner; "
            "runner.print_failed([('boot/x/a_case', 'Traceback\\n' + 'x\\n' * 20 + "
            "'Failure: no line matched', 'build/test-logs/boot__x__a_case.log')])")
    p = t.run(["python3", "-c", code], timeout=60, check_rc=0)
    lines = p.stdout.splitlines()
    t.check(lines[0] == "failed 1:", f"no count first: {lines}")
    t.check(lines[1] == "  boot/x/a_case (log: build/test-logs/boot__x__a_case.log)",
            f"the case is not named with its log: {lines[1]!r}")
    t.check(lines[-1].strip() == "Failure: no line matched", f"not the reason last: {lines}")
    t.check(len(lines) == 2 + 8, f"the reason is not cut to its last 8 lines: {lines}")
