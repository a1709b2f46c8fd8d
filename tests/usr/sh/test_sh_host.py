"""The shell (usr/sh) built for the host, spawning host programs
(host_spawn.c), under ASan and UBSan: pipelines, redirections, built-ins and
globbing as they really run, and the descriptors each child ends up with."""

import os

SH = "build/host-test/tests/usr/sh/sh_host"


def sh(t, script, cwd=None, rc=0, input=None):
    """Runs sh -c script; its standard output. A pipe end left open would hang
    a reader, so every run has a deadline."""
    p = t.run([t.path(SH), "-c", script], cwd=cwd or t.tmp, timeout=30, input=input)
    t.check(rc is None or p.returncode == rc, f"exit status {p.returncode}, expected {rc}")
    t.check("Sanitizer" not in p.stderr, "a sanitizer report")
    return p.stdout


def read(t, name):
    with open(os.path.join(t.tmp, name), encoding="utf-8") as f:
        return f.read()


def test_pipeline_stages_pass_output_and_the_last_gives_the_status(t):
    out = sh(t, "echo hello | tr a-z A-Z | rev; false | true; echo $?; true | false; echo $?")
    t.check(out == "OLLEH\n0\n1\n", f"got {out!r}")


def test_long_pipeline_ends_when_its_first_writer_does(t):
    # Each cat sees end-of-file only if the shell closed every copy of the
    # write end before it; 100 stages is more than any fixed table.
    out = sh(t, "echo deep | " + " | ".join(["cat"] * 100))
    t.check(out == "deep\n", f"got {out!r}")


def test_inner_shell_reads_a_pipe_to_its_end(t):
    out = sh(t, f"echo 'echo via-pipe' | {t.path(SH)}; echo after $?")
    t.check("$ via-pipe\n" in out and out.endswith("after 0\n"), f"got {out!r}")


def test_children_get_only_0_1_and_2_from_the_shell(t):
    alone = sh(t, "ls /proc/self/fd")
    piped = sh(t, "echo x | ls /proc/self/fd 2>&1 > fds | cat; cat fds")
    t.check(alone.split() == ["0", "1", "2", "3"], f"plain: {alone.split()}")
    t.check(piped.split() == alone.split(), f"in a pipeline: {piped.split()}")


def test_output_truncates_and_appends(t):
    out = sh(t, "echo one > f; echo two >> f; echo three >>f; echo after; cat < f; echo new>f; "
                "cat f")
    t.check(out == "after\none\ntwo\nthree\nnew\n", f"got {out!r}")


def test_errors_to_a_file_and_to_output_in_the_order_written(t):
    out = sh(t, "ls /nonexistent-x 2> e; echo st $?; ls /nonexistent-x > o 2>&1; "
                "ls /nonexistent-x 2>&1 > o2 | tr a-z A-Z", rc=None)
    t.check("nonexistent-x" in read(t, "e") and "nonexistent-x" in read(t, "o"),
            "2> or > FILE 2>&1 did not reach the file")
    t.check(read(t, "o2") == "", "2>&1 before > sent errors to the file")
    t.check("CANNOT ACCESS" in out, f"2>&1 | did not go down the pipe: {out!r}")


def test_missing_input_file_is_reported_and_the_command_not_run(t):
    out = sh(t, "echo ran < nofile; echo status $?")
    t.check(out == "sh: nofile: No such file or directory\nstatus 1\n", f"got {out!r}")


def test_redirection_alone_creates_the_file(t):
    sh(t, "> made")
    t.check(os.path.exists(os.path.join(t.tmp, "made")), "> FILE alone made no file")


def test_cd_and_pwd_with_redirection(t):
    os.mkdir(os.path.join(t.tmp, "sub"))
    out = sh(t, "cd sub; pwd > ../p; pwd; cd /nonexistent-x; echo $?; cd; pwd")
    sub = os.path.realpath(os.path.join(t.tmp, "sub"))
    t.check(read(t, "p") == sub + "\n", "pwd > FILE wrote no path")
    t.check(out == f"{sub}\nsh: cd: /nonexistent-x: No such file or directory\n1\n/\n",
            f"got {out!r}")


def test_globs_expand_sorted_and_keep_what_matches_nothing(t):
    for name in ("b.txt", "a.txt", ".hidden.txt", "c.log"):
        open(os.path.join(t.tmp, name), "w").close()
    out = sh(t, f"echo *.txt; echo '*.txt' \"?.log\" ?.log; echo .*; echo none*; echo {t.tmp}/a*")
    t.check(out == f"a.txt b.txt\n*.txt ?.log c.log\n.hidden.txt\nnone*\n{t.tmp}/a.txt\n",
            f"got {out!r}")


def test_builtin_in_a_pipeline_and_bad_lines_are_refused(t):
    out = sh(t, "echo a | pwd; echo $?; a || b; a && b; | b; echo a |; echo > ; echo $?")
    t.check(out == "sh: pwd: a built-in cannot be part of a pipeline\n2\n"
                   "sh: || is not supported (separate commands with ';')\n"
                   "sh: && is not supported (separate commands with ';')\n"
                   "sh: missing command before |\nsh: missing command after |\n"
                   "sh: > needs a file name\n2\n", f"got {out!r}")


def test_lines_longer_than_the_old_limit_from_standard_input(t):
    words = " ".join(f"w{i}" for i in range(1000))
    p = t.run([t.path(SH)], cwd=t.tmp, timeout=30, input=f"echo {words} | wc -w\nexit 3\n")
    t.check(p.returncode == 3, f"exit status {p.returncode}")
    t.check("$ 1000\n" in p.stdout, f"a long line was not read whole: {p.stdout[-200:]!r}")


def test_background_pipeline_lists_every_stage_and_wait_waits_for_all(t):
    out = sh(t, "sleep 0.3 | true &; echo last $!; wait; echo waited $?")
    lines = out.splitlines()
    started = [x for x in lines if x.startswith("[") and not x.endswith(tuple("0123456789"))]
    done = [x for x in lines if " done, status 0" in x]
    t.check([x.split()[1] for x in started] == ["sleep", "true"], f"got {out!r}")
    last = started[1].split()[0].strip("[]")
    t.check(f"last {last}" in lines, "$! is not the last stage's pid")
    t.check(len(done) == 2 and lines[-1] == "waited 0", f"wait did not wait for both: {out!r}")
