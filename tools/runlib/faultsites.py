"""Finds machine-code fault sites in a built ELF (a user-mode driver or server)
and makes well-formed faults for a software-fault-injection campaign, in the
style of MINIX 3's swifi: each fault is (address, old bytes, new bytes, type,
description), and the new bytes are exactly as long as the old, so that the
instructions after it are untouched.

Why this shape: a fault that changes an instruction's length would also wreck
every instruction after it, which tests the decoder rather than the driver.
So every fault is re-encoded by LLVM's own assembler (llvm-mc) and kept only at
the same length, then run back through LLVM's disassembler (llvm-objdump) and
kept only if it decodes to one instruction of that length. `flip` is the one
exception: a random bit flip may decode to anything, even to nothing valid,
and is kept as it is, because that is what a flipped bit does.

The seven types (swifi's, mapped onto instructions):
  nop      the instruction becomes no-ops of the same length
  src-reg  a source register replaced by another of the same class and width
  dst-reg  the destination register replaced the same way
  pointer  a memory operand's displacement moved, or its base register replaced
  branch   a conditional branch inverted (one bit) or removed (nop)
  flip     one random bit of the instruction flipped
  param    an immediate (or source) loaded into an argument register just
           before a call changed
x86-64 and RISC-V 64 are handled; the ELF's e_machine says which. Reading
the ELF and running LLVM's tools is llvm_code.py's; nothing writes to the
ELF. The faults are data for an injector in the guest (see fault_arg)."""

import argparse
import dataclasses
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from llvm_code import Site, assemble, decodes_whole, load_sites  # noqa: E402,F401

ALL_TYPES = ("nop", "src-reg", "dst-reg", "pointer", "branch", "flip", "param")
BYTES_TYPES = ("nop", "branch", "flip")  # made from the bytes alone; the rest go through llvm-mc


PARAM_WINDOW = 4  # a load into an argument register counts if a call follows within this many
DRAFT_FACTOR = 3  # drafts per wanted fault in a round; some fail to keep their length
MAX_ROUNDS = 6

# x86: the recommended multi-byte NOPs (Intel SDM vol. 2B, NOP), and 0x66 prefixes past 10.
X86_NOPS = {1: "90", 2: "6690", 3: "0f1f00", 4: "0f1f4000", 5: "0f1f440000",
            6: "660f1f440000", 7: "0f1f8000000000", 8: "0f1f840000000000",
            9: "660f1f840000000000", 10: "662e0f1f840000000000"}
RISCV_NOPS = {4: bytes.fromhex("13000000"), 2: bytes.fromhex("0100")}  # addi x0,x0,0; c.nop

X86_REGS = [
    ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp"] + [f"r{i}" for i in range(8, 16)],
    ["eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp"] + [f"r{i}d" for i in range(8, 16)],
    ["ax", "bx", "cx", "dx", "si", "di", "bp", "sp"] + [f"r{i}w" for i in range(8, 16)],
    ["al", "bl", "cl", "dl", "sil", "dil", "bpl", "spl"] + [f"r{i}b" for i in range(8, 16)],
    [f"xmm{i}" for i in range(16)],
]
RISCV_REGS = [
    ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1"] + [f"a{i}" for i in range(8)]
    + [f"s{i}" for i in range(2, 12)] + [f"t{i}" for i in range(3, 7)],
    [f"ft{i}" for i in range(12)] + [f"fs{i}" for i in range(12)] + [f"fa{i}" for i in range(8)],
]
REG_CLASS = {arch: {r: cls for cls in classes for r in cls}
             for arch, classes in (("x86_64", X86_REGS), ("riscv64", RISCV_REGS))}
ARG_REGS = {"x86_64": {"rdi", "rsi", "rdx", "rcx", "r8", "r9",
                       "edi", "esi", "edx", "ecx", "r8d", "r9d"},
            "riscv64": {f"a{i}" for i in range(8)}}

