"""Short libFuzzer runs over the servers' handlers, each from the seeds in
seeds.py (the harness aborts on an answer that is not an err_t, a reply
past its payload, an answer to no client; ASan and UBSan on the rest). For
a longer run: build/host-fuzz/tests/servers/fuzz/TARGET -max_total_time=600
CORPUS, after seeds.write_seeds(TARGET, CORPUS)."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import seeds  # noqa: E402

SECONDS = 15


def run_target(t, target):
    corpus = os.path.join(t.tmp, "corpus")
    seeds.write_seeds(target, corpus)
    t.run([f"build/host-fuzz/tests/servers/fuzz/{target}", f"-max_total_time={SECONDS}",
           "-print_final_stats=1", f"-artifact_prefix={t.tmp}/", corpus],
          timeout=SECONDS + 60, check_rc=0)


def test_fs_handlers_survive_fuzzing(t):
    run_target(t, "fs_fuzz")


test_fs_handlers_survive_fuzzing.timeout = SECONDS + 90


def test_pm_handlers_survive_fuzzing(t):
    run_target(t, "pm_fuzz")


test_pm_handlers_survive_fuzzing.timeout = SECONDS + 90


def test_block_driver_handlers_survive_fuzzing(t):
    run_target(t, "blk_fuzz")


def test_console_driver_handlers_survive_fuzzing(t):
    run_target(t, "cons_fuzz")


test_block_driver_handlers_survive_fuzzing.timeout = SECONDS + 90
test_console_driver_handlers_survive_fuzzing.timeout = SECONDS + 90
