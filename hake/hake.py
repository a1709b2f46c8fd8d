#!/usr/bin/env python3
"""hake: reads every Hakefile in the tree and writes the top-level build.ninja.

Usage: python3 hake/hake.py [--check] [--root DIR] [--compdb PATH]

The output depends only on the Hakefiles and on hake itself (no clock, no
environment, no absolute paths), so running it twice gives the same bytes.
--check compares instead of writing and exits 1 if build.ninja is stale.
--compdb writes the compilation database to PATH instead (compdb.py); the
build does that for build/compile_commands.json.
"""

import os
import posixpath
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import compdb  # noqa: E402
import hakefile  # noqa: E402
import ninja  # noqa: E402
import toolchains as tc  # noqa: E402

SKIP_DIRS = {".git", "build", ".cache", "__pycache__"}
HAKE_SOURCES = ["hake/compdb.py", "hake/hake.py", "hake/hakefile.py", "hake/ninja.py",
                "hake/toolchains.py"]
COMPDB = "build/compile_commands.json"
HARNESS_LIB = "testharness"
MKARCHIVE = "build/hosted/tools/mkbootarchive/mkbootarchive"
MKROOT = "tools/mkroot"
ROOTFS = "platforms/rootfs"


def find_hakefiles(root):
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        if "Hakefile" in filenames:
            rel = os.path.relpath(dirpath, root)
            found.append("" if rel == "." else rel.replace(os.sep, "/"))
    return sorted(found)


def load_rules(root):
    rules = []
    for folder in find_hakefiles(root):
        path = posixpath.join(folder, "Hakefile")
        with open(os.path.join(root, path), encoding="utf-8") as f:
            rules.extend(hakefile.parse(f.read(), folder, path))
    return rules


def src_path(rule, src):
    """Hakefile paths are relative to their folder; '//x' is relative to the root."""
    if src.startswith("//"):
        return posixpath.normpath(src[2:])
    return posixpath.normpath(posixpath.join(rule.folder, src))


def obj_path(variant, src):
    stem, _ = posixpath.splitext(src)
    if stem.startswith(".cache/"):
        stem = "cache/" + stem[len(".cache/"):]
    return f"build/{variant}/{stem}.o"


