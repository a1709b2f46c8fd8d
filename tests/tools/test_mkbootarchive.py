"""tools/mkbootarchive packs what a boot configuration names, in a format that
GNU cpio (an independent implementation) reads back byte for byte."""

import os
import subprocess

TOOL = "build/hosted/tools/mkbootarchive/mkbootarchive"


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def test_archive_round_trips_through_gnu_cpio(t):
    mod_a = bytes(range(256)) * 3 + b"x"  # odd size: exercises padding
    mod_b = b""
    write(os.path.join(t.tmp, "a.bin"), mod_a)
    write(os.path.join(t.tmp, "b.bin"), mod_b)
    conf = f"# test\nmodule alpha {t.tmp}/a.bin\nmodule beta {t.tmp}/b.bin  # empty\n"
    write(os.path.join(t.tmp, "boot.conf"), conf.encode())
    out = os.path.join(t.tmp, "boot.cpio")
    t.run([TOOL, "-o", out, os.path.join(t.tmp, "boot.conf")], check_rc=0)

    listing = t.run(["cpio", "-i", "--list", "--quiet", "-F", out], check_rc=0)
    t.check(listing.stdout.split() == ["boot.conf", "alpha", "beta"],
            f"cpio lists {listing.stdout.split()}")
    extract = os.path.join(t.tmp, "x")
    os.mkdir(extract)
    t.run(["cpio", "-i", "--quiet", "-F", out], cwd=extract, check_rc=0)
    for name, want in (("alpha", mod_a), ("beta", mod_b), ("boot.conf", conf.encode())):
        with open(os.path.join(extract, name), "rb") as f:
            t.check(f.read() == want, f"{name} differs after extraction")


def test_every_platform_config_builds(t):
    for platform in sorted(os.listdir(t.path("platforms"))):
        conf = t.path("platforms", platform, "boot.conf")
        if not os.path.exists(conf):
            continue
        out = os.path.join(t.tmp, platform + ".cpio")
        t.run([TOOL, "-o", out, conf], check_rc=0)
        names = t.run(["cpio", "-i", "--list", "--quiet", "-F", out], check_rc=0).stdout.split()
        t.check("boot.conf" in names, f"{platform}: boot.conf missing from its archive")


def test_bad_config_line_is_reported_with_its_number(t):
    conf = os.path.join(t.tmp, "boot.conf")
    write(conf, b"# ok\nmodule a\n")
    p = t.run([TOOL, "-o", os.path.join(t.tmp, "o"), conf])
    t.check(p.returncode == 1, "a bad config was accepted")
    t.check(f"{conf}:2: module takes NAME and PATH" in p.stderr, f"unclear: {p.stderr}")
    write(conf, b"modul a b\n")
    p = t.run([TOOL, "-o", os.path.join(t.tmp, "o"), conf])
    t.check(p.returncode == 1 and ":1: unknown keyword" in p.stderr, f"unclear: {p.stderr}")


def test_missing_module_file_is_named(t):
    conf = os.path.join(t.tmp, "boot.conf")
    write(conf, f"module gone {t.tmp}/nonexistent\n".encode())
    out = os.path.join(t.tmp, "o")
    p = t.run([TOOL, "-o", out, conf])
    t.check(p.returncode == 1, "a missing module was accepted")
    t.check("nonexistent" in p.stderr and "No such file" in p.stderr, f"unclear: {p.stderr}")
    t.check(not os.path.exists(out), "a partial archive was left behind")


def test_duplicate_module_names_are_refused(t):
    write(os.path.join(t.tmp, "a"), b"a")
    conf = os.path.join(t.tmp, "boot.conf")
    write(conf, f"module a {t.tmp}/a\nmodule a {t.tmp}/a\n".encode())
    p = t.run([TOOL, "-o", os.path.join(t.tmp, "o"), conf])
    t.check(p.returncode == 1 and ":2: module name used twice" in p.stderr, f"unclear: {p.stderr}")


def test_three_hundred_modules_round_trip_through_gnu_cpio(t):
    # No table in the tool or the parser is fixed in size: the configuration sizes them.
    conf_lines, want = [], {}
    for i in range(300):
        data = f"module {i}\n".encode() * (i % 5)
        path = os.path.join(t.tmp, f"m{i}.bin")
        write(path, data)
        name = f"m{i:03d}" if i < 299 else "n" * 31  # the last at the longest name allowed
        conf_lines.append(f"module {name} {path}\n")
        want[name] = data
    write(os.path.join(t.tmp, "boot.conf"), "".join(conf_lines).encode())
    out = os.path.join(t.tmp, "boot.cpio")
    t.run([TOOL, "-o", out, os.path.join(t.tmp, "boot.conf")], check_rc=0)
    names = t.run(["cpio", "-i", "--list", "--quiet", "-F", out], check_rc=0).stdout.split()
    t.check(names == ["boot.conf"] + list(want), f"cpio lists {len(names)} entries, not 301")
    extract = os.path.join(t.tmp, "x")
    os.mkdir(extract)
    t.run(["cpio", "-i", "--quiet", "-F", out], cwd=extract, check_rc=0)
    for name, data in want.items():
        with open(os.path.join(extract, name), "rb") as f:
            t.check(f.read() == data, f"{name} differs after extraction")


def test_overlong_module_name_is_refused_with_the_limit(t):
    write(os.path.join(t.tmp, "a"), b"a")
    conf = os.path.join(t.tmp, "boot.conf")
    write(conf, f"module {'n' * 32} {t.tmp}/a\n".encode())
    p = t.run([TOOL, "-o", os.path.join(t.tmp, "o"), conf])
    t.check(p.returncode == 1 and ":1: module name too long (at most 31 characters)" in p.stderr,
            f"unclear: {p.stderr}")
