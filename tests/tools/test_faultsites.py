"""tools/runlib/faultsites.py over the built drivers of both architectures:
every fault type yields faults, each fault replaces the ELF's real bytes with
bytes of the same length that still decode (a flip excepted), and a seed
decides the faults. Reads the ELF's .text here with its own small parser, so
the module's reading is checked against an independent one."""

import functools
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools", "runlib"))

import faultsites  # noqa: E402

ELFS = ["x86_64-qemu/drivers/serial/serial.elf", "x86_64-qemu/drivers/virtio/blk/virtioblk.elf",
        "riscv64-virt/drivers/serial/serial.elf", "riscv64-virt/drivers/virtio/blk/virtioblk.elf"]
COUNT = 70  # ten per type
SEED = 7


def elf_path(t, rel):
    path = os.path.join(t.root, "build", rel)
    if not os.path.exists(path):
        t.skip(f"{rel} is not built")
    return path


def text_section(path):
    """(address, bytes) of .text, from the ELF64 section headers."""
    with open(path, "rb") as f:
        data = f.read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)

    def header(i):
        return struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
    names_at = header(shstrndx)[4]
    for i in range(shnum):
        name, _, _, addr, off, size, *_ = header(i)
        if data[names_at + name:data.index(b"\0", names_at + name)] == b".text":
            return addr, data[off:off + size]
    raise AssertionError(f"{path} has no .text")


@functools.lru_cache(maxsize=None)
def sites_of(path):
    return faultsites.load_sites(path)


@functools.lru_cache(maxsize=None)
def faults_of(path, seed):
    return tuple(faultsites.make_faults(sites_of(path), COUNT, seed))


def test_every_type_yields_faults(t):
    for rel in ELFS:
        faults = faults_of(elf_path(t, rel), SEED)
        for kind in faultsites.ALL_TYPES:
            made = sum(1 for f in faults if f.type == kind)
            t.check(made > 0, f"{rel}: no {kind} faults")
        t.check(len(faults) == COUNT, f"{rel}: {len(faults)} faults, asked for {COUNT}")


def test_faults_replace_the_elf_bytes_with_as_many(t):
    for rel in ELFS:
        path = elf_path(t, rel)
        base, text = text_section(path)
        for f in faults_of(path, SEED):
            where = f.address - base
            t.check(0 <= where and where + len(f.old) <= len(text),
                    f"{rel}: {f.what} is outside .text")
            t.check(text[where:where + len(f.old)] == f.old,
                    f"{rel}: {f.what}: old bytes are not the ELF's")
            t.check(len(f.new) == len(f.old), f"{rel}: {f.what}: {f.old.hex()} -> {f.new.hex()}")
            t.check(f.new != f.old, f"{rel}: {f.what} changes nothing")
            t.check(faultsites.fault_arg(f) == f"{f.address:x}:{f.new.hex()}", f"{rel}: {f.what}")


def test_a_seed_decides_the_faults(t):
    for rel in ELFS[::2]:
        path = elf_path(t, rel)
        again = tuple(faultsites.make_faults(sites_of(path), COUNT, SEED))
        t.check(again == faults_of(path, SEED), f"{rel}: the same seed gave other faults")
        t.check(faults_of(path, SEED + 1) != faults_of(path, SEED),
                f"{rel}: another seed gave the same faults")


def test_faults_other_than_flips_decode_to_one_instruction(t):
    for rel in ELFS:
        path = elf_path(t, rel)
        checked = [f for f in faults_of(path, SEED) if f.type != "flip"]
        verdicts = faultsites.decodes_whole(sites_of(path)[0].arch, [f.new for f in checked])
        for f, ok in zip(checked, verdicts):
            t.check(ok, f"{rel}: {f.what}: {f.new.hex()} is not one instruction")


def test_the_checker_refuses_what_does_not_decode(t):
    t.check(faultsites.decodes_whole("x86_64", [b"\x90", b"\x90\x90", b"\x48\x89"])
            == [True, False, False], "x86: two nops, or a cut instruction, passed as one")
    t.check(faultsites.decodes_whole("riscv64", [b"\x13\0\0\0", b"\xff\xff\xff\xff"])
            == [True, False], "RISC-V: an invalid encoding passed")


def test_nops_are_the_nop_encodings(t):
    riscv = {bytes.fromhex("13000000"), bytes.fromhex("0100")}
    for rel in ELFS:
        for f in faults_of(elf_path(t, rel), SEED):
            removed = f.type == "nop" or f.what.endswith("removed")
            if not removed:
                continue
            if rel.startswith("riscv64"):
                t.check(f.new in riscv, f"{rel}: {f.what}: {f.new.hex()} is not a nop")
            else:
                x86 = f.new == b"\x90" * len(f.new) or \
                    f.new == faultsites.nop_bytes("x86_64", len(f.new))
                t.check(x86, f"{rel}: {f.what}: {f.new.hex()} is not a nop form")


def test_branch_inversions_change_one_bit(t):
    for rel in ELFS:
        inverted = [f for f in faults_of(elf_path(t, rel), SEED)
                    if f.type == "branch" and f.what.endswith("inverted")]
        for f in inverted:
            diff = int.from_bytes(f.old, "little") ^ int.from_bytes(f.new, "little")
            t.check(bin(diff).count("1") == 1, f"{rel}: {f.what}: {f.old.hex()} -> {f.new.hex()}")


def test_command_line_prints_one_fault_a_line(t):
    path = elf_path(t, ELFS[0])
    p = t.run([sys.executable, os.path.join(t.root, "tools", "runlib", "faultsites.py"), path,
               "--count", "6", "--seed", "3", "--types", "nop,branch"], check_rc=0)
    lines = p.stdout.splitlines()
    t.check(len(lines) == 6, f"{len(lines)} lines for 6 faults")
    for line in lines:
        arg, kind, _ = line.split(" ", 2)
        addr, hexbytes = arg.split(":")
        int(addr, 16), bytes.fromhex(hexbytes)
        t.check(kind in ("nop", "branch"), f"a {kind} fault was not asked for")
    t.check("not parsed" in p.stderr and "branch" in p.stderr, "no summary on stderr")
