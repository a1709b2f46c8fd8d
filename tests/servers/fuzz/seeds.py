"""Seed inputs for the servers' fuzz targets (harness.h gives the format):
a few sequences of requests that succeed, which libFuzzer then mutates.
Without them it rarely builds a path in a grant or a handle it was given."""

import os
import struct


def msg(type_, payload):
    return struct.pack("<HBBI", type_, 0, len(payload), 0) + payload.ljust(56, b"\0")


def record(client, m, splice_to=None, answer=0, word=0):
    who = client | ((4 | splice_to << 3) if splice_to is not None else 0)
    return bytes([who, answer | word << 3]) + m


def grant(data):
    return struct.pack("<H", len(data)) + data


# FS (proto/fs.h): the grant's paths and bytes, then the requests.
FS_OPEN, FS_CLOSE, FS_READ, FS_WRITE, FS_SEEK, FS_STAT, FS_FSTAT, FS_READDIR, FS_MKDIR, \
    FS_UNLINK, FS_RMDIR, FS_RENAME, FS_LINK, FS_SYMLINK, FS_READLINK, FS_TRUNCATE, \
    FS_FTRUNCATE, FS_SETATTR, FS_SYNC, FS_FSYNC, FS_STATFS, FS_PIPE, FS_LEND, FS_ADOPT, \
    FS_MOUNT, FS_UMOUNT, FS_MOUNTS, FS_POLL = range(0xb00, 0xb1c)
PATHS = {"/tmp/a": 0, "/tmp/d": 16, "/tmp/l": 32, "/tmp/d/b": 48, "/mnt": 64, "/": 80}
DATA, OUT = 256, 1024


def fs_grant():
    g = bytearray(2048)
    for p, at in PATHS.items():
        g[at:at + len(p)] = p.encode()
    g[DATA:DATA + 200] = bytes(range(200))
    return bytes(g)


def path(p):
    return struct.pack("<II", PATHS[p], len(p))


def fs_seeds():
    opened = lambda p, flags: msg(FS_OPEN, path(p) + struct.pack("<II", flags, 0o644))  # noqa
    io = lambda t, b: msg(t, struct.pack("<QQIIII", 0, 0, DATA if t == FS_WRITE else OUT, b, 0, 0))  # noqa
    files = [
        record(0, opened("/tmp/a", 1 | 2 | 4)),
        record(0, io(FS_WRITE, 200), splice_to=0),
        record(0, msg(FS_SEEK, struct.pack("<QqII", 0, 0, 0, 0)), splice_to=0, answer=1),
        record(0, io(FS_READ, 100), splice_to=0, answer=2),
        record(0, msg(FS_FSTAT, struct.pack("<QII", 0, OUT, 0)), splice_to=0, answer=3),
        record(0, msg(FS_FTRUNCATE, struct.pack("<QQ", 0, 10)), splice_to=0, answer=4),
        record(0, msg(FS_LEND, struct.pack("<Q", 0)), splice_to=0, answer=5),
        record(1, msg(FS_ADOPT, struct.pack("<Q", 0))),
        record(0, msg(FS_CLOSE, struct.pack("<Q", 0)), splice_to=0, answer=6),
    ]
    names = [
        record(0, msg(FS_MKDIR, path("/tmp/d") + struct.pack("<II", 0o755, 0))),
        record(0, opened("/tmp/d/b", 2 | 4)),
        record(0, msg(FS_SYMLINK, path("/tmp/d/b") + path("/tmp/l"))),
        record(0, msg(FS_READLINK, path("/tmp/l") + struct.pack("<II", OUT, 64))),
        record(0, msg(FS_STAT, path("/tmp/l") + struct.pack("<II", 128, OUT))),
        record(0, msg(FS_RENAME, path("/tmp/l") + path("/tmp/a"))),
        record(0, opened("/tmp/d", 1 | 64)),
        record(0, msg(FS_READDIR, struct.pack("<QQII", 0, 0, OUT, 512)), splice_to=0),
        record(0, msg(FS_LINK, path("/tmp/d/b") + path("/tmp/l"))),
        record(0, msg(FS_UNLINK, path("/tmp/d/b"))),
        record(0, msg(FS_RMDIR, path("/tmp/d"))),
        record(0, msg(FS_STATFS, path("/tmp/a") + struct.pack("<II", OUT, 0))),
        record(0, msg(FS_MOUNTS, struct.pack("<IIII", 0, OUT, 256, 0))),
    ]
    pipes = [
        record(2, msg(FS_PIPE, b"")),
        record(2, msg(FS_WRITE, struct.pack("<QQIIII", 0, 0, 0, 5, 0, 0)), splice_to=0, word=1),
        record(2, msg(FS_POLL, struct.pack("<Q", 0)), splice_to=0, answer=1),
        record(2, msg(FS_READ, struct.pack("<QQIIII", 0, 0, 64, 5, 0, 0)), splice_to=0,
               answer=2),
        record(2, msg(FS_CLOSE, struct.pack("<Q", 0)), splice_to=0, answer=3, word=1),
        record(2, msg(FS_READ, struct.pack("<QQIIII", 0, 0, 64, 5, 0, 0)), splice_to=0,
               answer=4),
    ]
    return {"files": grant(fs_grant()) + b"".join(files),
            "names": grant(fs_grant()) + b"".join(names),
            "pipes": grant(fs_grant()) + b"".join(pipes)}


