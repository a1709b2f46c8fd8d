"""tools/bench scaling: boots the system with 1, 2, 4, ... cores running
usr/scalebench and shows how the monitors' costs grow with the cores: boot
time and monitor memory, a broadcast to every core (by unicast and down a
multicast tree), registering and looking up a name, and a spawn on every
core. Prints a Markdown table per measure and writes docs/scaling.md with
plots in docs/img. Times are QEMU TCG's emulated time; the message counts
are exact. The plots are drawn by scaling_plots.py under Debian's python3,
which has python3-matplotlib."""

import argparse
import datetime
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import textwrap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import qemu  # noqa: E402

LINE = re.compile(r"scale: (\S.*)$")
KEYED = {"bcast": "mode", "name": "op"}  # records told apart by this field
PLOT_PYTHON = "/usr/bin/python3"
PLOTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scaling_plots.py")


def parse(text):
    """{record: {field: number}} from scalebench's lines. Records: header
    (cores, degree), boot, bcast/unicast, bcast/tree, name/register,
    name/lookup, spawn, done. A line with a field that is not a number is
    not scalebench's (or came out garbled) and is left out."""
    records = {}
    for line in text.splitlines():
        m = LINE.search(line)
        if not m:
            continue
        words = m.group(1).split()
        kind = "header" if "=" in words[0] else words.pop(0)
        fields = dict(w.split("=", 1) for w in words if "=" in w)
        if kind in KEYED and KEYED[kind] in fields:
            kind += "/" + fields.pop(KEYED[kind])
        if all(v.isdigit() for v in fields.values()):
            records[kind] = {k: int(v) for k, v in fields.items()}
    return records


def judge(cores, records, problem):
    """What went wrong with a boot that gave records, or None."""
    if problem:
        return problem
    if "done" not in records:
        return "no 'scale: done' line"
    reported = records.get("header", {}).get("cores")
    if reported != cores:
        return f"the guest reported cores={reported}"
    return None


def boot(arch, cores, degree):
    """One boot with scalebench DEGREE on CORES cores, the monitors' boot tree
    of the same degree: {"cores", "records", "problem"}, problem None when
    every line came."""
    cmd = qemu.command(arch, cores, "tcg", qemu.full_cmdline(f"mondegree={degree}",
                                                             ["scalebench", str(degree)]))
    deadline = 300 + 6 * cores
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           errors="replace", timeout=deadline)
        out = p.stdout
        status = qemu.system_status(arch, p.returncode)
        problem = f"exit status {status}" if status != 0 else None
    except subprocess.TimeoutExpired as e:
        out = e.stdout or ""
        if isinstance(out, bytes):
            out = out.decode(errors="replace")
        problem = f"still running after {deadline} s"
    records = parse(out)
    return {"cores": cores, "records": records, "problem": judge(cores, records, problem)}


def core_counts(arch, max_cores):
    """1, 2, 4, ... up to max_cores (at most what QEMU's machine takes),
    and that limit itself when it is not a power of two."""
    limit = min(max_cores, qemu.ARCHES[arch].max_cores)
    counts = [1 << k for k in range(limit.bit_length()) if 1 << k <= limit]
    return counts if counts[-1] == limit else counts + [limit]


def field(record, name):
    """A table column: one field of one record, None where it is missing."""
    return lambda run: run["records"].get(record, {}).get(name)


def per_core(record, name):
    total = field(record, name)
    return lambda run: None if total(run) is None else total(run) / run["cores"]


US = "µs, emulated"
NAME_REPS = 20  # names registered and looked up at each count (usr/scalebench)
TABLES = [  # (title, plots, columns)
    ("Boot", ["boot"], [("boot time (ms, emulated)", field("boot", "up_ms")),
                        ("monitor memory (KiB)", field("boot", "monitors_kib")),
                        ("KiB per core", per_core("boot", "monitors_kib"))]),
    ("Broadcast to every core, acknowledged", ["bcast", "counts"], [
        (f"unicast ({US})", field("bcast/unicast", "mean_us")),
        (f"tree ({US})", field("bcast/tree", "mean_us"))] + [
        (f"{mode} {what}", field(f"bcast/{mode}", key))
        for what, key in (("messages", "messages"), ("rounds", "rounds"),
                          ("root sends", "root_sends"))
        for mode in ("unicast", "tree")]),
    ("Names", ["names"], [(f"register ({US})", field("name/register", "mean_us")),
                          (f"lookup ({US})", field("name/lookup", "mean_us")),
                          ("register messages (20 names)", field("name/register", "messages")),
                          ("lookup messages (20 names)", field("name/lookup", "messages"))]),
    ("Spawn `true` on every core", ["spawn"], [(f"time ({US})", field("spawn", "mean_us")),
                                               ("messages each time", field("spawn", "messages"))]),
]
PLOT_TITLES = {"boot": "boot time against cores", "bcast": "broadcast time against cores",
               "counts": "broadcast messages, rounds and root sends against cores",
               "names": "name latency against cores", "spawn": "spawn-all time against cores"}


