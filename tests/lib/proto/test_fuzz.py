"""A short libFuzzer run over the checks every server and monitor makes of a
message before a handler sees it (proto_fuzz.c aborts on an inconsistent
answer; ASan on any read outside the message). For a longer run:
build/host-fuzz/tests/lib/proto/proto_fuzz -max_total_time=600"""

FUZZER = "build/host-fuzz/tests/lib/proto/proto_fuzz"
SECONDS = 10


def test_message_checks_survive_fuzzing(t):
    t.run([FUZZER, f"-max_total_time={SECONDS}", "-print_final_stats=1"],
          timeout=SECONDS + 60, check_rc=0)


test_message_checks_survive_fuzzing.timeout = SECONDS + 90
