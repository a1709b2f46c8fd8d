"""The compilation database (compile_commands.json) that clangd and editors
read: one entry per object hake builds, with the flags ninja compiles it with
(less the dependency-file ones), cross-compiled objects included. It holds
absolute paths, so it is written to build/ at build time, never committed."""

import json
import os

import toolchains as tc


def entries(objects, root):
    """objects: (source, object, variant, extra flags) in the order hake met
    them. A source built in several variants gets one entry per variant; tools
    that want one take the first."""
    directory = os.path.abspath(root)
    out = []
    for src, obj, variant, flags in objects:
        args = ["clang"] + tc.COMMON + tc.VARIANTS[variant]["cflags"] + flags + \
            ["-c", src, "-o", obj]
        out.append({"directory": directory, "file": src, "output": obj, "arguments": args})
    return out


def write(objects, root, path):
    text = json.dumps(entries(objects, root), indent=1) + "\n"
    tmp = path + ".tmp"
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
