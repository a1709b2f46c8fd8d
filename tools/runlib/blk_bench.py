"""tools/bench --blk: block-device figures, the guest's beside the host's
from the same run. The guest (each architecture asked for, QEMU TCG) runs
`blk bench disk0 MIB` on a fresh raw image; the host reads and writes the
same kind of image with O_DIRECT: dd for sequential 1 MiB transfers, fio
for random 4 KiB reads at queue depth 1 and 16. Guest times are emulated
(labelled TCG): compare rows, not hardware."""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import qemu  # noqa: E402

GUEST = re.compile(r"^blkbench (seqwrite|seqread|randread qd1|randread qd16) (\d+) ")
ROWS = [("seqwrite", "sequential 1 MiB writes", "MB/s"),
        ("seqread", "sequential 1 MiB reads", "MB/s"),
        ("randread qd1", "random 4 KiB reads, queue depth 1", "IOPS"),
        ("randread qd16", "random 4 KiB reads, queue depth 16", "IOPS")]


def dd_rate(args):
    """MB/s (10^6 bytes) from dd's summary line."""
    p = subprocess.run(["dd"] + args, capture_output=True, text=True, check=True)
    m = re.search(r"(\d+) bytes .* copied, ([\d.]+) s", p.stderr)
    return int(int(m.group(1)) / float(m.group(2)) / 1e6)


def fio_iops(image, depth, seconds=3):
    p = subprocess.run(["fio", "--name=r", f"--filename={image}", "--rw=randread", "--bs=4k",
                        "--direct=1", "--ioengine=libaio", f"--iodepth={depth}",
                        f"--runtime={seconds}", "--time_based", "--output-format=json"],
                       capture_output=True, text=True, check=True)
    return int(json.loads(p.stdout)["jobs"][0]["read"]["iops"])


def host(image, mib):
    out = {"seqwrite": dd_rate(["if=/dev/zero", f"of={image}", "bs=1M", f"count={mib}",
                                "oflag=direct", "conv=notrunc"]),
           "seqread": dd_rate([f"if={image}", "of=/dev/null", "bs=1M", f"count={mib}",
                               "iflag=direct"])}
    if shutil.which("fio"):
        out["randread qd1"] = fio_iops(image, 1)
        out["randread qd16"] = fio_iops(image, 16)
    return out


def guest(arch, image, mib, timeout=600):
    cmd = qemu.command(arch, 4, "tcg", qemu.full_cmdline("", ["blk", "bench", "disk1", str(mib)]),
                       disks=[image])
    p = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout)
    out = {}
    for line in p.stdout.splitlines():
        m = GUEST.match(line.strip())
        if m:
            out[m.group(1)] = int(m.group(2))
    return out


def main(argv):
    ap = argparse.ArgumentParser(prog="tools/bench --blk")
    ap.add_argument("--arch", action="append", choices=sorted(qemu.ARCHES),
                    help="guest architecture (again for more; default both)")
    ap.add_argument("--mib", type=int, default=32, help="MiB moved sequentially (default 32)")
    args = ap.parse_args(argv)
    arches = args.arch or ["x86_64", "riscv64"]
    with tempfile.TemporaryDirectory(prefix="blkbench-", dir=os.path.join(qemu.ROOT, "build")) as d:
        image = os.path.join(d, "disk.img")
        with open(image, "wb") as f:
            f.truncate(2 * args.mib << 20)
        results = {"host": host(image, args.mib)}
        for arch in arches:
            results[arch] = guest(arch, image, args.mib)
    print(f"== block I/O over {args.mib} MiB of a raw image; guests under QEMU TCG "
          "(emulated time: compare rows), the host with O_DIRECT (dd, fio)")
    cols = ["host"] + arches
    print("| measurement | " + " | ".join(c if c == "host" else f"{c} guest (TCG)"
                                          for c in cols) + " |")
    print("|---|" + "---:|" * len(cols))
    for key, label, unit in ROWS:
        cells = [f"{results[c][key]:,} {unit}" if key in results[c] else "-" for c in cols]
        print(f"| {label} | " + " | ".join(cells) + " |")
    missing = [a for a in arches if len(results[a]) != len(ROWS)]
    if missing:
        print(f"bench: no complete guest figures from {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
