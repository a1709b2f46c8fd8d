"""Machine code through LLVM's own tools, for faultsites.py: the instructions
of an ELF's .text as llvm-objdump reads them (Site), texts encoded by llvm-mc,
and bytes checked to decode to exactly one instruction (llvm-objdump over a
small ELF made for the purpose). x86-64 and RISC-V 64; llvm-objdump and
llvm-mc are found on PATH."""

import dataclasses
import os
import re
import struct
import subprocess
import tempfile

EM_X86_64, EM_RISCV = 62, 243
ARCH_OF_MACHINE = {EM_X86_64: "x86_64", EM_RISCV: "riscv64"}
MC_ARGS = {"x86_64": ["-triple=x86_64"],
           "riscv64": ["-triple=riscv64", "-mattr=+m,+a,+c,+f,+d"]}
OBJDUMP_ARGS = {"x86_64": [], "riscv64": ["-M", "no-aliases", "--mattr=+m,+a,+c,+f,+d"]}
TOOL_TIMEOUT = 120  # seconds, for one llvm-mc or llvm-objdump run over a whole batch

LINE = re.compile(r"^\s*([0-9a-f]+): ((?:[0-9a-f]{2} ?)+)\s*\t(.*)$")
ADDRESS = re.compile(r"^\s*[0-9a-f]+:")
FUNCTION = re.compile(r"^[0-9a-f]+ <(.+)>:$")
ENCODING = re.compile(r"# encoding: \[([^\]]*)\]")


@dataclasses.dataclass(frozen=True)
class Site:
    """One instruction of .text, as llvm-objdump printed it."""
    arch: str
    address: int
    bytes: bytes
    mnemonic: str
    operands: tuple
    function: str

    @property
    def text(self):
        return f"{self.mnemonic} {', '.join(self.operands)}".strip()


# --- reading the ELF and its disassembly ---------------------------------------

def elf_machine(path):
    with open(path, "rb") as f:
        head = f.read(20)
    if head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
        raise ValueError(f"{path}: not a little-endian ELF64 file")
    machine = struct.unpack_from("<H", head, 18)[0]
    if machine not in ARCH_OF_MACHINE:
        raise ValueError(f"{path}: e_machine {machine} is neither x86-64 nor RISC-V")
    return ARCH_OF_MACHINE[machine]


def run_tool(argv, input_text=None):
    p = subprocess.run(argv, input=input_text, capture_output=True, text=True,
                       timeout=TOOL_TIMEOUT, errors="replace")
    return p.stdout, p.stderr, p.returncode


def split_operands(text):
    """Operands split at the commas outside parentheses."""
    out, depth, cur = [], 0, ""
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return tuple(out)


def parse_instruction(arch, address, raw, text, function):
    """A Site, or None where the text is not an instruction we can read."""
    text = text.split("#", 1)[0].strip() if arch == "x86_64" else text.strip()
    if not text or text.startswith("<unknown>") or "(bad)" in text:
        return None
    mnemonic, _, rest = text.partition("\t")
    mnemonic, _, more = mnemonic.partition(" ")
    rest = (more + " " + rest).strip()
    return Site(arch, address, raw, mnemonic, split_operands(rest), function)


def parse_disassembly(arch, listing):
    """(sites, unparsed lines) from llvm-objdump -d output."""
    sites, unparsed, function = [], [], "?"
    for line in listing.splitlines():
        m = FUNCTION.match(line)
        if m:
            function = m.group(1)
            continue
        m = LINE.match(line)
        if not m:
            if ADDRESS.match(line):
                unparsed.append(line)
            continue  # headers, blank lines, x86 comments carried onto a line of their own
        raw = bytes.fromhex(m.group(2).replace(" ", ""))
        site = parse_instruction(arch, int(m.group(1), 16), raw, m.group(3), function)
        if site is None:
            unparsed.append(line)
        else:
            sites.append(site)
    return sites, unparsed


def load_sites(elf_path, unparsed=None):
    """Every instruction of the ELF's .text. Lines that cannot be read are
    appended to `unparsed` when a list is given (the command line reports them)."""
    arch = elf_machine(elf_path)
    out, err, rc = run_tool(["llvm-objdump", "-d", "-z", "--no-print-imm-hex", "-j", ".text"]
                            + OBJDUMP_ARGS[arch] + [elf_path])
    if rc != 0:
        raise RuntimeError(f"llvm-objdump failed on {elf_path}: {err.strip()}")
    sites, bad = parse_disassembly(arch, out)
    if unparsed is not None:
        unparsed.extend(bad)
    return sites


