"""Boot tests of sockets: lib/posix's calls through NET over the loopback
interface (sock_probe), httpd serving the host through --forward (its files
judged byte for byte by Python's HTTP client, many clients at once, hostile
ones, the driver killed during a download), nc's TCP echo, UDP from the host,
nc between the host and the console, and sockets across a restart of NET.
Shared by both architectures (define(ARCH, globals())). Every wait is for a
line or a byte count, with a deadline."""

import contextlib
import http.client
import os
import random
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))

from testlib.boot import Session, boot  # noqa: E402

DHCP_LINE = r"net: eth0 10\.0\.2\.15/24 no gateway \(DHCP\)"
SIZES = {"one": 1, "page": 4097, "mega": 1000000, "big": 16 * 1024 * 1024}


@contextlib.contextmanager
def session(t, *args, **kwargs):
    """A Session that is killed (its console logged) if the case fails by an
    exception of the host's side, such as a reset connection."""
    s = Session(t, *args, **kwargs)
    try:
        yield s
    except BaseException:
        if not s.ended:
            s.expect(r"\Z\A", timeout=5, fail=False)  # what it says meanwhile, for the log
            s.kill()
        raise


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def web_image(t):
    """An ext2 image (mke2fs -d) of files from 1 byte to 16 MiB, random bytes."""
    stage = tempfile.mkdtemp(prefix="web-", dir=t.tmp)
    rng = random.Random(20261202)
    files = {}
    for name, size in SIZES.items():
        files[name] = rng.randbytes(size)
        with open(os.path.join(stage, name), "wb") as f:
            f.write(files[name])
    image = os.path.join(t.tmp, "web.img")
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-b", "4096", "-d", stage, image, "64M"],
                   check=True, capture_output=True)
    return image, files


def fetch(port, path, method="GET", timeout=180):
    """(status, body) of one request by Python's HTTP client."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path)
        r = c.getresponse()
        return r.status, r.read(), r.getheader("Content-Length")
    finally:
        c.close()


def raw_request(port, data, timeout=60):
    """What httpd answers to bytes no HTTP client would send."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as c:
        c.sendall(data)
        got = b""
        while True:
            chunk = c.recv(65536)
            if not chunk:
                return got
            got += chunk


def echo_through(port, payload, timeout=120, c=None):
    """payload through a TCP echo at port (over connection c, or a new one):
    what came back."""
    got = b""
    with c or socket.create_connection(("127.0.0.1", port), timeout=timeout) as c:
        def send():
            c.sendall(payload)
        sender = threading.Thread(target=send)
        sender.start()
        while len(got) < len(payload):
            chunk = c.recv(65536)
            if not chunk:
                break
            got += chunk
        sender.join()
    return got


def connect_when_listening(port, deadline_s=60):
    """A connection to a guest program that may not listen yet: QEMU accepts
    the host's side at once and closes it when the guest refuses, so a
    connection counts once the guest's side answers or stays open."""
    until = time.monotonic() + deadline_s
    while True:
        c = socket.create_connection(("127.0.0.1", port), timeout=30)
        c.settimeout(1.0)
        try:
            if c.recv(1, socket.MSG_PEEK) != b"":
                return c
        except socket.timeout:
            c.settimeout(60)
            return c  # open and quiet: the guest accepted it
        except ConnectionResetError:
            pass
        c.close()
        if time.monotonic() > until:
            raise TimeoutError(f"nothing listens on guest port behind {port}")
        time.sleep(0.2)


