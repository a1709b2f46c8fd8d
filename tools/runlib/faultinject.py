"""tools/faultinject: a software-fault-injection campaign against a running
driver, in the manner of MINIX 3's swifi campaigns (Herder et al., DSN 2009).

The faults come from the driver's own ELF (faultsites.py: LLVM's
disassembler picks instructions and LLVM's assembler makes each fault well
formed). A campaign boots the system in QEMU and, batch after batch, has the
in-guest injector (usr/faultinject) write a batch of faults into the running
driver's text through the debug capability, then runs a workload whose
results the host checks end to end:

- serial: `lines`, numbered lines on the console, each expected exactly once;
- blk: `blk sum` of known sectors of a disk of random bytes, against the
  CRC-32 the host computed;
- net: httpd's /motd fetched through --forward, compared byte for byte.

RS restarts what crashes (and, with heartbeats, what hangs), from its clean
image: a batch's faults live until the driver next starts, and a driver that
went wrong without dying (a workload error, wrong data) is restarted with
`service restart` before the next batch, so that each batch starts from a
sound driver. Each batch is
classified, the worst outcome first: kernel panic; system hang (the shell
did not answer before a deadline: QEMU is killed and the system booted
again); wrong data; workload error; hang restarted; crash restarted; no
effect. Faults count one each, as MINIX counted; a fault counts as activated
when its batch had any effect, since which instruction of a batch ran is not
observed. Results go to a CSV, one row per batch, and a campaign resumes
from it. Several QEMU instances run at once with --jobs."""

import argparse
import csv
import http.client
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import zlib
from concurrent.futures import ProcessPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import faultsites  # noqa: E402
from console import ROOT, Console  # noqa: E402

# hosted: the same x86-64 programs as Linux processes (docs/hosted.md), with
# real time and no network; faults are x86-64's.
PLATFORM = {"x86_64": "x86_64-qemu", "riscv64": "riscv64-virt", "hosted": "x86_64-qemu"}
TARGETS_OF = {"hosted": ("serial", "blk")}
TARGETS = {
    "serial": ("serial", "drivers/serial/serial.elf"),
    "blk": ("virtioblk1", "drivers/virtio/blk/virtioblk.elf"),
    "net": ("virtionet", "drivers/virtio/net/virtionet.elf"),
}
OUTCOMES = ["no effect", "crash restarted", "hang restarted", "workload error", "wrong data",
            "panic", "system hang"]
FIELDS = ["batch", "arch", "target", "seed", "faults", "types", "outcome", "seconds"]
SECTOR = 512
DISK_BYTES = 4 * 1024 * 1024
SUM_RANGES = [(0, 8), (1000, 64), (4096, 16), (8000, 192)]  # (LBA, sectors) the workload sums
# Seconds for a batch's workload: under TCG, and in real time (hosted), where
# it takes well under a second and RS ends a silent driver within three.
WORK_DEADLINE = {"x86_64": 30, "riscv64": 45, "hosted": 8}
LINE_ROOM = 160  # fault words per command line, beside the command itself
CHUNK = 20  # batches one QEMU instance runs before the next boots (a unit of work)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Guest:
    """One booted system with the target's workload ready."""

    def __init__(self, arch, target, disk):
        self.arch, self.target = arch, target
        self.service = TARGETS[target][0]
        self.port = None if arch == "hosted" else free_port()
        self.con = Console(arch, disks=[disk] if target == "blk" else (),
                           forwards=[(self.port, 80)] if self.port else ())
        self.core = None
        self.console_dead = False

    def boot(self):
        """Whether the system came up with the target running and httpd
        serving (the network is the second way to ask whether the system
        lives when the console does not answer); finds the target's core.
        Hosted, without a network, the shell's first prompt is the sign."""
        if self.port is None:
            if self.con.expect(r"^sh: type help for the commands$", timeout=60) is None:
                return False
        elif self.con.expect(r"net: eth0 10\.0\.2\.15/24", timeout=180) is None:
            return False
        else:
            self.con.send("httpd -p 80 /etc > /tmp/httpd.log &\n")
        self.con.send("ps; echo ps-done\n")
        m = self.con.expect(rf"^ *\d+ +\d+ +(\d+) running +{self.service}$", timeout=60)
        if m is None or self.con.expect(r"^ps-done$", timeout=60) is None:
            return False
        self.core = int(m.group(1))
        return True

    def alive(self, timeout=15, tries=3):
        """Whether the system answers: its shell on the console, asked again
        a few times (a line typed while the driver was being restarted is
        lost with it, as typed input is), or else httpd over the network
        (then the console is lost: a driver that went wrong without
        crashing, and the next batch boots afresh). Hosted, without a
        network, every core's kernel must say it served requests since it
        was last asked (Console.hosted_served)."""
        for _ in range(tries):
            tag = f"alive-{random.randrange(1 << 30)}"
            self.con.send(f"\necho {tag}\n")
            if self.con.expect(rf"^(?:\$ )?{tag}$", timeout=timeout / tries) is not None:
                return True
        self.console_dead = True
        if self.port is None:  # hosted: every core's kernel answers, and serves requests
            served = self.con.hosted_served(self.con.cores)
            return len(served) == self.con.cores and sum(served.values()) > 0
        return net_workload(self) is None


