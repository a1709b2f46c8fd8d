"""A short libFuzzer run over the shell's parser and glob matcher
(parse_fuzz.c aborts on stages that do not hold together; ASan on any access
outside what the parser allocated). For a longer run:
build/host-fuzz/tests/usr/sh/sh_parse_fuzz -max_total_time=600"""

FUZZER = "build/host-fuzz/tests/usr/sh/sh_parse_fuzz"
SECONDS = 5


def test_parser_survives_fuzzing(t):
    t.run([t.path(FUZZER), f"-max_total_time={SECONDS}", "-print_final_stats=1"],
          timeout=SECONDS + 60, check_rc=0)


test_parser_survives_fuzzing.timeout = SECONDS + 90
