"""The test runner behind tools/test: finds every case, runs them (in parallel,
each with a deadline), prints one line per case and ends with the line
'N passed, N failed[, N skipped]'. Exit status 1 if any case failed.
Each result line starts with [k/N], k counting the cases reported so far;
before the summary come the ten slowest cases.

Kinds of cases:
  unit/...   cases of the host unit-test binaries hake knows (tests/**/Hakefile),
             each run in its own process under ASan and UBSan
  unit-tsan/ the same cases built with ThreadSanitizer, for tests that ask (tsan=True)
  others     functions test_* in tests/**/test_*.py (see tools/testlib)
"""

import argparse
import concurrent.futures
import fnmatch
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "hake"))

import testlib  # noqa: E402
import hake  # noqa: E402

ROOT = testlib.ROOT
LOG_DIR = os.path.join(ROOT, "build", "test-logs")
UNIT_TIMEOUT = 60


class Case:
    def __init__(self, name, run, timeout=UNIT_TIMEOUT):
        self.name = name
        self.run = run  # (context) -> None; raises to fail
        self.timeout = timeout


def unit_cases():
    graph, _ = hake.load(ROOT)
    cases = []
    for folder, binary in graph.host_tests:
        path = os.path.join(ROOT, binary)
        listing = subprocess.run([path, "--list"], capture_output=True, text=True, timeout=30)
        if listing.returncode != 0:
            raise SystemExit(f"test: {binary} --list failed:\n{listing.stderr}")
        prefix = folder[len("tests/"):] if folder.startswith("tests/") else folder
        kind = "unit-tsan" if binary.startswith("build/host-tsan/") else "unit"
        for case in listing.stdout.split():
            cases.append(Case(f"{kind}/{prefix}/{case}", unit_runner(path, case)))
    return cases


def unit_runner(path, case):
    def run(t):
        t.run([path, case], timeout=UNIT_TIMEOUT, check_rc=0)
    return run


def python_cases():
    cases = []
    tests_dir = os.path.join(ROOT, "tests")
    for dirpath, dirnames, filenames in os.walk(tests_dir):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for fn in sorted(filenames):
            if not (fn.startswith("test_") and fn.endswith(".py")):
                continue
            path = os.path.join(dirpath, fn)
            rel = os.path.relpath(path, tests_dir)[:-3].replace(os.sep, "/")
            spec = importlib.util.spec_from_file_location(f"tests_{rel.replace('/', '_')}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            folder = os.path.dirname(rel)
            group = fn[len("test_"):-3]
            if group == os.path.basename(folder):
                group = ""  # tests/hake/test_hake.py gives hake/<case>, not hake/hake/<case>
            for attr in sorted(vars(module)):
                fn_obj = getattr(module, attr)
                if attr.startswith("test_") and callable(fn_obj):
                    name = "/".join(p for p in (folder, group, attr[len("test_"):]) if p)
                    timeout = getattr(fn_obj, "timeout", 300)
                    cases.append(Case(name, fn_obj, timeout))
    return cases


def run_case(case):
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="test-") as tmp:
        t = testlib.Context(case.name, tmp)
        try:
            case.run(t)
            status, why = "PASS", ""
        except testlib.Skip as e:
            status, why = "SKIP", str(e)
        except testlib.Failure as e:
            status, why = "FAIL", str(e)
        except Exception:  # a broken test is a failed test, with its traceback
            status, why = "FAIL", traceback.format_exc()
    return case, status, why, time.monotonic() - start, t.lines


def write_log(case, why, lines):
    path = os.path.join(LOG_DIR, case.name.replace("/", "__") + ".log")
    os.makedirs(LOG_DIR, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines + ["", why]) + "\n")
    return os.path.relpath(path, ROOT)


def print_slowest(times, count=10):
    """Where the suite's time goes: the slowest cases, slowest first."""
    if len(times) < 2:
        return
    print(f"slowest {min(count, len(times))}:")
    for secs, name in sorted(times, reverse=True)[:count]:
        print(f"  {secs:7.2f}s {name}")


def print_failed(failed):
    """The failed cases again, next to the summary: a log cut to its tail
    still names them and says why."""
    if not failed:
        return
    print(f"failed {len(failed)}:")
    for name, why, log in failed:
        reason = why.strip().splitlines()[-8:] or ["(no reason given)"]
        print(f"  {name} (log: {log})")
        for line in reason:
            print(f"      {line}")


def main(argv):
    ap = argparse.ArgumentParser(prog="tools/test", description="Runs the test suite.")
    ap.add_argument("patterns", nargs="*",
                    help="run only cases whose name contains one of these (globs allowed)")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("-l", "--list", action="store_true", help="list the cases and stop")
    ap.add_argument("-v", "--verbose", action="store_true", help="show output of passing cases")
    args = ap.parse_args(argv)

    cases = unit_cases() + python_cases()
    if args.patterns:
        def wanted(name):
            return any(fnmatch.fnmatch(name, p) if any(c in p for c in "*?[") else p in name
                       for p in args.patterns)
        cases = [c for c in cases if wanted(c.name)]
    if args.list:
        for c in cases:
            print(c.name)
        return 0
    if not cases:
        print("test: no case matches " + " ".join(args.patterns))
        print("0 passed, 0 failed")
        return 1

    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    times = []
    failed = []
    width = len(str(len(cases)))
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = pool.map(run_case, cases)
        for k, (case, status, why, secs, lines) in enumerate(results, 1):
            counts[status] += 1
            times.append((secs, case.name))
            note = f": {why}" if status == "SKIP" else ""
            print(f"[{k:>{width}}/{len(cases)}] {status} {case.name} ({secs:.2f}s){note}",
                  flush=True)
            if status == "FAIL":
                log = write_log(case, why, lines)
                failed.append((case.name, why, log))
                for line in ("\n".join(lines[-40:]) + "\n" + why).strip().splitlines():
                    print(f"    {line}")
                print(f"    (log: {log})", flush=True)
            elif args.verbose:
                for line in lines:
                    print(f"    {line}")
    print_slowest(times)
    print_failed(failed)
    summary = f"{counts['PASS']} passed, {counts['FAIL']} failed"
    if counts["SKIP"]:
        summary += f", {counts['SKIP']} skipped"
    print(summary)
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