def workload(g, batch, expected_sums):
    """Runs the target's workload: None if it was right, else 'workload error'
    or 'wrong data'; 'stuck' if its end did not come before the deadline."""
    tag = f"b{batch}"
    deadline = WORK_DEADLINE[g.arch]
    if g.target == "serial":
        g.con.send(f"lines 10 {tag}.; echo end-{tag} $?\n")
    elif g.target == "blk":
        sums = "; ".join(f"blk sum disk1 {lba} {n}" for lba, n in SUM_RANGES)
        g.con.send(f"{sums}; echo end-{tag} $?\n")
    else:
        g.con.send(f"echo end-{tag} 0\n")
    start = g.con.pos
    net_result = net_workload(g) if g.target == "net" else None
    m = g.con.expect(rf"^(?:\$ )?end-{tag} (\d+)$", timeout=deadline)
    if m is None:
        return "stuck"
    out = g.con.text[start:m.start()]
    if g.target == "serial":
        got = [int(x) for x in re.findall(rf"^(?:\$ )?{tag}\.(\d+)$", out, re.M)]
        if sorted(got) != list(range(1, 11)):
            return "wrong data" if len(got) >= 10 or any(not 1 <= x <= 10 for x in got) \
                else "workload error"
    if g.target == "blk":
        sums = re.findall(r"^(?:\$ )?([0-9a-f]{8})$", out, re.M)
        if len(sums) < len(expected_sums):
            return "workload error"
        if sums != expected_sums:
            return "wrong data"
    if g.target == "net" and net_result is not None:
        return net_result
    return None if m.group(1) == "0" else "workload error"


def net_workload(g):
    want = open(os.path.join(ROOT, "platforms", "rootfs", "etc", "motd"), "rb").read()
    for _ in range(2):
        try:
            c = http.client.HTTPConnection("127.0.0.1", g.port, timeout=30)
            c.request("GET", "/motd")
            body = c.getresponse().read()
            c.close()
        except (OSError, http.client.HTTPException):
            return "workload error"
        if body != want:
            return "wrong data"
    return None


def classify(g, start, work):
    """The worst outcome of what the console showed since start."""
    out = g.con.text[start:]
    if "PANIC on core" in out:
        return "panic"
    if work == "stuck":
        if not g.alive():
            return "system hang"
        work = "workload error"
    if work is not None:
        return work
    svc = re.escape(g.service)
    if re.search(rf"^rs: {svc} \(pid \d+\) silent for", out, re.M):
        return "hang restarted"
    if re.search(rf"^rs: {svc} \(pid \d+\) died:", out, re.M):
        return "crash restarted"
    return "no effect"


def make_disk(path, seed):
    rng = random.Random(seed)
    data = rng.randbytes(DISK_BYTES)
    with open(path, "wb") as f:
        f.write(data)
    return ["%08x" % zlib.crc32(data[lba * SECTOR:(lba + n) * SECTOR]) for lba, n in SUM_RANGES]


