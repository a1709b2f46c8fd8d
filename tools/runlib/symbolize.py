"""Turns the backtrace lines of the kernel's reports ("... bt #N PC MODULE+OFF",
cpudriver/backtrace.c) into function (file:line) with llvm-symbolizer over the
build's ELF files, and writes that at the end of the raw line, which stays as
it was. tools/run passes the console through Annotator, so the terminal and
the boot tests' logs both see it."""

import json
import os
import re
import selectors
import subprocess

import modules

FRAME = re.compile(r"\bbt #(\d+) 0x([0-9a-f]+) ([A-Za-z0-9_.-]+)\+0x[0-9a-f]+\s*$")
LOOKUP_TIMEOUT = 10  # seconds; past that a module is left raw


class Symbolizer:
    """One llvm-symbolizer per ELF file, kept running for the next lookup."""

    def __init__(self, arch, root=modules.ROOT):
        self.root = root
        self.files = modules.elf_files(arch, root)
        self.procs = {}  # path -> Popen, or None where it cannot run

    def close(self):
        for p in self.procs.values():
            if p is not None:
                p.kill()
                p.wait()

    def _proc(self, path):
        if path not in self.procs:
            p = None
            if os.path.exists(os.path.join(self.root, path)):
                try:
                    p = subprocess.Popen(["llvm-symbolizer", f"--obj={path}", "--relativenames",
                                          "--output-style=JSON"], cwd=self.root,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL)
                except OSError:
                    p = None
            self.procs[path] = p
        return self.procs[path]

    def _ask(self, path, address):
        p = self._proc(path)
        if p is None:
            return []
        try:
            p.stdin.write(f"0x{address:x}\n".encode())
            p.stdin.flush()
            with selectors.DefaultSelector() as sel:
                sel.register(p.stdout, selectors.EVENT_READ)
                if not sel.select(LOOKUP_TIMEOUT):
                    raise OSError("llvm-symbolizer did not answer")
                answer = json.loads(p.stdout.readline())
        except (OSError, ValueError):
            p.kill()
            self.procs[path] = None
            return []
        return [s for s in answer.get("Symbol", []) if s.get("FunctionName")]

    def describe(self, line):
        """'function (file:line)' for a backtrace line (innermost inlined
        function first), or None for any other line or an unknown module."""
        m = FRAME.search(line)
        if not m or m.group(3) not in self.files:
            return None
        pc = int(m.group(2), 16)
        # Past frame 0 the address is a return address: the call is just before it.
        address = pc if m.group(1) == "0" else pc - 1
        frames = self._ask(self.files[m.group(3)], address)
        if not frames:
            return None
        return " inlined in ".join(f"{s['FunctionName']} ({s['FileName']}:{s['Line']})"
                                   for s in frames)


class Annotator:
    """Passes console bytes through at once; where a line that ends is a
    backtrace frame, puts its description just before the line's end (a
    '\\r' that may start the line ending is held back until it is clear)."""

    def __init__(self, describe):
        self.describe = describe
        self.line = b""  # the current line so far, for matching (its tail only)
        self.cr = False  # a '\r' held back

    def feed(self, chunk):
        out = bytearray()
        segments = chunk.split(b"\n")
        for i, seg in enumerate(segments):
            ended = i < len(segments) - 1
            if self.cr and seg:
                out += b"\r"  # it was not the line's end after all
                self.line += b"\r"
                self.cr = False
            if seg.endswith(b"\r"):
                seg = seg[:-1]
                self.cr = True
            out += seg
            self.line = (self.line + seg)[-512:]
            if ended:
                note = self.describe(self.line.decode(errors="replace"))
                if note:
                    out += b"  " + note.encode()
                out += b"\r\n" if self.cr else b"\n"
                self.line, self.cr = b"", False
        return bytes(out)

    def flush(self):
        out = b"\r" if self.cr else b""
        self.line, self.cr = b"", False
        return out
