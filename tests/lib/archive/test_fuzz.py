"""A short libFuzzer run over the boot archive reader, seeded with real archives.
The target (archive_fuzz.c) aborts on any inconsistency; ASan on any stray read.
For a longer run: build/host-fuzz/tests/lib/archive/archive_fuzz -max_total_time=600 DIR"""

import os

FUZZER = "build/host-fuzz/tests/lib/archive/archive_fuzz"
TOOL = "build/hosted/tools/mkbootarchive/mkbootarchive"
SECONDS = 15


def test_archive_reader_survives_fuzzing(t):
    corpus = os.path.join(t.tmp, "corpus")
    os.mkdir(corpus)
    for i, mods in enumerate(([], [b"abc"], [b"", b"x" * 37, bytes(range(200))])):
        lines = []
        for j, data in enumerate(mods):
            path = os.path.join(t.tmp, f"m{i}_{j}")
            with open(path, "wb") as f:
                f.write(data)
            lines.append(f"module m{j} {path}\n")
        conf = os.path.join(t.tmp, f"c{i}.conf")
        with open(conf, "w") as f:
            f.writelines(lines)
        t.run([TOOL, "-o", os.path.join(corpus, f"seed{i}"), conf], check_rc=0)
    dict_path = t.path("tests", "lib", "archive", "archive_fuzz.dict")
    t.run([FUZZER, f"-max_total_time={SECONDS}", f"-dict={dict_path}", "-print_final_stats=1",
           corpus], timeout=SECONDS + 60, check_rc=0)


test_archive_reader_survives_fuzzing.timeout = SECONDS + 90