def run_batches(args_tuple):
    """A worker: its own QEMU, the batches given; rows as they finish."""
    arch, target, seed, batches, faults_per_batch, types, tmp = args_tuple
    elf = os.path.join(ROOT, "build", PLATFORM[arch], TARGETS[target][1])
    sites = faultsites.load_sites(elf)
    disk = os.path.join(tmp, f"disk-{os.getpid()}.img")
    sums = make_disk(disk, seed)
    # One llvm-mc round for the chunk: the faults of batch b are the b-th slice.
    pool = faultsites.make_faults(sites, faults_per_batch * len(batches),
                                  seed * 1000003 + batches[0], types=types)
    rows, g = [], None
    for k, batch in enumerate(batches):
        t0 = time.monotonic()
        if g is None or g.con.ended:
            g = Guest(arch, target, disk)
            if not g.boot():
                g.con.kill()
                rows.append(row(batch, arch, target, seed, faults_per_batch, types, "system hang",
                                t0))
                g = None
                continue
        faults = pool[k * faults_per_batch:(k + 1) * faults_per_batch]
        start = g.con.pos
        injected = inject(g, batch, [faultsites.fault_arg(f) for f in faults])
        work = workload(g, batch, sums) if injected else "stuck"
        outcome = classify(g, start, work)
        rows.append(row(batch, arch, target, seed, len(faults), types, outcome, t0,
                        [f.type for f in faults]))
        if outcome in ("panic", "system hang", "wrong data") or os.environ.get("FAULTINJECT_LOGS"):
            keep_log(g, arch, target, seed, batch, outcome, faults)
        if outcome in ("panic", "system hang") or g.console_dead:
            g.con.kill()
            g = None
        elif outcome in ("workload error", "wrong data") and not restart(g, batch):
            g.con.kill()  # the driver would not restart: the next batch boots afresh
            g = None
    if g is not None:
        g.con.close()
    return rows


def restart(g, batch):
    """A driver that went wrong without dying is started again from its
    clean image, so that the next batch starts from a sound driver; whether
    RS did."""
    g.con.send(f"service restart {g.service}; echo rst-b{batch} $?\n")
    m = g.con.expect(rf"^(?:\$ )?rst-b{batch} (\d+)$", timeout=WORK_DEADLINE[g.arch])
    return m is not None and m.group(1) == "0"


def keep_log(g, arch, target, seed, batch, outcome, faults):
    """The console and the faults of a batch worth a look, under build/faultinject-logs."""
    folder = os.path.join(ROOT, "build", "faultinject-logs")
    os.makedirs(folder, exist_ok=True)
    name = f"{arch}-{target}-{seed}-b{batch}-{outcome.replace(' ', '-')}.log"
    with open(os.path.join(folder, name), "w") as f:
        for x in faults:
            f.write(f"fault {faultsites.fault_arg(x)} {x.what}\n")
        f.write(g.con.text)


def inject(g, batch, words):
    """The batch's faults through the injector at once: on its command line
    if they fit the console's line discipline (256 bytes a line), else
    written to a file in /tmp first, a line at a time, and read from there
    (faultinject -f), so that a fault that crashes the driver cannot split
    its batch between two instances; whether each command came back."""
    lines, line = [], []
    for w in words:
        if line and len(" ".join(line + [w])) > LINE_ROOM:
            lines.append(line)
            line = []
        line.append(w)
    lines.append(line)
    if len(lines) == 1:
        commands = [f"@{g.core} faultinject {g.service} {' '.join(lines[0])}"]
    else:
        path = f"/tmp/faults-b{batch}"
        commands = [f"echo {' '.join(ws)} >> {path}" for ws in lines]
        commands.append(f"@{g.core} faultinject {g.service} -f {path}; rm {path}")
    for i, command in enumerate(commands):
        g.con.send(f"{command}; echo inj-b{batch}-{i} $?\n")
        if g.con.expect(rf"^(?:\$ )?inj-b{batch}-{i} \d+$", timeout=WORK_DEADLINE[g.arch]) is None:
            return False
    return True


def row(batch, arch, target, seed, n, types, outcome, t0, kinds=None):
    return {"batch": batch, "arch": arch, "target": target, "seed": seed, "faults": n,
            "types": "+".join(sorted(set(kinds))) if kinds else "+".join(types),
            "outcome": outcome, "seconds": f"{time.monotonic() - t0:.1f}"}


def done_batches(path):
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return {int(r["batch"]): r for r in csv.DictReader(f)}