def show(value):
    if value is None:
        return "-"
    return f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"


def table(columns, runs):
    rows = ["| cores | " + " | ".join(heading for heading, _ in columns) + " |",
            "|---:|" + "---:|" * len(columns)]
    rows += [f"| {run['cores']} | " + " | ".join(show(value(run)) for _, value in columns) + " |"
             for run in runs]
    return "\n".join(rows)


def arch_tables(arch, runs, drawn, img_link):
    """Markdown: a table per measure, each followed by its plots where drawn."""
    parts = []
    for title, plots, columns in TABLES:
        parts.append(f"### {title}\n\n" + table(columns, runs))
        parts += [f"![{arch}: {PLOT_TITLES[plot]}]({img_link}/scaling-{arch}-{plot}.png)"
                  for plot in plots if f"scaling-{arch}-{plot}.png" in drawn]
    failed = [f"{run['cores']} cores: {run['problem']}" for run in runs if run["problem"]]
    if failed:
        parts.append("Incomplete boots (what they lack shows as -): " + "; ".join(failed) + ".")
    return "\n\n".join(parts) + "\n"


def values(runs, record, name):
    """[(cores, value)] of the runs that have it, fewest cores first."""
    return [(run["cores"], run["records"][record][name]) for run in runs
            if name in run["records"].get(record, {})]


def levels(degree, cores):
    """The depth of the tree of this degree over ranks 0..cores-1 (rank r's
    children are r*degree+1 .. r*degree+degree): the fewest levels below the
    root that together with it hold every core."""
    depth, held, width = 0, 1, 1
    while held < cores:
        depth += 1
        width *= degree
        held += width
    return depth


def check_counts(what, rule, measured, expected):
    """A sentence on whether measured [(cores, count)] follow expected(cores)."""
    off = [f"{count} at {n} cores against {expected(n)}" for n, count in measured
           if count != expected(n)]
    if not off:
        seen = ", ".join(f"{count} at {n}" for n, count in measured)
        return f"{what} follow {rule} at every count of cores measured ({seen})."
    return f"{what} do not all follow {rule}: " + "; ".join(off) + "."


def cores_text(n):
    return "1 core" if n == 1 else f"{n} cores"


