"""Boot tests of the network: the virtio network driver, NET (lwIP) with
DHCP from QEMU's user network (restrict=on: only QEMU's gateway answers),
ifconfig and ping, a TCP forward from the host, and the driver's restart
under RS with NET attaching again. Shared by both architectures
(define(ARCH, globals())). Every wait is for a line, with a deadline."""

import os
import re
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))

from testlib.boot import Session, boot  # noqa: E402

MAC = "52:54:00:12:34:56"  # what QEMU gives the first network device
DHCP_LINE = r"net: eth0 10\.0\.2\.15/24 no gateway \(DHCP\)"  # restrict=on names no router


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def booted(t, arch, forwards=(), cores=4):
    """A system with a network device whose NET has its address from DHCP."""
    s = Session(t, arch, cores, "", net=True, forwards=forwards)
    s.expect(rf"virtionet: eth0: {MAC}, link up")
    s.expect(DHCP_LINE, timeout=120)
    return s


def rx_packets(s):
    s.send("ifconfig eth0\n")
    return int(s.expect(r"RX packets (\d+) errors \d+ dropped \d+").group(1))


def define(arch, ns):
    def the_driver_attaches_and_dhcp_gives_the_address_ifconfig_shows(t):
        """With five cores NET has core 4 to itself (boot.conf's place line)."""
        s = booted(t, arch, cores=5)
        t.check("net: serving on core 4" in s.text, "NET is not on core 4")
        s.send("ifconfig\n")
        s.expect(r"lo: flags=UP,LINK,LOOPBACK mtu \d+\n +inet 127\.0\.0\.1 netmask 255\.0\.0\.0")
        s.expect(r"eth0: flags=UP,LINK,DHCP mtu 1500\n"
                 r" +inet 10\.0\.2\.15 netmask 255\.255\.255\.0 gateway none\n"
                 rf" +ether {MAC}\n"
                 r" +RX packets [1-9]\d* errors 0 dropped 0\n"
                 r" +TX packets [1-9]\d* errors 0")
        s.send("ifconfig eth7; echo status $?\n")
        s.expect(r"ifconfig: eth7: no such interface\n(?:.*\n)?status 1")
        s.send("exit\n")
        t.check(s.close() == 0, "the system did not power off cleanly")

    def ping_gets_replies_from_the_gateway_and_loopback_and_times_out_elsewhere(t):
        s = booted(t, arch)
        s.send("ping -c 3 -i 100 10.0.2.2; echo status $?\n")
        for seq in (1, 2, 3):
            s.expect(rf"64 bytes from 10\.0\.2\.2: icmp_seq={seq} ttl=\d+ time=\d+\.\d{{3}} ms")
        s.expect(r"3 packets transmitted, 3 received, 0% packet loss\n(?:.*\n)?status 0")
        s.send("@3 ping -c 1 10.0.2.2\n")  # NET is on core 0: a client across cores
        s.expect(r"1 packets transmitted, 1 received, 0% packet loss")
        s.send("ping -c 1 -s 1472 10.0.2.2\n")
        s.expect(r"1480 bytes from 10\.0\.2\.2: icmp_seq=1 ")
        s.send("ping -c 2 -i 0 127.0.0.1\n")
        s.expect(r"2 packets transmitted, 2 received, 0% packet loss")
        s.send("ping -c 1 -W 300 10.0.2.77; echo status $?\n")
        s.expect(r"icmp_seq=1: timed out\n(?:.*\n)*?1 packets transmitted, 0 received, "
                 r"100% packet loss\n(?:.*\n)?status 1")
        s.send("ping -c 1 192.168.5.5; echo status $?\n")
        s.expect(r"icmp_seq=1: network unreachable\n(?:.*\n)*?status 1")
        s.send("ping 10.0.2; echo status $?\n")
        s.expect(r"usage: ping .*\n(?:.*\n)?status 2")
        s.send("exit\n")
        t.check(s.close() == 0, "the system did not power off cleanly")

    def a_host_connection_through_a_forward_reaches_the_guest(t):
        """No program listens yet (sockets come later): lwIP refuses the
        connection, and the host sees it closed; the guest counted the frames."""
        port = free_port()
        s = booted(t, arch, forwards=[(port, 7)])
        before = rx_packets(s)
        with socket.create_connection(("127.0.0.1", port), timeout=30) as c:
            c.settimeout(30)
            try:
                t.check(c.recv(1) == b"", "the forwarded connection carried data")
            except ConnectionResetError:
                pass
        deadline = time.monotonic() + 60
        after = rx_packets(s)
        while after <= before and time.monotonic() < deadline:
            after = rx_packets(s)
        t.check(after > before, f"RX packets {before} before the connection, {after} after")
        s.send("exit\n")
        t.check(s.close() == 0, "the system did not power off cleanly")

    def the_driver_restarts_under_rs_and_net_attaches_again(t):
        s = booted(t, arch)
        s.send("service fault virtionet\n")
        s.expect(r"net: eth0: attached to its driver again")
        # RS's line and NET's come in either order: both before NET attaches.
        t.check(re.search(r"rs: virtionet \(pid \d+\) died: page fault at 0x[0-9a-f]+; "
                          r"restarted as pid \d+ in \d+ ms", s.text), "RS did not restart it")
        t.check("net: eth0: its driver is gone; the link is down until it is back" in s.text,
                "NET did not see its driver go")
        s.send("ping -c 2 -i 100 10.0.2.2\n")
        s.expect(r"2 packets transmitted, 2 received, 0% packet loss")
        s.send("service fault net\n")
        since = s.pos
        s.expect(r"rs: net \(pid \d+\) died: page fault at 0x[0-9a-f]+; "
                 r"restarted as pid \d+ in \d+ ms")
        s.pos = since  # the new NET may say its address before RS says it restarted it
        s.expect(DHCP_LINE, timeout=120)
        s.send("ping -c 1 10.0.2.2\n")
        s.expect(r"1 packets transmitted, 1 received, 0% packet loss")
        s.send("exit\n")
        t.check(s.close() == 0, "the system did not power off cleanly")

    def the_device_protocol_refuses_bad_requests_and_still_moves_frames(t):
        """With NET stopped, netdev_probe owns eth0 (tests/domains/netdev_probe.c);
        once it has ended, a new NET owns the device again."""
        s = booted(t, arch)
        s.send("service stop net; netdev_probe; echo probe $?; service start net\n")
        s.expect(r"netdev_probe: (\d+)/\1 checks passed\n(?:.*\n)?probe 0")
        t.check("netdev_probe: FAIL" not in s.text, "a bad request got the wrong answer")
        s.expect(DHCP_LINE, timeout=120)
        s.send("ping -c 1 10.0.2.2\n")
        s.expect(r"1 packets transmitted, 1 received, 0% packet loss")
        s.send("exit\n")
        t.check(s.close() == 0, "the system did not power off cleanly")

    def without_a_network_device_net_serves_the_loopback_interface(t):
        b = boot(t, arch, 4, "", program=["sh", "-c", "ifconfig; ping -c 1 127.0.0.1"])
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(b.has("virtionet: no network device 0"), "the driver did not say it has none")
        t.check(b.has("net: no network device; loopback only"), "NET did not say so")
        t.check(not b.matching(r"^eth0:"), "ifconfig shows an eth0")
        t.check(b.has("1 packets transmitted, 1 received, 0% packet loss"),
                "no reply from the loopback interface")

    for fn in (the_driver_attaches_and_dhcp_gives_the_address_ifconfig_shows,
               ping_gets_replies_from_the_gateway_and_loopback_and_times_out_elsewhere,
               a_host_connection_through_a_forward_reaches_the_guest,
               the_driver_restarts_under_rs_and_net_attaches_again,
               the_device_protocol_refuses_bad_requests_and_still_moves_frames,
               without_a_network_device_net_serves_the_loopback_interface):
        ns["test_net_" + fn.__name__] = fn