def summary(rows):
    faults = sum(int(r["faults"]) for r in rows)
    count = {o: sum(int(r["faults"]) for r in rows if r["outcome"] == o) for o in OUTCOMES}
    activated = faults - count["no effect"]
    return (f"faultinject: {faults} faults ({activated} activated), "
            f"{count['crash restarted']} crashes restarted, {count['hang restarted']} hangs "
            f"restarted, {count['workload error']} workload errors, {count['wrong data']} wrong "
            f"data, {count['panic']} panics, {count['system hang']} system hangs")


def report(paths):
    """A table of campaigns' CSVs, one row per architecture and target, in
    the manner of docs/reliability.md's."""
    print("| target | arch | faults | activated | crash restarted | hang restarted | "
          "workload error | wrong data | panic | system hang | batch time |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for path in paths:
        with open(path) as f:
            rows = list(csv.DictReader(f))
        if not rows:
            continue
        n = {o: sum(int(r["faults"]) for r in rows if r["outcome"] == o) for o in OUTCOMES}
        faults = sum(n.values())
        seconds = sum(float(r["seconds"]) for r in rows)
        print(f"| {rows[0]['target']} | {rows[0]['arch']} | {faults:,} | "
              f"{faults - n['no effect']:,} | {n['crash restarted']:,} | "
              f"{n['hang restarted']:,} | {n['workload error']:,} | {n['wrong data']:,} | "
              f"{n['panic']} | {n['system hang']} | {seconds / 60:.0f} min |")


def main(argv=None):
    ap = argparse.ArgumentParser(prog="tools/faultinject", description=__doc__.split("\n\n")[0])
    ap.add_argument("--arch", choices=sorted(PLATFORM), default="x86_64",
                    help="hosted: the system as Linux processes, serial and blk only")
    ap.add_argument("--target", choices=sorted(TARGETS), default="serial")
    ap.add_argument("--faults", type=int, default=300, help="faults in all (default 300)")
    ap.add_argument("--batch", type=int, default=10, help="faults per batch (default 10)")
    ap.add_argument("--jobs", type=int, default=1, help="QEMU instances at once")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--types", default=",".join(faultsites.ALL_TYPES),
                    help="fault types, comma-separated (default: all)")
    ap.add_argument("--csv", help="results, one row per batch; a campaign resumes from it "
                                  "(default: build/faultinject-ARCH-TARGET-SEED.csv)")
    ap.add_argument("--report", nargs="+", metavar="CSV",
                    help="print a table of these campaigns' results and stop")
    args = ap.parse_args(argv)
    if args.report:
        report(args.report)
        return 0
    types = args.types.split(",")
    unknown = [x for x in types if x not in faultsites.ALL_TYPES]
    if args.target not in TARGETS_OF.get(args.arch, TARGETS):
        ap.error(f"--target {args.target}: not on {args.arch} (no network there)")
    if unknown or args.faults < 1 or args.batch < 1 or args.jobs < 1:
        ap.error(f"bad arguments (unknown types {unknown})" if unknown else "counts must be >= 1")
    path = args.csv or os.path.join(ROOT, "build",
                                    f"faultinject-{args.arch}-{args.target}-{args.seed}.csv")
    total_batches = (args.faults + args.batch - 1) // args.batch
    done = done_batches(path)
    todo = [b for b in range(total_batches) if b not in done]
    if done:
        print(f"faultinject: {len(done)} batches already in {path}; {len(todo)} to go")
    new_file = not os.path.exists(path)
    with tempfile.TemporaryDirectory() as tmp, open(path, "a", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        if new_file:
            w.writeheader()
        chunks = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
        work = [(args.arch, args.target, args.seed, chunk, args.batch, types, tmp)
                for chunk in chunks]
        rows = list(done.values())
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            for got in pool.map(run_batches, work):
                for r in got:
                    w.writerow(r)
                rows += got
                f.flush()  # a campaign stopped here resumes after this chunk
    rows = [r for r in rows if int(r["batch"]) < total_batches]
    print(summary(rows))
    print(f"faultinject: results in {os.path.relpath(path, ROOT)}")
    bad = sum(1 for r in rows if r["outcome"] in ("panic", "system hang"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