def reading(arch, runs, degree, host_cpus):
    """A paragraph on what arch's figures show, worded after the figures."""
    said = []
    unicast = dict(values(runs, "bcast/unicast", "mean_us"))
    tree = dict(values(runs, "bcast/tree", "mean_us"))
    if set(unicast) & set(tree):
        n = max(set(unicast) & set(tree))
        ratio = unicast[n] / max(tree[n], 1)
        said.append(f"At {n} cores, the most measured on {arch} with both broadcasts, the tree "
                    f"of degree {degree} took {tree[n]:,} µs and unicast {unicast[n]:,} µs "
                    f"(emulated): unicast/tree = {ratio:.2f}.")
        if ratio >= 1.1:
            said.append(f"The tree was {ratio:.1f} times as fast.")
        else:
            said.append(f"The tree was not clearly faster. Under TCG on {host_cpus} host CPUs "
                        f"the {n} virtual cores take turns, so the forwarding that runs in "
                        "parallel down a tree on hardware does not run in parallel here, and "
                        "each extra hop only adds time; the message counts are the exact part.")
    rounds = values(runs, "bcast/tree", "rounds")
    if rounds:
        rule = f"twice the depth of a tree of degree {degree} over N cores"
        said.append(check_counts("Tree rounds", rule, rounds,
                                 lambda n: 2 * levels(degree, n)))
    root_sends = values(runs, "bcast/unicast", "root_sends")
    if root_sends:
        said.append(check_counts("Unicast root sends", "N-1", root_sends, lambda n: n - 1))
    for op, what in (("register", "Registering a name"), ("lookup", "A lookup (a miss)")):
        # From 2 cores on a name's home may be another core; at 1 it never is.
        times = [(n, t) for n, t in values(runs, f"name/{op}", "mean_us") if n > 1]
        counts = dict(values(runs, f"name/{op}", "messages"))
        if len(times) > 1:
            (n0, t0), (n1, t1) = times[0], times[-1]
            said.append(f"{what} took {t0:,} µs at {cores_text(n0)} and {t1:,} µs at "
                        f"{cores_text(n1)} ({t1 / max(t0, 1):.2f} times)")
            if n0 in counts and n1 in counts:
                flat = max(counts[n0], counts[n1]) <= 2 * NAME_REPS
                said[-1] += (f", with {counts[n0]} and {counts[n1]} messages for "
                             f"{NAME_REPS} names" +
                             (": at most one question to the home and its answer a "
                              "name, whatever the cores, so what grows is the time each "
                              "message waits, most likely for its core's turn on the "
                              "host's CPUs" if flat else "")
                             + ".")
            else:
                said[-1] += "."
    spawn = values(runs, "spawn", "mean_us")
    if spawn:
        n1, t1 = spawn[-1]
        said.append(f"Spawning `true` on every core took {t1:,} µs at {cores_text(n1)}, "
                    f"{t1 / n1:,.0f} µs per core" + (
                        f", against {spawn[0][1] / spawn[0][0]:,.0f} µs per core at "
                        f"{cores_text(spawn[0][0])}." if len(spawn) > 1 else "."))
    boot_ms = values(runs, "boot", "up_ms")
    if boot_ms:
        n1, b1 = boot_ms[-1]
        said.append(f"Boot took {b1:,} ms at {cores_text(n1)}, {b1 / n1:,.1f} ms per core"
                    + (f"; each core past {boot_ms[0][0]} added "
                       f"{(b1 - boot_ms[0][1]) / (n1 - boot_ms[0][0]):,.1f} ms."
                       if len(boot_ms) > 1 else "."))
    return textwrap.fill(f"**{arch}.** " + (" ".join(said) if said else "No figures came back."),
                         80, break_on_hyphens=False)


INTRO = """How the monitors' costs grow with the number of cores. `tools/bench scaling`
boots the system once for each count of cores with `usr/scalebench` as its
program and wrote this page. Times are QEMU TCG's emulated time: compare them
with each other, not with hardware. Message counts (messages, rounds, root
sends) are exact and the same in every run.

- Boot time: the guest's milliseconds from reset until the last monitor came
  up. Monitor memory: what the monitors hold, summed over all cores: the part
  of their own RAM in use (their tables, queues and the pages of channels
  between them) and their boot channels.
- Broadcast: a message from one core that every core must receive and
  acknowledge, as a TLB shoot-down does; sent by unicast from the root to each
  core, or down a multicast tree. Messages are monitor-to-monitor messages per
  broadcast, rounds the hops on its critical path, root sends the messages the
  root monitor itself sends.
- Names: registering a name (its home monitor decides) and a lookup that asks
  the name's home and misses (one round trip), times per name. Their messages
  are those of all 20 names together: a name whose home is the asker's own
  monitor takes none, any other two.
- Spawn: starting `true` on every core at once and waiting until all have
  exited."""

BARRELFISH = """Baumann et al., "The Multikernel: A New OS Architecture for Scalable
Multicore Systems" (SOSP 2009), measured Barrelfish on multi-socket x86
hardware. At 32 cores an unmap, with its TLB shoot-down, took about 17.5k
cycles in Barrelfish against about 29.5k in Linux; a broadcast by unicast took
about 12.7k cycles against about 3.1k down a NUMA-aware multicast tree. Those
are a shape to compare with (unicast's cost grows with the cores, a tree's with
its depth), not numbers to match: the times here are emulated by QEMU TCG,
whose virtual cores share the host's few CPUs and no NUMA interconnect."""

NOT_MEASURED = """Not measured: cycles on hardware, a NUMA interconnect (QEMU's cores share
one memory, so no tree here is NUMA-aware), unmap itself (the acknowledged
broadcast stands in for its shoot-down), and how far the emulated times move
between runs (each count of cores was booted once)."""


