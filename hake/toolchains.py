"""Build variants: one compiler configuration per (platform, role).

A variant is where an object is built and with which flags. Guest code is built
twice per platform, once for the CPU driver (role "kernel": no FPU, no red zone)
and once for user domains (role "user"). Host code has three variants: plain
("hosted"), sanitized for unit tests ("host-test"), and libFuzzer ("host-fuzz").
"""

COMMON = ["-std=c17", "-Wall", "-Wextra", "-Werror", "-Ilib/include"]

FREESTANDING = [
    "-ffreestanding",
    "-fno-builtin",
    "-nostdlib",
    "-fno-stack-protector",
    "-fno-pic",
    "-fno-common",
    "-O2",
    "-g",
    "-Ilib/base/include",
]

# Like FREESTANDING, but for programs that link newlib and use its headers.
# newlib shows POSIX and BSD names (strnlen, useconds_t) only on request.
LIBC = ["-ffreestanding", "-fno-stack-protector", "-fno-pic", "-fno-common", "-O2", "-g",
        "-D_DEFAULT_SOURCE"]

X86_64 = ["--target=x86_64-unknown-none-elf"]
RISCV64 = ["--target=riscv64-unknown-none-elf", "-mcmodel=medany", "-mno-relax"]

# Guest images: static, no C runtime of the host. Temporary .L labels (RISC-V
# objects keep them for their relocations) are dropped, or debuggers and
# llvm-symbolizer would name code after them instead of its function.
GUEST_LD = ["-nostdlib", "-static", "--discard-locals"]

HOST_SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all"]

# The hosted platform's sanitizer build (platforms/hosted-san): the x86-64
# domains with AddressSanitizer in its outline form (every access a call,
# the shadow and the heap's red zones kept by lib/sanitize) and UBSan, whose
# runtime is lib/sanitize too. Clang takes these only for an OS target, so
# the code is compiled for Linux's ABI (the same as the freestanding one on
# x86-64) without its headers.
GUEST_SANITIZE = ["--target=x86_64-linux-gnu", "-nostdlibinc",
                  "-fsanitize=kernel-address", "-mllvm", "-asan-instrumentation-with-call-threshold=0",
                  "-mllvm", "-asan-stack=0", "-mllvm", "-asan-globals=0", "-fsanitize=undefined"]

