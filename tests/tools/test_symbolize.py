"""tools/run's console filter: backtrace lines get function (file:line) at their
end, whatever way QEMU's output is cut into chunks; everything else passes
through unchanged and at once (a prompt must not wait for its line's end)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools", "runlib"))

import symbolize  # noqa: E402


def fake(line):
    return "f (a.c:3)" if symbolize.FRAME.search(line) else None


def test_note_goes_before_the_line_end_across_chunks(t):
    text = b"trap:   bt #0 0x400015 badptr+0x15\r\n$ "
    for cut in range(len(text) + 1):
        a = symbolize.Annotator(fake)
        out = a.feed(text[:cut]) + a.feed(text[cut:]) + a.flush()
        t.check(out == b"trap:   bt #0 0x400015 badptr+0x15  f (a.c:3)\r\n$ ",
                f"cut at {cut}: {out!r}")


def test_other_output_passes_unchanged_and_at_once(t):
    a = symbolize.Annotator(fake)
    t.check(a.feed(b"hello\r\nbt #0 0x1 ?\n$ ") == b"hello\r\nbt #0 0x1 ?\n$ ",
            "a line that is not a frame was changed")
    t.check(a.feed(b"ab\rc\r") == b"ab\rc", "a carriage return inside a line was lost")
    t.check(a.feed(b"d\n") == b"\rd\n", "the held carriage return did not come back")


def test_frames_past_the_first_are_looked_up_before_the_return_address(t):
    asked = []

    class Probe(symbolize.Symbolizer):
        def _ask(self, path, address):
            asked.append((path, address))
            return [{"FunctionName": "g", "FileName": "b.c", "Line": 7},
                    {"FunctionName": "h", "FileName": "c.c", "Line": 9}]

    s = Probe("x86_64", t.root)
    t.check(s.describe("trap:   bt #0 0x400015 badptr+0x15") == "g (b.c:7) inlined in h (c.c:9)",
            "inlined frames are not named innermost first")
    s.describe("panic: bt #1 0xffffffff80100010 cpudriver+0x10")
    t.check(asked == [("build/x86_64-qemu/tests/domains/badptr.elf", 0x400015),
                      ("build/x86_64-qemu/cpudriver/cpudriver.elf", 0xffffffff8010000f)],
            f"asked for {asked}")
    t.check(s.describe("trap:   bt #0 0x400015 nosuch+0x15") is None, "an unknown module was named")