def document(command, measured, degree, results, drawn, img_link, host_cpus):
    """The page's Markdown: results {arch: [boot results]}, drawn the plots'
    file names, img_link the plots' folder relative to the page."""
    parts = ["# Scaling with the number of cores", INTRO, f"```sh\n{command}\n```",
             textwrap.fill(f"Measured {measured}; the monitors' boot tree and the "
                           f"multicast tree of degree {degree}.", 80)]
    parts += [f"## {arch}\n\n" + arch_tables(arch, runs, drawn, img_link)
              for arch, runs in results.items()]
    parts += ["## Beside Barrelfish", BARRELFISH, "## Reading the results"]
    parts += [reading(arch, runs, degree, host_cpus) for arch, runs in results.items()]
    parts.append(NOT_MEASURED)
    return "\n\n".join(part.strip("\n") for part in parts) + "\n"


def describe_host():
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f
                        if line.startswith("model name")), "CPU model not shown")
    except OSError:
        cpu = "CPU model not shown"
    try:
        version = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True,
                                 text=True, timeout=30).stdout.splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        version = "QEMU version unknown"
    return f"{cpu}, {len(os.sched_getaffinity(0))} CPUs, {version}"


def draw_plots(results, degree, img_dir):
    """The plots' file names that scaling_plots.py wrote into img_dir; none
    (and a line saying why) where Debian's python3 cannot draw them."""
    os.makedirs(img_dir, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"degree": degree, "arches": results}, f)
    try:
        p = subprocess.run([PLOT_PYTHON, PLOTS, f.name, img_dir], capture_output=True,
                           text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as e:
        print(f"bench: no plots: {e}", file=sys.stderr)
        return set()
    finally:
        os.unlink(f.name)
    if p.returncode != 0:
        why = (p.stderr.strip().splitlines() or [f"exit status {p.returncode}"])[-1]
        print(f"bench: no plots ({PLOT_PYTHON} {os.path.basename(PLOTS)}): {why}",
              file=sys.stderr)
        return set()
    return {os.path.basename(path) for path in p.stdout.splitlines()}


def write_doc(path, img_dir, command, host, degree, results, plots=True):
    """docs/scaling.md from results ({arch: [boot results]}), with the plots
    drawn into img_dir unless plots is False."""
    drawn = draw_plots(results, degree, img_dir) if plots else set()
    doc_dir = os.path.dirname(os.path.abspath(path))
    img_link = os.path.relpath(os.path.abspath(img_dir), doc_dir).replace(os.sep, "/")
    date = datetime.date.today().isoformat()
    text = document(command, f"{date}, {host}", degree, results, drawn, img_link,
                    len(os.sched_getaffinity(0)))
    os.makedirs(doc_dir, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main(argv):
    ap = argparse.ArgumentParser(prog="tools/bench scaling",
                                 description="Monitor costs against the number of cores.")
    ap.add_argument("--arch", choices=sorted(qemu.ARCHES), help="one architecture (default: both)")
    ap.add_argument("--max-cores", type=int, default=64,
                    help="boot 1, 2, 4, ... cores up to this many (default 64; at most 256 "
                         "on x86_64, 128 on riscv64)")
    ap.add_argument("--degree", type=int, default=4, help="the multicast tree's degree (default 4)")
    ap.add_argument("--out-doc", default="docs/scaling.md", help="default docs/scaling.md")
    ap.add_argument("--img-dir", default="docs/img", help="where the plots go (default docs/img)")
    ap.add_argument("--no-doc", action="store_true", help="only print the tables")
    args = ap.parse_args(argv)
    if args.max_cores < 1:
        ap.error("--max-cores must be at least 1")
    if args.degree < 2:
        ap.error("--degree must be at least 2")
    arches = [args.arch] if args.arch else sorted(qemu.ARCHES, reverse=True)  # x86_64 first
    command = shlex.join(["tools/bench", "scaling"] + argv)
    host = describe_host()
    print(f"== {command}\n{host}; times are QEMU TCG's (emulated), message counts exact")
    results = {}
    for arch in arches:
        results[arch] = []
        for cores in core_counts(arch, args.max_cores):
            run = boot(arch, cores, args.degree)
            results[arch].append(run)
            print(f"scaling: {arch}, {cores_text(cores)}: {run['problem'] or 'done'}",
                  file=sys.stderr, flush=True)
        print(f"\n## {arch}\n\n" + arch_tables(arch, results[arch], set(), ""), flush=True)
        if not args.no_doc:
            write_doc(args.out_doc, args.img_dir, command, host, args.degree, results)
    failed = [f"{arch} {run['cores']}" for arch in arches for run in results[arch]
              if run["problem"]]
    if failed:
        print(f"bench: incomplete boots: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