# name -> (platform, role, cflags, ldflags, archiver)
VARIANTS = {
    "x86_64-qemu/kernel": dict(
        platform="x86_64-qemu",
        arch="x86_64",
        role="kernel",
        cflags=X86_64 + FREESTANDING + [
            "-mno-red-zone", "-mno-mmx", "-mno-sse", "-mno-sse2", "-mno-80387",
            "-mcmodel=kernel", "-fno-omit-frame-pointer",
        ],
        ldflags=GUEST_LD,
    ),
    "x86_64-qemu/user": dict(
        platform="x86_64-qemu",
        arch="x86_64",
        role="user",
        cflags=X86_64 + FREESTANDING + ["-mno-red-zone", "-fno-omit-frame-pointer"],
        ldflags=GUEST_LD,
    ),
    "riscv64-virt/kernel": dict(
        platform="riscv64-virt",
        arch="riscv64",
        role="kernel",
        cflags=RISCV64 + FREESTANDING + ["-march=rv64imac", "-mabi=lp64",
                                         "-fno-omit-frame-pointer"],
        ldflags=GUEST_LD,
    ),
    "riscv64-virt/user": dict(
        platform="riscv64-virt",
        arch="riscv64",
        role="user",
        cflags=RISCV64 + FREESTANDING + ["-march=rv64imafdc", "-mabi=lp64d",
                                         "-fno-omit-frame-pointer"],
        ldflags=GUEST_LD,
    ),
    # User programs on newlib (role "libc"): its headers instead of lib/base's.
    "x86_64-qemu/libc": dict(
        platform="x86_64-qemu",
        arch="x86_64",
        role="libc",
        cflags=X86_64 + LIBC + ["-isystem", "lib/posix/include", "-isystem", "build/x86_64-qemu/newlib/include",
                                "-mno-red-zone", "-fno-omit-frame-pointer"],
        ldflags=GUEST_LD,
        needs=["build/x86_64-qemu/newlib/include/stdio.h"],
        libc=["build/x86_64-qemu/newlib/lib/libc.a", "build/x86_64-qemu/newlib/lib/libm.a"],
    ),
    "riscv64-virt/libc": dict(
        platform="riscv64-virt",
        arch="riscv64",
        role="libc",
        cflags=RISCV64 + LIBC + ["-isystem", "lib/posix/include", "-isystem", "build/riscv64-virt/newlib/include",
                                 "-march=rv64imafdc", "-mabi=lp64d", "-fno-omit-frame-pointer"],
        ldflags=GUEST_LD,
        needs=["build/riscv64-virt/newlib/include/stdio.h"],
        libc=["build/riscv64-virt/newlib/lib/libc.a", "build/riscv64-virt/newlib/lib/libm.a"],
    ),
    "hosted-san/user": dict(
        platform="hosted-san",
        arch="x86_64",
        role="user",
        cflags=FREESTANDING + ["-mno-red-zone", "-fno-omit-frame-pointer"] + GUEST_SANITIZE,
        ldflags=GUEST_LD,
        runtime=["sanitize"],
    ),
    "hosted-san/libc": dict(
        platform="hosted-san",
        arch="x86_64",
        role="libc",
        cflags=LIBC + ["-isystem", "lib/posix/include", "-isystem", "build/x86_64-qemu/newlib/include",
                       "-mno-red-zone", "-fno-omit-frame-pointer"] + GUEST_SANITIZE,
        ldflags=GUEST_LD + ["--wrap=" + f for f in ("malloc", "free", "calloc", "realloc")],
        needs=["build/x86_64-qemu/newlib/include/stdio.h"],
        libc=["build/x86_64-qemu/newlib/lib/libc.a", "build/x86_64-qemu/newlib/lib/libm.a"],
        runtime=["sanitize_heap", "sanitize"],
    ),
    "hosted": dict(
        platform="hosted",
        arch="host",
        role="host",
        cflags=["-O2", "-g", "-D_GNU_SOURCE"],
        ldflags=[],
    ),
    "host-test": dict(
        platform="hosted",
        arch="host",
        role="host",
        cflags=["-O1", "-g", "-fno-omit-frame-pointer", "-D_GNU_SOURCE"] + HOST_SANITIZE,
        ldflags=HOST_SANITIZE,
    ),
    "host-tsan": dict(
        platform="hosted",
        arch="host",
        role="host-tsan",
        cflags=["-O1", "-g", "-fno-omit-frame-pointer", "-D_GNU_SOURCE", "-fsanitize=thread"],
        ldflags=["-fsanitize=thread"],
    ),
    "host-fuzz": dict(
        platform="hosted",
        arch="host",
        role="host",
        cflags=["-O1", "-g", "-fno-omit-frame-pointer", "-D_GNU_SOURCE",
                "-fsanitize=fuzzer-no-link,address,undefined", "-fno-sanitize-recover=all"],
        ldflags=["-fsanitize=fuzzer,address,undefined", "-fno-sanitize-recover=all"],
    ),
}

PLATFORMS = ["x86_64-qemu", "riscv64-virt", "hosted", "hosted-san"]
GUEST_PLATFORMS = ["x86_64-qemu", "riscv64-virt"]
# Platforms whose boot configuration is derived from another's (boot_archive's
# derive=): only the programs it names are built for them, and a library
# only as one of those needs it.
DERIVED_PLATFORMS = ["hosted-san"]
HOST_VARIANTS = ["hosted", "host-test", "host-tsan", "host-fuzz"]


def guest_variant(platform, role):
    return f"{platform}/{role}"


def variants_for(roles, platforms):
    """The variants a library with these roles and platforms is built in. A
    host library is built for ThreadSanitizer too (role "host-tsan")."""
    out = []
    for name, v in VARIANTS.items():
        if v["platform"] not in platforms:
            continue
        if v["role"] in roles or (v["role"] == "host-tsan" and "host" in roles):
            out.append(name)
    return out
