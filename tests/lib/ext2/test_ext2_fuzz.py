"""A short libFuzzer run over lib/ext2 (ext2_fuzz.c), seeded with small mke2fs
images: mount, walk and read everything, write a little, walk again. ASan and
UBSan catch stray accesses, libFuzzer's timeout catches hangs. For a longer run:
build/host-fuzz/tests/lib/ext2/ext2_fuzz -max_total_time=600 -timeout=10 DIR"""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import ext2img  # noqa: E402

SECONDS = 20


def seeds(t, corpus):
    """Two small images: one with mke2fs's default ext2 features, one without
    the optional ones. Each file is as long as its file system says."""
    src = os.path.join(t.tmp, "seedsrc")
    os.makedirs(os.path.join(src, "d", "e"))
    with open(os.path.join(src, "f"), "w") as f:
        f.write("hello\n")
    with open(os.path.join(src, "d", "g"), "wb") as f:
        f.write(bytes(range(256)) * 55)
    os.symlink("f", os.path.join(src, "l"))
    os.symlink("z" * 70, os.path.join(src, "d", "ll"))
    mke2fs = ext2img.tool(t, "mke2fs")
    for name, kb, extra in (("default", 128, []),
                            ("plain", 64, ["-m", "0", "-O", "^resize_inode,^dir_index,^ext_attr"])):
        image = os.path.join(corpus, name)
        t.run([mke2fs, "-q", "-F", "-t", "ext2", "-b", "1024", "-N", "32", *extra, "-d", src,
               image, str(kb)], check_rc=0)
        os.truncate(image, kb * 1024)


def test_ext2_survives_fuzzing(t):
    corpus = os.path.join(t.tmp, "corpus")
    os.mkdir(corpus)
    seeds(t, corpus)
    t.run([ext2img.FUZZER, f"-max_total_time={SECONDS}", "-timeout=10", "-print_final_stats=1",
           corpus], timeout=SECONDS + 60, check_rc=0)


test_ext2_survives_fuzzing.timeout = SECONDS + 90
