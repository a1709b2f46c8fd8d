"""Boot tests of fault injection's way in (cpudriver/debug.c, usr/faultinject):
a planted fault, an illegal instruction written over the console driver's
write handler, crashes the driver at that address and RS restarts it from
its clean image, while the console carries on; a service not marked a target
in the service table refuses the injector (the kernel says no), and so does
an address outside the target's image. Shared by both architectures
(define(ARCH, globals()))."""

import os
import re
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))

from testlib.boot import Session, boot  # noqa: E402

PLATFORM = {"x86_64": "x86_64-qemu", "riscv64": "riscv64-virt"}
# An instruction no core runs: x86's ud2, and RISC-V's all-zero word.
ILLEGAL = {"x86_64": "0f0b", "riscv64": "00000000"}
# A return at once: x86's ret, and RISC-V's c.jr ra.
RETURN = {"x86_64": "c3", "riscv64": "8280"}
# A return at once with ERR_NOSYS (15): mov $15, %eax; ret, and c.li a0, 15; c.jr ra.
RETURN_NOSYS = {"x86_64": "b80f000000c3", "riscv64": "3d458280"}


def symbol(t, arch, elf, name):
    """The address of function name in a built ELF, from llvm-nm."""
    path = os.path.join(t.root, "build", PLATFORM[arch], elf)
    out = subprocess.run(["llvm-nm", path], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == name:
            return int(parts[0], 16)
    t.fail(f"{name} is not in {path}")


def exit_0_call(arch, at, target):
    """Code at address at that calls target (sys_exit) with 0: x86's
    xor %edi, %edi; call rel32, and RISC-V's c.li a0, 0; jal ra, offset."""
    if arch == "x86_64":
        return "31ffe8" + ((target - (at + 7)) & 0xffffffff).to_bytes(4, "little").hex()
    off = target - (at + 2)
    jal = (((off >> 20) & 1) << 31 | ((off >> 1) & 0x3ff) << 21 | ((off >> 11) & 1) << 20 |
           ((off >> 12) & 0xff) << 12 | 1 << 7 | 0x6f)
    return "0145" + jal.to_bytes(4, "little").hex()


def define(arch, ns):
    def a_console_driver_that_fails_every_request_does_not_end_the_shell(t):
        """Found by the RISC-V console campaign, as a system hang: a fault in
        the console driver's proto_find made it answer every request with
        an error, the shell's next read of the console failed, the shell took
        that for the end of its input and ended, and init powered the system
        off. Now the shell tries the read again while RS, whose pings get
        errors too, ends the driver and starts it again. The fault here:
        proto_find returns ERR_NOSYS at once."""
        at = symbol(t, arch, "drivers/serial/serial.elf", "proto_find")
        s = Session(t, arch, 4, timeout=300)
        s.expect(r"^sh: type help for the commands\n(?:.*\n)*?\$ ")
        s.send(f"@0 faultinject serial {at:x}:{RETURN_NOSYS[arch]}; echo injected $?\n")
        # The shell's prompt, again after its failed read, may stand before a line.
        s.expect(r"(?:^|\$ )rs: serial \(pid \d+\) silent for \d+ ms \(2 heartbeats missed\): "
                 r"ending it$", timeout=120)
        s.expect(r"(?:^|\$ )rs: serial \(pid \d+\) died: killed by signal 9 for missed heartbeats; "
                 r"restarted as pid \d+", timeout=60)
        s.send("echo still here\n")
        s.expect(r"(?:^|\$ )still here$", timeout=60)
        t.check("refused to crash" not in s.text, "RS took a failed ping for a refused fault")
        s.send("exit 3\n")
        t.check(s.close() == 3, "the shell did not go on to its exit")

    def a_driver_that_exits_with_status_0_while_it_serves_is_restarted(t):
        """Found by the x86-64 console campaign, as a system hang: a faulted
        console driver returned from main with 0, RS took that for a driver
        with nothing to do and left it ended, and the shell, without a
        console, ended. Now an exit after the driver answered RS's pings is a
        death like any other. The fault: the write handler calls sys_exit(0).
        The shell's sleep lets a heartbeat (every second) be answered first."""
        at = symbol(t, arch, "drivers/serial/serial.elf", "serve_cons_write")
        code = exit_0_call(arch, at, symbol(t, arch, "drivers/serial/serial.elf", "sys_exit"))
        script = (f"sleep 3; @0 faultinject serial {at:x}:{code}; echo injected $?; "
                  "echo after the exit; service list")
        b = boot(t, arch, 4, "", program=["sh", "-c", script], timeout=120)
        t.check(b.matching(r"^rs: serial \(pid \d+\) died: exited with status 0; "
                           r"restarted as pid \d+ in \d+ ms$"),
                "the driver's exit was not taken for a death")
        t.check(not b.matching(r"^rs: serial .*its work is done$"), "RS left the driver ended")
        t.check(b.has("after the exit"), "the console did not carry on")
        t.check(b.rc == 0, f"exit status {b.rc}")

    def a_planted_fault_crashes_the_driver_at_its_address_and_rs_restarts_it(t):
        at = symbol(t, arch, "drivers/serial/serial.elf", "serve_cons_write")
        script = (f"@0 faultinject serial {at:x}:{ILLEGAL[arch]}; echo injected $?; "
                  "echo after the fault; @3 faultinject fs 401000:90; echo fs $?; "
                  "@0 faultinject serial 10:90; echo outside $?; "
                  "@2 faultinject serial 401000:90; echo elsewhere $?; "
                  "echo 11:90 12:9090 > /tmp/ff; @0 faultinject serial -f /tmp/ff; echo file $?; "
                  "@0 faultinject serial -f /tmp/none; echo nofile $?")
        b = boot(t, arch, 4, "", program=["sh", "-c", script], timeout=120)
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(b.matching(rf"^rs: serial \(pid \d+\) died: illegal instruction at 0x{at:x}; "
                           r"restarted as pid \d+"),
                "the planted fault did not crash the driver there")
        t.check(b.has("faultinject: 1 of 1 faults into serial (pid 4 on core 0)"),
                "the injector did not say it wrote the fault")
        t.check(b.has("injected 0"), "the injector's status")
        t.check(sum(1 for x in b.lines if x == "after the fault") == 1,
                "the line after the crash did not come out exactly once")
        t.check(b.has("faultinject: 401000:90: permission denied") and b.has("fs 1"),
                "FS, not a target, took a fault")
        t.check(b.has("faultinject: 10:90: out of range") and b.has("outside 1"),
                "an address outside the image was written")
        t.check(b.has("faultinject: no process serial on core 2") and b.has("elsewhere 1"),
                "the injector reached a domain of another core")
        t.check(b.has("faultinject: 11:90: out of range") and
                b.has("faultinject: 12:9090: out of range") and b.has("file 1"),
                "the faults of a file were not each tried")
        t.check(b.matching(r"^faultinject: /tmp/none: .+$") and b.has("nofile 1"),
                "a file that is not there was not said")

    def a_driver_that_never_acknowledges_its_interrupt_is_ended_and_its_core_lives(t):
        """Found by a campaign: a fault that skipped the block driver's
        interrupt handler left the interrupt taken and never acknowledged; on
        x86 the held-back EOI then held off every device interrupt of core 2
        (the root disk's, the network's), and the system stopped answering.
        The kernel now ends such a driver after a second, and RS starts it
        again. The fault here: the handler returns at once."""
        at = symbol(t, arch, "drivers/virtio/blk/virtioblk.elf", "notified")
        disk = os.path.join(t.tmp, "raw.img")
        with open(disk, "wb") as f:
            f.write(os.urandom(4 * 1024 * 1024))
        script = (f"@2 faultinject virtioblk1 {at:x}:{RETURN[arch]}; echo injected $?; "
                  "blk sum disk1 0 8; echo sum $?; blk sum disk1 0 8; echo again $?; "
                  "blk sum disk0 0 8; echo root $?")
        b = boot(t, arch, 4, "", program=["sh", "-c", script], disks=[disk], timeout=180)
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(b.has("injected 0"), "the fault did not go in")
        t.check(b.has("domain virtioblk1 (core 2) killed: it left its interrupt unacknowledged "
                      "while waiting for messages"), "the kernel did not end the driver")
        # RS may have given up on it in the same moment ("for missed heartbeats").
        t.check(b.matching(r"^rs: virtioblk1 \(pid \d+\) died: killed by signal 9"
                           r"(?: for missed heartbeats)?; restarted as pid \d+"),
                "RS did not start it again")
        t.check(b.has("again 0") and b.has("root 0"),
                "the restarted driver or the root disk's did not answer")

    def a_block_client_reads_on_from_the_driver_that_follows_a_crashed_one(t):
        """A campaign's blk workload saw every crash of the driver as an
        error: blk did not connect to the driver RS started next. Now it
        dials the name again and sends its requests again. The fault here:
        an illegal instruction at the driver's read handler, so the first
        read crashes it; the successor runs the clean image."""
        at = symbol(t, arch, "drivers/virtio/blk/virtioblk.elf", "serve_blk_read")
        disk = os.path.join(t.tmp, "raw.img")
        data = os.urandom(1024 * 1024)
        with open(disk, "wb") as f:
            f.write(data)
        want = "%08x" % zlib.crc32(data[:256 * 512])
        script = (f"@2 faultinject virtioblk1 {at:x}:{ILLEGAL[arch]}; echo injected $?; "
                  "blk sum disk1 0 256; echo sum $?; blk sum disk1 0 256; echo again $?")
        b = boot(t, arch, 4, "", program=["sh", "-c", script], disks=[disk], timeout=180)
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(b.has("injected 0"), "the fault did not go in")
        t.check(b.matching(rf"^rs: virtioblk1 \(pid \d+\) died: illegal instruction at "
                           rf"0x{at:x}; restarted as pid \d+"), "the driver did not crash there")
        t.check(b.has("blk: disk1: the driver ended; sending again to the one that followed"),
                "blk did not say it dialled again")
        sums = [m.group(0) for m in b.matching(r"^[0-9a-f]{8}$")]
        t.check(sums == [want, want], f"sums across the crash and after: {sums}, want {want}")
        t.check(b.has("sum 0") and b.has("again 0"), "a sum failed")

    def a_short_campaign_ends_with_no_panic_and_no_system_hang(t):
        """tools/faultinject's short campaign, so that a regression shows: 150
        faults in batches of 10 into the block driver on x86-64 (where the
        hang above was found) and into the console driver on RISC-V."""
        target = "blk" if arch == "x86_64" else "serial"
        csv_path = os.path.join(t.tmp, "campaign.csv")
        p = t.run([sys.executable, os.path.join(t.root, "tools", "runlib", "faultinject.py"),
                   "--arch", arch, "--target", target, "--faults", "150", "--batch", "10",
                   "--seed", "20261202", "--csv", csv_path], timeout=600)
        m = re.search(r"faultinject: 150 faults \((\d+) activated\), (\d+) crashes restarted, "
                      r"(\d+) hangs restarted, (\d+) workload errors, (\d+) wrong data, "
                      r"(\d+) panics, (\d+) system hangs", p.stdout)
        t.check(m is not None, "no summary line for 150 faults")
        t.check(m.group(6) == "0" and m.group(7) == "0",
                f"{m.group(6)} panics and {m.group(7)} system hangs")
        t.check(int(m.group(1)) > 0, "no fault had any effect: were they written?")
        t.check(p.returncode == 0, f"exit status {p.returncode}")

    a_driver_that_never_acknowledges_its_interrupt_is_ended_and_its_core_lives.timeout = 300
    a_short_campaign_ends_with_no_panic_and_no_system_hang.timeout = 700
    for fn in (a_console_driver_that_fails_every_request_does_not_end_the_shell,
               a_driver_that_exits_with_status_0_while_it_serves_is_restarted,
               a_planted_fault_crashes_the_driver_at_its_address_and_rs_restarts_it,
               a_driver_that_never_acknowledges_its_interrupt_is_ended_and_its_core_lives,
               a_block_client_reads_on_from_the_driver_that_follows_a_crashed_one,
               a_short_campaign_ends_with_no_panic_and_no_system_hang):
        ns["test_fault_" + fn.__name__] = fn