# AT&T: the last operand is the destination, except where nothing is written.
X86_READ_ONLY = re.compile(r"^(cmp|test|bt[lqw]?$|push|call|jmp|ucomis|comis)")
X86_WRITE_ONE = re.compile(r"^(pop|inc|dec|neg|not|set|bswap)")
# RISC-V: the first operand is the destination, except for stores and branches.
RISCV_READ_ONLY = re.compile(r"^(c\.)?(s[bhwd]|fs[wd]|s[wd]sp|fs[wd]sp|b[a-z]+|beqz|bnez|jr|jalr$)")
RISCV_CALL = re.compile(r"^(jal|jalr|c\.jalr)$")
RISCV_PARAM = re.compile(r"^(addiw?|c\.li|c\.addiw?|c\.mv)$")

# "  ADDR: BYTES<tab>TEXT"; a 10-byte x86 instruction leaves no space before the tab.
TARGET = re.compile(r"^0x([0-9a-f]+)(?: <[^>]*>)?$")
X86_MEM = re.compile(r"^(\*?)(%\w+:)?(-?\d+)?\((%\w+)?((?:,%\w+)?(?:,\d+)?)\)$")
RISCV_MEM = re.compile(r"^(-?\d+)\((\w+)\)$")


@dataclasses.dataclass(frozen=True)
class Fault:
    address: int
    old: bytes
    new: bytes
    type: str
    what: str


@dataclasses.dataclass
class Draft:
    """A fault not yet kept: its new bytes, or the text llvm-mc must encode."""
    type: str
    site: Site
    new: bytes = None
    asm: str = None
    note: str = ""


# --- which sites each type can use -----------------------------------------------

def is_padding(site):
    return site.mnemonic.startswith("nop") or site.mnemonic in ("int3", "c.nop", "c.unimp",
                                                                "unimp")


def asm_operands(site):
    """The operands as llvm-mc must read them, or None: x86 direct branches and
    calls name an absolute target, which llvm-mc would turn into a relocation;
    RISC-V's become offsets from the instruction."""
    ops = []
    for op in site.operands:
        m = TARGET.match(op)
        branchy = site.mnemonic.startswith(("b", "c.b", "j", "c.j"))
        if m and (site.arch == "x86_64" or "<" in op or branchy):
            if site.arch == "x86_64":
                return None
            op = str(int(m.group(1), 16) - site.address)
        ops.append(op)
    return ops


def reg_class(arch, op):
    name = op[1:] if arch == "x86_64" and op.startswith("%") else op
    if arch == "x86_64" and not op.startswith("%"):
        return None
    return REG_CLASS[arch].get(name)


def operand_roles(site):
    """'src' or 'dst' for each operand, by the assembly syntax's convention."""
    n = len(site.operands)
    if site.arch == "x86_64":
        if X86_READ_ONLY.match(site.mnemonic):
            return ["src"] * n
        if n == 1:
            return ["dst" if X86_WRITE_ONE.match(site.mnemonic) else "src"]
        return ["src"] * (n - 1) + ["dst"]
    if RISCV_READ_ONLY.match(site.mnemonic) or site.mnemonic in ("c.jr", "c.jalr"):
        return ["src"] * n
    return ["dst"] + ["src"] * (n - 1)


def with_operand(site, ops, index, new_op):
    ops = list(ops)
    ops[index] = new_op
    return f"{site.mnemonic} {', '.join(ops)}"


def reg_drafts(site, role, kind):
    ops = asm_operands(site)
    if ops is None:
        return []
    drafts = []
    for i, (op, r) in enumerate(zip(site.operands, operand_roles(site))):
        cls = reg_class(site.arch, op)
        if r != role or cls is None:
            continue
        prefix = "%" if site.arch == "x86_64" else ""
        for reg in cls:
            if prefix + reg != op:
                drafts.append(Draft(kind, site, asm=with_operand(site, ops, i, prefix + reg),
                                    note=f"{op} -> {prefix}{reg}"))
    return drafts


