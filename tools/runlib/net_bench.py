"""tools/bench --net: the network's figures, the guest's beside the host's
from the same run. The guest (QEMU TCG, user network with restrict=on) runs
httpd over an ext2 image made by mke2fs -d; the host fetches from it through
a --forward with Python's HTTP client, and then fetches the same files with
the same client from Python's http.server on the host's loopback. Rows:
TCP throughput from the guest to the host (a 16 MiB file), and HTTP
requests per second for a small file, one client at a time and 8 at once.
Guest rows are emulated (TCG): times come from the host's clock while QEMU
emulates the guest, so they compare rows, not hardware. Frame counts come
from the guest's own counters (ifconfig) and are exact for the run, though
TCP's timing makes them vary a little between runs."""

import argparse
import functools
import http.client
import http.server
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from console import Console  # noqa: E402

BIG = 16 * 1024 * 1024
SMALL = 1024


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        c.request("GET", path)
        r = c.getresponse()
        body = r.read()
        if r.status != 200:
            raise RuntimeError(f"GET {path}: {r.status}")
        return body
    finally:
        c.close()


def throughput(port, runs=3):
    """MB/s (10^6 bytes) of the best of runs fetches of /big."""
    best = 0.0
    for _ in range(runs):
        t0 = time.monotonic()
        n = len(get(port, "/big"))
        best = max(best, n / (time.monotonic() - t0) / 1e6)
    return best


def rps(port, clients, requests):
    """Requests per second for /small from clients threads, requests each."""
    def one():
        for _ in range(requests):
            get(port, "/small")
    threads = [threading.Thread(target=one) for _ in range(clients)]
    t0 = time.monotonic()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return clients * requests / (time.monotonic() - t0)


class Guest(Console):
    """The booted system, with its interface's frame counts."""

    def __init__(self, arch, image, port):
        super().__init__(arch, disks=[image], forwards=[(port, 80)])

    def need(self, pattern, timeout=180):
        m = self.expect(pattern, timeout)
        if m is None:
            raise RuntimeError(f"no {pattern!r}; the console ended with {self.text[-300:]!r}")
        return m

    def frames(self):
        self.send("ifconfig eth0\n")
        rx = int(self.need(r"RX packets (\d+)").group(1))
        tx = int(self.need(r"TX packets (\d+)").group(1))
        return rx, tx


def guest_rows(arch, image, clients, requests):
    port = free_port()
    g = Guest(arch, image, port)
    try:
        g.need(r"net: eth0 10\.0\.2\.15/24")
        g.send("httpd -p 80 /mnt > /tmp/access.log &\n")
        g.need(r"\$ ")
        time.sleep(1)  # httpd's first lines go to its log, not the console
        rx0, tx0 = g.frames()
        mbs = throughput(port)
        rx1, tx1 = g.frames()
        one = rps(port, 1, requests)
        many = rps(port, clients, requests // 2)
        return {"mbs": mbs, "tx_per_mib": (tx1 - tx0) / 3 / 16, "rx_per_mib": (rx1 - rx0) / 3 / 16,
                "rps1": one, "rpsn": many}
    finally:
        g.close()


def host_rows(stage, clients, requests):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    handler = functools.partial(Quiet, directory=stage)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        return {"mbs": throughput(port), "rps1": rps(port, 1, requests),
                "rpsn": rps(port, clients, requests // 2)}
    finally:
        server.shutdown()


def main():
    ap = argparse.ArgumentParser(prog="tools/bench --net")
    ap.add_argument("--arch", action="append", choices=["x86_64", "riscv64"])
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--clients", type=int, default=8)
    args = ap.parse_args()
    arches = args.arch or ["x86_64", "riscv64"]
    with tempfile.TemporaryDirectory() as tmp:
        stage = os.path.join(tmp, "stage")
        os.mkdir(stage)
        with open(os.path.join(stage, "big"), "wb") as f:
            f.write(os.urandom(BIG))
        with open(os.path.join(stage, "small"), "wb") as f:
            f.write(os.urandom(SMALL))
        image = os.path.join(tmp, "web.img")
        subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-b", "4096", "-d", stage, image,
                        "64M"], check=True, capture_output=True)
        rows = {a: guest_rows(a, image, args.clients, args.requests) for a in arches}
        rows["host"] = host_rows(stage, args.clients, args.requests)
    cols = arches + ["host"]
    label = {"x86_64": "x86-64 httpd (TCG)", "riscv64": "RISC-V httpd (TCG)",
             "host": "host http.server"}
    print("| | " + " | ".join(label[c] for c in cols) + " |")
    print("|---|" + "---:|" * len(cols))
    print("| TCP from the server to the client, 16 MiB file, best of 3 (MB/s) | " +
          " | ".join(f"{rows[c]['mbs']:.1f}" for c in cols) + " |")
    print(f"| HTTP requests/s, {SMALL}-byte file, 1 client | " +
          " | ".join(f"{rows[c]['rps1']:.0f}" for c in cols) + " |")
    print(f"| HTTP requests/s, {SMALL}-byte file, {args.clients} clients | " +
          " | ".join(f"{rows[c]['rpsn']:.0f}" for c in cols) + " |")
    print("| guest frames sent per MiB (count) | " +
          " | ".join(f"{rows[c]['tx_per_mib']:.0f}" if c != "host" else "-" for c in cols) + " |")
    print("| guest frames received per MiB (count) | " +
          " | ".join(f"{rows[c]['rx_per_mib']:.0f}" if c != "host" else "-" for c in cols) + " |")


if __name__ == "__main__":
    main()