class Graph:
    """Everything hake knows after reading the tree; tools/test reads it too."""

    def __init__(self, root):
        self.root = root
        self.rules = load_rules(root)
        self.w = ninja.Writer()
        self.libraries = {}  # name -> rule
        self.fetched = {}  # output path -> list of all outputs of its fetch edge
        self.objects = {}  # object path -> compile flags, to build each object once
        self.compiled = []  # (source, object, variant, flags), for the compilation database
        self.outputs = {"all": [], "host-tests": [], "fuzz": []}
        for p in tc.PLATFORMS:
            self.outputs.setdefault(p, [])
        self.host_tests = []  # (folder, binary)
        self.fuzz_targets = []  # (folder, name, binary)
        self.programs = {}  # (platform, name) -> output path of kernels and domains
        self.configs = []  # boot configurations read while generating

    # -- helpers ---------------------------------------------------------

    def lib_rule(self, rule, name):
        lib = self.libraries.get(name)
        if lib is None:
            raise hakefile.HakefileError(f"{rule.where()}: no library named {name!r}")
        return lib

    def lib_file(self, name, variant):
        lib = self.libraries[name]
        return f"build/{variant}/{lib.folder}/lib{name}.a"

    def includes_of(self, rule, libs, arch):
        dirs = [src_path(rule, d.format(arch=arch)) for d in rule.get("includes", [])]
        for name in libs:
            lib = self.lib_rule(rule, name)
            dirs += [src_path(lib, d.format(arch=arch)) for d in lib.get("includes", [])]
        out = []
        for d in dirs:
            if d not in out:
                out.append(d)
        return out

    def fetched_under(self, dirs):
        deps = set()
        for out, group in self.fetched.items():
            if any(out == d or out.startswith(d + "/") for d in dirs):
                deps.update(group)
        return sorted(deps)

    def compile(self, rule, variant, srcs, libs):
        includes = self.includes_of(rule, libs, tc.VARIANTS[variant]["arch"])
        flags = [f"-I{d}" for d in includes] + list(rule.get("cflags", []))
        order = sorted(set(self.fetched_under(includes)) | set(tc.VARIANTS[variant].get("needs", [])))
        objs = []
        for s in srcs:
            src = src_path(rule, s)
            obj = obj_path(variant, src)
            key = " ".join(flags)
            if obj in self.objects:
                if self.objects[obj] != key:
                    raise hakefile.HakefileError(
                        f"{rule.where()}: {src} is built twice in {variant} with different flags")
            else:
                self.objects[obj] = key
                self.compiled.append((src, obj, variant, flags))
                self.w.build([obj], "cc", [src], order_only=order, variables={
                    "cflags": f"$cflags_{var_id(variant)}" + ("" if not flags else " " + key),
                })
            objs.append(obj)
        return objs

    def lib_files(self, rule, libs, variant):
        files = []
        for name in libs:
            lib = self.lib_rule(rule, name)
            if variant not in lib_variants(lib):
                raise hakefile.HakefileError(
                    f"{rule.where()}: library {name!r} is not built for {variant}")
            files.append(self.lib_file(name, variant))
        return files

    def add_output(self, path, *groups):
        for g in ("all",) + groups:
            self.outputs[g].append(path)

    # -- rules -----------------------------------------------------------

    def do_external(self, rule):
        """Something built by its own build system, through a script of ours."""
        outs = [src_path(rule, o) for o in rule.need("outputs")]
        script = src_path(rule, rule.need("script"))
        inputs = [src_path(rule, i) for i in rule.get("inputs", [])]
        self.w.build(outs, "external", implicit=[script] + inputs,
                     variables={"script": script, "args": " ".join(rule.get("args", []))})
        for o in outs:
            self.add_output(o)

    def do_fetch(self, rule):
        outs = [src_path(rule, o) for o in rule.need("outputs")]
        script = src_path(rule, rule.need("script"))
        self.w.build(outs, "fetch", implicit=[script], variables={"script": script})
        for o in outs:
            self.fetched[o] = outs

    def do_library(self, rule):
        name = rule.need("name")
        for variant in lib_variants(rule):
            arch = tc.VARIANTS[variant]["arch"]
            srcs = list(rule.need("srcs")) + list(rule.get("arch_srcs", {}).get(arch, []))
            objs = self.compile(rule, variant, srcs, [name])
            out = self.lib_file(name, variant)
            self.w.build([out], "ar", objs)
            platform = tc.VARIANTS[variant]["platform"]
            if platform not in tc.DERIVED_PLATFORMS:  # there, built only as programs need it
                self.add_output(out, platform)

    def link_host(self, rule, variant, out, extra_libs=()):
        libs = list(rule.get("libs", [])) + list(extra_libs)
        objs = self.compile(rule, variant, rule.need("srcs"), libs)
        extra = " ".join(rule.get("ldflags", []))
        self.w.build([out], "link_host", objs + self.lib_files(rule, libs, variant),
                     variables={"ldflags": f"$ldflags_{var_id(variant)}" + (" " + extra if extra else "")})

    def do_host_test(self, rule):
        """A unit-test binary under ASan+UBSan, and also under TSan if asked."""
        for variant in ["host-test"] + (["host-tsan"] if rule.get("tsan") else []):
            out = f"build/{variant}/{rule.folder}/{rule.need('name')}"
            self.link_host(rule, variant, out, [HARNESS_LIB])
            self.host_tests.append((rule.folder, out))
            self.add_output(out, "host-tests", "hosted")

    def do_host_tool(self, rule):
        variant = "host-test" if rule.get("sanitize") else "hosted"
        out = f"build/{variant}/{rule.folder}/{rule.need('name')}"
        self.link_host(rule, variant, out)
        self.add_output(out, "hosted")

    def do_fuzz_target(self, rule):
        name = rule.need("name")
        out = f"build/host-fuzz/{rule.folder}/{name}"
        self.link_host(rule, "host-fuzz", out)
        self.fuzz_targets.append((rule.folder, name, out))
        self.add_output(out, "fuzz", "hosted")

    def do_program(self, rule, role):
        """A CPU driver image (role kernel) or a user domain (role user, or libc
        for programs on newlib)."""
        name = rule.need("name")
        role = rule.get("role", role)
        for platform in rule.get("platforms", tc.GUEST_PLATFORMS) + tc.DERIVED_PLATFORMS:
            variant = tc.guest_variant(platform, role)
            elf = f"build/{platform}/{rule.folder}/{name}.elf"
            if platform in tc.DERIVED_PLATFORMS and (variant not in tc.VARIANTS or
                                                     elf not in self.derived):
                continue  # a derived platform builds only what its configuration names
            arch = tc.VARIANTS[variant]["arch"]
            libs = list(rule.get("libs", [])) + list(rule.get("arch_libs", {}).get(arch, []))
            libs += tc.VARIANTS[variant].get("runtime", [])
            srcs = list(rule.get("srcs", [])) + list(rule.get("arch_srcs", {}).get(arch, []))
            objs = self.compile(rule, variant, srcs, libs)
            script = src_path(rule, rule.need("ldscript").format(platform=platform, arch=arch))
            libc = tc.VARIANTS[variant].get("libc", [])
            self.w.build([elf], "link_guest", objs + self.lib_files(rule, libs, variant) + libc,
                         implicit=[script],
                         variables={"ldflags": f"$ldflags_{var_id(variant)} -T {script}"})
            out = elf
            fmt = rule.get("image_format", {}).get(platform)
            if fmt:
                out = f"build/{platform}/{rule.folder}/{name}"
                self.w.build([out], "objcopy", [elf], variables={"format": fmt})
            self.programs[(platform, name)] = out
            self.add_output(out, platform)

    def do_boot_archive(self, rule):
        """build/<platform>/boot.cpio and root.img from the platform's boot
        configuration: its modules go into the archive, its programs into the
        root image's /bin beside the files of platforms/rootfs; each is a
        dependency, so both follow every change."""
        config = src_path(rule, rule.need("config"))
        platform = posixpath.basename(rule.folder)
        derive = rule.get("derive")
        files = self.config_files(rule)
        if derive:
            if config not in self.configs:
                self.configs.append(config)
            generated = f"build/{platform}/boot.conf"
            self.w.build([generated], "derive", [config],
                         variables={"from": derive["from"], "to": derive["to"]})
            config = generated
        out = f"build/{platform}/boot.cpio"
        self.w.build([out], "mkarchive", [config], implicit=[MKARCHIVE] + files["module"])
        if not derive and config not in self.configs:
            self.configs.append(config)
        self.add_output(out, platform)
        root = f"build/{platform}/root.img"
        self.w.build([root], "mkroot", [config],
                     implicit=[MKROOT] + files["program"] + self.rootfs_files())
        self.add_output(root, platform)

    def config_files(self, rule):
        """The module and program files a boot_archive rule's configuration
        names. With derive={"from": A, "to": B} the configuration is another
        platform's, and its paths starting A are made to start B (the same
        programs, built another way); generated as build/<platform>/boot.conf."""
        config = src_path(rule, rule.need("config"))
        d = rule.get("derive")
        files = {"module": [], "program": []}
        with open(os.path.join(self.root, config), encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                words = line.split("#", 1)[0].split()
                if words[:1] in (["module"], ["program"]):
                    if len(words) != 3:
                        raise hakefile.HakefileError(f"{config}:{number}: {words[0]} NAME PATH")
                    path = words[2]
                    if d and path.startswith(d["from"]):
                        path = d["to"] + path[len(d["from"]):]
                    files[words[0]].append(path)
        return files

    def rootfs_files(self):
        """The files of platforms/rootfs, the root image's tree besides /bin."""
        top = os.path.join(self.root, ROOTFS)
        found = []
        for folder, dirs, names in os.walk(top):
            dirs.sort()
            # A file added there makes ninja generate this file again.
            where = os.path.relpath(folder, self.root).replace(os.sep, "/")
            if where not in self.configs:
                self.configs.append(where)
            found += sorted(posixpath.join(os.path.relpath(folder, self.root).replace(
                os.sep, "/"), n) for n in names)
        return found

    # -- the whole file --------------------------------------------------

    def generate(self):
        w = self.w
        w.comment("Generated by hake/hake.py from the Hakefiles. Do not edit: edit a Hakefile.")
        w.variable("ninja_required_version", "1.10")
        w.blank()
        for name, v in tc.VARIANTS.items():
            w.variable(f"cflags_{var_id(name)}", tc.COMMON + v["cflags"])
            w.variable(f"ldflags_{var_id(name)}", v["ldflags"])
        w.blank()
        w.rule("cc", "clang -MD -MF $out.d $cflags -c $in -o $out",
               depfile="$out.d", deps="gcc", description="CC $out")
        w.rule("ar", "rm -f $out && llvm-ar crsD $out $in", description="AR $out")
        w.rule("link_host", "clang $ldflags $in -o $out", description="LINK $out")
        w.rule("link_guest", "ld.lld $ldflags $in -o $out", description="LD $out")
        w.rule("objcopy", "llvm-objcopy -O $format $in $out", description="OBJCOPY $out")
        w.rule("fetch", "$script", description="FETCH $script", restat="1")
        w.rule("external", "$script $args", description="BUILD $script $args")
        w.rule("mkarchive", f"{MKARCHIVE} -o $out $in", description="ARCHIVE $out")
        w.rule("mkroot", f"{MKROOT} $out $in {ROOTFS}", description="ROOT $out")
        w.rule("derive", "sed 's#^\\(module\\|program\\)\\( *[^ ]* *\\)$from#\\1\\2$to#' $in > $out",
               description="DERIVE $out")
        w.rule("hake", "python3 hake/hake.py", generator="1", description="HAKE build.ninja")
        w.rule("compdb", "python3 hake/hake.py --compdb $out", description="HAKE $out")
        w.blank()

        for rule in self.rules:
            if rule.kind == "library":
                name = rule.need("name")
                if name in self.libraries:
                    raise hakefile.HakefileError(
                        f"{rule.where()}: library {name!r} is already defined at "
                        f"{self.libraries[name].where()}")
                self.libraries[name] = rule
        for rule in self.rules:
            if rule.kind == "fetch":
                self.do_fetch(rule)
            elif rule.kind == "external":
                self.do_external(rule)
        self.derived = set()  # the programs derived platforms' configurations name
        for rule in self.rules:
            if rule.kind == "boot_archive" and rule.get("derive"):
                files = self.config_files(rule)
                self.derived.update(files["module"] + files["program"])
        handlers = {
            "library": self.do_library,
            "host_test": self.do_host_test,
            "host_tool": self.do_host_tool,
            "fuzz_target": self.do_fuzz_target,
            "kernel": lambda r: self.do_program(r, "kernel"),
            "domain": lambda r: self.do_program(r, "user"),
            "boot_archive": self.do_boot_archive,
        }
        for rule in self.rules:
            if rule.kind in handlers:
                handlers[rule.kind](rule)

        w.blank()
        folders = find_hakefiles(self.root)
        hakefiles = [posixpath.join(f, "Hakefile") for f in folders]
        regen_inputs = (HAKE_SOURCES + hakefiles + sorted(self.configs) +
                        watched_folders(self.root, folders))
        w.build(["build.ninja"], "hake", implicit=regen_inputs)
        w.build([COMPDB], "compdb", implicit=regen_inputs)
        self.add_output(COMPDB)
        # A deleted input must make ninja regenerate, not stop with "missing".
        for path in regen_inputs:
            w.build([path], "phony")
        for group in sorted(self.outputs):
            w.build([group], "phony", sorted(self.outputs[group]))
        w.default(["all"])
        return w.text()


def watched_folders(root, hakefile_folders):
    """Folders whose mtime changes when a Hakefile is added below them: the
    top-level folders and every folder on the way to a Hakefile. ninja then
    regenerates build.ninja for a new Hakefile in any of them. (Not the root:
    ninja's own log files change its mtime.)"""
    found = set()
    for entry in os.listdir(root):
        if entry not in SKIP_DIRS and not entry.startswith(".") and \
                os.path.isdir(os.path.join(root, entry)):
            found.add(entry)
    for folder in hakefile_folders:
        while folder:
            found.add(folder)
            folder = posixpath.dirname(folder)
    return sorted(found)


def var_id(variant):
    return variant.replace("/", "_").replace("-", "_")


def lib_variants(rule):
    roles = rule.get("roles", ["kernel", "user", "host"])
    platforms = rule.get("platforms", tc.PLATFORMS)
    return tc.variants_for(roles, platforms)


def load(root):
    graph = Graph(root)
    text = graph.generate()
    return graph, text


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    check = False
    compdb_path = None
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--check":
            check = True
        elif a == "--root" and args:
            root = args.pop(0)
        elif a == "--compdb" and args:
            compdb_path = args.pop(0)
        else:
            print(__doc__.strip(), file=sys.stderr)
            return 2
    try:
        graph, text = load(root)
    except hakefile.HakefileError as e:
        print(f"hake: {e}", file=sys.stderr)
        return 1
    if compdb_path:
        compdb.write(graph.compiled, root, os.path.join(root, compdb_path))
        return 0
    target = os.path.join(root, "build.ninja")
    old = None
    if os.path.exists(target):
        with open(target, encoding="utf-8") as f:
            old = f.read()
    if check:
        if old != text:
            print("hake: build.ninja is stale: run python3 hake/hake.py and commit it",
                  file=sys.stderr)
            return 1
        return 0
    # Written even when unchanged, so that ninja sees it newer than its inputs.
    with open(target, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
