"""tools/bench --fs: FS's common operations in the guest beside the same work
on the host, from one run. The guest (each architecture asked for, QEMU TCG)
runs `fsbench DIR` on ext2 (a fresh 64 MiB image at /mnt) and on the RAM file
system (/tmp); the host does the same calls in a folder of its own file
system. Guest times are emulated (labelled TCG): compare rows, not hardware;
the request counts are exact.

With --scale: FS operations per second against the number of client cores
(FxMark's DRBL, reading a private file, and MWCM, creating files in one shared
directory), on the RAM file system of an 8-core guest."""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import qemu  # noqa: E402

GUEST = re.compile(r"^fsbench (copy16|create1k|lsl1k|sync) (\d+) ns (\d+) requests")
ROWS = [("copy16", "copy a 16 MiB file (64 KiB reads and writes)"),
        ("create1k", "create 1,000 files of 100 bytes"),
        ("lsl1k", "list 1,000 entries with a stat of each (ls -l)"),
        ("sync", "sync")]


def host(d):
    """The same calls on the host: ns per row."""
    out = {}
    chunk = 64 * 1024
    with open(os.path.join(d, "src"), "wb") as f:
        for i in range(256):
            f.write(bytes([i & 0xff]) * chunk)
    os.sync()
    t = time.perf_counter_ns()
    with open(os.path.join(d, "src"), "rb", buffering=0) as i, \
            open(os.path.join(d, "dst"), "wb", buffering=0) as o:
        while (b := i.read(chunk)):
            o.write(b)
    out["copy16"] = time.perf_counter_ns() - t
    many = os.path.join(d, "many")
    os.mkdir(many)
    t = time.perf_counter_ns()
    for n in range(1000):
        fd = os.open(os.path.join(many, f"f{n:04d}"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(fd, b"x" * 100)
        os.close(fd)
    out["create1k"] = time.perf_counter_ns() - t
    t = time.perf_counter_ns()
    for name in os.listdir(many) + [".", ".."]:
        os.lstat(os.path.join(many, name))
    out["lsl1k"] = time.perf_counter_ns() - t
    t = time.perf_counter_ns()
    os.sync()
    out["sync"] = time.perf_counter_ns() - t
    return out


def guest(arch, image, timeout=900):
    script = "fsbench /mnt/bench; fsbench /tmp/bench"
    cmd = qemu.command(arch, 4, "tcg", qemu.full_cmdline("", ["sh", "-c", script]), disks=[image])
    p = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout)
    runs = [{}, {}]
    for line in p.stdout.splitlines():
        m = GUEST.match(line.strip())
        if m:
            run = runs[0] if m.group(1) not in runs[0] else runs[1]
            run[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return runs


SCALE = re.compile(r"^fsbench scale (drbl|mwcm) (\d+) clients (\d+) ops (\d+) ns (\d+) ops/s")


def scale(arch, cores, ops, timeout=1800):
    counts = [n for n in (1, 2, 4, 8, 16) if n <= cores]
    script = "; ".join(f"fsbench scale /tmp/{m}{n} {m} {n} {ops}"
                       for m in ("drbl", "mwcm") for n in counts)
    cmd = qemu.command(arch, cores, "tcg", qemu.full_cmdline("", ["sh", "-c", script]))
    p = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout)
    out = {}
    for line in p.stdout.splitlines():
        m = SCALE.match(line.strip())
        if m:
            out[(m.group(1), int(m.group(2)))] = int(m.group(5))
    return counts, out


def scale_main(arches, cores, ops):
    print(f"== FS operations per second against client cores: {cores}-core guests under QEMU "
          f"TCG (emulated time) on a {os.cpu_count()}-CPU host, {ops} operations per client, "
          "on the RAM file system; FS is one server on one core")
    ok = True
    for arch in arches:
        counts, out = scale(arch, cores, ops)
        print(f"\n{arch}:\n")
        print("| clients | DRBL: read a private file (ops/s) | MWCM: create in a shared directory (ops/s) |")
        print("|---:|---:|---:|")
        for n in counts:
            cells = [f"{out[(m, n)]:,}" if (m, n) in out else "-" for m in ("drbl", "mwcm")]
            ok = ok and "-" not in cells
            print(f"| {n} | " + " | ".join(cells) + " |")
    return 0 if ok else 1


def ms(ns):
    return f"{ns / 1e6:,.1f} ms"


def main(argv):
    ap = argparse.ArgumentParser(prog="tools/bench --fs")
    ap.add_argument("--arch", action="append", choices=sorted(qemu.ARCHES),
                    help="guest architecture (again for more; default both)")
    ap.add_argument("--scale", action="store_true", help="operations per second against clients")
    ap.add_argument("--cores", type=int, default=8, help="guest cores for --scale (default 8)")
    ap.add_argument("--ops", type=int, default=300, help="operations per client for --scale")
    args = ap.parse_args(argv)
    arches = args.arch or ["x86_64", "riscv64"]
    if args.scale:
        return scale_main(arches, args.cores, args.ops)
    results = {}
    with tempfile.TemporaryDirectory(prefix="fsbench-", dir=os.path.join(qemu.ROOT, "build")) as d:
        image = os.path.join(d, "fs.img")
        subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-b", "4096", image, "64M"],
                       check=True, capture_output=True)
        hostdir = os.path.join(d, "host")
        os.mkdir(hostdir)
        results["host"] = host(hostdir)
        for arch in arches:
            results[arch] = guest(arch, image)
        fsck = subprocess.run(["e2fsck", "-fn", image], capture_output=True, text=True)
    print("== FS operations; guests under QEMU TCG (emulated time: compare rows), on ext2 "
          "(64 MiB image, 4 KiB blocks) and on the RAM file system; the host on its own "
          "file system, with Python's os calls")
    cols = ["host"] + [f"{a} {fs}" for a in arches for fs in ("ext2", "ramfs")]
    print("| operation | FS requests | " + " | ".join(
        c if c == "host" else f"{c} (TCG)" for c in cols) + " |")
    print("|---|---:|" + "---:|" * len(cols))
    ok = True
    for key, label in ROWS:
        cells, count = [ms(results["host"][key])], "-"
        for a in arches:
            for run in results[a]:
                if key in run:
                    cells.append(ms(run[key][0]))
                    count = f"{run[key][1]:,}"
                else:
                    cells.append("-")
                    ok = False
        print(f"| {label} | {count} | " + " | ".join(cells) + " |")
    print(f"e2fsck -fn of the image afterwards: exit {fsck.returncode}")
    return 0 if ok and fsck.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
