"""tools/run's options become the right QEMU command line, and bad ones are refused."""


def dry_run(t, *args):
    return t.run(["python3", "tools/runlib/run.py", "--dry-run"] + list(args), check_rc=0).stdout


def test_defaults_are_four_x86_64_cores(t):
    cmd = dry_run(t).split()
    t.check(cmd[0] == "qemu-system-x86_64", f"not x86_64: {cmd[0]}")
    t.check(cmd[cmd.index("-smp") + 1] == "4", "default is not 4 cores")
    t.check("q35" in cmd and "isa-debug-exit,iobase=0xf4,iosize=0x04" in cmd,
            "q35 or the exit device is missing")


def test_riscv64_uses_opensbi_and_virt(t):
    cmd = dry_run(t, "--arch", "riscv64", "--cores", "8").split()
    t.check(cmd[0] == "qemu-system-riscv64" and "virt" in cmd, "not the virt machine")
    t.check(any("opensbi" in c for c in cmd), "OpenSBI is not the firmware")
    t.check(cmd[cmd.index("-smp") + 1] == "8", "--cores 8 did not become -smp 8")


def test_accel_choice_is_honoured(t):
    t.check("tcg" in dry_run(t, "--accel", "tcg").split(), "--accel tcg ignored")


def test_bad_core_count_is_refused_clearly(t):
    for cores in ("0", "257"):
        p = t.run(["python3", "tools/runlib/run.py", "--cores", cores])
        t.check(p.returncode == 2 and "--cores must be 1..256" in p.stderr,
                f"--cores {cores}: unclear: {p.stderr}")


def test_past_255_x86_64_cores_the_qemu_with_x2apic_boots_them(t):
    cmd = dry_run(t, "--cores", "255").split()
    t.check(cmd[0] == "qemu-system-x86_64", f"255 cores: not Debian's own QEMU: {cmd[0]}")
    cmd = dry_run(t, "--cores", "256").split()
    backport = t.path(".cache", "qemu-x2apic")
    t.check(cmd[0] == "env" and cmd[2] == f"{backport}/usr/bin/qemu-system-x86_64",
            f"256 cores: not the backport: {cmd[:3]}")
    t.check(cmd[1] == f"QEMU_MODULE_DIR={backport}/usr/lib/x86_64-linux-gnu/qemu",
            f"its modules are not its own: {cmd[1]}")
    t.check(cmd[3:7] == ["-L", f"{backport}/usr/share/qemu", "-L", "/usr/share/qemu"],
            f"its firmware is not found first: {cmd[3:7]}")
    t.check(cmd[cmd.index("-smp") + 1] == "256", "--cores 256 did not become -smp 256")


def test_a_missing_x2apic_qemu_is_named_with_the_fix(t):
    import sys
    sys.path.insert(0, t.path("tools", "runlib"))
    import qemu
    saved = qemu.X2APIC_QEMU
    qemu.X2APIC_QEMU = t.path("no", "such", "folder")
    try:
        qemu.command("x86_64", 256, "tcg", "poweroff")
        t.check(False, "a missing QEMU was not refused")
    except SystemExit as e:
        t.check("tools/setup" in str(e) and "x2APIC" in str(e), f"unclear: {e}")
    finally:
        qemu.X2APIC_QEMU = saved


def test_qemu_status_becomes_system_status(t):
    import sys
    sys.path.insert(0, t.path("tools", "runlib"))
    import qemu
    t.check(qemu.system_status("x86_64", 0) == 0, "clean power-off is not 0")
    t.check(qemu.system_status("x86_64", (3 << 1) | 1) == 3, "debug-exit value lost")
    t.check(qemu.system_status("x86_64", 1) == 1, "QEMU's own failure became success")
    t.check(qemu.system_status("riscv64", 5) == 5, "riscv64 status changed")


def test_program_after_dashes_becomes_a_run_option(t):
    out = t.run(["python3", "tools/runlib/run.py", "--dry-run", "--cmdline", "monping", "--",
                 "echo", "a b", "x,y", "50%"], check_rc=0).stdout
    t.check("monping run=echo,a%20b,x%2Cy,50%25" in out, f"not encoded as expected: {out}")


