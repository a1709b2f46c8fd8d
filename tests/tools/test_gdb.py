"""tools/run --gdb and tools/gdb, as a developer uses them: QEMU starts stopped
with gdb's stub on a port it prints; gdb-multiarch (in batch mode) stops in a
CPU-driver function and prints a local variable there, then stops in a user
program's main through dbreak, which stops only in that domain (every domain is
linked at the same address)."""

import os
import re
import selectors
import signal
import subprocess
import sys
import time

PORT_LINE = re.compile(r"gdb's stub on 127\.0\.0\.1:(\d+); ")
ATTACH_LINE = re.compile(r"^  gdb-multiarch -q (\S+) -ex 'target remote 127\.0\.0\.1:(\d+)'$", re.M)
KERNEL_ELF = {"x86_64": "build/x86_64-qemu/cpudriver/cpudriver.elf",
              "riscv64": "build/riscv64-virt/cpudriver/cpudriver.elf"}


def source_line(t, path, marker):
    with open(t.path(path), encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if marker in line:
                return number
    t.fail(f"no {marker!r} in {path}")


def start_stopped(t, arch, cmdline, timeout=30):
    """tools/run --gdb in the background; (process, what it printed, port)."""
    argv = [sys.executable, "tools/runlib/run.py", "--gdb", "--quiet", "--arch", arch,
            "--cores", "2", "--cmdline", cmdline]
    t.log("$ " + " ".join(argv))
    proc = subprocess.Popen(argv, cwd=t.root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    text, deadline = "", time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while not ATTACH_LINE.search(text) and time.monotonic() < deadline:
            if sel.select(timeout=1):
                chunk = os.read(proc.stdout.fileno(), 4096)
                if not chunk:
                    break
                text += chunk.decode(errors="replace")
    t.log(text)
    m = PORT_LINE.search(text)
    if not m or not ATTACH_LINE.search(text):
        stop(proc)
        t.fail(f"tools/run --gdb printed no port and attach command within {timeout}s")
    return proc, text, int(m.group(1))


def stop(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def breaks_in_kernel_and_domain(arch):
    def case(t):
        spawn_line = source_line(t, "cpudriver/spawn.c", "dispatch_start(d, is_monitor")
        main_line = source_line(t, "tests/domains/hello.c", "chan_register(name")
        proc, text, port = start_stopped(t, arch, "init=none spawn=hello@1")
        try:
            attach = ATTACH_LINE.search(text)
            t.check(attach.group(1) == KERNEL_ELF[arch] and int(attach.group(2)) == port,
                    f"the attach command is not for {KERNEL_ELF[arch]} on port {port}")
            gdb = t.run(["tools/gdb", "--arch", arch, "--port", str(port), "--domain", "hello",
                         "--", "-nx", "-batch",
                         "-ex", f"break spawn.c:{spawn_line}", "-ex", "continue",
                         "-ex", 'printf "module=%s\\n", name',
                         "-ex", 'printf "in hello: %d\\n", $in_domain()',
                         "-ex", "delete", "-ex", f"dbreak hello.c:{main_line}",
                         "-ex", "continue",
                         "-ex", 'printf "name=%s\\n", name',
                         "-ex", 'printf "in hello: %d\\n", $in_domain()', "-ex", "kill"],
                        timeout=60)
        finally:
            stop(proc)
        out = gdb.stdout
        t.check(re.search(rf"hit Breakpoint 1, spawn_image \(.*\) at cpudriver/spawn\.c:"
                          rf"{spawn_line}\n", out), "gdb did not stop in spawn_image")
        # The first domain a core starts is its monitor.
        t.check("module=monitor\nin hello: 0\n" in out, "the kernel's local is not readable")
        t.check(re.search(rf"hit Breakpoint 2, main \(\) at tests/domains/hello\.c:"
                          rf"{main_line}\n", out), "gdb did not stop in hello's main")
        # name is filled in just before that line, and only in hello itself.
        t.check("name=hello.1\nin hello: 1\n" in out, "the domain's local is not readable")
    case.timeout = 120
    return case


test_breaks_in_kernel_and_domain_x86_64 = breaks_in_kernel_and_domain("x86_64")
test_breaks_in_kernel_and_domain_riscv64 = breaks_in_kernel_and_domain("riscv64")


def test_gdb_without_a_waiting_qemu_says_what_to_do(t):
    p = t.run(["python3", "-c", "import sys; sys.path.insert(0, 'tools/runlib'); import debugger; "
               "debugger.REMOTE = 'build/no-such-gdb-remote'; debugger.main([])"])
    t.check(p.returncode == 2 and "start tools/run --gdb first" in p.stderr,
            f"unclear: {p.returncode} {p.stderr}")