def pointer_drafts(site):
    ops = asm_operands(site)
    if ops is None:
        return []
    drafts = []
    for i, op in enumerate(ops):
        if site.arch == "x86_64":
            m = X86_MEM.match(op)
            if not m:
                continue
            star, seg, disp, base, rest = m.groups()
            seg = seg or ""
            for delta in (-32, -24, -16, -8, 8, 16, 24, 32):
                new = f"{star}{seg}{int(disp or 0) + delta}({base or ''}{rest})"
                drafts.append(Draft("pointer", site, asm=with_operand(site, ops, i, new),
                                    note=f"displacement {delta:+d}"))
            if base and base != "%rip":
                for reg in X86_REGS[0]:
                    if "%" + reg != base:
                        new = f"{star}{seg}{disp or ''}(%{reg}{rest})"
                        drafts.append(Draft("pointer", site, asm=with_operand(site, ops, i, new),
                                            note=f"base {base} -> %{reg}"))
        else:
            m = RISCV_MEM.match(op)
            if not m:
                continue
            disp, base = int(m.group(1)), m.group(2)
            for delta in (-32, -24, -16, -8, 8, 16, 24, 32):
                drafts.append(Draft("pointer", site,
                                    asm=with_operand(site, ops, i, f"{disp + delta}({base})"),
                                    note=f"displacement {delta:+d}"))
            for reg in RISCV_REGS[0]:
                if reg != base:
                    drafts.append(Draft("pointer", site,
                                        asm=with_operand(site, ops, i, f"{disp}({reg})"),
                                        note=f"base {base} -> {reg}"))
    return drafts


def nop_bytes(arch, length):
    if arch == "riscv64":
        return RISCV_NOPS.get(length)
    if length <= 10:
        return bytes.fromhex(X86_NOPS[length])
    return b"\x66" * (length - 10) + bytes.fromhex(X86_NOPS[10]) if length <= 15 else None


def nop_drafts(site):
    new = nop_bytes(site.arch, len(site.bytes))
    return [Draft("nop", site, new=new)] if new and new != site.bytes else []


def branch_bit(site):
    """(byte index, mask) of the bit that inverts a conditional branch, or None."""
    b = site.bytes
    if site.arch == "x86_64":
        if len(b) == 2 and 0x70 <= b[0] <= 0x7F:
            return 0, 0x01
        if len(b) == 6 and b[0] == 0x0F and 0x80 <= b[1] <= 0x8F:
            return 1, 0x01
        return None
    if len(b) == 4 and b[0] & 0x7F == 0x63 and (b[1] >> 4) & 7 in (0, 1, 4, 5, 6, 7):
        return 1, 0x10  # funct3 bit 0, bit 12 of the instruction
    if len(b) == 2 and b[0] & 3 == 1 and (b[1] >> 5) in (6, 7):
        return 1, 0x20  # c.beqz <-> c.bnez, bit 13
    return None


def branch_drafts(site):
    bit = branch_bit(site)
    if bit is None:
        return []
    inverted = bytearray(site.bytes)
    inverted[bit[0]] ^= bit[1]
    return [Draft("branch", site, new=bytes(inverted), note="inverted")] + \
        [Draft("branch", site, new=d.new, note="removed") for d in nop_drafts(site)]


