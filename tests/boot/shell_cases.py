"""Boot tests of the shell's language, shared by the architectures
(define(ARCH, globals())): pipelines across cores and their ends, $? of the
last stage, refusals, redirections, cd, pwd and globbing."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))

from testlib.boot import boot  # noqa: E402


def define(arch, ns):
    def shell_pipelines_carry_output_and_end_with_their_writers(t):
        # An inner shell reading a pipe sees its end only if the outer shell
        # closed its own copies of the write end: otherwise this never ends.
        twenty = " | ".join(["true"] * 20)
        script = ("echo 'echo via-pipe' | sh; echo after-pipe $?; "
                  "@1 echo 'echo on-cores' | @2 sh; "
                  "false | true; echo last-true $?; true | false; echo last-false $?; "
                  f"{twenty} | echo end-of-20; echo twenty $?; "
                  "echo a | pwd; echo builtin $?; echo a || echo b; echo or $?; echo a |")
        b = boot(t, arch, 4, "", program=["sh", "-c", script])
        t.check(b.matching(r"(?:^|\$ )via-pipe$"), "the inner shell did not read the pipe")
        t.check(b.has("after-pipe 0"), "the inner shell did not end at the pipe's end")
        t.check(b.matching(r"(?:^|\$ )on-cores$"), "the pipeline across cores did not run")
        t.check(b.has("last-true 0") and b.has("last-false 1"), "$? is not the last stage's")
        t.check(b.has("end-of-20") and b.has("twenty 0"), "the long pipeline did not run")
        t.check(b.has("sh: pwd: a built-in cannot be part of a pipeline") and b.has("builtin 2"),
                "a built-in in a pipeline was not refused")
        t.check(b.has("sh: || is not supported (separate commands with ';')") and b.has("or 2"),
                "|| was not refused clearly")
        t.check(b.has("sh: missing command after |") and b.rc == 2, f"exit status {b.rc}")

    def shell_redirects_to_files_and_globs_their_names(t):
        script = ("cd /tmp; pwd; echo 'echo one' > s; echo 'echo two' >> s; sh < s; "
                  "lines 2> err; sh < err; lines 2>&1 | sh; "
                  "echo a > b.txt; echo a > a.txt; echo *.txt; echo '*.txt' /tmp/?.txt none*; "
                  "pwd > p; sh < p; echo < /nonexistent; echo status $?; "
                  "cd /nonexistent; echo cd $?; cd; pwd")
        b = boot(t, arch, 4, "", program=["sh", "-c", script])
        t.check(b.rc == 0, f"exit status {b.rc}")
        t.check(b.matching(r"(?:^|\$ )one$") and b.matching(r"(?:^|\$ )two$"),
                "> and >> did not make the script")
        # The usage message went to the file, then through the pipe: the
        # inner shells took it for a command.
        t.check(not b.matching(r"^usage: lines"), "2> or 2>&1 left the message on the console")
        t.check(len(b.matching(r"(?:^|\$ )sh: usage:: not found$")) == 2,
                "2> or 2>&1 did not carry the message")
        t.check(b.matching(r"^a\.txt b\.txt$"), "* did not expand to the sorted names")
        t.check(b.has("*.txt /tmp/a.txt /tmp/b.txt none*"),
                "quoted * expanded, or ? did not, or a word that matches nothing changed")
        t.check(len(b.matching(r"^/tmp$")) == 1, "pwd > p still printed")
        t.check(b.matching(r"(?:^|\$ )sh: /tmp: "), "pwd > p wrote no file")
        t.check(b.matching(r"^sh: /nonexistent: ") and b.has("status 1"),
                "a missing input file was not reported")
        t.check(b.matching(r"^sh: cd: /nonexistent: ") and b.has("cd 1"), "cd did not fail")
        t.check(b.matching(r"^/$"), "cd alone did not go to /")

    for fn in (shell_pipelines_carry_output_and_end_with_their_writers,
               shell_redirects_to_files_and_globs_their_names):
        ns["test_" + fn.__name__] = fn
