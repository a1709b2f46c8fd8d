"""tools/setup finds nothing missing once it has run, and a second run changes nothing."""

import os


def snapshot(root):
    with open(os.path.join(root, "build.ninja"), "rb") as f:
        ninja = f.read()
    stamp = os.path.join(root, ".cache", "src", "libfdt", ".fetched-from")
    return ninja, os.stat(stamp).st_mtime_ns


def test_check_reports_nothing_missing(t):
    t.run(["tools/setup", "--check"], check_rc=0)


def test_second_run_is_silent_and_changes_nothing(t):
    before = snapshot(t.root)
    p = t.run(["tools/setup"], check_rc=0)
    t.check(p.stdout.strip() == "" and p.stderr.strip() == "",
            f"setup had something to do or say: {p.stdout}{p.stderr}")
    t.check(snapshot(t.root) == before, "setup changed build.ninja or re-fetched libfdt")