# --- encoding with llvm-mc, checking with llvm-objdump -------------------------

def assemble(arch, drafts):
    """Fills in draft.new from llvm-mc for each draft with text; a draft whose
    text fails, or that encodes to several instructions or a fixup, stays None.
    Each text follows a label of its own, so errors cannot shift the mapping."""
    lines, rvc = [], None
    for i, d in enumerate(drafts):
        if arch == "riscv64":  # keep llvm-mc from compressing a 4-byte instruction
            want = len(d.site.bytes) == 2
            if want != rvc:
                lines.append(".option rvc" if want else ".option norvc")
                rvc = want
        lines.append(f"fs{i}:")
        lines.append("\t" + d.asm)
    out, _, _ = run_tool(["llvm-mc", "--show-encoding"] + MC_ARGS[arch], "\n".join(lines) + "\n")
    found, current = {}, None
    for line in out.splitlines():
        m = re.match(r"^fs(\d+):", line)
        if m:
            current = int(m.group(1))
            continue
        m = ENCODING.search(line)
        if m and current is not None:
            parts = [p.strip() for p in m.group(1).split(",")]
            ok = current not in found and all(p.startswith("0x") for p in parts)
            found[current] = bytes(int(p, 16) for p in parts) if ok else None
    for i, d in enumerate(drafts):
        d.new = found.get(i)


def tiny_elf(arch, chunks):
    """A relocatable ELF64 whose .text holds the chunks back to back, each under
    a function symbol of its own, so llvm-objdump decodes each one afresh."""
    text = b"".join(chunks)
    strtab, syms, offset = b"\0", [b"\0" * 24], 0
    for i, chunk in enumerate(chunks):
        syms.append(struct.pack("<IBBHQQ", len(strtab), 0x02, 0, 1, offset, len(chunk)))
        strtab += f"f{i}".encode() + b"\0"
        offset += len(chunk)
    symtab = b"".join(syms)
    shstrtab = b"\0.text\0.symtab\0.strtab\0.shstrtab\0"
    body, offsets = b"", []
    for blob in (text, symtab, strtab, shstrtab):
        body += b"\0" * (-len(body) % 8)
        offsets.append(64 + len(body))
        body += blob
    body += b"\0" * (-len(body) % 8)
    shoff = 64 + len(body)
    flags = 0x5 if arch == "riscv64" else 0  # RVC, double-float ABI
    machine = EM_RISCV if arch == "riscv64" else EM_X86_64
    header = b"\x7fELF\x02\x01\x01" + b"\0" * 9 + struct.pack(
        "<HHIQQQIHHHHHH", 1, machine, 1, 0, 0, shoff, flags, 64, 0, 0, 64, 5, 4)

    def section(name, kind, flags, off, size, link=0, info=0, align=1, entsize=0):
        return struct.pack("<IIQQQQIIQQ", name, kind, flags, 0, off, size, link, info, align,
                           entsize)
    sections = (b"\0" * 64 + section(1, 1, 6, offsets[0], len(text), align=4)
                + section(7, 2, 0, offsets[1], len(symtab), link=3, info=len(syms), align=8,
                          entsize=24)
                + section(15, 3, 0, offsets[2], len(strtab))
                + section(23, 3, 0, offsets[3], len(shstrtab)))
    return header + body + sections


def decodes_whole(arch, chunks):
    """For each chunk, whether llvm-objdump reads it as exactly one valid instruction."""
    if not chunks:
        return []
    with tempfile.TemporaryDirectory(prefix="faultsites-") as tmp:
        path = os.path.join(tmp, "check.o")
        with open(path, "wb") as f:
            f.write(tiny_elf(arch, chunks))
        out, err, rc = run_tool(["llvm-objdump", "-d", "-z", "--no-print-imm-hex"]
                                + OBJDUMP_ARGS[arch] + [path])
    if rc != 0:
        raise RuntimeError(f"llvm-objdump failed on the check buffer: {err.strip()}")
    seen, current = {}, None
    for line in out.splitlines():
        m = FUNCTION.match(line)
        if m and re.fullmatch(r"f\d+", m.group(1)):
            current = int(m.group(1)[1:])
            seen[current] = []
            continue
        m = LINE.match(line)
        if m and current is not None:
            seen[current].append((bytes.fromhex(m.group(2).replace(" ", "")), m.group(3)))
    ok = []
    for i, chunk in enumerate(chunks):
        insns = seen.get(i, [])
        ok.append(len(insns) == 1 and insns[0][0] == chunk
                  and parse_instruction(arch, 0, chunk, insns[0][1], "") is not None)
    return ok
