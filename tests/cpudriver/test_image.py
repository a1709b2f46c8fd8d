"""Properties of the built CPU driver image that make 'no shared writable kernel
state' checkable: every writable section is inside the per-core data range
(mapped to private frames on each core), except .boot, which only the boot
core writes before its own tables exist and which is mapped read-only after."""

import re
import subprocess

IMAGES = {
    "x86_64-qemu": "build/x86_64-qemu/cpudriver/cpudriver.elf",
    "riscv64-virt": "build/riscv64-virt/cpudriver/cpudriver.elf",
}
PER_CORE_OK = {".data", ".bss"}
BOOT_ONLY = {".boot"}


def sections(t, elf):
    out = subprocess.run(["llvm-readelf", "-S", "--wide", elf], cwd=t.root, capture_output=True,
                         text=True, check=True).stdout
    rows = re.findall(r"\]\s+(\S+)\s+\S+\s+([0-9a-f]{16})\s+[0-9a-f]+\s+([0-9a-f]+)\s+\S+\s+(\S*)",
                      out)
    return [(name, int(addr, 16), int(size, 16), flags) for name, addr, size, flags in rows]


def symbol(t, elf, name):
    out = subprocess.run(["llvm-nm", elf], cwd=t.root, capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == name:
            return int(parts[0], 16)
    t.fail(f"{elf} has no symbol {name}")


def test_writable_sections_are_all_per_core(t):
    for platform, elf in IMAGES.items():
        start = symbol(t, elf, "__core_data_start")
        end = symbol(t, elf, "__core_data_end")
        found = set()
        for name, addr, size, flags in sections(t, elf):
            if "W" not in flags or "A" not in flags:
                continue
            found.add(name)
            if name in BOOT_ONLY:
                continue
            t.check(start <= addr and addr + size <= end,
                    f"{platform}: writable section {name} at 0x{addr:x} is outside the "
                    f"per-core range 0x{start:x}-0x{end:x}")
            t.check(name in PER_CORE_OK, f"{platform}: unexpected writable section {name}")
        t.check(".bss" in found, f"{platform}: no .bss found; is the parser broken?")
