"""tools/faultinject's judging, without QEMU: each batch's worst outcome from
what the console showed (and whether the system answered), the summary line
counting faults, the report table, and a campaign's resumption from its
CSV."""

import csv
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools", "runlib"))

import faultinject  # noqa: E402


class FakeConsole:
    def __init__(self, text):
        self.text = text


class FakeGuest:
    """A guest whose console showed text, and that answers or not."""

    def __init__(self, text, answers=True, service="serial"):
        self.con = FakeConsole(text)
        self.service = service
        self.answers = answers

    def alive(self):
        return self.answers


def test_the_worst_outcome_of_a_batch_wins(t):
    died = "rs: serial (pid 4) died: illegal instruction at 0x400830; restarted as pid 9\n"
    silent = "rs: serial (pid 9) silent for 2010 ms (2 heartbeats missed): ending it\n"
    cases = [
        ("", None, True, "no effect"),
        (died, None, True, "crash restarted"),
        (died + silent, None, True, "hang restarted"),
        (died, "workload error", True, "workload error"),
        (died, "wrong data", True, "wrong data"),
        (died, "stuck", True, "workload error"),  # stuck, but the system answered
        (died, "stuck", False, "system hang"),
        ("PANIC on core 2: something\n" + died, None, True, "panic"),
        ("rs: virtioblk1 (pid 7) died: page fault at 0x0; restarted\n", None, True, "no effect"),
    ]
    for text, work, answers, want in cases:
        got = faultinject.classify(FakeGuest(text, answers), 0, work)
        t.check(got == want, f"{text!r} with {work}: {got}, not {want}")


def test_only_what_came_after_the_batch_started_counts(t):
    text = "rs: serial (pid 4) died: page fault at 0x0; restarted as pid 9\n"
    g = FakeGuest(text + "later output\n")
    t.check(faultinject.classify(g, len(text), None) == "no effect",
            "a crash before the batch was counted in it")


def rows(outcomes, faults=10):
    return [{"batch": str(i), "arch": "x86_64", "target": "serial", "seed": "1",
             "faults": str(faults), "types": "nop", "outcome": o, "seconds": "2.0"}
            for i, o in enumerate(outcomes)]


def test_the_summary_counts_faults_not_batches(t):
    line = faultinject.summary(rows(["no effect", "crash restarted", "crash restarted",
                                     "wrong data", "system hang"]))
    t.check(line == "faultinject: 50 faults (40 activated), 20 crashes restarted, 0 hangs "
                    "restarted, 0 workload errors, 10 wrong data, 0 panics, 10 system hangs",
            line)


def test_a_campaign_resumes_from_its_csv_and_reports_it(t):
    path = os.path.join(t.tmp, "c.csv")
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=faultinject.FIELDS)
        w.writeheader()
        for r in rows(["no effect", "crash restarted", "workload error"]):
            w.writerow(r)
    done = faultinject.done_batches(path)
    t.check(sorted(done) == [0, 1, 2], f"batches found done: {sorted(done)}")
    t.check(faultinject.done_batches(os.path.join(t.tmp, "none.csv")) == {},
            "a campaign with no CSV yet has batches done")
    import contextlib
    import io
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        faultinject.report([path])
    t.check("| serial | x86_64 | 30 | 20 | 10 | 0 | 10 | 0 | 0 | 0 | 0 min |" in out.getvalue(),
            out.getvalue())