def flip_drafts(site):
    drafts = []
    for bit in range(len(site.bytes) * 8):
        new = bytearray(site.bytes)
        new[bit // 8] ^= 1 << (bit % 8)
        drafts.append(Draft("flip", site, new=bytes(new), note=f"bit {bit}"))
    return drafts


def changed_immediates(value, bits):
    """A few nearby and a few far values for an immediate."""
    return sorted({value + 1, value - 1, 0, 1, -1, value ^ (1 << bits), value * 2, -value}
                  - {value})


def param_drafts(site, calls_follow):
    if not calls_follow:
        return []
    ops = asm_operands(site)
    if ops is None or not ops:
        return []
    if site.arch == "x86_64":
        if not (site.mnemonic.startswith("mov") and len(ops) == 2 and ops[0].startswith("$")
                and ops[1][1:] in ARG_REGS["x86_64"]):
            return []
        value = int(ops[0][1:])
        return [Draft("param", site, asm=with_operand(site, ops, 0, f"${v}"),
                      note=f"${value} -> ${v}") for v in changed_immediates(value, 4)]
    if not RISCV_PARAM.match(site.mnemonic) or ops[0] not in ARG_REGS["riscv64"]:
        return []
    if site.mnemonic == "c.mv":
        return [Draft("param", site, asm=with_operand(site, ops, 1, reg),
                      note=f"{ops[1]} -> {reg}") for reg in RISCV_REGS[0] if reg != ops[1]]
    value = int(ops[-1])
    return [Draft("param", site, asm=with_operand(site, ops, len(ops) - 1, str(v)),
                  note=f"{value} -> {v}") for v in changed_immediates(value, 3)]


def is_call(site):
    if site.arch == "x86_64":
        return site.mnemonic.startswith("call")
    return bool(RISCV_CALL.match(site.mnemonic)) and (site.mnemonic == "c.jalr"
                                                      or site.operands[:1] == ("ra",))


def calls_soon(sites):
    """For each site, whether a call follows within PARAM_WINDOW in its function."""
    soon = [False] * len(sites)
    for i, s in enumerate(sites):
        for later in sites[i + 1:i + 1 + PARAM_WINDOW]:
            if later.function != s.function:
                break
            if is_call(later):
                soon[i] = True
                break
    return soon


def draft_makers(sites):
    """For each type, a function from a site's index to the faults it could make
    there, not yet encoded or checked (padding between functions makes none)."""
    soon = calls_soon(sites)
    makers = {"nop": nop_drafts, "branch": branch_drafts, "flip": flip_drafts,
              "pointer": pointer_drafts, "param": lambda s, i: param_drafts(s, soon[i]),
              "src-reg": lambda s: reg_drafts(s, "src", "src-reg"),
              "dst-reg": lambda s: reg_drafts(s, "dst", "dst-reg")}

    def for_type(t):
        make = makers[t]
        if t == "param":
            return lambda i: [] if is_padding(sites[i]) else make(sites[i], i)
        return lambda i: [] if is_padding(sites[i]) else make(sites[i])
    return {t: for_type(t) for t in makers}


class Pool:
    """One type's untried drafts, handed out one site at a time: each pass over
    the (shuffled) sites takes one random draft from each, so faults spread over
    sites before any site gets a second. A site's drafts are made when first
    visited, and never kept for sites never visited."""

    def __init__(self, make, indices, rng):
        self.make, self.rng = make, rng
        self.order = list(indices)
        rng.shuffle(self.order)
        self.cursor = 0
        self.left = {}  # site index -> its untried drafts

    def empty(self):
        return not self.order

    def take(self):
        while self.order:
            if self.cursor >= len(self.order):
                self.order = [i for i in self.order if self.left.get(i, True)]
                self.cursor = 0
                continue
            i = self.order[self.cursor]
            self.cursor += 1
            if i not in self.left:
                self.left[i] = self.make(i)
            drafts = self.left[i]
            if drafts:
                return drafts.pop(self.rng.randrange(len(drafts)))
        return None


# --- choosing the faults ------------------------------------------------------

def shares(count, types):
    """count split over types as evenly as whole numbers allow."""
    base, extra = divmod(count, len(types)) if types else (0, 0)
    return {t: base + (1 if i < extra else 0) for i, t in enumerate(types)}


def describe(d):
    s = d.site
    change = f": {d.note}" if d.note else ""
    return f"{d.type} 0x{s.address:x} {s.text} ({s.function}){change}"


def settle(arch, drafts, stats):
    """Encodes and checks a round's drafts; returns those that became faults."""
    texts = [d for d in drafts if d.asm is not None]
    if texts:
        assemble(arch, texts)
    kept = []
    for d in drafts:
        if d.new is None:
            stats["asm failed"] = stats.get("asm failed", 0) + 1
        elif len(d.new) != len(d.site.bytes):
            stats["wrong length"] = stats.get("wrong length", 0) + 1
        elif d.new != d.site.bytes:
            kept.append(d)
    checked = [d for d in kept if d.type != "flip"]
    verdicts = dict(zip(map(id, checked), decodes_whole(arch, [d.new for d in checked])))
    stats["failed validation"] = stats.get("failed validation", 0) + \
        sum(1 for v in verdicts.values() if not v)
    return [d for d in kept if verdicts.get(id(d), True)]


def make_faults(sites, count, seed, types=ALL_TYPES, exclude_functions=(), stats=None):
    """count faults (fewer if the sites run out), deterministic for a seed and
    spread over the types as evenly as each type's candidates allow. `stats`,
    when a dict, gets each type's candidate sites and what was dropped and why."""
    stats = {} if stats is None else stats
    rng = random.Random(seed)
    excluded = set(exclude_functions)
    sites = [s for s in sites if s.function not in excluded]
    if not sites:
        return []
    arch = sites[0].arch
    makers = draft_makers(sites)
    pools = {}
    for t in types:
        indices = [i for i in range(len(sites)) if is_candidate(t, sites, i, makers[t])]
        stats[f"{t} sites"] = len(indices)
        pools[t] = Pool(makers[t], indices, rng)
    chosen = {t: [] for t in types}
    seen = set()
    for _ in range(MAX_ROUNDS):
        open_types = [t for t in types if not pools[t].empty()]
        missing = count - sum(len(c) for c in chosen.values())
        if missing <= 0 or not open_types:
            break
        want = shares(missing, open_types)
        batch = []
        for t in open_types:
            for _ in range(want[t] * DRAFT_FACTOR + 8):
                d = pools[t].take()
                if d is None:
                    break
                batch.append(d)
        for d in settle(arch, batch, stats):
            key = (d.site.address, d.new)
            if key not in seen and want[d.type] > 0:
                seen.add(key)
                want[d.type] -= 1
                chosen[d.type].append(Fault(d.site.address, d.site.bytes, d.new, d.type,
                                            describe(d)))
    faults = [f for t in types for f in chosen[t]]
    rng.shuffle(faults)
    return faults


def is_candidate(t, sites, i, make):
    """Whether site i can take a fault of type t; cheap for the common types."""
    site = sites[i]
    if is_padding(site):
        return False
    if t == "flip":
        return True
    if t in ("src-reg", "dst-reg"):
        return has_register(site, t[:3])
    if t == "pointer":
        return asm_operands(site) is not None and any(
            (X86_MEM if site.arch == "x86_64" else RISCV_MEM).match(op) for op in site.operands)
    return bool(make(i))


def has_register(site, role):
    return asm_operands(site) is not None and any(
        r == role and reg_class(site.arch, op) for op, r in zip(site.operands, operand_roles(site)))


def fault_arg(fault):
    """The fault as one command-line word for the in-guest injector: ADDR:HEXBYTES."""
    return f"{fault.address:x}:{fault.new.hex()}"


def main(argv):
    ap = argparse.ArgumentParser(prog="faultsites", description=__doc__.splitlines()[0])
    ap.add_argument("elf")
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--types", default=",".join(ALL_TYPES),
                    help="comma-separated, from: " + ", ".join(ALL_TYPES))
    ap.add_argument("--exclude-function", action="append", default=[])
    args = ap.parse_args(argv)
    types = tuple(t for t in args.types.split(",") if t)
    unknown = [t for t in types if t not in ALL_TYPES]
    if unknown:
        ap.error(f"unknown fault type(s): {', '.join(unknown)}")
    unparsed, stats = [], {}
    sites = load_sites(args.elf, unparsed)
    faults = make_faults(sites, args.count, args.seed, types, args.exclude_function, stats)
    for f in faults:
        print(f"{fault_arg(f)} {f.type} {f.what}")
    made = {t: sum(1 for f in faults if f.type == t) for t in types}
    print(f"{args.elf}: {len(sites)} instructions, {len(unparsed)} not parsed", file=sys.stderr)
    for line in unparsed[:10]:
        print(f"  not parsed: {line.strip()}", file=sys.stderr)
    for t in types:
        print(f"  {t:8} {stats[t + ' sites']:6} candidate sites {made[t]:6} faults",
              file=sys.stderr)
    dropped = {k: v for k, v in stats.items() if not k.endswith("sites")}
    print("  dropped: " + (", ".join(f"{v} {k}" for k, v in dropped.items()) or "none"),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