def define(arch, ns):
    def sockets_over_the_loopback_interface_pass_sock_probe(t):
        """sock_probe (tests/domains/sock_probe.c): TCP and UDP calls, their
        errors, poll, and NET's protocol from a raw channel."""
        b = boot(t, arch, 4, "", program=["sock_probe"], timeout=300)
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(b.matching(r"^sock_probe: (\d+)/\1 checks passed"), "not every check passed")
        t.check(not b.matching(r"^sock_probe: FAIL"), "a check failed")

    def httpd_serves_files_byte_for_byte_to_many_clients_and_outlives_bad_ones(t):
        image, files = web_image(t)
        etc, mnt = free_port(), free_port()
        with session(t, arch, 4, "", disks=[image], net=True,
                     forwards=[(etc, 80), (mnt, 8080)], timeout=900) as s:
            s.expect(DHCP_LINE, timeout=120)
            s.send("httpd -p 80 /etc &\n")
            s.expect(r"httpd: serving /etc on port 80")
            # The example: /etc/motd, equal to the file the image was made from.
            status, body, _ = fetch(etc, "/motd")
            with open(os.path.join(t.root, "platforms", "rootfs", "etc", "motd"), "rb") as f:
                t.check(status == 200 and body == f.read(), f"/motd: {status}, {len(body)} bytes")
            s.expect(r'httpd: 10\.0\.2\.2:\d+ "GET /motd HTTP/1\.1" 200 \d+')
            s.send("httpd -p 8080 /mnt &\n")
            s.expect(r"httpd: serving /mnt on port 8080")
            for name, data in files.items():
                status, body, length = fetch(mnt, "/" + name)
                t.check(status == 200 and length == str(len(data)) and body == data,
                        f"/{name}: {status}, Content-Length {length}, {len(body)} bytes "
                        f"of {len(data)}, equal {body == data}")
            status, body, length = fetch(mnt, "/mega", method="HEAD")
            t.check(status == 200 and body == b"" and length == str(SIZES["mega"]),
                    f"HEAD /mega: {status}, {length}")
            t.check(fetch(mnt, "/nothing")[0] == 404, "/nothing is not 404")
            t.check(raw_request(mnt, b"\x00\x01garbage\r\n\r\n").startswith(b"HTTP/1.0 400"),
                    "garbage is not answered 400")
            dotdot = raw_request(mnt, b"GET /../etc/motd HTTP/1.0\r\n\r\n")
            t.check(dotdot.startswith(b"HTTP/1.0 400"), "a path with .. is not answered 400")
            s.expect(r'"GET /\.\./etc/motd HTTP/1\.0" 400')

            # 50 connections open at once, each with half a request sent, beside a
            # 51st that stalls; then the 50 finish their requests together.
            stalled = socket.create_connection(("127.0.0.1", mnt), timeout=60)
            stalled.sendall(b"GET /one HT")
            clients = []
            for _ in range(50):
                c = socket.create_connection(("127.0.0.1", mnt), timeout=300)
                c.sendall(b"GET /page HTTP/1.0\r\n")
                clients.append(c)
            results = []

            def finish(c):
                try:
                    c.sendall(b"\r\n")
                    got = b""
                    while chunk := c.recv(65536):
                        got += chunk
                    head, _, body = got.partition(b"\r\n\r\n")
                    results.append(head.startswith(b"HTTP/1.0 200") and body == files["page"])
                except OSError as e:
                    results.append(repr(e))
                finally:
                    c.close()
            threads = [threading.Thread(target=finish, args=(c,)) for c in clients]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            t.check(results.count(True) == 50,
                    f"{results.count(True)} of 50 concurrent clients got /page: "
                    f"{[r for r in results if r is not True][:3]}")
            # Finished late, it is answered, or it was dropped as idle (30 quiet
            # seconds, which a loaded machine can reach): never reset.
            stalled.sendall(b"TP/1.0\r\n\r\n")
            late = stalled.recv(65536)
            t.check(late == b"" or late.startswith(b"HTTP/1.0 200"),
                    f"the stalled client got {late[:40]!r}")
            stalled.close()

            # A client that resets in the middle of 16 MiB; then the next is whole.
            c = socket.create_connection(("127.0.0.1", mnt), timeout=120)
            c.sendall(b"GET /big HTTP/1.0\r\n\r\n")
            got = 0
            while got < 1000000:
                got += len(c.recv(65536))
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            c.close()
            s.expect(r'"GET /big HTTP/1\.0" 200 (\d+)\n', timeout=120)
            status, body, _ = fetch(mnt, "/big")
            t.check(status == 200 and body == files["big"], "/big after a reset is not whole")

            # The network driver killed during a download: later downloads work.
            box = {}

            def download():
                try:
                    box["got"] = fetch(mnt, "/big", timeout=300)[1]
                except OSError as e:
                    box["error"] = repr(e)
            d = threading.Thread(target=download)
            d.start()
            time.sleep(2)  # the download is under way (not waiting for the system)
            s.send("service fault virtionet\n")
            s.expect(r"net: eth0: attached to its driver again", timeout=120)
            d.join()
            t.log(f"the download across the driver's restart: "
                  f"{len(box['got']) if 'got' in box else box.get('error')}")
            if "got" in box:
                t.check(box["got"] == files["big"] or len(box["got"]) < len(files["big"]),
                        "the download across the restart has wrong bytes")
            status, body, _ = fetch(mnt, "/mega")
            t.check(status == 200 and body == files["mega"], "/mega after the driver's restart")
            s.send("ps\n")
            s.expect(r"running httpd\n(?:.*\n)*?.*running httpd\n")  # both still serve
            s.send("exit\n")
            t.check(s.close() == 0, "the system did not power off cleanly")

    def nc_echoes_tcp_takes_udp_and_talks_to_the_console(t):
        tcp, udp, chat = free_port(), free_port(socket.SOCK_DGRAM), free_port()
        with session(t, arch, 4, "", net=True,
                     forwards=[(tcp, 7), ("udp", udp, 9000), (chat, 23)], timeout=600) as s:
            s.expect(DHCP_LINE, timeout=120)
            s.send("nc -l -k -E 7 &\n")
            s.send("nc -u -l 9000 &\n")
            payload = random.Random(7).randbytes(300000)
            t.check(echo_through(tcp, payload, c=connect_when_listening(tcp)) == payload,
                    "the TCP echo changed the bytes")
            t.check(echo_through(tcp, b"second connection\n") == b"second connection\n",
                    "nc -k did not take a second connection")
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                for _ in range(20):  # UDP promises nothing: sent until one shows
                    u.sendto(b"datagram from the host\n", ("127.0.0.1", udp))
                    if s.expect(r"datagram from the host", timeout=3, fail=False):
                        break
            t.check("datagram from the host" in s.text, "no datagram reached the guest")
            # nc in the foreground: the host's line on the console, the console's to the host.
            s.send("nc -l 23; echo nc $?\n")
            c = connect_when_listening(chat)
            c.sendall(b"hello from the host\n")
            s.expect(r"hello from the host")
            s.send("hello from the guest\n")
            got = b""
            while b"hello from the guest\n" not in got:
                chunk = c.recv(4096)
                if not chunk:
                    break
                got += chunk
            t.check(b"hello from the guest\n" in got, f"the host got {got!r}")
            c.close()
            s.expect(r"nc 0")
            s.send("exit\n")
            t.check(s.close() == 0, "the system did not power off cleanly")

    def a_restarted_net_resets_old_sockets_and_serves_new_ones(t):
        port = free_port()
        with session(t, arch, 4, "", net=True, forwards=[(port, 7)], timeout=600) as s:
            s.expect(DHCP_LINE, timeout=120)
            s.send("nc -l -E 7 &\n")
            with connect_when_listening(port) as c:
                c.sendall(b"before\n")
                t.check(c.recv(100) == b"before\n", "no echo before the restart")
                since = s.pos
                s.send("service fault net\n")
                s.expect(r"rs: net \(pid \d+\) died: page fault")
                s.pos = since  # nc may say so before RS does
                s.expect(r"nc: .*Connection reset by peer", timeout=60)
            s.expect(DHCP_LINE, timeout=120)
            s.send("nc -l -E 7 &\n")
            t.check(echo_through(port, b"after\n", c=connect_when_listening(port)) == b"after\n",
                    "no echo from a socket of the new NET")
            s.send("exit\n")
            t.check(s.close() == 0, "the system did not power off cleanly")

    httpd_serves_files_byte_for_byte_to_many_clients_and_outlives_bad_ones.timeout = 900
    for fn in (sockets_over_the_loopback_interface_pass_sock_probe,
               httpd_serves_files_byte_for_byte_to_many_clients_and_outlives_bad_ones,
               nc_echoes_tcp_takes_udp_and_talks_to_the_console,
               a_restarted_net_resets_old_sockets_and_serves_new_ones):
        ns["test_sock_" + fn.__name__] = fn
