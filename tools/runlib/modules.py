"""Which ELF file of the build a module name stands for, per architecture: the
CPU driver is "cpudriver"; a domain is named for its boot-archive module or
its program in /bin, and platforms/<p>/boot.conf says which file each module
and program is. The build's ELF files keep their symbols and debug
information (the boot archive packs them as built; the root image's /bin
holds them stripped, at the same addresses)."""

import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PLATFORM = {"x86_64": "x86_64-qemu", "riscv64": "riscv64-virt"}
KERNEL = "cpudriver"


def kernel_elf(arch):
    return f"build/{PLATFORM[arch]}/cpudriver/cpudriver.elf"


def elf_files(arch, root=ROOT):
    """Module name -> ELF path (relative to root), the kernel's included."""
    return {KERNEL: kernel_elf(arch), **platform_files(PLATFORM[arch], root)}


def platform_files(platform, root=ROOT):
    """Module and program name -> ELF path (relative to root) of a platform's
    boot.conf."""
    files = {}
    with open(os.path.join(root, "platforms", platform, "boot.conf"), encoding="utf-8") as f:
        for line in f:
            words = line.split("#", 1)[0].split()
            if len(words) == 3 and words[0] in ("module", "program"):
                files[words[1]] = words[2]
    return files