def test_command_line_the_kernel_would_cut_is_refused_clearly(t):
    script = "\n".join(["@3 sleep 3 &"] * 80)
    p = t.run(["python3", "tools/runlib/run.py", "--dry-run", "--", "sh", "-c", script])
    t.check(p.returncode != 0 and "the kernel takes at most 1023" in p.stderr,
            f"not refused clearly: {p.returncode} {p.stderr}")


def test_gdb_starts_stopped_on_a_local_port_under_tcg(t):
    cmd = dry_run(t, "--gdb").split()
    t.check("-S" in cmd, "QEMU does not start stopped")
    stub = cmd[cmd.index("-gdb") + 1]
    t.check(stub.startswith("tcp:127.0.0.1:") and int(stub.rsplit(":", 1)[1]) > 0,
            f"not a local port: {stub}")
    t.check(cmd[cmd.index("-accel") + 1] == "tcg", "breakpoints need TCG unless asked otherwise")


def test_disks_become_virtio_block_devices_in_order(t):
    import tempfile
    root = t.path("build", "x86_64-qemu", "root.img")
    with tempfile.TemporaryDirectory() as d:
        a, b = f"{d}/a.img", f"{d}/b.img"
        for p in (a, b):
            open(p, "wb").close()
        x86 = dry_run(t, "--disk", a, "--disk", b).split()
        t.check(f"file={root},format=raw,if=none,id=disk0,cache=directsync,snapshot=on" in x86,
                f"the built root image is not disk0, read only: {x86}")
        t.check(f"file={a},format=raw,if=none,id=disk1,cache=directsync" in x86 and
                f"file={b},format=raw,if=none,id=disk2,cache=directsync" in x86,
                f"drives missing: {x86}")
        t.check("virtio-blk-pci,drive=disk0,disable-legacy=on,addr=0x10" in x86 and
                "virtio-blk-pci,drive=disk1,disable-legacy=on,addr=0x11" in x86,
                "the disks are not modern virtio-blk-pci devices in order")
        rv = dry_run(t, "--arch", "riscv64", "--disk", a).split()
        t.check("virtio-blk-device,drive=disk1" in rv and "virtio-mmio.force-legacy=false" in rv,
                f"riscv64 disk is not virtio-mmio version 2: {rv}")
        mine = dry_run(t, "--root", a).split()
        t.check(f"file={a},format=raw,if=none,id=disk0,cache=directsync" in mine and
                "snapshot=on" not in " ".join(mine), f"--root is not disk0, kept: {mine}")
        t.check(len([w for w in dry_run(t).split() if w == "-drive"]) == 1,
                "a drive besides the root without --disk")


def test_missing_disk_is_refused_clearly(t):
    p = t.run(["python3", "tools/runlib/run.py", "--dry-run", "--disk", "/nonexistent.img"])
    t.check(p.returncode == 2 and "no such file" in p.stderr, f"unclear: {p.stderr}")


def test_net_is_a_restricted_user_network_with_forwards(t):
    x86 = dry_run(t, "--net", "--forward", "8080:80", "--forward", "2222:22",
                  "--forward", "udp:9000:9001").split()
    t.check("user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:8080-:80,"
            "hostfwd=tcp:127.0.0.1:2222-:22,hostfwd=udp:127.0.0.1:9000-:9001" in x86,
            f"netdev wrong: {x86}")
    t.check("virtio-net-pci,netdev=net0,disable-legacy=on,romfile=,addr=0x13" in x86,
            "not a modern virtio-net-pci")
    t.check("-nic" not in x86, "-nic none beside the network device")
    rv = dry_run(t, "--arch", "riscv64", "--forward", "8080:80").split()
    t.check("virtio-net-device,netdev=net0" in rv and "virtio-mmio.force-legacy=false" in rv,
            f"riscv64 network device is not virtio-mmio version 2: {rv}")
    t.check("restrict=on" in " ".join(rv), "--forward without restrict=on")
    plain = dry_run(t).split()
    t.check("-netdev" not in plain and "none" in plain, "a network device without --net")


def test_bad_forward_is_refused_clearly(t):
    for bad in ("8080", "x:80", "0:80", "80:70000", "sctp:80:80", "udp:80"):
        p = t.run(["python3", "tools/runlib/run.py", "--dry-run", "--forward", bad])
        t.check(p.returncode == 2 and "HOSTPORT:GUESTPORT" in p.stderr,
                f"--forward {bad}: unclear: {p.stderr}")
