"""Every user program lies in the layout's program-image region (va_layout.h):
the linker scripts start there, and no built program's segments reach past
its end into the heap."""

import glob
import os
import re
import struct

PLATFORMS = ("x86_64-qemu", "riscv64-virt")


def layout(t):
    text = open(t.path("lib", "include", "va_layout.h")).read()
    values = dict(re.findall(r"#define (VA_\w+)\s+(0x[0-9a-f]+)ul", text))
    return int(values["VA_IMAGE_BASE"], 16), int(values["VA_IMAGE_END"], 16)


def load_segments(path):
    """(vaddr, memsz) of each PT_LOAD of a 64-bit little-endian ELF."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        return []
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    segs = []
    for i in range(phnum):
        p_type, _, _, vaddr, _, _, memsz = struct.unpack_from("<IIQQQQQ", data, phoff + i * phentsize)
        if p_type == 1:
            segs.append((vaddr, memsz))
    return segs


def test_linker_scripts_start_at_the_image_base(t):
    base, _ = layout(t)
    for p in PLATFORMS:
        script = open(t.path("platforms", p, "user.ld")).read()
        m = re.search(r"\.\s*=\s*(0x[0-9a-fA-F]+)\s*;", script)
        t.check(m is not None, f"{p}/user.ld sets no start address")
        t.check(int(m.group(1), 16) == base, f"{p}/user.ld starts at {m.group(1)}, not {base:#x}")


def test_built_programs_lie_in_the_image_region(t):
    base, end = layout(t)
    seen = 0
    for p in PLATFORMS:
        for elf in glob.glob(t.path("build", p, "**", "*.elf"), recursive=True):
            if os.sep + "cpudriver" + os.sep in elf:
                continue
            for vaddr, memsz in load_segments(elf):
                t.check(base <= vaddr and vaddr + memsz <= end,
                        f"{elf}: a segment at {vaddr:#x}+{memsz:#x} leaves {base:#x}-{end:#x}")
            seen += 1
    if seen == 0:
        t.skip("no user programs built")