# PM (proto/pm.h). Clients: 0 init, 1 its child, 2 that child's child, 3 a
# stranger (pm_fuzz.c); an event is a death the monitor reports.
PM_GETPID, PM_SPAWN, PM_WAIT, PM_KILL, PM_PS, PM_WHO, PM_FOREGROUND, PM_INTERRUPT, \
    PM_ADOPT = 0x200, 0x202, 0x203, 0x204, 0x205, 0x206, 0x207, 0x208, 0x209
EVENT = 0xffff


def death(core, domain, status=0, signal=0, cause=0, addr=0):
    return msg(EVENT, struct.pack("<IIiHHQ", core, domain, status, signal, cause, addr))


def pm_seeds():
    argv = b"echo\0hi\0\0"
    spawn = msg(PM_SPAWN, struct.pack("<iII", -1, len(argv), 0) + b"echo".ljust(32, b"\0"))
    family = [
        record(1, msg(PM_GETPID, b"")),
        record(2, msg(PM_GETPID, b"")),
        record(1, spawn),
        record(1, msg(PM_FOREGROUND, struct.pack("<i", 0)), splice_to=0, answer=1),
        record(0, msg(PM_INTERRUPT, b"")),
        record(1, msg(PM_WAIT, struct.pack("<iI", -1, 1))),
        record(2, msg(PM_KILL, struct.pack("<iI", 0, 0)), splice_to=0),
        record(0, death(2, 102, status=7)),
        record(1, msg(PM_WAIT, struct.pack("<iI", -1, 0))),
        record(1, msg(PM_WAIT, struct.pack("<iI", -1, 0))),
        record(0, death(1, 101, signal=9, cause=1, addr=0x1000)),
        record(3, msg(PM_PS, struct.pack("<I", 2))),
        record(3, msg(PM_WHO, struct.pack("<II", 1, 101))),
        record(0, msg(PM_ADOPT, b"")),
    ]
    return {"family": grant(argv) + b"".join(family)}


# The block driver (proto/blk.h) and the console (proto/console.h).
BLK_INFO, BLK_READ, BLK_WRITE, BLK_FLUSH = 0xa00, 0xa01, 0xa02, 0xa03
CONS_READ, CONS_WRITE, CONS_SYNC, CONS_POLL = 0x300, 0x302, 0x303, 0x304


def blk_seeds():
    io = lambda t, lba, offset, n, tag: msg(t, struct.pack("<QQIIQ", lba, offset, n * 512, 0, tag))  # noqa
    reqs = [record(0, msg(BLK_INFO, b"")), record(0, io(BLK_WRITE, 10, 0, 8, 1)),
            record(0, io(BLK_READ, 10, 4096, 8, 2)), record(1, io(BLK_READ, 8191, 0, 1, 3)),
            record(0, msg(BLK_FLUSH, struct.pack("<Q", 4))), record(3, io(BLK_READ, 0, 0, 1, 5))]
    reqs += [record(2, io(BLK_READ, i, 512 * i, 1, 10 + i)) for i in range(18)]
    return {"io": grant(bytes(range(256)) * 16) + b"".join(reqs)}


def cons_seeds():
    line = b"hello from the grant\n"
    inline = b"inline\n"
    reqs = [
        record(0, msg(CONS_WRITE, struct.pack("<IIQ", len(line), 0, 1))),
        record(0, msg(CONS_WRITE, struct.pack("<IIQ", len(line), 0, 1))),
        record(1, msg(CONS_WRITE, struct.pack("<IIQ", len(inline), 0xffffffff, 0) + inline)),
        record(1, msg(CONS_READ, b"")),
        record(0, msg(EVENT, b"ls -l\x7fx\x15again\n")),
        record(2, msg(CONS_POLL, b"")),
        record(2, msg(CONS_READ, b"")),
        record(0, msg(EVENT, b"\x03")),
        record(0, msg(CONS_SYNC, b"")),
    ]
    return {"lines": grant(line) + b"".join(reqs)}


SEEDS = {"fs_fuzz": fs_seeds, "pm_fuzz": pm_seeds, "blk_fuzz": blk_seeds,
         "cons_fuzz": cons_seeds}


def write_seeds(target, folder):
    """The target's seeds as files in folder (libFuzzer's corpus)."""
    os.makedirs(folder, exist_ok=True)
    for name, data in SEEDS[target]().items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
